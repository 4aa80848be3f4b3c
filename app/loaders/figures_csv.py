"""The project's dated-figure CSV layouts (hand-transcribed from situation reports).

Three layouts exist in ``shared/data/figures`` (national displacement with ``as_of_date``,
casualties with a period, sub-national with P-codes) and the article layout in
``reference/``; they differ only in column names, so one renaming table covers them.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from app.loaders.context import LoadContext
from app.loaders.figure_rows import normalise_figure_rows
from app.loaders.report import LoadResult

#: header as written -> raw column name understood by :mod:`app.loaders.figure_rows`.
HEADER_MAP: dict[str, str] = {
    "as_of_date": "period_end",
    "period_start": "period_start",
    "period_end": "period_end",
    "published_date": "published_date",
    "metric": "metric",
    "value": "value",
    "qualifier": "qualifier",
    "area": "area_as_written",
    "area_name_as_written": "area_as_written",
    "pcode": "pcode",
    "pcode_level": "pcode_level",
    "publisher": "publisher",
    "document": "document",
    "url": "url",
    "note": "note",
    "sector": "sector",
}

#: Columns that identify the layout (all must be present).
SIGNATURE = {"metric", "value", "qualifier", "publisher", "document", "url"}


def looks_like_dated_figures(header: list[str]) -> bool:
    names = {h.strip().lower() for h in header}
    return names >= SIGNATURE and ("area" in names or "area_name_as_written" in names)


def load_dated_figures(table: pd.DataFrame, result: LoadResult, ctx: LoadContext,
                       first_data_row: int = 2,
                       source_rows: Sequence[int] | None = None) -> pd.DataFrame:
    """Canonical figures from a string table in one of the dated-figure layouts.

    ``table`` holds the cells as read (strings), with the header as column names;
    ``first_data_row`` is the file line of its first row, for the report, or
    ``source_rows`` the line of every row (when blank or rejected rows were skipped).
    """
    result.table_name = "figures"
    rename: dict[str, str] = {}
    headers: dict[str, str] = {}
    for h in table.columns:
        key = HEADER_MAP.get(str(h).strip().lower())
        if key:
            rename[h] = key
            headers[key] = str(h)
    raw = table.rename(columns=rename)[list(dict.fromkeys(rename.values()))].copy()
    raw = raw.loc[:, ~raw.columns.duplicated()]  # a repeated header: the first is read (reported by the table reader)
    if "quote" in (c.lower() for c in table.columns) and "note" not in raw.columns:
        raw["note"] = ""
    raw["source_row"] = (list(source_rows) if source_rows is not None
                         else range(first_data_row, first_data_row + len(raw)))
    return normalise_figure_rows(raw, result, ctx, headers)
