"""Running the checks: :func:`run_checks` on a table, :func:`_run` on some of its rows, and
a large table's checks in parts (a metric, a family of metrics or a few places at a time,
:func:`_parts`) that give the same flags in the same order as one run."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

import numpy as np
import pandas as pd

from app.queries.checks import limits
from app.queries.checks.rows import _Rows
from app.queries.checks.rules import (
    children_exceed_parent,
    cumulative_falls,
    flow_exceeds_change,
    nationwide_in_nw_view,
    published_twice,
)
from app.queries.checks.spec import CHECKS, COLUMNS, FLOW_TO_CUMULATIVE, _default_priority, _empty
from app.queries.flag_index import FlagIndex
from app.tables.compact import codes_of, fold_codes


def run_checks(
    figures: pd.DataFrame,
    areas: pd.DataFrame | None,
    regions: pd.DataFrame,
    priority: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Every flag on ``figures``: columns figure_id, check, severity, message, related_ids.

    ``related_ids`` is a tuple of the figure ids the flag compares with. Pass the figures as
    known on the view's date (see module doc). ``priority`` groups publishers into families
    for :func:`cumulative_falls` (default: the configured publisher priority).
    """
    priority = list(priority) if priority is not None else _default_priority()
    return _run(figures, np.arange(len(figures)), areas, regions, priority)


def _run(
    figures: pd.DataFrame,
    pos: np.ndarray,
    areas: pd.DataFrame | None,
    regions: pd.DataFrame,
    priority: list[str],
    messages: bool = True,
    which: tuple[str, ...] = tuple(CHECKS),
    positions: bool = False,
    origin: np.ndarray | None = None,
) -> pd.DataFrame | FlagIndex:
    """:func:`run_checks` on the rows at positions ``pos`` of ``figures`` (no copy made);
    ``messages=False`` leaves the message column empty (and skips the formatting);
    ``which``: the checks to run (by name, run in :data:`CHECKS`' order).

    ``positions``: the flags as a :class:`FlagIndex` of positions in ``figures``, or in the
    table its rows were copied from, at ``origin`` (no messages: an export's)."""
    assert not (positions and messages), "a FlagIndex holds no messages"
    if len(pos) == 0:
        return FlagIndex.empty(CHECKS) if positions else _empty()
    if len(pos) > limits._LARGE and which == tuple(CHECKS):
        parts = _parts(figures, pos)
        if len(parts) > 1:  # a large table, a part at a time: its rows copied, so the
            # columns are read for the part's rows only, not the table's
            from app.bundle.store import release_freed_memory

            found = []
            for p, c in parts:
                found.append(_run(figures.iloc[p], np.arange(len(p)), areas, regions, priority,
                                  messages, c, positions, p if origin is None else origin[p]))
                release_freed_memory()  # the part's arrays, before the next part's are made
            if positions:
                return FlagIndex.concat(found, CHECKS).in_order()
            found = [f for f in found if len(f)]
            return _in_flag_order(pd.concat(found, ignore_index=True)) if found else _empty()
    if positions and origin is None:
        origin = np.arange(len(figures))
    t = _Rows(figures, pos, priority, messages, origin if positions else None)
    run = {
        "published_twice": published_twice,
        "cumulative_falls": cumulative_falls,
        "flow_exceeds_change": flow_exceeds_change,
        "nationwide_in_nw_view": lambda t: nationwide_in_nw_view(t, regions),
        "children_exceed_parent": lambda t: children_exceed_parent(t, regions, areas),
    }
    found = []
    for name in [c for c in CHECKS if c in which]:
        found.append(run[name](t))
        if t.n > limits._LARGE:  # each check's arrays back to the system before the next's
            from app.bundle.store import release_freed_memory

            t.forget()
            release_freed_memory()
    if positions:
        return FlagIndex.concat(found, CHECKS).in_order()
    rows = [r for f in found for r in f]
    return _in_flag_order(pd.DataFrame(rows, columns=COLUMNS)) if rows else _empty()


def _in_flag_order(flags: pd.DataFrame) -> pd.DataFrame:
    """Flags by figure id, then check; a figure's flags of one check as they were met."""
    return flags.sort_values(["figure_id", "check"], kind="stable").reset_index(drop=True)


