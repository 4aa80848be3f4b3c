"""The checks as every view and export asks for them: on the rows known on a date
(:func:`view_checks`, and :func:`export_flags` as positions), keyed by the last day on which
a checked row became known, the last results kept (the only copies of these caches;
:func:`forget_tables` lets them go)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from app.i18n import current
from app.queries.checks import limits
from app.queries.checks.rows import _RECENT_COLUMNS
from app.queries.checks.run import _run
from app.queries.checks.spec import _default_priority
from app.queries.derived import memo
from app.queries.filters import known_date
from app.queries.flag_index import FlagIndex


def view_checks(
    figures: pd.DataFrame,
    areas: pd.DataFrame | None,
    regions: pd.DataFrame,
    as_of: pd.Timestamp | None = None,
    priority: Iterable[str] | None = None,
    messages: bool = True,
) -> pd.DataFrame:
    """:func:`run_checks` on the dated figures known on ``as_of`` (what every view and export
    uses: a flag then never cites a figure published after the view's date). The HNO
    baseline rows (per sector) are one table with no parents and are left out.

    ``messages=False``: the same flags with an empty ``message`` (an export's ``flags``
    column needs the checks, severities and related ids only; formatting the words of a
    million-row table's flags is most of the checks' time and memory)."""
    prio = tuple(priority) if priority is not None else tuple(_default_priority())
    as_of = checked_key(figures, as_of)
    # the messages are in the request's language: a worded result is kept per language
    lang = current().key if messages else ""
    for (f, a, r, when, pr, worded), found in _RECENT_VIEW_CHECKS:
        same = f is figures and a is areas and r is regions and when == as_of and pr == prio
        if same and (worded == lang or not messages):
            return found.copy()
    # the rows of known_on(figures, as_of) without a sector, by position: no copy of the table
    dated, pos = _without_sector(figures)
    if as_of is not None:
        pos = pos[(known_date(dated) <= as_of).to_numpy()[pos]]
    found = _run(dated, pos, areas, regions, list(prio), messages)
    if len(pos) <= limits._LARGE:
        _RECENT_VIEW_CHECKS.insert(0, ((figures, areas, regions, as_of, prio, lang), found))
        del _RECENT_VIEW_CHECKS[VIEW_CHECKS_KEPT:]
    return found.copy()


def _without_sector(figures: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """(table, positions) of the rows of ``figures`` without a sector, and not weekly sums of
    conflict events (``clean.is_event_sum``): those are nested totals of one dataset by
    construction (a sub-area's week never exceeds its parent's, one figure per area and
    week), so no check can flag them, and they are most of the rows (11,724 of the
    bundle's 14,011).

    A view's bundle (87 dated figures beside 2,200 HNO rows) gives a small copy, kept per
    table so that the checks at every as-of date read the same small table's codes; a large
    table (an export) is never copied: its rows are given by position.
    """
    for whole, dated in _RECENT_DATED:
        if whole is figures:
            return dated, np.arange(len(dated))
    keep = checked_rows(figures)
    if keep.all():
        return figures, np.arange(len(figures))
    if keep.sum() > 10 * limits._SMALL:  # an export's million rows: never copied
        return figures, np.flatnonzero(keep)
    dated = figures[keep]
    _RECENT_DATED.insert(0, (figures, dated))
    del _RECENT_DATED[4:]
    return dated, np.arange(len(dated))


def checked_key(figures: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.Timestamp | None:
    """The latest day on or before ``as_of`` on which a row the checks read became known
    (the day before every such row when none had; None for None): the flags as known on
    ``as_of`` are the flags as known on that day, so every as-of date between two such days
    is one cached result. Weekly sums of events, which the checks leave out, become known
    every week: keyed by every known day (``derived.as_of_key``), a worker computed the
    checks again for each week of a million events' table."""
    if as_of is None:
        return None
    days = checked_days(figures)
    if not len(days):
        return pd.Timestamp("1900-01-01")  # no checked row: no flag on any day
    i = int(np.searchsorted(days, np.datetime64(as_of), side="right"))
    return pd.Timestamp(days[0]) - pd.Timedelta(days=1) if i == 0 else pd.Timestamp(days[i - 1])


def checked_days(figures: pd.DataFrame) -> np.ndarray:
    """Every day on which a row the checks read (:func:`checked_rows`) became known, in
    order (once per table): the as-of keys of the checks, and the days warmed up."""
    return memo(figures, "checked_days", _checked_days)


def _checked_days(figures: pd.DataFrame) -> np.ndarray:
    known = known_date(figures).to_numpy()[checked_rows(figures)]
    return np.unique(known[~np.isnat(known)])


def checked_rows(figures: pd.DataFrame) -> np.ndarray:
    """The rows the checks look at: without a sector, and not weekly sums of conflict
    events (see :func:`_without_sector`)."""
    from app.queries.clean import is_event_sum

    return figures["sector"].isna().to_numpy() & ~is_event_sum(figures).to_numpy()


def export_flags(
    figures: pd.DataFrame,
    areas: pd.DataFrame | None,
    regions: pd.DataFrame,
    as_of: pd.Timestamp | None = None,
    priority: Iterable[str] | None = None,
) -> FlagIndex:
    """The flags of :func:`view_checks` (without messages) as positions in ``figures``: what
    an export's ``flags`` column is written from (:class:`FlagIndex`: a few bytes a flag,
    where the frame of ids and tuples held 100 MB for a million stored figures)."""
    prio = tuple(priority) if priority is not None else tuple(_default_priority())
    as_of = checked_key(figures, as_of)
    for (f, a, r, when, pr), found in _RECENT_EXPORT_FLAGS + _RECENT_LARGE_EXPORT_FLAGS:
        if f is figures and a is areas and r is regions and when == as_of and pr == prio:
            return found
    keep = checked_rows(figures)
    if as_of is not None:
        keep &= (known_date(figures) <= as_of).to_numpy()
    pos = np.flatnonzero(keep)
    found = _run(figures, pos, areas, regions, list(prio), messages=False, positions=True)
    assert isinstance(found, FlagIndex)
    entry = ((figures, areas, regions, as_of, prio), found)
    if len(pos) <= limits._LARGE:
        _RECENT_EXPORT_FLAGS.insert(0, entry)
        del _RECENT_EXPORT_FLAGS[VIEW_CHECKS_KEPT:]
    else:  # a few bytes a flag: the last few are kept too (the same rows in another format)
        _RECENT_LARGE_EXPORT_FLAGS.insert(0, entry)
        del _RECENT_LARGE_EXPORT_FLAGS[LARGE_EXPORT_FLAGS_KEPT:]
    return found


#: The last results of :func:`export_flags` for tables of up to :data:`limits._LARGE`
#: checked rows (as :data:`_RECENT_VIEW_CHECKS`), and for larger ones (209,417 flags of a
#: million generated figures: 4.8 MB as a :class:`FlagIndex`, 4.4 s to compute).
_RECENT_EXPORT_FLAGS: list[tuple[tuple, FlagIndex]] = []
_RECENT_LARGE_EXPORT_FLAGS: list[tuple[tuple, FlagIndex]] = []
LARGE_EXPORT_FLAGS_KEPT = 2


#: (table, its rows without a sector) for the last few tables (see :func:`_without_sector`).
_RECENT_DATED: list[tuple[pd.DataFrame, pd.DataFrame]] = []

#: Performance: the last results of :func:`view_checks` (every view and export asks for the
#: same ones), keyed by the identity of the tables, which are held here so an id is never
#: reused while cached; canonical tables are never changed in place once loaded. Callers
#: get copies.
_RECENT_VIEW_CHECKS: list[tuple[tuple, pd.DataFrame]] = []
#: Results of :func:`view_checks` kept (small tables only): enough for every day on which a
#: figure of the bundle became known (32 for the shipped bundle, per language, keyed by
#: ``derived.as_of_key``), so a worker computes each at most once, or never when the app
#: warmed them up before forking (``components.context.warm_up``).
VIEW_CHECKS_KEPT = 128


def forget_tables(keep: pd.DataFrame | None = None) -> None:
    """Drop the cached results that hold tables other than ``keep`` (``app.store.live`` calls
    it when the store's version changes: the old tables, tens of MB with a large store, would
    otherwise stay alive in these caches until 64 newer results pushed them out)."""
    _RECENT_VIEW_CHECKS[:] = [e for e in _RECENT_VIEW_CHECKS if e[0][0] is keep]
    _RECENT_EXPORT_FLAGS[:] = [e for e in _RECENT_EXPORT_FLAGS if e[0][0] is keep]
    _RECENT_LARGE_EXPORT_FLAGS[:] = [e for e in _RECENT_LARGE_EXPORT_FLAGS if e[0][0] is keep]
    _RECENT_DATED[:] = [e for e in _RECENT_DATED if e[0] is keep]
    _RECENT_COLUMNS.clear()
