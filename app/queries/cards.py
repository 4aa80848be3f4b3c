"""The three headline cards (displaced, killed, at risk) with what else was said in those weeks.

The pick itself is :func:`app.queries.headline.headline` (the documented rule). This adds
what a card must say beside it: how many other figures and publishers gave a number for the
same metric in the same weeks, and the seed news article's figure when it is one of them,
since those are the numbers readers first met and must see next to OCHA's and OHCHR's.

:func:`area_cards` gives the same three cards for one area (issue 13: a click on the map
gives the cards of that area): the area's own figures by the area form of the rule, and
for a card the area has no figure for, the nearest wider area's card that has a count over
a period (its district, its governorate), else north-west Syria's, as a ``fallback`` shown
as such. A
parent's total is never split to make a figure for the area.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from app import format as fmt
from app.i18n import N_, _, current
from app.queries import clean
from app.queries.derived import memo, metric_positions
from app.queries.headline import CARDS, RowsOf, headline

#: Publisher of the seed news article (reference/article_figures.csv), matched as a prefix.
SEED_PUBLISHER = "News article of 16 Feb 2020"

#: How the cards name what they are for (marked for translation: an area's label is made in
#: the request's language, with the gazetteer's Arabic name in Arabic; ``NW``'s label is
#: translated where it is shown).
NW_LABEL = N_("North-west Syria")
AREA_LABELS = {
    1: N_("{name} governorate ({pcode})"),
    2: N_("{name} district ({pcode})"),
    3: N_("{name} sub-district ({pcode})"),
}


@dataclass(frozen=True)
class Scope:
    """What a card is for: north-west Syria (``pcode`` None) or one admin 1-3 area."""

    pcode: str | None
    label: str
    level: int = 0


NW = Scope(None, NW_LABEL)


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
    scope: Scope = NW
    #: the figure is a single day's count (an area without a count over a period)
    single_day: bool = False
    #: no figure for ``scope``: the card of the nearest wider scope that has one, else None
    fallback: CardData | None = None

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
    figures: pd.DataFrame | RowsOf, priority: list[str], as_of: pd.Timestamp | None = None
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


def area_scope(areas: pd.DataFrame, pcode: str) -> Scope:
    """The area's :class:`Scope`, named "Dana sub-district (SY070301)" (names of the
    bundle's areas table). An unknown P-code or one outside admin 1-3 is a ValueError."""
    row = areas.loc[areas["pcode"] == pcode]
    if row.empty or int(row["level"].iloc[0]) not in AREA_LABELS:
        raise ValueError(f"area {pcode!r}: not an admin 1-3 P-code of the areas table")
    level = int(row["level"].iloc[0])
    name = str(row["name_en"].iloc[0])
    if current().lang == "ar":
        name_ar = row["name_ar"].iloc[0] if "name_ar" in row else None
        name = str(name_ar).strip() if isinstance(name_ar, str) and name_ar.strip() else name
    label = _(AREA_LABELS[level]).format(name=name, pcode=fmt.isolate(pcode))
    return Scope(pcode, label, level)


def wider_scopes(areas: pd.DataFrame, pcode: str) -> list[Scope]:
    """The areas that hold ``pcode``, nearest first (district, governorate), then NW."""
    parents = dict(zip(areas["pcode"], areas["parent_pcode"], strict=True))
    levels = dict(zip(areas["pcode"], areas["level"], strict=True))
    out: list[Scope] = []
    parent = parents.get(pcode)
    while isinstance(parent, str) and levels.get(parent, 0) in AREA_LABELS:
        out.append(area_scope(areas, parent))
        parent = parents.get(parent)
    return [*out, NW]


def card_area(selected: tuple[str, ...]) -> str | None:
    """The area the cards are for: the selection when it is one area, else None (the cards
    then stay on north-west Syria: three cards cannot stand for several areas at once)."""
    return selected[0] if len(selected) == 1 else None


def area_cards(
    figures: pd.DataFrame,
    areas: pd.DataFrame,
    priority: list[str],
    area: str | None,
    as_of: pd.Timestamp | None = None,
) -> list[CardData]:
    """The three cards for ``area`` (a P-code; None: north-west Syria, as :func:`card_data`),
    in :data:`CARDS` order. A card the area has no figure for carries the card of the
    nearest wider area with one (or north-west Syria's) as its ``fallback``."""
    if area is None:
        return card_data(figures, priority, as_of)
    scope = area_scope(areas, area)
    wider = wider_scopes(areas, area)
    figures = card_figures(figures)
    nw = {c.key: c for c in card_data(figures, priority, as_of)}
    out = []
    for key in CARDS:
        c = _scope_card(figures, key, priority, as_of, scope)
        if c.figure is None:
            for w in wider:
                alt = nw[key] if w.pcode is None else _scope_card(figures, key, priority, as_of, w)
                # a wider area's single day is no stand-in for a card: go wider still
                if alt.figure is not None and not alt.single_day:
                    c = replace(c, fallback=alt)
                    break
        out.append(c)
    return out


def _scope_card(
    figures: RowsOf, key: str, priority: list[str], as_of: pd.Timestamp | None, s: Scope
) -> CardData:
    h = headline(figures, key, priority, as_of=as_of, area=s.pcode, area_label=s.label)
    alternatives = h.alternatives.reset_index(drop=True)
    return CardData(key, h.title, h.figure, alternatives, h.rule, as_of, s, h.single_day)


def card_figures(figures: pd.DataFrame | RowsOf) -> RowsOf:
    """The deduplicated figures of the cards' metrics, as positions found once per table
    (performance: every as-of date then starts from the same rows, and the headline rule's
    arrays are kept with them; a copy of the rows was 30 MB a process with a million
    stored figures). Only those metrics: the metric is part of what makes two rows one
    figure, so no duplicate spans two metrics."""
    if isinstance(figures, RowsOf):
        return figures
    return RowsOf(figures, memo(figures, "card_rows", _card_rows), "cards")


def _card_rows(figures: pd.DataFrame) -> np.ndarray:
    metrics = [m for spec in CARDS.values() for m in spec["metrics"]]
    index = metric_positions(figures)
    parts = [index[m] for m in dict.fromkeys(metrics) if m in index]
    if not parts:
        return np.zeros(0, dtype=np.int32)
    pos = np.sort(np.concatenate(parts))
    rows = figures.iloc[pos]
    # weekly event sums: the governorates' only (a card lists what was said for the
    # north-west, not hundreds of sub-district weeks)
    below = rows["area_pcode"].fillna("").str.len() > 4
    keep = ~(clean.is_event_sum(rows) & below).to_numpy()
    pos, rows = pos[keep], rows[keep]
    return pos[~clean.duplicate_mask(rows)]
