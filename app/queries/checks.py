"""Consistency checks on the figures: they flag, they never fix.

A check that "corrected" a figure would be picking one source silently, which is what the
product exists not to do. So each check returns rows that say which figure looks wrong,
why, and which other figures it was compared with; views show them as flags beside the
figure, and exports carry them in a ``flags`` column. README "Consistency checks" lists
them; :data:`CHECKS` is the same list in code (a test keeps the two in step).

Run the checks on the figures *as known on* the view's date (``filters.known_on``), never on
the whole table: a flag must not mention a figure that was published later.

The checks are vectorised (numpy over codes of the columns), because the export runs them on
whole tables (a million generated rows must not take minutes or gigabytes): rows are
grouped by integer codes, pairs are built only inside groups, and "the nearest running
total before / after a flow" is a sorted-index query. Python only formats the messages of
the rows that are flagged. ``tests/unit/test_checks_vectorised.py`` holds them to the
earlier record-by-record implementation (``tests/unit/checks_reference.py``), flag for flag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from itertools import pairwise, repeat

import numpy as np
import pandas as pd

from app import format as fmt
from app.i18n import N_, _, current, ngettext, translate
from app.queries import clean
from app.queries.derived import memo
from app.queries.filters import known_date
from app.queries.flag_index import FlagIndex
from app.queries.reconcile import (
    WEEK_DAYS,
    Place,
    PlaceIndex,
    label,
    place_index,
    publisher_family,
    relation,
)
from app.tables.compact import codes_of, fold_codes
from app.vocab import METRICS, Kind

#: check id -> (severity or severities, what it means). README "Consistency checks".
CHECKS: dict[str, str] = {
    "published_twice": (
        "the same figure (value, metric, area, period) in two rows or documents; warning "
        "when identical, note when only the date, qualifier or a stated start differ"
    ),
    "cumulative_falls": (
        "a running total lower at a later date than earlier (same metric, area, publisher "
        "family and start); warning when the later high is below the earlier low, else note"
    ),
    "flow_exceeds_change": (
        "a flow over a period larger than the running total grew over it (nearest running "
        "totals before and after, ranges compared); warning"
    ),
    "nationwide_in_nw_view": "a nationwide figure shown in a north-west view; note",
    "children_exceed_parent": (
        "sub-areas adding up to more than their parent (summable metric, same period; sum of "
        "lows above the parent's high; community rows marked 'do not sum' left out); warning"
    ),
}
COLUMNS = ["figure_id", "check", "severity", "message", "related_ids"]
#: What makes two rows the same figure (as ``clean.drop_duplicates`` decides it).
_IDENTITY = (
    "metric",
    "sector",
    "value",
    "qualifier",
    "period_start",
    "period_end",
    "area_pcode",
    "region",
    "publisher",
    "document",
)
SEVERITIES = ("warning", "note")
#: Severities in words (English, marked): :func:`severity_word` translates.
SEVERITY_WORDS = {"warning": N_("warning"), "note": N_("note")}


def severity_word(severity: str) -> str:
    """A flag's severity in the request's language ("warning" in English)."""
    return translate(SEVERITY_WORDS.get(severity, severity))

#: Flows whose period a running total covers (same place): displacement counts.
FLOW_TO_CUMULATIVE: dict[str, str] = {
    "idp_displacements": "idps_displaced_since",
    "idp_arrivals": "idps_displaced_since",
    "idp_departures": "idps_displaced_since",
}

#: The columns a message or a place can name (read for flagged rows only).
_RECORD_COLUMNS = (
    "figure_id",
    "metric",
    "value",
    "qualifier",
    "low",
    "high",
    "period_start",
    "period_end",
    "area_pcode",
    "region",
    "area_as_written",
    "publisher",
    "document",
    "note",
    "source_file",
    "source_row",
)
#: Up to this many rows, the checks take the rows' columns at once (a view's figures).
_SMALL = 5_000
#: Above this many rows a table is large: its flags are not kept by :func:`view_checks`
#: (a million rows' flags weigh 150 MB), and memory is handed back between checks.
_LARGE = 100_000
#: Records read at once for the messages of a large table's flags.
_BATCH = 20_000
#: A missing date as an int64 (NaT's own bit pattern).
_NAT = np.iinfo(np.int64).min
_DAY_US = 86_400 * 10**6


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})


def _default_priority() -> list[str]:
    from app.config import get_config

    return [p.strip() for p in get_config().publisher_priority.split("|") if p.strip()]


# --- vector helpers ------------------------------------------------------------------------
def _combine(*codes: np.ndarray) -> np.ndarray:
    """One code per row for the tuple of ``codes`` (-1, missing, is a value like any other).

    Codes are numbered in order of first appearance (as ``pd.factorize``), which is the order
    in which the record-by-record checks met their groups.
    """
    return _fold(codes)


def _fold(codes: Iterable[np.ndarray]) -> np.ndarray:
    """:func:`_combine` of ``codes`` taken one at a time: given a generator, only one
    column's codes are alive besides the key (ten identity columns of a million rows held
    at once were 80 MB of the checks' peak)."""
    out: np.ndarray | None = None
    span = 1  # out < span
    for c in codes:
        if out is None:
            out = np.zeros(len(c), dtype=np.int64)
        c = np.asarray(c, dtype=np.int64) + 1
        radix = int(c.max(initial=0)) + 1
        if span * radix >= 1 << 62:  # renumber before the mixed-radix number overflows
            out = pd.factorize(out)[0].astype(np.int64)
            span = int(out.max(initial=0)) + 1
        out, span = out * radix + c, span * radix
    assert out is not None, "no codes to combine"
    return pd.factorize(out)[0].astype(np.int64)


def _changes(*sorted_keys: np.ndarray) -> np.ndarray:
    """True where a row's key tuple differs from the previous row's (and for the first)."""
    n = len(sorted_keys[0])
    out = np.zeros(n, dtype=bool)
    out[:1] = True
    for k in sorted_keys:
        out[1:] |= k[1:] != k[:-1]
    return out


