"""Tables derived from a canonical table, computed once per table on first use.

Every view starts from the same few thousand rows (87 dated figures and 2,200 HNO baseline
rows) and first narrows them to a metric or two: done with a boolean mask over the whole
table, each step copies every column. :func:`rows_for_metrics` takes the rows of the
metrics by their positions, found once per table, so what follows runs on tens of rows.

Entries are keyed by the table's identity and held with a weak reference to it: an entry
goes when its table does (a bundle's tables live as long as the process; a test's
DataFrames die with the test), so there is nothing to reset. Canonical tables are never
changed in place once loaded (the queries are pure), which is what makes this safe; a
caller that changes a table in place must pass a copy instead.
Nothing is computed at import.
"""

from __future__ import annotations

import functools
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from app.tables.compact import codes_and_uniques, small_positions

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

#: id(table) -> (weak reference to the table, {name: derived value})
_MEMO: dict[int, tuple[weakref.ref, dict[str, Any]]] = {}


def _forget(key: int) -> Callable[[weakref.ref], None]:
    store = _MEMO  # bound now: at interpreter exit the module's globals may be gone

    def callback(_ref: weakref.ref) -> None:
        store.pop(key, None)

    return callback


def memo(table: pd.DataFrame, name: str, compute: Callable[[pd.DataFrame], T]) -> T:
    """``compute(table)``, computed once per table (see module doc); ``name`` tells the
    derived values of one table apart. ``compute`` must not keep a reference to ``table``."""
    key = id(table)
    entry = _MEMO.get(key)
    if entry is None or entry[0]() is not table:
        entry = (weakref.ref(table, _forget(key)), {})
        _MEMO[key] = entry
    store = entry[1]
    if name not in store:
        store[name] = compute(table)
    return store[name]


def column_codes(table: pd.DataFrame, column: str) -> tuple[np.ndarray, list]:
    """Each row's ``column`` value as a code (int32, -1 for missing) into the distinct
    values, found once per table (:func:`app.tables.compact.codes_and_uniques`): a view
    then compares each distinct value once, not each of its rows."""
    from app.tables.compact import codes_and_uniques

    return memo(table, f"codes:{column}", lambda t: codes_and_uniques(t[column]))


