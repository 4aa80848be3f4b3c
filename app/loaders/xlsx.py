"""XLSX workbooks -> :class:`~app.loaders.table.Table` -> the same layouts as CSV.

People keep figures in Excel. The sheet read is the one named "data" or "figures" (any
case), else the first sheet with anything in it. Cells become the text a CSV of the sheet
would hold: dates stored as Excel dates become ISO dates, whole numbers lose their ".0", so
the layout loaders see one kind of input whatever the container. Row numbers in the report
are the spreadsheet's own (leading blank rows included).
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd

from app import ooxml
from app.loaders.context import LoadContext
from app.loaders.layouts import load_table
from app.loaders.report import LoadResult
from app.loaders.source import Source
from app.loaders.table import Table

PREFERRED_SHEETS = ("data", "figures")


def cell_text(value: object) -> str:
    """The text of one cell value as openpyxl returns it.

    >>> cell_text(12.0), cell_text(0.5), cell_text(dt.datetime(2020, 2, 26)), cell_text(None)
    ('12', '0.5', '2020-02-26', '')
    >>> cell_text("first line_x000D_second"), cell_text("_x005F_x000D_")
    ('first line\\rsecond', '_x000D_')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return ooxml.unescape(str(value))  # "_x000D_": a carriage return (app.ooxml)


def _sheet_rows(workbook) -> tuple[str, list[list[str]]] | None:
    """(sheet name, rows of cell texts) of the sheet to read, or None if all are empty."""
    sheets = sorted(
        workbook.worksheets, key=lambda ws: ws.title.strip().lower() not in PREFERRED_SHEETS
    )
    for ws in sheets:
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # some writers store a wrong sheet size
        rows = [[cell_text(v) for v in row] for row in ws.iter_rows(min_row=1, values_only=True)]
        if any(any(c.strip() for c in row) for row in rows):
            return ws.title, rows
    return None


def read_xlsx(source: Source, result: LoadResult) -> Table | None:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
    except Exception as exc:
        result.add(
            0,
            "",
            f"cannot be read as an XLSX workbook ({type(exc).__name__}: {exc})",
            "expected an .xlsx workbook saved by Excel or LibreOffice",
        )
        return None
    try:
        found = _sheet_rows(workbook)
    except Exception as exc:
        result.add(
            0,
            "",
            f"a sheet cannot be read ({type(exc).__name__}: {exc})",
            "expected an .xlsx workbook saved by Excel or LibreOffice",
        )
        return None
    finally:
        workbook.close()
    if found is None:
        result.add(
            0, "", "every sheet is empty", "expected a sheet with a header row and data rows"
        )
        return None
    _, rows = found
    start = next(i for i, row in enumerate(rows) if any(c.strip() for c in row))
    header = rows[start]
    width = max((i + 1 for i, c in enumerate(header) if c.strip()), default=0)
    grid: list[list[str]] = []
    numbers: list[int] = []
    bad: list[tuple[int, int]] = []
    for number, row in enumerate(rows[start:], start=start + 1):
        filled = max((i + 1 for i, c in enumerate(row) if c.strip()), default=0)
        if filled > width:
            bad.append((number, filled))
            continue
        grid.append((row + [""] * width)[:width])
        numbers.append(number)
    return Table.build(pd.DataFrame(grid, dtype=str), np.array(numbers), bad)


def load_xlsx(source: Source, result: LoadResult, ctx: LoadContext) -> None:
    table = read_xlsx(source, result)
    if table is not None:
        load_table(table, "xlsx", result, ctx)
