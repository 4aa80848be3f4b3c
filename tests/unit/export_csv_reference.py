"""FROZEN COPY of the cell-by-cell CSV writer (app/export/csv_writer.py as of commit ae67a90),
kept only as the oracle of tests/unit/test_export_lean.py and the escaping fuzz test: the
vectorised writer must give byte-identical text. Do not edit it to make a test pass.
"""

from __future__ import annotations

from app.export.columns import ColumnType, column_type, hxl_row
from app.export.text import cell_text

BOM = "\ufeff"
NEWLINE = "\r\n"


def quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _field(value: object, kind: ColumnType) -> str:
    text = cell_text(value, kind)
    return quote(text) if kind is ColumnType.TEXT and text else text


def csv_text(frame, metrics, hxl: bool = False) -> str:
    """The whole CSV of ``frame`` (the export's columns), as the old writer joined it."""
    columns = list(frame.columns)
    kinds = [column_type(c) for c in columns]
    head = BOM + ",".join(columns) + NEWLINE
    if hxl:
        head += ",".join(hxl_row(columns, metrics)) + NEWLINE
    lines = [
        ",".join(_field(v, k) for v, k in zip(row, kinds, strict=True)) + NEWLINE
        for row in frame.itertuples(index=False, name=None)
    ]
    return head + "".join(lines)