def canonical(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the default index (each row's label its position), renumbered when
    it has another: what the position paths of the views need (:func:`taken_from`)."""
    return table if taken_from(table, table.iloc[0:0]) else table.reset_index(drop=True)


def taken_from(table: pd.DataFrame, rows: pd.DataFrame) -> bool:
    """Whether ``rows``' index values can be positions in ``table``: it has the default
    index and they fall in it (``rows`` were taken from ``table`` by ``iloc``), so a value
    derived once per table can be looked up for them by position."""
    index = table.index
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
        return False
    if rows.empty:
        return True
    return rows.index.dtype.kind == "i" and rows.index.min() >= 0 and rows.index.max() < len(table)


def kept_per_table(name: str, size: int, key: Callable[..., Hashable]) -> Callable[[F], F]:
    """Decorator: ``f(table, *args, **kwargs)`` keeps its last ``size`` results with
    ``table`` (see :func:`memo`), one per ``key(*args, **kwargs)``. The other tables among ``args`` (areas, regions)
    are kept with their result and must be the same objects for a hit. Callers must not
    change a result."""

    def decorator(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(table: pd.DataFrame, *args: Any, **kwargs: Any) -> Any:
            given = [*args, *kwargs.values()]
            frames = tuple(a for a in given if isinstance(a, pd.DataFrame))
            try:
                k = (tuple(id(f) for f in frames), key(*args, **kwargs))
                recent: OrderedDict = memo(table, name, lambda _table: OrderedDict())
                hit = recent.get(k)
            except TypeError:  # an unhashable argument: not kept
                return fn(table, *args, **kwargs)
            if hit is not None and all(a is b for a, b in zip(hit[0], frames, strict=True)):
                recent.move_to_end(k)
                return hit[1]
            out = fn(table, *args, **kwargs)
            recent[k] = (frames, out)
            while len(recent) > size:
                recent.popitem(last=False)
            return out

        return wrapper  # type: ignore[return-value]

    return decorator


def _metric_positions(figures: pd.DataFrame) -> dict[object, np.ndarray]:
    codes, uniques = codes_and_uniques(figures["metric"])
    order = small_positions(np.argsort(codes, kind="stable"))
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    return {u: order[bounds[i] : bounds[i + 1]] for i, u in enumerate(uniques)}


def metric_positions(figures: pd.DataFrame) -> dict[object, np.ndarray]:
    """Metric -> positions of its rows in ``figures``, ascending (once per table)."""
    return memo(figures, "metric_positions", _metric_positions)


def positions_for_metrics(figures: pd.DataFrame, metrics: Iterable[str]) -> np.ndarray:
    """Positions, ascending, of the rows of ``metrics`` (found once per table)."""
    index = metric_positions(figures)
    parts = [index[m] for m in dict.fromkeys(metrics) if m in index]
    if not parts:
        return np.zeros(0, dtype=np.int32)
    return parts[0] if len(parts) == 1 else np.sort(np.concatenate(parts))


def rows_for_metrics(figures: pd.DataFrame, metrics: Iterable[str]) -> pd.DataFrame:
    """``figures[figures["metric"].isin(metrics)]``, by positions found once per table:
    the same rows, in the same order, with the same index."""
    return figures.iloc[positions_for_metrics(figures, metrics)]


def _metric_sector_positions(figures: pd.DataFrame) -> dict[tuple[object, str], np.ndarray]:
    metric, metrics = codes_and_uniques(figures["metric"])
    sector, sectors = codes_and_uniques(figures["sector"].fillna(""))
    key = metric.astype(np.int64) * (len(sectors) + 1) + sector  # no Python int per row
    order = small_positions(np.argsort(key, kind="stable"))
    starts = np.flatnonzero(np.r_[True, key[order][1:] != key[order][:-1]])
    out = {}
    for lo, hi in zip(starts, np.r_[starts[1:], len(order)], strict=True):
        m, s = divmod(int(key[order[lo]]), len(sectors) + 1)
        if m >= 0 and s >= 0:  # a missing metric matches no (metric, sector) asked for
            out[(metrics[m], sectors[s])] = order[lo:hi]
    return out


def rows_for_metric_sector(figures: pd.DataFrame, metric: str, sector: str) -> pd.DataFrame:
    """``figures[(figures["metric"] == metric) & (figures["sector"].fillna("") == sector)]``
    by positions found once per table (one HNO sector: 110 of the 2,200 baseline rows)."""
    index = memo(figures, "metric_sector_positions", _metric_sector_positions)
    pos = index.get((metric, sector))
    return figures.iloc[0:0] if pos is None else figures.iloc[pos]


def _known_days(figures: pd.DataFrame) -> np.ndarray:
    from app.queries.filters import known_date

    days = known_date(figures).dropna().to_numpy()
    return np.unique(days)


def known_days(figures: pd.DataFrame) -> list[pd.Timestamp]:
    """Every day on which a figure of ``figures`` became known, in order (the as-of keys
    the views can ask for, besides dates before the first)."""
    return [pd.Timestamp(d) for d in memo(figures, "known_days", _known_days)]


def as_of_key(figures: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.Timestamp | None:
    """The latest day on or before ``as_of`` on which a figure of ``figures`` became known
    (``as_of`` itself when none had by then; None for None).

    ``filters.known_on(figures, as_of_key(figures, d))`` is ``known_on(figures, d)`` row for
    row, so anything computed from the figures known on a date (the consistency checks,
    memoised per date) can be computed once for all the days between two publications.
    """
    if as_of is None:
        return None
    days = memo(figures, "known_days", _known_days)
    i = int(np.searchsorted(days, np.datetime64(as_of), side="right"))
    return as_of if i == 0 else pd.Timestamp(days[i - 1])
