"""The headline rule: which figure a card shows, reproducibly, and what the alternatives were.

Rule (README "Headline rule"; configurable through NWS_PUBLISHER_PRIORITY):
1. take the figures of the card's metric known on the as-of date (see filters.known_on);
   for north-west Syria as a whole: a named region (not the nationwide one) or a governorate,
   never a single sub-district or incident;
2. keep those whose as-of / period end is the latest among them, give or take ``window_days``;
3. among those, prefer the publisher highest in the priority list (a publisher matches an entry
   when its name starts with it: "OCHA / IDP Task Force" counts as OCHA); unlisted publishers
   come last;
4. then the latest period end, then the latest published date, then the larger value.
Every other figure of the metric in the window is returned as an alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from app.queries.filters import known_on

#: Card -> the metrics it may show (first is the main one) and the regions/areas in scope.
CARDS: dict[str, dict] = {
    "displaced": {"title": "Displaced since 1 Dec 2019", "metrics": ("idps_displaced_since",)},
    "killed": {"title": "Civilians killed", "metrics": ("civilians_killed",)},
    "at_risk": {"title": "At risk of displacement", "metrics": ("people_at_risk",)},
}
#: Scope of the cards: north-west Syria; nationwide figures are alternatives, never the headline.
NW_SCOPE_EXCLUDE_REGIONS = ("syria",)


@dataclass(frozen=True)
class Headline:
    card: str
    title: str
    figure: dict | None  # the chosen canonical figure row (as a dict), None when nothing is known
    alternatives: pd.DataFrame  # other figures of the metric in the same weeks
    rule: str  # the rule that picked it, in words


def publisher_rank(publisher: str, priority: list[str]) -> int:
    """Position of the publisher in the priority list (prefix match); unlisted -> after all."""
    for i, p in enumerate(priority):
        if publisher.strip().lower().startswith(p.strip().lower()):
            return i
    return len(priority)


def headline(figures: pd.DataFrame, card: str, priority: list[str],
             as_of: pd.Timestamp | None = None, window_days: int = 14) -> Headline:
    spec = CARDS[card]
    df = known_on(figures, as_of)
    df = df[df["metric"].isin(spec["metrics"]) & df["period_end"].notna()]
    wide = df["region"].notna() | (df["area_pcode"].fillna("").str.len() <= 4)
    in_scope = df[wide & ~df["region"].isin(NW_SCOPE_EXCLUDE_REGIONS)]
    rule = (f"latest {spec['metrics'][0]} figure for north-west Syria"
            f"{' known on ' + as_of.strftime('%d %b %Y') if as_of is not None else ''}, "
            f"within {window_days} days of the newest, from the highest-priority publisher "
            f"({' > '.join(priority)})")
    if in_scope.empty:
        return Headline(card, spec["title"], None, df.iloc[0:0], rule)
    newest = in_scope["period_end"].max()
    window = in_scope[in_scope["period_end"] >= newest - pd.Timedelta(days=window_days)]
    ranked = window.assign(
        _rank=window["publisher"].map(lambda p: publisher_rank(p, priority)),
        _pub=window["published_date"].fillna(pd.Timestamp.min),
    ).sort_values(["_rank", "period_end", "_pub", "value"], ascending=[True, False, False, False])
    chosen = ranked.iloc[0]
    alt_window = df[df["period_end"] >= newest - pd.Timedelta(days=window_days)]
    alternatives = alt_window[alt_window["figure_id"] != chosen["figure_id"]].sort_values(
        ["period_end", "publisher"], ascending=[False, True])
    return Headline(card, spec["title"], chosen.drop(["_rank", "_pub"]).to_dict(), alternatives, rule)
