"""The rows of an export: the same queries the dashboard's views run, plus admin names.

Without ``view=`` an export is the figures table under the filters (every row, flagged
where the views count it once or not at all). With ``view=map|timeseries|card`` it is
exactly the rows that view draws, taken from the view's own query functions
(:mod:`app.queries.map_values` / :mod:`app.queries.timeseries`,
:func:`app.queries.chart_data.chart_data`, :func:`app.queries.cards.card_data`), so a
download and the screen cannot disagree.

An export of the whole table can be a million rows: it is never copied. The
:class:`ExportTable` holds the figures it was selected from and the positions of its rows
in export order, and builds the admin names, the flag columns and the text slice by slice
(:meth:`ExportTable.slices`); ``frame`` builds the whole table for the views and the XLSX.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from app.bundle.store import Bundle, release_freed_memory
from app.export.columns import ADM_LEVELS, EXPORT_COLUMNS, FLAG_COLUMNS
from app.export.params import ExportParams, View
from app.queries import checks, clean
from app.queries.areas import areas_at_level
from app.queries.cards import area_cards, card_area
from app.queries.catalogue import VIEW_METRICS
from app.queries.chart_data import chart_data
from app.queries.filters import apply, within_pcodes
from app.queries.flag_index import FlagIndex
from app.queries.map_values import event_sum_levels, event_sums_that_can_win
from app.queries.timeseries import pcode_level, regional_series
from app.tables.columns import FIGURE_COLUMNS  # not schemas: no pandera at start-up
from app.tables.compact import codes_and_uniques, sort_codes
from app.vocab import METRICS

#: An export of more rows than this gives the memory its preparation freed back.
_LARGE = 100_000
#: Plain exports: oldest first, then by metric, place and publisher (stable across runs).
SORT = ["period_end", "period_start", "metric", "area_pcode", "region", "publisher", "figure_id"]


class SliceFlags:
    """The ``flags`` cells of an export, built for one slice's figures at a time.

    The same text as :func:`app.queries.checks.flag_cells` ("check (severity, with ids)",
    joined by "; " in the checks' order), from the flags as positions in the checked table
    (:class:`~app.queries.flag_index.FlagIndex`): with a million stored figures the frame of
    ids and tuples, and a dict of every flagged figure's cell, held about 100 MB for the
    whole download. A cell's text lives only as long as its slice."""

    def __init__(self, flags: FlagIndex, table: pd.DataFrame) -> None:
        self.flags = flags
        #: the table the flags' positions are in (the export's source when nothing is
        #: filtered, and then a slice's rows are looked up by position)
        self.table = table

    def __bool__(self) -> bool:
        return len(self.flags) > 0

    def cells(self, source: pd.DataFrame, at: np.ndarray) -> list[str | None]:
        """The cell of the rows at positions ``at`` of ``source``, None where the figure has
        no flag. A source other than the checked table is matched by figure id."""
        if source is not self.table:
            at = self._by_id(source["figure_id"].iloc[at])
        return self.flags.cells_at(at, self._ids_at)

    def _ids_at(self, positions: np.ndarray) -> list[str]:
        return self.table["figure_id"].iloc[positions].tolist()

    @cached_property
    def _flagged(self) -> tuple[np.ndarray, pd.Index]:
        rows = np.unique(self.flags.rows)
        return rows, pd.Index(self._ids_at(rows), dtype=object)

    def _by_id(self, ids: pd.Series) -> np.ndarray:
        """Positions in the checked table of the flagged figures among ``ids`` (-1: other)."""
        rows, index = self._flagged
        where = index.get_indexer(ids.tolist()) if len(index) else np.full(len(ids), -1)
        return np.where(where >= 0, rows[np.maximum(where, 0)], -1)


@dataclass(frozen=True, eq=False)
class ExportTable:
    """The rows (columns :data:`~app.export.columns.EXPORT_COLUMNS`) and what they hold.

    ``ExportTable(frame, metrics)`` holds a finished table. :func:`export_table` makes a
    lazy one: ``source`` is then the canonical figures the rows come from (often the
    bundle's own table), ``order`` the positions of the rows in ``source`` in export order,
    ``marks`` their ``duplicate`` and ``sub_area`` columns (in export order), ``flag_cells``
    the ``flags`` cell by figure id, ``areas`` the admin names.
    """

    source: pd.DataFrame
    #: distinct metrics among the rows, for the HXL value tag
    metrics: tuple[str, ...]
    order: np.ndarray | None = None
    marks: pd.DataFrame | None = None
    flag_cells: dict[str, str] | SliceFlags | None = None
    areas: pd.DataFrame | None = None

    @property
    def columns(self) -> list[str]:
        return list(self.source.columns) if self.order is None else list(EXPORT_COLUMNS)

    def __len__(self) -> int:
        return len(self.source) if self.order is None else len(self.order)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The whole table at once (views, XLSX); a CSV is written from :meth:`slices`."""
        return self.source if self.order is None else self._slice(0, len(self))

    @cached_property
    def _areas(self) -> tuple[np.ndarray, pd.DataFrame]:
        """(code of each source row's P-code, :func:`adm_columns` of each distinct P-code
        once, the last row for no P-code): a slice's admin columns are then a take."""
        assert self.areas is not None
        codes, uniques = codes_and_uniques(self.source["area_pcode"])
        names = adm_columns(pd.Series([*uniques, None], dtype=object), self.areas)
        codes[codes < 0] = len(uniques)
        return codes, names

    def slices(self, rows: int) -> Iterator[pd.DataFrame]:
        """The table ``rows`` rows at a time, in order: only one slice is ever built."""
        if self.order is None:
            for i in range(0, len(self.source), rows):
                yield self.source.iloc[i : i + rows]
            return
        for i in range(0, len(self), rows):
            yield self._slice(i, min(i + rows, len(self)))
            if len(self) > _LARGE:  # the last slice's text back to the system, so a long
                release_freed_memory()  # download does not hold the freed memory of each

    def _slice(self, i: int, j: int) -> pd.DataFrame:
        """Rows ``i:j`` in export order, with admin names, flag columns and flags."""
        assert self.order is not None and self.marks is not None
        part = self.source[FIGURE_COLUMNS].iloc[self.order[i:j]]
        part.index = pd.RangeIndex(i, j)
        marks = self.marks.iloc[i:j].set_axis(part.index)
        cells = self.flag_cells or {}
        # a list of text and None, typed by pandas as the earlier whole-table column was
        if isinstance(cells, SliceFlags):
            values = cells.cells(self.source, self.order[i:j]) if cells else [None] * (j - i)
        else:
            values = [cells.get(f) for f in part["figure_id"].tolist()] if cells else [None] * (j - i)
        flags = pd.Series(
            values,
            index=part.index,
            dtype=None if cells else object,
        )
        flags = flags.rename("flags")
        codes, names = self._areas
        adm = names.iloc[codes[self.order[i:j]]].set_axis(part.index)
        return pd.concat([adm, part, marks, flags], axis=1)[EXPORT_COLUMNS]


def priority_list(text: str) -> list[str]:
    """``Config.publisher_priority`` ("OCHA|OHCHR|...") as a list."""
    return [p.strip() for p in text.split("|") if p.strip()]


def adm_columns(pcodes: pd.Series, areas: pd.DataFrame) -> pd.DataFrame:
    """ADM1_PCODE, ADM1_EN, ADM1_AR, ... for each P-code (its own level and its ancestors).

    P-codes nest by prefix (SY07 > SY0703 > SY070301); a figure for a district has empty
    ADM3 columns, a figure for a named region has all of them empty.
    """
    names = areas.set_index("pcode")
    pc = pcodes.fillna("").astype(str)
    out = pd.DataFrame(index=pcodes.index)
    for level in ADM_LEVELS:
        width = 2 + 2 * level
        code = pc.str[:width].where(pc.str.len() >= width, "")
        out[f"ADM{level}_PCODE"] = code.replace("", None)
        out[f"ADM{level}_EN"] = code.map(names["name_en"])
        out[f"ADM{level}_AR"] = code.map(names["name_ar"])
    return out.astype(object).where(out.notna(), None)


def sort_order(rows: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Positions of ``rows`` sorted by ``keys`` (missing last, stable): the order of
    ``rows.sort_values(keys, na_position="last", kind="stable")`` without copying the rows.

    Arrow's stable multi-key sort compares the columns in place (text by code point, as
    pandas does); a column Arrow cannot take falls back to factorized codes and a lexsort.
    """
    if not keys or rows.empty:
        return np.arange(len(rows))
    try:
        table = pa.table({k: _sortable(rows[k]) for k in keys})
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        codes = []
        for key in keys:
            c, uniques = pd.factorize(rows[key], sort=True, use_na_sentinel=True)
            codes.append(np.where(c < 0, len(uniques), c))  # missing after every value
        return np.lexsort(codes[::-1])
    order = pc.sort_indices(table, sort_keys=[(k, "ascending", "at_end") for k in keys])
    del table
    order = order.to_numpy()
    return order.view(np.int64) if order.dtype == np.uint64 else order.astype(np.int64)


def _sortable(col: pd.Series) -> pa.Array:
    """``col`` as Arrow can sort it: a categorical column as its codes (its categories are
    sorted, :mod:`app.tables.compact`), missing last as the text's would be; a large column
    of repeated text (shared objects) as the ranks of its distinct texts, 4 bytes a row
    instead of an Arrow copy of every cell's text."""
    codes = sort_codes(col)
    if codes is None and col.dtype == object and len(col) > _LARGE:
        codes = _text_ranks(col)
    return pa.array(col, from_pandas=True) if codes is None else pa.array(codes)


def _text_ranks(col: pd.Series) -> np.ndarray | None:
    """Keys that sort as the text of ``col`` does, missing last; None when a value is not
    text or the texts are mostly distinct."""
    codes, uniques = codes_and_uniques(col)
    if len(uniques) * 4 > len(col) or not all(isinstance(u, str) for u in uniques):
        return None
    rank = np.empty(len(uniques) + 1, dtype=np.int32)
    rank[np.argsort(np.array(uniques, dtype=object), kind="stable")] = np.arange(len(uniques))
    rank[-1] = len(uniques)  # code -1 (missing): after every text
    return rank[codes]


def _marks(rows: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    """``duplicate`` and ``sub_area`` of the rows at ``pos`` (rows as the views see them:
    :func:`clean.drop_duplicates` over those rows, :func:`clean.is_sub_area_row`)."""
    whole = len(pos) == len(rows) and bool((pos == np.arange(len(pos))).all())
    sel = rows[FIGURE_COLUMNS] if whole else rows[FIGURE_COLUMNS].iloc[pos]
    return pd.DataFrame(
        {
            "duplicate": clean.duplicate_mask(sel),
            "sub_area": clean.is_sub_area_row(sel).to_numpy(dtype=bool),
        }
    )


def _plain(bundle: Bundle, p: ExportParams) -> tuple[pd.DataFrame, np.ndarray]:
    """The figures under the filters; ``level`` keeps areas at that level or inside them."""
    rows = apply(bundle.figures, p.figure_filter())  # the table itself when nothing is filtered
    keep = np.ones(len(rows), dtype=bool)
    if p.level is not None:
        lvl = pcode_level(rows["area_pcode"])
        keep &= (lvl.notna() & (lvl >= p.level)).to_numpy(dtype=bool)
    if p.sector is not None:
        keep &= (rows["sector"].isna() | (rows["sector"] == p.sector)).to_numpy(dtype=bool)
    pos = np.flatnonzero(keep)
    chosen = rows if len(pos) == len(rows) else rows[SORT].iloc[pos]
    order = pos[sort_order(chosen, SORT)]
    if len(order) > _LARGE:
        release_freed_memory()
    return rows, order


def _all(rows: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    return rows, np.arange(len(rows))


def _map(bundle: Bundle, p: ExportParams, lean: bool = False) -> tuple[pd.DataFrame, np.ndarray]:
    """The figures the map draws at ``level``, or adds up into an area's value, or counts
    as the area's "other figures" (the selection steps of ``map_values``).

    ``lean``: of the weekly sums of conflict events, only those that can decide an area's
    value (``map_values._event_sums_that_can_win``): the same publishers, documents and
    newest date, for a footer (with a million events stored, a first footer of the killed
    metrics took 0.6 s, the other weeks' sums added up in Python)."""
    vm = VIEW_METRICS[p.metrics[0]]
    level = int(p.level or 3)
    sector = p.sector if vm.needs_sector else None
    selected = apply(bundle.figures, p.figure_filter(metrics=(vm.column,), with_areas=False))
    if sector is not None:
        selected = selected[selected["sector"].fillna("") == sector]
    level_pcodes = areas_at_level(bundle.areas, level)["pcode"]
    direct = selected.iloc[0:0]
    if lean:
        windowed = p.start is not None or p.end is not None
        selected = event_sums_that_can_win(bundle.figures, selected, level, windowed)
    selected = clean.for_areas(selected)
    if lean and sector is None:
        # weekly sums at the level are drawn one by one (never added up, never split): taken
        # as they are, where regional_series would make a series row of each in Python (a
        # window of every week since 2016: thousands of rows, 0.8 s)
        at_level = event_sum_levels(bundle.figures, selected) == level
        direct = selected[at_level]
        direct = direct[direct["area_pcode"].isin(level_pcodes)]
        selected = selected[~at_level]
    series = regional_series(selected, vm.column, level, sector=sector)
    series = series[series["pcode"].isin(level_pcodes)]
    ids = {i for joined in series["figure_ids"] for i in str(joined).split("|")}
    rows = selected[selected["figure_id"].isin(ids)]
    if len(direct):
        rows = pd.concat([rows, direct])
    if p.areas:
        rows = rows[within_pcodes(rows, p.areas)]
    return rows, sort_order(rows, SORT)


def _timeseries(bundle: Bundle, p: ExportParams) -> tuple[pd.DataFrame, np.ndarray]:
    vm = VIEW_METRICS[p.metrics[0]]
    data = chart_data(
        bundle.figures,
        bundle.areas,
        bundle.regions,
        vm,
        p.areas,
        p.figure_filter(metrics=(), with_areas=False),
        sector=p.sector if vm.needs_sector else None,
    )
    return _all(data.figures[FIGURE_COLUMNS])


def _card(bundle: Bundle, p: ExportParams, priority: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """The card's figure first, then the other figures of its metric in the same weeks."""
    area = card_area(p.areas)
    cards = area_cards(bundle.figures, bundle.areas, priority, area, p.as_of_ts)
    c = {c.key: c for c in cards}[str(p.card)]
    if c.figure is None and c.fallback is not None:  # what the card shows: the wider area's
        c = c.fallback
    if c.figure is None:
        return _all(bundle.figures.iloc[0:0])
    ids = [c.figure["figure_id"], *c.alternatives["figure_id"]]
    rows = bundle.figures.set_index("figure_id", drop=False).loc[ids].reset_index(drop=True)
    return _all(rows)


def _metrics(rows: pd.DataFrame, pos: np.ndarray) -> tuple[str, ...]:
    """The vocabulary's metrics present among the rows at ``pos``, in vocabulary order."""
    codes, uniques = pd.factorize(rows["metric"])
    present = {str(uniques[c]) for c in np.unique(codes[pos]) if c >= 0}
    return tuple(m for m in METRICS if m in present)


def _select(
    bundle: Bundle, p: ExportParams, priority: list[str], lean: bool = False
) -> tuple[pd.DataFrame, np.ndarray]:
    """(figures, positions of the export's rows in them, in export order); ``lean``: see
    :func:`_map`."""
    if p.view is View.MAP:
        return _map(bundle, p, lean)
    if p.view is View.TIMESERIES:
        return _timeseries(bundle, p)
    if p.view is View.CARD:
        return _card(bundle, p, priority)
    return _plain(bundle, p)


def view_figures(bundle: Bundle, p: ExportParams, priority: list[str]) -> pd.DataFrame:
    """The figures of the export of ``p`` (canonical columns, export order) without admin
    names, marks or flags: what a view's footer or source list says of its rows. The
    consistency checks behind ``flags`` are the costly part of an export (a first as-of
    date over a million events: 0.7 s), and a footer names publishers and dates only.
    For the map, only the weekly event sums that can decide a value (:func:`_map`): the
    same publishers, documents and newest date as the export's rows, not the same count."""
    rows, pos = _select(bundle, p, priority, lean=True)
    return rows[FIGURE_COLUMNS].iloc[pos]


def export_table(bundle: Bundle, p: ExportParams, priority: list[str]) -> ExportTable:
    """The rows for ``p`` with the admin columns in front and the flags behind."""
    rows, pos = _select(bundle, p, priority)
    in_table_order = np.sort(pos)  # the rows as the views see them
    marks = _marks(rows, in_table_order).iloc[np.searchsorted(in_table_order, pos)]
    marks = marks.reset_index(drop=True)[[c for c in FLAG_COLUMNS if c != "flags"]]
    if len(pos) > _LARGE:
        release_freed_memory()  # what the marks freed, before the checks take theirs
    # consistency flags, from the figures known on the export's date (app.queries.checks);
    # the flags column names checks and figures, so their messages are not formatted
    found = checks.export_flags(bundle.figures, bundle.areas, bundle.regions, p.as_of_ts, priority)
    if len(pos) > _LARGE:
        release_freed_memory()  # what the checks and the sort freed, before the text is built
    return ExportTable(
        rows,
        _metrics(rows, pos),
        order=pos,
        marks=marks,
        flag_cells=SliceFlags(found, bundle.figures),
        areas=bundle.areas,
    )
