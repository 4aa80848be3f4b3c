"""The headline rule: which figure a card shows, reproducibly, and what the alternatives were.

Rule (README "Headline rule"; configurable through NWS_PUBLISHER_PRIORITY and
NWS_HEADLINE_WINDOW_DAYS):
1. take the figures of the card's metric known on the as-of date (see filters.known_on);
   for north-west Syria as a whole: a named region (not the nationwide one) or a governorate,
   never a single sub-district, and for a count over a period never a one-day incident;
2. keep those whose as-of / period end is the latest among them, give or take ``window_days``;
3. among those, prefer the publisher highest in the priority list (a publisher matches an entry
   when its name starts with it: "OCHA / IDP Task Force" counts as OCHA); unlisted publishers
   come last;
4. then the latest period end, then the latest published date, then the larger value.
Every other figure of the metric in the window is returned as an alternative, whatever its
area, so a card can show what else was said in those weeks.
The rule text returned with the pick names the as-of date, the window's dates and why this
publisher won, so a card can say how its number was chosen.
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


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def headline(
    figures: pd.DataFrame,
    card: str,
    priority: list[str],
    as_of: pd.Timestamp | None = None,
    window_days: int | None = None,
) -> Headline:
    """The card's figure by the rule in the module doc (``window_days``: default from config)."""
    if window_days is None:
        from app.config import get_config

        window_days = get_config().headline_window_days
    spec = CARDS[card]
    df = known_on(figures, as_of)
    df = df[df["metric"].isin(spec["metrics"]) & df["period_end"].notna()]
    wide = df["region"].notna() | (df["area_pcode"].fillna("").str.len() <= 4)
    one_day = (df["kind"] == "flow") & (df["period_start"] == df["period_end"])
    in_scope = df[wide & ~one_day & ~df["region"].isin(NW_SCOPE_EXCLUDE_REGIONS)]
    known = f" known on {as_of.day} {as_of.strftime('%b %Y')}" if as_of is not None else ""
    rule = (
        f"Headline rule: the latest {spec['metrics'][0]} figure for north-west Syria as a "
        f"whole{known} (a named region or a governorate; not nationwide, not a sub-district, "
        f"not a one-day incident), among those dated within {window_days} days of the "
        f"newest, from the publisher highest in the priority {' > '.join(priority)}; then "
        f"the latest date, the latest publication, the larger value."
    )
    if in_scope.empty:  # nothing for the north-west as a whole: still say what else was said
        if df.empty:
            return Headline(card, spec["title"], None, df, rule)
        alt = df[df["period_end"] >= df["period_end"].max() - pd.Timedelta(days=window_days)]
        return Headline(
            card,
            spec["title"],
            None,
            alt.sort_values(["period_end", "publisher"], ascending=[False, True]),
            rule,
        )
    newest = in_scope["period_end"].max()
    since = newest - pd.Timedelta(days=window_days)
    window = in_scope[in_scope["period_end"] >= since]
    ranked = window.assign(
        _rank=window["publisher"].map(lambda p: publisher_rank(p, priority)),
        _pub=window["published_date"].fillna(pd.Timestamp("1900-01-01")),
    ).sort_values(["_rank", "period_end", "_pub", "value"], ascending=[True, False, False, False])
    chosen = ranked.iloc[0]
    rank = int(chosen["_rank"])
    place = (
        f"{_ordinal(rank + 1)} in the priority"
        if rank < len(priority)
        else "not in the priority list, and no listed publisher gave a figure"
    )
    rule += (
        f" Window: {since.day} {since.strftime('%b %Y')} – {newest.day} "
        f"{newest.strftime('%b %Y')}; {len(window)} candidate(s); picked "
        f"{chosen['publisher']} ({place})."
    )
    alt_window = df[df["period_end"] >= since]
    alternatives = alt_window[alt_window["figure_id"] != chosen["figure_id"]].sort_values(
        ["period_end", "publisher"], ascending=[False, True]
    )
    return Headline(
        card, spec["title"], chosen.drop(["_rank", "_pub"]).to_dict(), alternatives, rule
    )
