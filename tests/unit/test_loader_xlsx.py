"""XLSX workbooks: the sheet chosen, Excel dates, spreadsheet row numbers, the same layouts as CSV.

Workbooks are written here with openpyxl (made-up content) so what each holds is readable.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from app.loaders import load
from app.loaders.xlsx import cell_text

HEADER = ["as_of_date", "metric", "value", "qualifier", "area", "publisher", "document", "url"]
DOC = "Made-up workbook (not real data)"


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_dated_figures_sheet_with_excel_dates(tmp_path: Path, ctx) -> None:
    path = workbook(
        tmp_path / "madeup_figures.xlsx",
        {
            "Notes": [],  # an empty first sheet is skipped
            "Sheet2": [
                [None],  # a blank first row: the header is on spreadsheet row 2
                HEADER,
                [
                    dt.datetime(2020, 3, 8),
                    "idps_present",
                    248842,
                    None,
                    "Dana",
                    "MADE-UP",
                    DOC,
                    None,
                ],
                ["8 Mar 2020", "idps_present", 95268.0, "about", "Salqin", "MADE-UP", DOC, None],
                [dt.date(2020, 3, 8), "idps_present", "n/a", None, "Dana", "MADE-UP", DOC, None],
            ],
        },
    )
    result = load(path, ctx)
    assert result.format == "xlsx:dated-figures"
    assert [p.line() for p in result.problems] == [
        "madeup_figures.xlsx:5:value: 'n/a' is not a number; expected a count such as 948000, "
        "948,000, 948 000, 1.12 million or 344K"
    ]
    assert result.table["source_row"].tolist() == [3, 4]
    assert result.table["period_end"].tolist() == [pd.Timestamp(2020, 3, 8)] * 2
    assert result.table["value"].tolist() == [248842.0, 95268.0]


def test_sheet_named_data_wins_and_hxl_is_read(tmp_path: Path, ctx) -> None:
    path = workbook(
        tmp_path / "madeup_hxl.xlsx",
        {
            "Read me": [["This workbook is made up (not real data)"]],
            "Data": [
                ["Date", "P-code", "IDPs", "Source"],
                ["#date", "#adm3+code", "#affected+idps", "#meta+source"],
                [dt.datetime(2020, 3, 8), "SY070301", 248842, "MADE-UP"],
            ],
        },
    )
    result = load(path, ctx)
    assert (result.format, result.problems, result.accepted) == ("xlsx:hxl", [], 1)
    assert result.table.loc[0, ["area_pcode", "value", "source_row"]].tolist() == [
        "SY070301",
        248842.0,
        3,
    ]


@pytest.mark.parametrize(
    ("sheets", "found"),
    [
        ({"Empty": []}, "every sheet is empty"),
        (
            {"S": [["name", "population"], ["Dana", 1]]},
            "unknown layout: the header has name, population",
        ),
    ],
)
def test_whole_workbook_problems(tmp_path: Path, ctx, sheets: dict, found: str) -> None:
    (problem,) = load(workbook(tmp_path / "madeup.xlsx", sheets), ctx).problems
    assert (problem.row, problem.found) == (0, found)


def test_cells_beyond_the_header_reject_the_row(tmp_path: Path, ctx) -> None:
    row = [dt.datetime(2020, 3, 8), "idps_present", 1, None, "Dana", "MADE-UP", DOC, None]
    path = workbook(tmp_path / "madeup_wide.xlsx", {"S": [HEADER, row, [*row, "stray note"]]})
    result = load(path, ctx)
    assert [p.line() for p in result.problems] == [
        "madeup_wide.xlsx:3:: found 9 cells; expected 8 cells, one per header column (a line cut "
        "short, or a quote left open?)"
    ]
    assert (result.rows_read, result.accepted, result.rejected) == (2, 1, 1)


def test_a_damaged_workbook(tmp_path: Path, ctx) -> None:
    good = workbook(tmp_path / "madeup.xlsx", {"S": [HEADER]}).read_bytes()
    path = tmp_path / "madeup_damaged.xlsx"
    path.write_bytes(good[: len(good) // 2])
    (problem,) = load(path, ctx).problems
    assert problem.row == 0 and problem.expected.startswith("expected ")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (12.0, "12"),
        (0.25, "0.25"),
        (True, "TRUE"),
        (dt.date(2020, 2, 26), "2020-02-26"),
        (dt.datetime(2020, 2, 26, 13, 5), "2020-02-26"),
        ("Dana", "Dana"),
        (7, "7"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text
