"""The rows the checks read: a table's columns as codes and numbers (:class:`_Columns`,
each computed once and kept for the last few small tables, :data:`_RECENT_COLUMNS`) and the
rows being checked (:class:`_Rows`, positions in that table). Only the rows a message names
become Python records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd

from app.queries import clean
from app.queries.checks import limits
from app.queries.checks.vectors import _combine
from app.queries.reconcile import publisher_family

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


#: A missing date as an int64 (NaT's own bit pattern).
_NAT = np.iinfo(np.int64).min
_DAY_US = 86_400 * 10**6


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
        if len(self.frame) > limits._SMALL:
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
        if todo and also is not None and len(self.frame) <= limits._SMALL:
            todo |= {int(i) for i in also if int(i) not in self._records}
        todo = sorted(todo)
        if not todo:
            return [self._records[i] for i in positions]
        rows = self.frame[cols].iloc[todo]
        values = zip(*(rows[c].tolist() for c in cols), strict=True)
        found = dict(zip(todo, (dict(zip(cols, v, strict=True)) for v in values), strict=True))
        # kept for the next as-of date; a large table's are not
        if len(self.frame) <= limits._SMALL:
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
    if len(frame) <= limits._SMALL:
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
        for i in range(0, len(idx), limits._BATCH):
            yield from self.records(idx[i : i + limits._BATCH])

    def ids(self, idx: np.ndarray) -> np.ndarray:
        """Figure ids of rows ``idx`` (object array of str)."""
        return self.columns.ids(self.pos[np.asarray(idx, dtype=np.int64)])

    def keys(self, idx: np.ndarray) -> np.ndarray:
        """What a flag names rows ``idx`` by: their figure ids, or (``origin`` given) their
        positions in the checked table."""
        if self.origin is None:
            return self.ids(idx)
        return self.origin[self.pos[np.asarray(idx, dtype=np.int64)]]
