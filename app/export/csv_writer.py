"""The figures export as CSV, produced in chunks so a large table never becomes one string.

Format (RFC 4180): UTF-8 with a byte-order mark (Excel otherwise reads the Arabic names
as Windows-1252 mojibake; the project's loaders and pandas skip it), CRLF line ends, the
header row unquoted, then (``hxl=1``) the HXL hashtag row, then one row per figure.
Every non-empty TEXT cell is double-quoted, numbers, dates and flags are not: a quoted
cell stays one cell even in a spreadsheet that splits on ``;`` (OWASP's advice on
separators), and text cells are neutralised against formulas (:mod:`app.export.text`).

The text of a chunk is built column by column with Arrow's compute kernels (a million
rows would take minutes cell by cell): each column becomes the text of its fields by the
same rules as :func:`app.export.text.cell_text` and :func:`quote`, and the fields are
joined row by row in C++. A column of an unexpected type (an object column holding
numbers, say) falls back to ``cell_text`` cell by cell, so the bytes never depend on the
path taken; ``tests/unit/test_export_lean.py`` compares both with the cell-by-cell writer.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from app.export.columns import ColumnType, column_type, hxl_row
from app.export.rows import ExportTable
from app.export.text import FORMULA_TRIGGERS, cell_text

BOM = "\ufeff"
NEWLINE = "\r\n"
#: Rows per chunk handed to the WSGI server (about 7 MB of text for the figures).
CHUNK_ROWS = 20_000
#: Whole numbers below this are written as integers (``number_text``).
_INTEGER_LIMIT = 1e15


def _s(text: str) -> pa.Scalar:
    """A text constant for the Arrow kernels (all text here is ``large_string``)."""
    return pa.scalar(text, pa.large_string())


_EMPTY, _QUOTE, _APOSTROPHE, _COMMA, _CRLF = map(_s, ["", '"', "'", ",", NEWLINE])


def quote(text: str) -> str:
    """A CSV field in double quotes, inner quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def _field(value: object, kind: ColumnType) -> str:
    text = cell_text(value, kind)
    return quote(text) if kind is ColumnType.TEXT and text else text


def _cell_by_cell(values: pd.Series, kind: ColumnType) -> pa.Array:
    """The fields of a column the slow, sure way (types the fast paths do not know)."""
    return pa.array([_field(v, kind) for v in values], type=pa.large_string())


def _text_fields(values: pd.Series) -> pa.Array | None:
    """TEXT: empty when missing or "", else neutralised (``'`` before a formula opener) and
    quoted with inner quotes doubled. None when the column holds anything but text."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # each category quoted once
        categories = values.cat.categories
        fields = _text_fields(pd.Series(categories, dtype=object))
        if fields is None:
            return None
        codes = pa.array(values.cat.codes.to_numpy(), mask=values.isna().to_numpy())
        return pc.fill_null(pc.take(fields, codes), _EMPTY)
    if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
        return None
    try:
        arr = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        if not pa.types.is_null(arr.type):
            return None
        return pa.array([""] * len(arr), type=pa.large_string())  # every cell empty
    arr = arr.cast(pa.large_string())
    if len(arr) > 64:  # names, publishers, documents repeat: each distinct text once
        encoded = pc.dictionary_encode(arr)
        if len(encoded.dictionary) * 4 < len(arr):
            fields = _quoted(encoded.dictionary)
            return pc.fill_null(pc.take(fields, encoded.indices), _EMPTY)
    return _quoted(arr)


def _quoted(arr: pa.Array) -> pa.Array:
    """The TEXT fields of a large_string array (null: empty)."""
    opens_formula = pc.starts_with(arr, FORMULA_TRIGGERS[0])
    for trigger in FORMULA_TRIGGERS[1:]:
        opens_formula = pc.or_(opens_formula, pc.starts_with(arr, trigger))
    text = pc.if_else(opens_formula, pc.binary_join_element_wise(_APOSTROPHE, arr, _EMPTY), arr)
    doubled = pc.replace_substring(text, '"', '""')
    quoted = pc.binary_join_element_wise(_QUOTE, doubled, _QUOTE, _EMPTY)
    empty = pc.or_kleene(pc.is_null(arr), pc.equal(arr, _EMPTY))
    return pc.if_else(pc.fill_null(empty, True), _EMPTY, quoted)


def _number_fields(values: pd.Series) -> pa.Array | None:
    """NUMBER: whole numbers as integers, others in Python's shortest repr (``number_text``)."""
    if not (pd.api.types.is_float_dtype(values.dtype) or pd.api.types.is_integer_dtype(values)):
        return None
    v = values.to_numpy(dtype=np.float64, na_value=np.nan)
    whole = np.isfinite(v) & (v == np.trunc(v)) & (np.abs(v) < _INTEGER_LIMIT)
    out = np.full(len(v), "", dtype=object)
    if whole.any():
        ints = pa.array(v[whole].astype(np.int64)).cast(pa.large_string())
        out[whole] = ints.to_numpy(zero_copy_only=False)
    other = ~whole & ~np.isnan(v)
    out[other] = [repr(float(x)) for x in v[other]]
    return pa.array(out, type=pa.large_string())


