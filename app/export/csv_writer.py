"""The figures export as CSV, produced in chunks so a large table never becomes one string.

Format (RFC 4180): UTF-8 with a byte-order mark (Excel otherwise reads the Arabic names
as Windows-1252 mojibake; the project's loaders and pandas skip it), CRLF line ends, the
header row unquoted, then (``hxl=1``) the HXL hashtag row, then one row per figure.
Every non-empty TEXT cell is double-quoted, numbers, dates and flags are not: a quoted
cell stays one cell even in a spreadsheet that splits on ``;`` (OWASP's advice on
separators), and text cells are neutralised against formulas (:mod:`app.export.text`).
"""

from __future__ import annotations

from collections.abc import Iterator

from app.export.columns import ColumnType, column_type, hxl_row
from app.export.rows import ExportTable
from app.export.text import cell_text

BOM = "\ufeff"
NEWLINE = "\r\n"
#: Rows per chunk handed to the WSGI server.
CHUNK_ROWS = 500


def quote(text: str) -> str:
    """A CSV field in double quotes, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def _field(value: object, kind: ColumnType) -> str:
    text = cell_text(value, kind)
    return quote(text) if kind is ColumnType.TEXT and text else text


def csv_chunks(
    table: ExportTable, hxl: bool = False, chunk_rows: int = CHUNK_ROWS
) -> Iterator[str]:
    """The CSV text of ``table`` in pieces: header (and hashtags) first, then rows."""
    columns = list(table.frame.columns)
    kinds = [column_type(c) for c in columns]
    head = BOM + ",".join(columns) + NEWLINE
    if hxl:
        head += ",".join(hxl_row(columns, table.metrics)) + NEWLINE
    yield head
    lines: list[str] = []
    for row in table.frame.itertuples(index=False, name=None):
        lines.append(",".join(_field(v, k) for v, k in zip(row, kinds, strict=True)) + NEWLINE)
        if len(lines) >= chunk_rows:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)