def _parts(figures: pd.DataFrame, pos: np.ndarray) -> list[tuple[np.ndarray, tuple[str, ...]]]:
    """The checks of a large table as (positions, checks) runs that give the same flags.

    No check compares figures of two metrics, except that a flow is compared with the
    running total it adds to (:data:`FLOW_TO_CUMULATIVE`); and only
    ``children_exceed_parent`` compares figures of two places. So:

    - ``flow_exceeds_change`` runs a family of metrics (a running total with its flows) at
      a time, and that family a few places at a time (:func:`_by_place`);
    - ``children_exceed_parent`` runs a metric at a time;
    - the others run a metric at a time, and a large metric a few places at a time.

    Each run holds the arrays of its part's rows instead of the whole table's. A million
    generated figures in 16 metrics peaked 290 MB above the table with one run, 179 MB a
    family at a time, 152 MB a metric at a time, 54 MB with the flows and the large metrics
    by place (and the flags as positions, :func:`export_flags`)."""
    alone = tuple(c for c in CHECKS if c != "flow_exceeds_change")
    metric, family = _metric_keys(figures, pos)
    by_metric = _split(np.arange(len(pos), dtype=np.int32), metric)  # indexes into pos
    if len(by_metric) == 1 and len(pos) <= limits._PLACE_ROWS:
        return [(pos, tuple(CHECKS))]
    families: dict[int, list[np.ndarray]] = {}
    for i in by_metric:
        families.setdefault(int(family[i[0]]), []).append(i)
    del metric, family
    place = _place_keys(figures, pos)
    # the flows first: their run is the largest, so it is made before the others' flags
    # are held (the result is sorted by figure and check, whatever the order of the runs)
    runs = []
    for parts in families.values():
        if len(parts) > 1:  # a running total with its flows
            i = np.sort(np.concatenate(parts))
            runs += [(chunk, ("flow_exceeds_change",)) for chunk in _by_place(pos[i], place[i])]
    local = tuple(c for c in alone if c != "children_exceed_parent")
    for i in by_metric:
        if len(i) <= limits._PLACE_ROWS:
            runs.append((pos[i], alone))
            continue
        runs += [(chunk, local) for chunk in _by_place(pos[i], place[i])]
        runs.append((pos[i], ("children_exceed_parent",)))
    return runs


def _place_keys(figures: pd.DataFrame, pos: np.ndarray) -> np.ndarray:
    """A key per row at ``pos`` for its (region, area P-code): every check but
    ``children_exceed_parent`` compares figures of one place only (its place key adds the
    sub-area mark, :attr:`_Rows.place`, so it never spans two of these keys)."""
    return fold_codes(_codes_at(figures[c], pos) for c in ("region", "area_pcode"))


def _codes_at(col: pd.Series, pos: np.ndarray) -> np.ndarray:
    """Codes (int32, -1 for missing) of ``col`` at ``pos``, equal values alike: a large
    table's parts are keyed by these (:func:`~app.tables.compact.codes_of`)."""
    return codes_of(col)[pos]


def _by_place(pos: np.ndarray, place: np.ndarray, rows: int | None = None) -> list[np.ndarray]:
    """``pos`` in parts of whole places (keys ``place``), about ``rows`` rows each (a
    place with more rows is a part of its own), each part in table order."""
    rows = limits._PLACE_ROWS if rows is None else rows
    if len(pos) <= rows:
        return [pos]
    order = np.argsort(place, kind="stable")
    sorted_place = place[order]
    starts = np.flatnonzero(sorted_place[1:] != sorted_place[:-1]) + 1
    del sorted_place
    bounds = [0]
    for start in starts.tolist():
        if start - bounds[-1] >= rows:
            bounds.append(start)
    bounds.append(len(pos))
    return [np.sort(pos[order[a:b]]) for a, b in pairwise(bounds)]


def _metric_keys(figures: pd.DataFrame, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(metric code, family code) of the rows at ``pos``: a family is a running total with
    the flows that add to it (:data:`FLOW_TO_CUMULATIVE`), every other metric alone; a
    missing metric is a metric (and a family) of its own."""
    col = figures["metric"]
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes, metrics = col.cat.codes.to_numpy(), list(col.cat.categories)
    else:
        codes, metrics = pd.factorize(col, use_na_sentinel=True)
    names = [str(m) for m in metrics] + [""]  # code -1 (missing) takes the last entry
    family, _unused = pd.factorize(np.array([FLOW_TO_CUMULATIVE.get(m, m) for m in names],
                                            dtype=object))  # fmt: skip
    at = np.asarray(codes[pos], dtype=np.int32)
    return np.where(at < 0, len(metrics), at).astype(np.int32), family.astype(np.int32)[at]


def _split(pos: np.ndarray, keys: np.ndarray) -> list[np.ndarray]:
    """``pos`` split by ``keys`` (one per position), each part in table order."""
    order = np.argsort(keys, kind="stable")
    return np.split(pos[order], np.flatnonzero(np.diff(keys[order])) + 1)


def _metric_families(
    figures: pd.DataFrame, pos: np.ndarray, one_metric: bool = False
) -> list[np.ndarray]:
    """The positions ``pos`` split by family of metrics (see :func:`_metric_keys`), or by
    metric with ``one_metric``; each part in table order."""
    metric, family = _metric_keys(figures, pos)
    return _split(pos, metric if one_metric else family)
