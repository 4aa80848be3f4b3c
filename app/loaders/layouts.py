"""Which layout a table is in (its header decides), and the loader for each one.

CSV and XLSX files carry the same layouts, so both readers end here: the first layout in
:data:`LAYOUTS` whose test accepts the header wins (the canonical header first, since it may
also carry an HXL row). Loaders are named as ``"module:function"`` and imported only when
used, so ``validate`` does not import pandera or geopandas for a file that needs neither.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from app.loaders.context import LoadContext
from app.loaders.report import LoadResult
from app.loaders.table import Table

LayoutLoader = Callable[[Table, LoadResult, LoadContext], pd.DataFrame]


def _names(table: Table) -> set[str]:
    return {h.strip().lower() for h in table.header}


def repeated_columns(header: list[str]) -> list[tuple[str, str]]:
    """(column, message) for each header cell that repeats an earlier one, ignoring case,
    spaces and the " (2)" that :func:`~app.loaders.table.unique_header` adds: layouts match
    names that way, so "value" and "Value" would otherwise be read as one column, silently.

    >>> repeated_columns(["value", "Value", "note", "value (2)"])
    [('Value', "column 2 'Value' repeats column 1 'value'"), ('value (2)', "column 4 'value' repeats column 1 'value'")]
    """
    first: dict[str, int] = {}
    out = []
    for i, cell in enumerate(header):
        written = re.sub(r" \(\d+\)$", "", cell)
        key = written.strip().lower()
        if key in first:
            j = first[key]
            out.append((cell, f"column {i + 1} {written!r} repeats column {j + 1} {header[j]!r}"))
        else:
            first[key] = i
    return out


def is_canonical(table: Table) -> bool:
    from app.loaders.canonical import is_canonical_header

    return is_canonical_header(table.header)


def is_hxl(table: Table) -> bool:
    return table.hashtags is not None


def is_dated_figures(table: Table) -> bool:
    from app.loaders.figures_csv import looks_like_dated_figures

    return looks_like_dated_figures(table.header)


def is_acled(table: Table) -> bool:
    return {"event_id_cnty", "event_date", "latitude", "longitude", "fatalities"} <= _names(table)


def is_ucdp(table: Table) -> bool:
    return {"id", "date_start", "latitude", "longitude", "best"} <= _names(table)


def is_gazetteer(table: Table) -> bool:
    return {"level", "pcode", "name_en", "parent_pcode"} <= _names(table)


@dataclass(frozen=True)
class Layout:
    name: str
    #: What identifies it, as told to a user whose file matched none.
    signature: str
    matches: Callable[[Table], bool]
    loader: str

    def load(self, table: Table, result: LoadResult, ctx: LoadContext) -> pd.DataFrame:
        module, _, function = self.loader.partition(":")
        fn: LayoutLoader = getattr(importlib.import_module(module), function)
        return fn(table, result, ctx)


def load_dated(table: Table, result: LoadResult, ctx: LoadContext) -> pd.DataFrame:
    """The hand-transcribed dated-figures layouts (:mod:`app.loaders.figures_csv`)."""
    from app.loaders.figures_csv import load_dated_figures

    return load_dated_figures(table.frame, result, ctx, source_rows=table.rows.tolist())


LAYOUTS: list[Layout] = [
    Layout(
        "canonical-figures",
        "the canonical figures header (figure_id, metric, kind, ... source_row)",
        is_canonical,
        "app.loaders.canonical:load_canonical",
    ),
    Layout(
        "hxl",
        "an HXL hashtag row (#adm1+code, #date, #affected+idps, ...) under the header",
        is_hxl,
        "app.loaders.hxl:load_hxl",
    ),
    Layout(
        "dated-figures",
        "metric, value, qualifier, area (or area_name_as_written), publisher, document, url",
        is_dated_figures,
        "app.loaders.layouts:load_dated",
    ),
    Layout(
        "acled",
        "ACLED: event_id_cnty, event_date, latitude, longitude, fatalities",
        is_acled,
        "app.loaders.acled:load_acled",
    ),
    Layout(
        "ucdp-ged",
        "UCDP GED: id, date_start, latitude, longitude, best",
        is_ucdp,
        "app.loaders.ucdp:load_ucdp",
    ),
    Layout(
        "gazetteer",
        "P-code gazetteer: level, pcode, name_en, parent_pcode",
        is_gazetteer,
        "app.loaders.gazetteer:load_gazetteer",
    ),
]


def known_layouts() -> str:
    return "; ".join(f"{lay.name} ({lay.signature})" for lay in LAYOUTS)


def load_table(table: Table, container: str, result: LoadResult, ctx: LoadContext) -> None:
    """Recognise ``table``'s layout and load it into ``result`` (unknown layout: one problem)."""
    layout = next((lay for lay in LAYOUTS if lay.matches(table)), None)
    if layout is None:
        headers = ", ".join(table.header) or "(none)"
        result.add(
            0,
            "",
            f"unknown layout: the header has {headers}",
            f"expected one of the known layouts: {known_layouts()}",
        )
        return
    result.format = f"{container}:{layout.name}"
    for column, found in repeated_columns(table.header):
        result.add(
            1,
            column,
            found,
            "each column name once: only one of them is read (rename or remove the other)",
            "warning",
        )
    width = len(table.header)
    for row, found in table.bad_rows:
        result.rows_read += 1
        result.rejected += 1
        result.add(
            row,
            "",
            f"found {found} cells",
            f"expected {width} cells, one per header column (a line cut short, or a quote "
            "left open?)",
        )
    if table.frame.empty and not table.bad_rows:
        result.add(
            0, "", "no data rows under the header", "expected at least one row of data", "warning"
        )
    result.table = layout.load(table, result, ctx)
