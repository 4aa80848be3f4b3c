"""The three headline cards (displaced, killed, at risk) with what else was said in those weeks.

The pick itself is :func:`app.queries.headline.headline` (the documented rule). This adds
what a card must say beside it: how many other figures and publishers gave a number for the
same metric in the same weeks, and the seed news article's figure when it is one of them,
since those are the numbers readers first met and must see next to OCHA's and OHCHR's.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from app.queries import clean
from app.queries.derived import memo, rows_for_metrics
from app.queries.headline import CARDS, headline

#: Publisher of the seed news article (reference/article_figures.csv), matched as a prefix.
SEED_PUBLISHER = "News article of 16 Feb 2020"


@dataclass(frozen=True)
class CardData:
    key: str
    title: str
    #: the chosen figure (canonical row as a dict), None when nothing is known
    figure: dict | None
    #: other figures of the metric in the same weeks, newest first
    alternatives: pd.DataFrame
    #: the rule that chose the figure, in words
    rule: str
    as_of: pd.Timestamp | None

    @property
    def n_sources(self) -> int:
        return int(self.alternatives["publisher"].nunique()) if not self.alternatives.empty else 0

    @property
    def seed(self) -> pd.DataFrame:
        """The seed article's figures among the alternatives (shown on the card itself)."""
        alt = self.alternatives
        return alt[alt["publisher"].str.startswith(SEED_PUBLISHER)] if not alt.empty else alt

    @property
    def is_seed(self) -> bool:
        return self.figure is not None and str(self.figure["publisher"]).startswith(SEED_PUBLISHER)


def card_data(
    figures: pd.DataFrame, priority: list[str], as_of: pd.Timestamp | None = None
) -> list[CardData]:
    """One :class:`CardData` per card of :data:`app.queries.headline.CARDS`, in order."""
    figures = card_figures(figures)
    out = []
    for key in CARDS:
        h = headline(figures, key, priority, as_of=as_of)
        out.append(
            CardData(key, h.title, h.figure, h.alternatives.reset_index(drop=True), h.rule, as_of)
        )
    return out


def card_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """The deduplicated figures of the cards' metrics, once per table (performance: every
    as-of date then starts from the same small table, and the headline rule's arrays are
    kept with it). Only those metrics: the metric is part of what makes two rows one
    figure, so no duplicate spans two metrics."""
    return memo(figures, "card_figures", _card_figures)


def _card_figures(figures: pd.DataFrame) -> pd.DataFrame:
    metrics = [m for spec in CARDS.values() for m in spec["metrics"]]
    rows = rows_for_metrics(figures, metrics)
    # weekly event sums: the governorates' only (a card lists what was said for the
    # north-west, not hundreds of sub-district weeks)
    below = rows["area_pcode"].fillna("").str.len() > 4
    rows = rows[~(clean.is_event_sum(rows) & below).to_numpy()]
    return clean.drop_duplicates(rows)
