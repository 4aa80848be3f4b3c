"""The headline rule: which figure a card shows, reproducibly, and what the alternatives were.

Rule (README "Headline rule"; configurable through NWS_PUBLISHER_PRIORITY and
NWS_HEADLINE_WINDOW_DAYS):
1. take the figures of the card's metric known on the as-of date (see filters.known_on);
   for north-west Syria as a whole: a named region (not the nationwide one) or a governorate,
   never a single sub-district, for a count over a period never a one-day incident, and
   never a weekly sum of conflict events (``clean.is_event_sum``: they are alternatives);
2. keep those whose as-of / period end is the latest among them, give or take ``window_days``;
3. among those, prefer the publisher highest in the priority list (a publisher matches an entry
   when its name starts with it: "OCHA / IDP Task Force" counts as OCHA); unlisted publishers
   come last;
4. then the latest period end, then the latest published date, then the larger value.
Every other figure of the metric in the window is returned as an alternative, whatever its
area, so a card can show what else was said in those weeks.
The rule text returned with the pick names the as-of date, the window's dates and why this
publisher won, so a card can say how its number was chosen. It is written in the request's
language (:mod:`app.i18n`); the cards' titles stay English here (marked with ``N_``) and are
translated where they are shown.

For one area (``area=<P-code>``, issue 13: a click on the map gives that area's cards) step 1
takes the figures reported for that P-code itself: never a parent's total split up, never a
sub-area's figure (nor a row marked as a place inside the area, ``clean.is_sub_area_row``),
never a weekly sum of conflict events. A single day's count is taken only
when the area has no count over a period in the data, and the pick then says so
(``Headline.single_day``): for a town it is often all that was published, and hiding it
would hide the only figure there is. Steps 2-4 are the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from app import format as fmt
from app.i18n import N_, _, current
from app.queries.clean import is_event_sum, is_sub_area_row
from app.queries.derived import memo, metric_positions
from app.queries.filters import known_date

#: Card -> the metrics it may show (first is the main one) and the regions/areas in scope.
CARDS: dict[str, dict] = {
    "displaced": {"title": N_("Displaced since 1 Dec 2019"), "metrics": ("idps_displaced_since",)},
    "killed": {"title": N_("Civilians killed"), "metrics": ("civilians_killed",)},
    "at_risk": {"title": N_("At risk of displacement"), "metrics": ("people_at_risk",)},
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
    #: the pick is a single day's count (only for an area without a count over a period)
    single_day: bool = False


@dataclass(frozen=True, eq=False)
class RowsOf:
    """Rows ``rows`` (positions, in table order) of ``table``: a card's figures without a copy
    of them (:func:`app.queries.cards.card_figures`; a million stored figures' card rows were
    a 30 MB copy in every process). The rule's arrays for these rows are kept per table,
    under ``name``."""

    table: pd.DataFrame
    rows: np.ndarray
    name: str


Figures = pd.DataFrame | RowsOf


def _take(figures: Figures, pos: np.ndarray) -> pd.DataFrame:
    """``figures.iloc[pos]`` (positions among the rows of ``figures``)."""
    if isinstance(figures, RowsOf):
        return figures.table.iloc[figures.rows[np.asarray(pos, dtype=np.intp)]]
    return figures.iloc[pos]


def _row(figures: Figures, i: int) -> pd.Series:
    if isinstance(figures, RowsOf):
        return figures.table.iloc[int(figures.rows[i])]
    return figures.iloc[i]


def publisher_rank(publisher: str, priority: list[str]) -> int:
    """Position of the publisher in the priority list (prefix match); unlisted -> after all."""
    for i, p in enumerate(priority):
        if publisher.strip().lower().startswith(p.strip().lower()):
            return i
    return len(priority)


def _ordinal(n: int) -> str:
    """ "1st", "2nd" ... in English; the number itself in Arabic (the sentence says "rank")."""
    if current().rtl:
        return fmt.isolate(fmt.number(n))
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


#: The rule in words (marked for translation; formatted in the request's language).
RULE_NW = N_(
    "Headline rule: the latest {metric} figure for north-west Syria as a whole{known} "
    "(a named region or a governorate; not nationwide, not a sub-district, not a one-day "
    "incident), among those dated within {days} days of the newest, from the publisher "
    "highest in the priority {priority}; then the latest date, the latest publication, "
    "the larger value."
)
RULE_AREA = N_(
    "Headline rule: the latest {metric} figure reported for {area} itself{known} (its own "
    "P-code: not a wider area's total, not a sub-area's figure, never a weekly sum of "
    "conflict events; a single day's count only when no count over a period is known), "
    "among those dated within {days} days of the newest, from the publisher highest in "
    "the priority {priority}; then the latest date, the latest publication, the larger value."
)
KNOWN_ON = N_(" known on {day}")
WINDOW = N_(" Window: {since} – {newest}; {n} candidate(s); picked {publisher} ({place}).")
PLACE_IN_PRIORITY = N_("{ordinal} in the priority")
PLACE_UNLISTED = N_("not in the priority list, and no listed publisher gave a figure")


def _day(ts: pd.Timestamp) -> str:
    """ "5 Mar 2020" in English (as before); the Arabic date in Arabic (app.format)."""
    if current().rtl:
        return fmt.day(ts)
    return f"{ts.day} {ts.strftime('%b %Y')}"


def headline(
    figures: Figures,
    card: str,
    priority: list[str],
    as_of: pd.Timestamp | None = None,
    window_days: int | None = None,
    area: str | None = None,
    area_label: str | None = None,
) -> Headline:
    """The card's figure by the rule in the module doc (``window_days``: default from config);
    for north-west Syria, or with ``area`` for the figures of that P-code itself
    (``area_label`` names it in the rule's words)."""
    if window_days is None:
        from app.config import get_config

        window_days = get_config().headline_window_days
    spec = CARDS[card]
    # Performance: the rule runs on arrays kept per table (see arrays); one frame is taken
    # at the end for the alternatives. Every step mirrors a DataFrame filter or sort the
    # rule was first written with (tests compare the two).
    a = arrays(figures)
    pos = np.sort(
        np.concatenate([a.by_metric.get(m, _NONE) for m in dict.fromkeys(spec["metrics"])])
    )
    ends = a.period_end[pos]
    base = ~np.isnat(ends)
    if as_of is not None:
        base &= a.known[pos] <= np.datetime64(as_of)
    words = {
        "metric": fmt.isolate(spec["metrics"][0]),
        "known": _(KNOWN_ON).format(day=_day(as_of)) if as_of is not None else "",
        "days": fmt.isolate(fmt.number(window_days)),
        "priority": fmt.isolate(" > ".join(priority)),
        "area": area_label or area,
    }
    window_td = np.timedelta64(pd.Timedelta(days=window_days))
    if area is not None:
        return _area_headline(figures, a, pos, base, card, area, _(RULE_AREA).format(**words),
                              priority, window_td)  # fmt: skip
    in_scope = base & a.nw_scope[pos]
    rule = _(RULE_NW).format(**words)
    if not in_scope.any():  # nothing for the north-west as a whole: still say what else was said
        if not base.any():
            return Headline(card, spec["title"], None, _take(figures, pos[base]), rule)
        recent = base & (ends >= ends[base].max() - window_td)
        return Headline(card, spec["title"], None, _newest_first(figures, a, pos[recent]), rule)
    chosen, since, rule = _pick(figures, a, pos, in_scope, rule, priority, window_td)
    others = base & (ends >= since) & _other(a, pos, chosen)
    alternatives = _newest_first(figures, a, pos[others])
    return Headline(card, spec["title"], chosen.to_dict(), alternatives, rule)


def _pick(
    figures: Figures,
    a: _Arrays,
    pos: np.ndarray,
    in_scope: np.ndarray,
    rule: str,
    priority: list[str],
    window_td: np.timedelta64,
) -> tuple[pd.Series, np.datetime64, str]:
    """Steps 2-4 among the rows ``pos[in_scope]`` (some): the chosen row, the window's
    first day and the rule completed with the window and the winner."""
    ends = a.period_end[pos]
    newest = ends[in_scope].max()
    since = newest - window_td
    window = pos[in_scope & (ends >= since)]
    ranks = np.array([publisher_rank(str(p), priority) for p in a.publisher[window]])
    # _rank ascending, then period end, published date (unknown: 1900) and value descending;
    # stable, as DataFrame.sort_values on several columns is
    order = np.lexsort(
        (
            -a.value[window],
            -a.published_or_1900[window].astype(np.int64),
            -a.period_end[window].astype(np.int64),
            ranks,
        )
    )
    chosen = _row(figures, int(window[order[0]]))
    rank = int(ranks[order[0]])
    place = (
        _(PLACE_IN_PRIORITY).format(ordinal=_ordinal(rank + 1))
        if rank < len(priority)
        else _(PLACE_UNLISTED)
    )
    rule += _(WINDOW).format(
        since=_day(pd.Timestamp(since)),
        newest=_day(pd.Timestamp(newest)),
        n=fmt.isolate(fmt.number(len(window))),
        publisher=fmt.isolate(str(chosen["publisher"])),
        place=place,
    )
    return chosen, since, rule


def _area_headline(
    figures: Figures,
    a: _Arrays,
    pos: np.ndarray,
    base: np.ndarray,
    card: str,
    area: str,
    rule: str,
    priority: list[str],
    window_td: np.timedelta64,
) -> Headline:
    """The rule for one area's own figures (module doc); the alternatives are that area's
    other figures in the window (never another area's)."""
    title = CARDS[card]["title"]
    own = base & (a.area_pcode[pos] == area) & ~a.event_sum[pos] & ~a.sub_area[pos]
    over_a_period = own & ~a.one_day[pos]
    in_scope = over_a_period if over_a_period.any() else own
    if not in_scope.any():
        return Headline(card, title, None, _take(figures, _NONE), rule)
    chosen, since, rule = _pick(figures, a, pos, in_scope, rule, priority, window_td)
    others = own & (a.period_end[pos] >= since) & _other(a, pos, chosen)
    alternatives = _newest_first(figures, a, pos[others])
    single_day = not over_a_period.any()
    return Headline(card, title, chosen.to_dict(), alternatives, rule, single_day)


_NONE = np.empty(0, dtype=np.intp)


@dataclass(frozen=True)
class _Arrays:
    """Columns of a figures table the rule reads, as arrays (once per table)."""

    by_metric: dict[object, np.ndarray]
    period_end: np.ndarray  # datetime64
    known: np.ndarray  # filters.known_date
    published_or_1900: np.ndarray
    #: a named region that is not nationwide, or an area at admin 0-1; not a one-day flow
    nw_scope: np.ndarray
    publisher: np.ndarray
    value: np.ndarray
    figure_id: pd.api.extensions.ExtensionArray  # the column's own array (Arrow text)
    #: position of each row's publisher among the sorted publisher names
    publisher_order: np.ndarray
    area_pcode: np.ndarray  # "" for a region's figure
    event_sum: np.ndarray  # clean.is_event_sum
    one_day: np.ndarray  # a flow over a single day
    sub_area: np.ndarray  # clean.is_sub_area_row: a place inside the P-code's area


def _compute_arrays(figures: pd.DataFrame) -> _Arrays:
    region = figures["region"]
    wide = region.notna() | (figures["area_pcode"].fillna("").str.len() <= 4)
    one_day = (figures["kind"] == "flow") & (figures["period_start"] == figures["period_end"])
    event_sum = is_event_sum(figures)
    scope = wide & ~one_day & ~region.isin(NW_SCOPE_EXCLUDE_REGIONS) & ~event_sum
    publisher = figures["publisher"]
    return _Arrays(
        by_metric=metric_positions(figures),
        period_end=figures["period_end"].to_numpy(),
        known=known_date(figures).to_numpy(),
        published_or_1900=figures["published_date"].fillna(pd.Timestamp("1900-01-01")).to_numpy(),
        nw_scope=scope.to_numpy(dtype=bool),
        publisher=publisher.to_numpy(dtype=object),
        value=figures["value"].to_numpy(dtype=float),
        figure_id=figures["figure_id"].array,  # not a str object per row: 68 MB for 1M
        publisher_order=pd.factorize(publisher, sort=True)[0],
        area_pcode=figures["area_pcode"].fillna("").to_numpy(dtype=object),
        event_sum=np.asarray(event_sum, dtype=bool),
        one_day=one_day.to_numpy(dtype=bool),
        sub_area=is_sub_area_row(figures).to_numpy(dtype=bool),
    )


def _other(a: _Arrays, pos: np.ndarray, chosen: pd.Series) -> np.ndarray:
    """Rows at ``pos`` that are not the ``chosen`` figure (by id)."""
    return np.asarray(a.figure_id[pos] != chosen["figure_id"], dtype=bool)


def arrays(figures: Figures) -> _Arrays:
    """The arrays the rule reads (once per table, or per table and set of rows)."""
    if isinstance(figures, RowsOf):
        rows = figures.rows
        return memo(figures.table, f"headline_arrays:{figures.name}",
                    lambda table: _compute_arrays(table.iloc[rows]))  # fmt: skip
    return memo(figures, "headline_arrays", _compute_arrays)


def _newest_first(figures: Figures, a: _Arrays, pos: np.ndarray) -> pd.DataFrame:
    """``figures.iloc[pos].sort_values(["period_end", "publisher"], ascending=[False, True])``."""
    order = np.lexsort((a.publisher_order[pos], -a.period_end[pos].astype(np.int64)))
    return _take(figures, pos[order])