def _integer_fields(values: pd.Series) -> pa.Array | None:
    """INTEGER: ``str(int(value))``; empty when missing."""
    if pd.api.types.is_integer_dtype(values.dtype) and not isinstance(
        values.dtype, pd.CategoricalDtype
    ):
        return pc.fill_null(pa.array(values, from_pandas=True).cast(pa.large_string()), _EMPTY)
    if pd.api.types.is_float_dtype(values.dtype):
        v = values.to_numpy(dtype=np.float64, na_value=np.nan)
        if not np.isfinite(v[~np.isnan(v)]).all():
            return None  # int(inf) raises: let cell_text say so
        ints = pa.array(np.trunc(np.nan_to_num(v)).astype(np.int64)).cast(pa.large_string())
        return pc.if_else(pa.array(np.isnan(v)), _EMPTY, ints)
    return None


def _date_fields(values: pd.Series) -> pa.Array | None:
    """DATE: ``YYYY-MM-DD``; empty when missing. Naive datetimes only."""
    if not pd.api.types.is_datetime64_dtype(values.dtype):
        return None
    years = values.dt.year
    if ((years < 1000) | (years > 9999)).any():
        return None  # four-digit years only: strftime's other widths are not ours to guess
    text = values.dt.strftime("%Y-%m-%d")
    return pa.array(text.where(text.notna(), ""), type=pa.large_string(), from_pandas=True)


def _boolean_fields(values: pd.Series) -> pa.Array | None:
    """BOOLEAN: ``true`` / ``false``."""
    if not pd.api.types.is_bool_dtype(values.dtype) or isinstance(values.dtype, pd.ArrowDtype):
        return None
    if values.isna().any():
        return None
    return pa.array(np.where(values.to_numpy(dtype=bool), "true", "false"), pa.large_string())


_FAST = {
    ColumnType.TEXT: _text_fields,
    ColumnType.NUMBER: _number_fields,
    ColumnType.INTEGER: _integer_fields,
    ColumnType.DATE: _date_fields,
    ColumnType.BOOLEAN: _boolean_fields,
}


def column_fields(values: pd.Series, kind: ColumnType) -> pa.Array:
    """The CSV field of every cell of a column (as ``_field`` writes one cell)."""
    fields = _FAST[kind](values) if len(values) else None
    return _cell_by_cell(values, kind) if fields is None else fields


def chunk_bytes(frame: pd.DataFrame, kinds: list[ColumnType]) -> bytes:
    """The CSV lines of ``frame`` (no header), UTF-8, each ending in CRLF."""
    if frame.empty:
        return b""
    fields = [column_fields(frame.iloc[:, i], k) for i, k in enumerate(kinds)]
    fields[-1] = pc.binary_join_element_wise(fields[-1], _CRLF, _EMPTY)
    lines = pc.binary_join_element_wise(*fields, _COMMA)
    whole = pa.LargeListArray.from_arrays(pa.array([0, len(lines)], pa.int64()), lines)
    joined = pc.binary_join(whole, _EMPTY)
    return joined[0].as_buffer().to_pybytes()


def csv_bytes(
    table: ExportTable, hxl: bool = False, chunk_rows: int = CHUNK_ROWS
) -> Iterator[bytes]:
    """The CSV of ``table`` in UTF-8 pieces: header (and hashtags) first, then rows."""
    columns = table.columns
    kinds = [column_type(c) for c in columns]
    head = BOM + ",".join(columns) + NEWLINE
    if hxl:
        head += ",".join(hxl_row(columns, table.metrics)) + NEWLINE
    yield head.encode("utf-8")
    for part in table.slices(chunk_rows):
        yield chunk_bytes(part, kinds)


def csv_chunks(
    table: ExportTable, hxl: bool = False, chunk_rows: int = CHUNK_ROWS
) -> Iterator[str]:
    """The CSV text of ``table`` in pieces: header (and hashtags) first, then rows."""
    for chunk in csv_bytes(table, hxl=hxl, chunk_rows=chunk_rows):
        yield chunk.decode("utf-8")