def _first_of(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """The smallest ``value`` of each row's group, for every row."""
    smallest = np.full(int(group.max(initial=-1)) + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, group, value)
    return smallest[group]


def _runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each element of a sorted array: where its run of equal keys starts and ends."""
    n = len(sorted_keys)
    new = np.ones(n, dtype=bool)
    new[1:] = sorted_keys[1:] != sorted_keys[:-1]
    starts = np.flatnonzero(new)
    run = np.cumsum(new) - 1
    return starts[run], np.append(starts[1:], n)[run]


def _ranges(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, item) for each i and each item in ``starts[i] .. starts[i] + counts[i] - 1``."""
    counts = np.maximum(np.asarray(counts, dtype=np.int64), 0)
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.cumsum(counts) - counts
    step = np.arange(int(counts.sum())) - np.repeat(first, counts)
    return owner, np.repeat(np.asarray(starts, dtype=np.int64), counts) + step


def _prefix_extreme(
    item_start: np.ndarray,
    item_rank: np.ndarray,
    query_start: np.ndarray,
    query_rank: np.ndarray,
    smallest: bool,
) -> np.ndarray:
    """For each query, among the items whose start is at most the query's start: the smallest
    rank >= ``query_rank`` (``smallest``) or the largest rank <= it; -1 when there is none.

    ``item_rank`` is a permutation of 0..n-1. A merge-sort tree: the items sorted by start,
    each prefix cut into at most log2(n) aligned blocks whose ranks are kept sorted, so each
    query is one binary search per block size: O((n + queries) log^2 n), all in numpy.
    """
    n, m = len(item_start), len(query_start)
    best = np.full(m, n if smallest else -1, dtype=np.int64)
    if n == 0 or m == 0:
        return np.full(m, -1, dtype=np.int64)
    by_start = np.argsort(item_start, kind="stable")
    ranks = np.asarray(item_rank, dtype=np.int64)[by_start]
    prefix = np.searchsorted(item_start[by_start], query_start, side="right")
    # ranks outside 0..n-1 would reach into the neighbouring block
    query_rank = np.clip(query_rank, 0, n) if smallest else np.clip(query_rank, -1, n - 1)
    level = 0
    while (1 << level) <= n:
        has = ((prefix >> level) & 1).astype(bool)
        if has.any():
            keys = np.sort((np.arange(n, dtype=np.int64) >> level) * n + ranks)
            base = ((prefix[has] >> level) - 1) * n
            q = base + query_rank[has]
            if smallest:
                p = np.searchsorted(keys, q, side="left")
                val = keys[np.minimum(p, n - 1)]
                found = (p < n) & (val < base + n)
                best[has] = np.minimum(best[has], np.where(found, val - base, n))
            else:
                p = np.searchsorted(keys, q, side="right") - 1
                val = keys[np.maximum(p, 0)]
                found = (p >= 0) & (val >= base)
                best[has] = np.maximum(best[has], np.where(found, val - base, -1))
        level += 1
    return np.where(best == n, -1, best) if smallest else best


class _Columns:
    """The columns of one table as the codes and numbers the checks compare.

    Each is computed once for the whole column, on first use (strings stay in their arrow
    arrays; factorizing them does not make Python objects), and kept as long as this object
    lives: :func:`_columns_of` keeps the objects of the last small tables, so the views'
    checks at another as-of date only index arrays.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._memo: dict[tuple, object] = {}
        self._records: dict[int, dict] = {}
        self._record_columns = [c for c in _RECORD_COLUMNS if c in frame.columns]

    def cached(self, key: tuple, make: object) -> object:
        """``make()`` once per key for a small table; every time for a large one, whose
        arrays are taken at the checked rows and then dropped (``_Rows`` keeps those)."""
        if len(self.frame) > _SMALL:
            return make()  # type: ignore[operator]
        if key not in self._memo:
            self._memo[key] = make()  # type: ignore[operator]
        return self._memo[key]

    def factorized(self, name: str) -> tuple[np.ndarray, pd.Index]:
        """(codes, uniques): equal values share a code, every missing value is -1 (None, NaN
        and NaT alike, as the record checks' ``_key`` made them)."""

        def make() -> tuple[np.ndarray, pd.Index]:
            col = self.frame[name]
            if pd.api.types.is_float_dtype(col.dtype):
                col = col + 0.0  # -0.0 and 0.0 are one value (as dict keys were)
            codes, uniques = pd.factorize(col, use_na_sentinel=True)
            return np.asarray(codes, dtype=np.int64), uniques

        return self.cached(("factorized", name), make)  # type: ignore[return-value]

    def ranks(self, name: str) -> np.ndarray:
        """Codes that sort like the values (for "sorted by figure id")."""

        def make() -> np.ndarray:
            codes, _unused = pd.factorize(self.frame[name], sort=True, use_na_sentinel=True)
            return np.asarray(codes, dtype=np.int64)

        return self.cached(("ranks", name), make)  # type: ignore[return-value]

    def numbers(self, name: str) -> np.ndarray:
        return self.cached(  # type: ignore[return-value]
            ("numbers", name),
            lambda: self.frame[name].to_numpy(dtype=np.float64, na_value=np.nan),
        )

    def times(self, name: str) -> np.ndarray:
        """Microseconds since 1970 as int64; missing = :data:`_NAT`."""

        def make() -> np.ndarray:
            col = self.frame[name]
            if not pd.api.types.is_datetime64_dtype(col.dtype):
                col = pd.to_datetime(col)
            return col.to_numpy(dtype="datetime64[us]").view(np.int64)

        return self.cached(("times", name), make)  # type: ignore[return-value]

    def missing(self, name: str) -> np.ndarray:
        return self.cached(("missing", name), lambda: self.frame[name].isna().to_numpy())  # type: ignore[return-value]

    def lengths(self, name: str) -> np.ndarray:
        """Length of each text (NaN when missing)."""
        return self.cached(  # type: ignore[return-value]
            ("lengths", name),
            lambda: self.frame[name].str.len().to_numpy(dtype=np.float64, na_value=np.nan),
        )

    def part(self) -> np.ndarray:
        """A smaller place's figure carried on its parent's P-code (``clean.is_sub_area_row``,
        asked once per distinct note: notes repeat, and the test is a regular expression)."""

        def make() -> np.ndarray:
            codes, notes = self.factorized("note")
            found = clean.is_sub_area_row(pd.DataFrame({"note": notes}))
            return np.append(found.to_numpy(dtype=bool), False)[codes]  # -1: no note

        return self.cached(("part",), make)  # type: ignore[return-value]

    def family(self, priority: tuple[str, ...]) -> np.ndarray:
        """Code of the publisher's family in the priority list (``publisher_family``)."""

        def make() -> np.ndarray:
            codes, uniques = pd.factorize(self.frame["publisher"], use_na_sentinel=False)
            names = [publisher_family(str(u), priority) for u in uniques]
            fam_codes, _unused = pd.factorize(pd.Series(names, dtype=object))
            return np.asarray(fam_codes, dtype=np.int64)[np.asarray(codes)]

        return self.cached(("family", priority), make)  # type: ignore[return-value]

    def records(self, positions: Iterable[int], also: np.ndarray | None = None) -> list[dict]:
        """The rows at ``positions`` as dicts, with the values ``DataFrame.to_dict("records")``
        gives (what the messages were formatted from): column lists zipped, 6x faster.
        ``also``: rows likely asked for next, read in the same pass (a view's rows)."""
        positions = [int(i) for i in positions]
        cols = self._record_columns
        todo = {i for i in positions if i not in self._records}
        if todo and also is not None and len(self.frame) <= _SMALL:
            todo |= {int(i) for i in also if int(i) not in self._records}
        todo = sorted(todo)
        if not todo:
            return [self._records[i] for i in positions]
        rows = self.frame[cols].iloc[todo]
        values = zip(*(rows[c].tolist() for c in cols), strict=True)
        found = dict(zip(todo, (dict(zip(cols, v, strict=True)) for v in values), strict=True))
        if len(self.frame) <= _SMALL:  # kept for the next as-of date; a large table's are not
            self._records.update(found)
        return [found[i] if i in found else self._records[i] for i in positions]

    def ids(self, positions: np.ndarray) -> np.ndarray:
        """Figure ids at ``positions`` (object array of str)."""
        col = self.frame["figure_id"].iloc[np.asarray(positions, dtype=np.int64)]
        return np.asarray(col.tolist(), dtype=object)


#: The :class:`_Columns` of the last few small tables (views' figures), holding the tables
#: themselves so an id is never reused while cached; canonical tables are never changed in
#: place once loaded. Large tables (an export of a million rows) are not kept: their codes
#: would hold memory for as long as the process lives.
_RECENT_COLUMNS: list[_Columns] = []


def _columns_of(frame: pd.DataFrame) -> _Columns:
    for cols in _RECENT_COLUMNS:
        if cols.frame is frame:
            return cols
    cols = _Columns(frame)
    if len(frame) <= _SMALL:
        _RECENT_COLUMNS.insert(0, cols)
        del _RECENT_COLUMNS[4:]
    return cols


class _Rows:
    """The rows being checked: positions ``pos`` in a table (in table order, the order the
    flags are emitted in), read through the table's :class:`_Columns`. Only the rows a
    message names become Python records."""

    def __init__(
        self,
        frame: pd.DataFrame,
        pos: np.ndarray,
        priority: list[str],
        messages: bool = True,
        origin: np.ndarray | None = None,
    ) -> None:
        self.columns = _columns_of(frame)
        #: format the messages (views); an export's flags column does without them
        self.messages = messages
        #: flags by position (:class:`FlagIndex`, an export's): the position in the checked
        #: table of each row of ``frame`` (a part's rows copied from it), None: the flags name
        #: figure ids
        self.origin = origin
        self.pos = np.asarray(pos, dtype=np.int64)
        self.n = len(self.pos)
        self.priority = tuple(priority)
        #: every row of the table, in order: the table's arrays serve as they are
        self._whole = self.n == len(frame) and bool((self.pos == np.arange(self.n)).all())
        self._memo: dict[tuple, np.ndarray] = {}
        self._uniques: dict[tuple, pd.Index] = {}

    def forget(self) -> None:
        """Drop the columns read so far (a large table's, between checks: a check reads
        its columns again rather than all of them being held at once)."""
        self._memo.clear()
        self._uniques.clear()

    def _at(self, key: tuple, whole: object) -> np.ndarray:
        if key not in self._memo:
            values = np.asarray(whole() if callable(whole) else whole)
            values = values if self._whole else values[self.pos]
            if values.dtype == np.int64 and key[0] in ("codes", "ranks") and self.n < 1 << 31:
                values = values.astype(np.int32)  # codes < n: half the memory of a large table
            self._memo[key] = values
        return self._memo[key]

    def factorized(self, name: str) -> tuple[np.ndarray, pd.Index]:
        if ("uniques", name) not in self._uniques:
            codes, uniques = self.columns.factorized(name)
            self._at(("codes", name), codes)
            self._uniques[("uniques", name)] = uniques
        return self._memo[("codes", name)], self._uniques[("uniques", name)]

    def codes(self, name: str) -> np.ndarray:
        return self.factorized(name)[0]

    def codes_at(self, name: str, idx: np.ndarray) -> np.ndarray:
        """``codes(name)[idx]``, without keeping the column's codes when they were not read
        before (a large table's identity columns are read once, by one check)."""
        if ("codes", name) in self._memo:
            return self._memo[("codes", name)][idx]
        codes = self.columns.factorized(name)[0]
        return (codes if self._whole else codes[self.pos])[idx]

    def ranks(self, name: str) -> np.ndarray:
        return self._at(("ranks", name), lambda: self.columns.ranks(name))

    def numbers(self, name: str) -> np.ndarray:
        return self._at(("numbers", name), lambda: self.columns.numbers(name))

    def times(self, name: str) -> np.ndarray:
        return self._at(("times", name), lambda: self.columns.times(name))

    def missing(self, name: str) -> np.ndarray:
        return self._at(("missing", name), lambda: self.columns.missing(name))

    def lengths(self, name: str) -> np.ndarray:
        return self._at(("lengths", name), lambda: self.columns.lengths(name))

    def isin(self, name: str, values: Iterable[object]) -> np.ndarray:
        """Rows whose value is one of ``values`` (by the column's codes: no second pass)."""
        codes, uniques = self.factorized(name)
        wanted = set(values)
        hit = np.array([u in wanted for u in uniques] + [False], dtype=bool)
        return hit[codes]  # code -1 (missing) -> the last entry, False

    @property
    def part(self) -> np.ndarray:
        return self._at(("part",), self.columns.part)

    @property
    def place(self) -> np.ndarray:
        """Code of (region, area P-code, part): the place key of the record checks."""
        if ("place",) not in self._memo:
            self._memo[("place",)] = _combine(
                self.codes("region"), self.codes("area_pcode"), self.part
            )
        return self._memo[("place",)]

    @property
    def family(self) -> np.ndarray:
        return self._at(("family",), lambda: self.columns.family(self.priority))

    def records(self, idx: Iterable[int]) -> list[dict]:
        """Row ``i`` (an index into ``pos``) of each of ``idx`` as a dict."""
        return self.columns.records(self.pos[np.asarray(list(idx), dtype=np.int64)], self.pos)

    def iter_records(self, idx: np.ndarray | list[int]) -> Iterator[dict]:
        """:meth:`records` one batch at a time: the records of a large table's flags are
        never all in memory at once."""
        idx = np.asarray(idx, dtype=np.int64)
        for i in range(0, len(idx), _BATCH):
            yield from self.records(idx[i : i + _BATCH])

    def ids(self, idx: np.ndarray) -> np.ndarray:
        """Figure ids of rows ``idx`` (object array of str)."""
        return self.columns.ids(self.pos[np.asarray(idx, dtype=np.int64)])

    def keys(self, idx: np.ndarray) -> np.ndarray:
        """What a flag names rows ``idx`` by: their figure ids, or (``origin`` given) their
        positions in the checked table."""
        if self.origin is None:
            return self.ids(idx)
        return self.origin[self.pos[np.asarray(idx, dtype=np.int64)]]


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
    if len(pos) > _LARGE and which == tuple(CHECKS):
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
        if t.n > _LARGE:  # each check's arrays back to the system before the next's
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
    if len(by_metric) == 1 and len(pos) <= _PLACE_ROWS:
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
        if len(i) <= _PLACE_ROWS:
            runs.append((pos[i], alone))
            continue
        runs += [(chunk, local) for chunk in _by_place(pos[i], place[i])]
        runs.append((pos[i], ("children_exceed_parent",)))
    return runs


#: A large table's checks that compare figures of one place run on parts of about this
#: many rows, whole places each (:func:`_by_place`).
_PLACE_ROWS = 60_000


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
    rows = _PLACE_ROWS if rows is None else rows
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


def _flags(
    t: _Rows,
    check: str,
    who: list[str],
    severity: str | list[str],
    related: list[tuple[str, ...]],
    messages: Callable[[], Iterable[str]],
) -> list[tuple] | FlagIndex:
    """The flag rows (:data:`COLUMNS`) of one check, in the order it met them. ``messages``
    formats them from the records; it is only called when the caller wants messages (an
    export's ``flags`` column names checks and figures, not the words)."""
    if t.origin is not None:
        return FlagIndex.of(tuple(CHECKS), check, who, severity, related)
    severities = [severity] * len(who) if isinstance(severity, str) else severity
    texts = messages() if t.messages else repeat("", len(who))
    return list(zip(who, repeat(check), severities, texts, related, strict=False))


# Messages repeat the same labels, numbers and dates many times over a large table: the
# formatting of each distinct one is done once (pure functions of their arguments and of the
# request's language, which is part of every key: the text differs by language).
@lru_cache(maxsize=1 << 16)
def _label_of(publisher: object, value: object, qualifier: object, lang: str) -> str:
    return label({"publisher": publisher, "value": value, "qualifier": qualifier})


def _label(r: dict) -> str:
    """``reconcile.label`` of a record."""
    return _label_of(r["publisher"], r["value"], r.get("qualifier"), current().key)


@lru_cache(maxsize=1 << 14)
def _day_in(value: object, lang: str) -> str:
    return fmt.day(value)


@lru_cache(maxsize=1 << 16)
def _period_in(start: object, end: object, lang: str) -> str:
    return fmt.period(start, end)


@lru_cache(maxsize=1 << 16)
def _number_in(value: object, lang: str) -> str:
    return fmt.number(value)  # type: ignore[arg-type]


def _day(value: object) -> str:
    return _day_in(value, current().key)


def _period(start: object, end: object) -> str:
    return _period_in(start, end, current().key)


def _number(value: object) -> str:
    return _number_in(value, current().key)


def _data(text: object) -> str:
    """Text of the data (an area or a document as written) inside a sentence, isolated."""
    return fmt.isolate(str(text))


def _where(r: dict) -> str:
    return _("{file} row {row}").format(
        file=fmt.isolate(str(r["source_file"])), row=fmt.isolate(str(r["source_row"]))
    )


# --- the checks ---------------------------------------------------------------------------
def published_twice(t: _Rows) -> list[tuple]:
    """Same value, metric, sector and area, and the same period (warning), or dates at most a
    week apart with a start that is equal or unstated (note: probably one count, republished).

    Pairs are made inside groups of (metric, value, place) only; a NaN value never matches.
    """
    value = t.numbers("value")
    idx = np.flatnonzero(t.missing("sector") & ~np.isnan(value))  # HNO rows are one table
    if len(idx) < 2:
        return []
    value_codes = pd.factorize(value[idx] + 0.0)[0]
    group = _combine(t.codes("metric")[idx], value_codes, t.place[idx])
    order = np.lexsort((idx, group))
    members = idx[order]
    _unused, run_end = _runs(group[order])
    k = np.arange(len(order))
    owner, partner = _ranges(k + 1, run_end - k - 1)  # every later member of the same group
    if len(owner) == 0:
        return []
    a, b = members[owner], members[partner]  # a before b in table order
    start, end = t.times("period_start"), t.times("period_end")
    sa, sb, ea, eb = start[a], start[b], end[a], end[b]
    same = (sa == sb) & (ea == eb)
    dated = (ea != _NAT) & (eb != _NAT)
    days = np.floor_divide(np.where(dated, ea, 0) - np.where(dated, eb, 0), _DAY_US)
    starts_differ = (sa != _NAT) & (sb != _NAT) & (sa != sb)
    near = ~same & dated & ~starts_differ & (np.abs(days) <= WEEK_DAYS)
    keep = np.flatnonzero(same | near)
    a, b, same = a[keep], b[keep], same[keep]
    ids_a, ids_b = t.keys(a).tolist(), t.keys(b).tolist()

    def messages() -> Iterator[str]:
        recs = zip(t.iter_records(a), t.iter_records(b), strict=True)
        for identical, (ra, rb) in zip(same, recs, strict=True):
            if identical:
                how = (
                    _("transcribed twice from the same document ({where_a}; {where_b})").format(
                        where_a=_where(ra), where_b=_where(rb))
                    if ra["document"] == rb["document"]
                    else _("published in two documents: {document_a} and {document_b}").format(
                        document_a=_data(repr(ra["document"])),
                        document_b=_data(repr(rb["document"])))
                )  # fmt: skip
                msg = _(
                    "The same figure, {figure} for {area} ({period}), appears twice: {how}. "
                    "Views count it once; do not add both."
                ).format(figure=_label(ra), area=_data(ra["area_as_written"]),
                         period=_period(ra["period_start"], ra["period_end"]), how=how)  # fmt: skip
            else:
                msg = _(
                    "The same number, {number}, is given by {figure_a} ({period_a}, {document_a}) "
                    "and {figure_b} ({period_b}, {document_b}): probably one count published "
                    "twice, with different dates or wording."
                ).format(
                    number=_number(ra["value"]), figure_a=_label(ra),
                    period_a=_period(ra["period_start"], ra["period_end"]),
                    document_a=_data(ra["document"]), figure_b=_label(rb),
                    period_b=_period(rb["period_start"], rb["period_end"]),
                    document_b=_data(rb["document"]),
                )  # fmt: skip
            yield from (msg, msg)

    # each pair flags both figures, the earlier one first
    severity = np.repeat(np.where(same, "warning", "note"), 2).tolist()
    related = [r for ia, ib in zip(ids_a, ids_b, strict=True) for r in ((ib,), (ia,))]
    who = [f for ia, ib in zip(ids_a, ids_b, strict=True) for f in (ia, ib)]
    return _flags(t, "published_twice", who, severity, related, messages)


def cumulative_falls(t: _Rows) -> list[tuple]:
    """A running total at a later date below an earlier one (same metric, area, publisher
    family, start). Warning when the later high < the earlier low, else a note.

    Each group is sorted by (end, figure id); a row is flagged when the largest value at an
    earlier end is above its own, and only flagged rows are paired with their earlier rows.
    """
    end = t.times("period_end")
    idx = np.flatnonzero(t.isin("kind", [Kind.CUMULATIVE.value]) & (end != _NAT))
    if len(idx) < 2:
        return []
    group = _combine(
        t.codes("metric")[idx],
        t.codes("sector")[idx],
        t.place[idx],
        t.family[idx],
        t.codes("period_start")[idx],
    )
    # ties of end: by figure id, as sorted() compared them (a sort of a few str is faster)
    small = len(idx) <= _SMALL
    by_id = np.unique(t.ids(idx), return_inverse=True)[1] if small else t.ranks("figure_id")[idx]
    order = np.lexsort((idx, by_id, end[idx], group))
    rows, g, e = idx[order], group[order], end[idx][order]
    value = t.numbers("value")[rows]
    group_start, _unused = _runs(g)
    block_start, _unused2 = _runs(_combine(g, e))  # rows with the same end are not "earlier"
    is_first = block_start == np.arange(len(rows))
    firsts = np.flatnonzero(is_first)
    # the largest value at an earlier end of the group, as a dense rank (-1: none or NaN)
    vrank = np.unique(value, return_inverse=True)[1].astype(np.int64)
    vrank[np.isnan(value)] = -1
    block_group = g[firsts]
    span = len(rows) + 2  # a group's keys lie above every earlier group's: cummax restarts
    running = np.maximum.accumulate(block_group * span + np.maximum.reduceat(vrank, firsts) + 1)
    prior = np.full(len(firsts), -1, dtype=np.int64)
    prior[1:] = np.where(
        block_group[1:] == block_group[:-1], running[:-1] - block_group[1:] * span - 1, -1
    )
    later = np.flatnonzero((vrank >= 0) & (vrank < prior[np.cumsum(is_first) - 1]))
    if len(later) == 0:
        return []
    owner, cand = _ranges(group_start[later], block_start[later] - group_start[later])
    earlier = value[cand] > value[later[owner]]
    owner, cand = owner[earlier], cand[earlier]
    low, high = t.numbers("low")[rows], t.numbers("high")[rows]
    bounds = np.searchsorted(owner, np.arange(len(later) + 1))
    ids = t.keys(rows[cand])
    worst = []
    for i in range(len(later)):
        lows = low[cand[bounds[i] : bounds[i + 1]]].tolist()
        worst.append(int(cand[bounds[i] + lows.index(max(lows))]))  # the first highest low
    warning = high[later] < low[worst]

    def messages() -> Iterator[str]:
        recs = zip(t.iter_records(rows[later]), t.iter_records(rows[worst]), strict=True)
        for is_warning, (r_later, r_worst) in zip(warning, recs, strict=True):
            ranges = (
                _("its range is entirely below the earlier one's")
                if is_warning
                else _("their ranges overlap, so it may be rounding")
            )
            yield _(
                "Running total falls: {later} as of {later_day} is lower than {earlier} as of "
                "{earlier_day} (same publisher, area and start); {ranges}."
            ).format(later=_label(r_later), later_day=_day(r_later["period_end"]),
                     earlier=_label(r_worst), earlier_day=_day(r_worst["period_end"]),
                     ranges=ranges)  # fmt: skip

    related = [tuple(ids[bounds[i] : bounds[i + 1]]) for i in range(len(later))]
    severity = np.where(warning, "warning", "note").tolist()
    who = t.keys(rows[later]).tolist()
    return _flags(t, "cumulative_falls", who, severity, related, messages)


def _nearest_totals(
    total_group: np.ndarray,
    total_start: np.ndarray,
    total_end: np.ndarray,
    total_low: np.ndarray,
    flow_group: np.ndarray,
    flow_start: np.ndarray,
    flow_end: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The running totals a flow is compared with, as indexes into the totals (-1: none).

    Among the totals of the flow's group that start no later than the flow: ``after`` is the
    first by (end, low, table order) that ends on or after the flow's end, ``before`` the
    last by the same order that ends before the flow's start. Totals are ranked by (group,
    end, low, table order); each question is then "smallest / largest rank from here among
    totals starting by then" (:func:`_prefix_extreme`).
    """
    n = len(total_group)
    ends = np.unique(total_end)
    span = len(ends) + 1
    key = total_group * span + np.searchsorted(ends, total_end)
    order = np.lexsort((np.arange(n), total_low, key))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    ranked = key[order]
    group_lo = np.searchsorted(ranked, flow_group * span, side="left")
    group_hi = np.searchsorted(ranked, (flow_group + 1) * span, side="left")
    first_after = np.searchsorted(
        ranked, flow_group * span + np.searchsorted(ends, flow_end, side="left"), side="left"
    )
    last_before = (
        np.searchsorted(
            ranked, flow_group * span + np.searchsorted(ends, flow_start, side="left"), side="left"
        )
        - 1
    )
    r_after = _prefix_extreme(total_start, rank, flow_start, first_after, smallest=True)
    r_before = _prefix_extreme(total_start, rank, flow_start, last_before, smallest=False)
    after = np.where((r_after >= 0) & (r_after < group_hi), order[np.maximum(r_after, 0)], -1)
    before = np.where((r_before >= 0) & (r_before >= group_lo), order[np.maximum(r_before, 0)], -1)
    return after, before


def flow_exceeds_change(t: _Rows) -> list[tuple]:
    """A flow larger than the rise of the running total over its period (warning).

    The rise is bounded above by (running total at or after the flow's end, high) minus
    (running total before the flow's start, low; zero before the running total's own start).
    Running totals of the same publisher family are used when there are any, else any.
    """
    start, end = t.times("period_start"), t.times("period_end")
    dated = (start != _NAT) & (end != _NAT)
    metric, metric_names = t.factorized("metric")
    name_code = {str(m): i for i, m in enumerate(metric_names)}
    targets = set(FLOW_TO_CUMULATIVE.values())
    target_of = np.array(
        [name_code.get(FLOW_TO_CUMULATIVE.get(str(m), ""), -1) for m in metric_names] + [-1],
        dtype=np.int64,
    )  # index -1 (a missing metric) -> -1
    is_total = np.array([str(m) in targets for m in metric_names] + [False])[metric]
    is_flow = target_of[metric] >= 0
    totals = np.flatnonzero(dated & is_total)
    flows = np.flatnonzero(dated & is_flow)
    if len(totals) == 0 or len(flows) == 0:
        return []
    # one code space for the groups of totals and of flows (a flow's group is its target's)
    both_metric = np.concatenate([metric[totals], target_of[metric[flows]]])
    both_place = np.concatenate([t.place[totals], t.place[flows]])
    both_family = np.concatenate([t.family[totals], t.family[flows]])
    any_group = _combine(both_metric, both_place)
    family_group = _combine(both_metric, both_place, both_family)
    nt = len(totals)
    ts, te, tlow = start[totals], end[totals], t.numbers("low")[totals]
    fs, fe = start[flows], end[flows]
    after_any, before_any = _nearest_totals(any_group[:nt], ts, te, tlow, any_group[nt:], fs, fe)
    after_fam, before_fam = _nearest_totals(
        family_group[:nt], ts, te, tlow, family_group[nt:], fs, fe
    )
    first_start = np.full(int(family_group.max()) + 1, np.iinfo(np.int64).max)
    np.minimum.at(first_start, family_group[:nt], ts)
    same_family = first_start[family_group[nt:]] <= fs  # a same-family total has started
    after = np.where(same_family, after_fam, after_any)
    before = np.where(same_family, before_fam, before_any)
    low, high = t.numbers("low"), t.numbers("high")
    has_after = after >= 0
    a_high = np.where(has_after, high[totals[np.maximum(after, 0)]], np.nan)
    b_low = np.where(before >= 0, low[totals[np.maximum(before, 0)]], 0.0)
    rise_high = a_high - b_low
    flagged = np.flatnonzero(has_after & ~(low[flows] <= rise_high))
    f_rows, a_rows = flows[flagged], totals[after[flagged]]
    b_rows = np.where(before[flagged] >= 0, totals[np.maximum(before[flagged], 0)], -1)

    def messages() -> Iterator[str]:
        with_b = b_rows >= 0
        recs_b = t.iter_records(b_rows[with_b])
        recs = zip(t.iter_records(f_rows), t.iter_records(a_rows), with_b, strict=True)
        for f, a, has_b in recs:
            b = next(recs_b) if has_b else None
            rise = a["high"] - (b["low"] if b is not None else 0.0)
            since = (
                _("{figure} as of {day}").format(figure=_label(b), day=_day(b["period_end"]))
                if b is not None
                else _("zero at its start ({day})").format(day=_day(a["period_start"]))
            )
            yield _(
                "Flow larger than the running total's rise: {flow} over {period} (at least "
                "{low}) is more than the running total can have grown between {since} and "
                "{total} as of {day} (at most {rise}). One of them counts something else "
                "(e.g. repeated displacements of the same people) or is wrong; both are shown."
            ).format(flow=_label(f), period=_period(f["period_start"], f["period_end"]),
                     low=_number(f["low"]), since=since, total=_label(a),
                     day=_day(a["period_end"]), rise=_number(rise))  # fmt: skip

    ids_a = t.keys(a_rows).tolist()
    ids_b = iter(t.keys(b_rows[b_rows >= 0]).tolist())
    related = [
        (ia, next(ids_b)) if has_b else (ia,) for ia, has_b in zip(ids_a, b_rows >= 0, strict=True)
    ]
    who = t.keys(f_rows).tolist()
    return _flags(t, "flow_exceeds_change", who, "warning", related, messages)


def nationwide_in_nw_view(t: _Rows, regions: pd.DataFrame) -> list[tuple]:
    """Every view of this product is of north-west Syria: a nationwide figure in it is noted."""
    nationwide = set(regions.loc[regions["nationwide"].astype(bool), "region"])
    flagged = np.flatnonzero(t.isin("region", nationwide) | t.isin("area_pcode", ["SY"]))

    def messages() -> Iterator[str]:
        for r in t.iter_records(flagged):
            yield _(
                "Nationwide figure: {figure} counts all of Syria ({area}), not north-west "
                "Syria only; beside north-west figures it is larger by what happened "
                "elsewhere in the country."
            ).format(figure=_label(r), area=_data(r["area_as_written"]))

    who = t.keys(flagged).tolist()
    return _flags(t, "nationwide_in_nw_view", who, "note", [()] * len(who), messages)


def _inside_pairs(kids: dict[int, Place], parents: dict[int, Place]) -> list[tuple[int, int]]:
    """(kid, parent) place codes where the kid lies inside the parent (``relation``).

    A kid can only be inside a parent one of whose P-codes is a prefix of the kid's first
    P-code, so candidates come from an index of the parents by P-code; ``relation`` decides.
    """
    by_code: dict[str, list[int]] = {}
    for pid, p in parents.items():
        for code in p.pcodes:
            by_code.setdefault(code, []).append(pid)
    out = []
    for kid, k in kids.items():
        if not k.pcodes:
            continue
        first = k.pcodes[0]
        candidates = {pid for i in range(len(first) + 1) for pid in by_code.get(first[:i], ())}
        out += [(kid, pid) for pid in sorted(candidates) if relation(k, parents[pid]) == "inside"]
    return out


def children_exceed_parent(
    t: _Rows, regions: pd.DataFrame | PlaceIndex, areas: pd.DataFrame | None = None
) -> list[tuple]:
    """Sub-areas of one admin level adding up to more than their parent (warning).

    Summable metrics only, same sector and the same period (start and end). A child is a
    P-coded figure strictly inside the parent's area; community figures carried on their
    sub-district's P-code ("do not sum") and duplicate transcriptions are left out. Where two
    figures give the same child, the lower low counts, so the flag is never an artefact of
    choosing one source.
    """
    summable = [m for m, spec in METRICS.items() if spec.summable]
    idx = np.flatnonzero(t.isin("metric", summable) & ~t.part)
    if len(idx) < 2:
        return []
    identity = _fold(t.codes_at(c, idx) for c in _IDENTITY)
    idx = np.sort(idx[np.unique(identity, return_index=True)[1]])  # one transcription counts
    group = _combine(*(t.codes(c)[idx] for c in ("metric", "sector", "period_start", "period_end")))
    length = t.lengths("area_pcode")[idx]
    coded = ~np.isnan(length) & (length > 0)
    n_groups = int(group.max()) + 1
    n_coded = np.bincount(group, weights=coded, minlength=n_groups)
    any_region = np.bincount(group, weights=~t.missing("region")[idx], minlength=n_groups) > 0
    radix = int(np.nan_to_num(length).max(initial=0)) + 1
    group_lengths = np.unique(group[coded] * radix + length[coded].astype(np.int64))
    n_lengths = np.bincount(group_lengths // radix, minlength=n_groups)
    # containment needs a parent coarser than some child: a region or a shorter P-code
    open_group = (n_coded >= 2) & (any_region | (n_lengths >= 2))
    inside = np.flatnonzero(open_group[group])
    if len(inside) == 0:
        return []
    rows, group = idx[inside], group[inside]
    coded, length = coded[inside], length[inside]
    # the places: one Place per distinct (region, P-code), by the same rule as the views
    index = place_index(regions, areas)
    place = _combine(t.codes("region")[rows], t.codes("area_pcode")[rows])
    codes, first = np.unique(place, return_index=True)
    places = {
        int(p): index.of({"region": r["region"], "area_pcode": r["area_pcode"]})
        for p, r in zip(codes, t.records(rows[first]), strict=True)
    }
    parents = {p: pl for p, pl in places.items() if pl.pcodes}
    kid_places = {int(p): places[int(p)] for p in np.unique(place[coded])}
    pairs = _inside_pairs(kid_places, parents)
    if not pairs:
        return []
    is_parent = np.isin(place, list(parents))
    pairs_by_kid = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    fid = t.codes_at("figure_id", rows)
    area = t.codes("area_pcode")[rows]
    low, high = t.numbers("low")[rows], t.numbers("high")[rows]
    # groups a batch at a time (in order), so that the (parent, child) pairs of a large
    # table are never all in memory at once
    sizes = np.bincount(group, minlength=n_groups)
    cuts = np.searchsorted(np.cumsum(sizes), np.arange(_BATCH * 5, sizes.sum(), _BATCH * 5))
    flagged: list[tuple] = []
    for lo, hi in zip(np.r_[0, cuts + 1], np.r_[cuts + 1, n_groups], strict=True):
        mine = (group >= lo) & (group < hi)
        flagged += _children_over(
            group, place, np.flatnonzero(mine & is_parent), np.flatnonzero(mine & coded),
            pairs_by_kid, fid, area, length, low, high,
        )  # fmt: skip
    flagged.sort(key=lambda f: f[:3])  # groups as first met, then parents, then levels
    all_kids = np.concatenate([f[5] for f in flagged]) if flagged else np.array([], np.int64)
    all_ids = t.keys(rows[all_kids])
    bounds = np.cumsum([len(f[5]) for f in flagged])[:-1]
    parent_rows = rows[[f[1] for f in flagged]]

    def messages() -> Iterator[str]:
        for f, parent in zip(flagged, t.iter_records(parent_rows), strict=True):
            total, n_areas = f[3], f[4]
            period = _period(parent["period_start"], parent["period_end"])
            yield ngettext(
                "Sub-areas add up to more than their parent: {n} areas inside {place} sum to "
                "at least {total}, above {parent} (at most {high}) for the same period "
                "({period}).",
                "Sub-areas add up to more than their parent: {n} areas inside {place} sum to "
                "at least {total}, above {parent} (at most {high}) for the same period "
                "({period}).",
                n_areas,
            ).format(n=_number(n_areas), place=index.of(parent).shown, total=_number(total),
                     parent=_label(parent), high=_number(parent["high"]), period=period)  # fmt: skip

    related = [tuple(r) for r in np.split(all_ids, bounds)] if flagged else []
    who = t.keys(parent_rows).tolist()
    return _flags(t, "children_exceed_parent", who, "warning", related, messages)


def _children_over(
    group: np.ndarray,
    place: np.ndarray,
    parents: np.ndarray,
    kids: np.ndarray,
    pairs: np.ndarray,
    fid: np.ndarray,
    area: np.ndarray,
    length: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
) -> list[tuple]:
    """(group, parent, first kid of the level, total, n areas, kids) for each parent and
    level whose children's lows add up to more than the parent's high.

    ``parents`` and ``kids`` index the rows of some groups; ``pairs`` are (kid place,
    parent place) with the kid inside, sorted. Each kid is paired with the parents of its
    group whose place contains its place (sorted keys, no hash join).
    """
    if len(parents) == 0 or len(kids) == 0:
        return []
    n_places = int(place.max()) + 1
    # each kid once per place containing it, then once per parent row of its group there
    first = np.searchsorted(pairs[:, 0], place[kids], side="left")
    count = np.searchsorted(pairs[:, 0], place[kids], side="right") - first
    owner, pair = _ranges(first, count)
    kid_key = group[kids[owner]] * n_places + pairs[pair, 1]
    parent_key = group[parents] * n_places + place[parents]
    by_key = np.argsort(parent_key, kind="stable")
    sorted_keys = parent_key[by_key]
    lo = np.searchsorted(sorted_keys, kid_key, side="left")
    hi = np.searchsorted(sorted_keys, kid_key, side="right")
    which, slot = _ranges(lo, hi - lo)
    kid, par = kids[owner[which]], parents[by_key[slot]]
    keep = fid[kid] != fid[par]
    kid, par = kid[keep], par[keep]
    if len(kid) == 0:
        return []
    kid_len = length[kid].astype(np.int64)
    # the record checks met a parent's kids in table order: a level is ordered by its first
    # kid, and so is each P-code within a level; their lows are summed in that order
    level_first = _first_of(_combine(par, kid_len), kid)
    code_first = _first_of(_combine(par, kid_len, area[kid]), kid)
    order = np.lexsort((kid, code_first, level_first, par))
    par, kid = par[order], kid[order]
    level_first, code_first = level_first[order], code_first[order]
    code_starts = np.flatnonzero(_changes(par, level_first, code_first))
    mins = np.minimum.reduceat(low[kid], code_starts)  # the lower low of each child P-code
    seg_codes = np.flatnonzero(_changes(par[code_starts], level_first[code_starts]))
    seg_par, seg_first = par[code_starts[seg_codes]], level_first[code_starts[seg_codes]]
    approx = np.add.reduceat(mins, seg_codes)
    tolerance = 1e-9 * np.maximum(1.0, np.abs(high[seg_par]))
    bounds = np.append(seg_codes, len(mins))
    kid_bounds = np.append(code_starts[seg_codes], len(kid))
    out = []
    for i in np.flatnonzero(~(approx <= high[seg_par] - tolerance)):
        # exactly as the record checks added them up (a float sum depends on its order)
        total = sum(mins[bounds[i] : bounds[i + 1]].tolist())
        if total <= high[seg_par[i]]:
            continue
        p = int(seg_par[i])
        n_areas = int(bounds[i + 1] - bounds[i])
        out.append((int(group[p]), p, int(seg_first[i]), total, n_areas,
                    kid[kid_bounds[i] : kid_bounds[i + 1]]))  # fmt: skip
    return out


# --- for views and exports ---------------------------------------------------------------
def flags_by_figure(
    figures: pd.DataFrame,
    areas: pd.DataFrame | None,
    regions: pd.DataFrame,
    checks: pd.DataFrame | None = None,
    priority: Iterable[str] | None = None,
) -> pd.Series:
    """The ``flags`` cell (see :func:`flags_text`) per figure of ``figures``, indexed by
    figure id ("" when none). ``checks``: when already computed on the same figures."""
    checks = run_checks(figures, areas, regions, priority) if checks is None else checks
    cells = flags_text(checks, figures["figure_id"])
    return pd.Series(
        [c or "" for c in cells], index=figures["figure_id"].to_numpy(), name="flags", dtype=object
    )


def messages_by_id(checks: pd.DataFrame) -> dict[str, list[str]]:
    """:func:`messages_for` for every flagged figure at once (views with many figures)."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    out: dict[str, list[tuple[int, str]]] = {}
    for r in checks.to_dict("records") if len(checks) else []:
        out.setdefault(r["figure_id"], []).append(
            (order[r["severity"]], f"⚑ {severity_word(r['severity'])}: {r['message']}")
        )
    return {fid: [m for _unused, m in sorted(ms, key=lambda t: t[0])] for fid, ms in out.items()}


def messages_for(checks: pd.DataFrame, figure_id: str) -> list[str]:
    """The flag messages of one figure, warnings first (hover texts, card badges)."""
    if checks.empty:
        return []
    mine = checks[checks["figure_id"] == figure_id]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    mine = mine.assign(_o=mine["severity"].map(order)).sort_values("_o", kind="stable")
    return [
        f"⚑ {severity_word(s)}: {m}" for s, m in zip(mine["severity"], mine["message"], strict=True)
    ]


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
    if len(pos) <= _LARGE:
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
    if keep.sum() > 10 * _SMALL:  # an export's million rows: never copied
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
    if len(pos) <= _LARGE:
        _RECENT_EXPORT_FLAGS.insert(0, entry)
        del _RECENT_EXPORT_FLAGS[VIEW_CHECKS_KEPT:]
    else:  # a few bytes a flag: the last few are kept too (the same rows in another format)
        _RECENT_LARGE_EXPORT_FLAGS.insert(0, entry)
        del _RECENT_LARGE_EXPORT_FLAGS[LARGE_EXPORT_FLAGS_KEPT:]
    return found


#: The last results of :func:`export_flags` for tables of up to :data:`_LARGE` checked rows
#: (as :data:`_RECENT_VIEW_CHECKS`), and for larger ones (209,417 flags of a million
#: generated figures: 4.8 MB as a :class:`FlagIndex`, 4.4 s to compute).
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


def flag_cells(checks: pd.DataFrame) -> dict[str, str]:
    """The export's ``flags`` cell of every flagged figure, by figure id (see
    :func:`flags_text`): one pass over the flags, whatever the size of the table."""
    by_id: dict[str, list[str]] = {}
    for fid, check, severity, related in zip(
        checks["figure_id"], checks["check"], checks["severity"], checks["related_ids"], strict=True
    ):
        with_ids = f", with {' '.join(related)}" if related else ""
        by_id.setdefault(fid, []).append(f"{check} ({severity}{with_ids})")
    return {fid: "; ".join(cells) for fid, cells in by_id.items()}


def flags_text(checks: pd.DataFrame, figure_ids: Iterable[str]) -> list[str | None]:
    """The export's ``flags`` cell per figure id: "published_twice (warning, with f975af954e22);
    nationwide_in_nw_view (note)", None when the figure has no flag."""
    cells = flag_cells(checks)
    return [cells.get(f) for f in figure_ids]
