"""CSV-like text -> Table: encodings, delimiters, row numbers, cut and overlong rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from app.loaders import load
from app.loaders.delimited import read_delimited
from app.loaders.report import LoadResult
from app.loaders.source import Source

HEADER = "as_of_date,metric,value,qualifier,area,publisher,document,url\n"
ROW = "2020-03-08,idps_present,{value},,Dana,MADE-UP,Made-up fixture (not real data),\n"


def table_of(data: bytes):
    result = LoadResult(path="t.csv", format="csv")
    return read_delimited(Source(Path("t.csv"), data), result), result


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("utf-16", "\t"), ("cp1256", ";"), ("utf-8", "|")],
)
def test_encodings_and_delimiters_give_the_same_table(encoding: str, delimiter: str) -> None:
    text = 'area,value\nالدانا,948\nسلقين,"95,268"\n'.replace(",", delimiter)
    if delimiter != ",":
        text = text.replace(f'"95{delimiter}268"', '"95,268"')
    table, result = table_of(text.encode(encoding))
    assert result.problems == []
    assert table.header == ["area", "value"]
    assert table.frame.to_dict("list") == {"area": ["الدانا", "سلقين"], "value": ["948", "95,268"]}
    assert table.rows.tolist() == [2, 3]


def test_row_numbers_count_blank_lines_and_quoted_line_breaks() -> None:
    data = b'\n\na,b\n1,"two\nlines"\n\n3,4\n,\n5,6'
    table, _ = table_of(data)
    assert table.frame.to_dict("list") == {"a": ["1", "3", "5"], "b": ["two\nlines", "4", "6"]}
    assert table.rows.tolist() == [4, 6, 8]  # header on line 3; blank and empty rows skipped


@pytest.mark.parametrize(
    ("data", "bad"),
    [
        (b"a,b,c\n1,2,3\n4,5", [(3, 2)]),  # last line cut short
        (b"a,b,c\n1,2,3,4\n5,6,7\n", [(2, 4)]),  # one cell too many
        (b'a,b\n1,2\n"3,4\n', [(3, 1)]),  # a quote never closed
    ],
)
def test_rows_with_the_wrong_cell_count_are_kept_aside(data: bytes, bad: list) -> None:
    table, _ = table_of(data)
    assert table.bad_rows == bad


def test_truncated_last_line_is_rejected_with_its_cell_count(tmp_path: Path, ctx) -> None:
    path = tmp_path / "cut.csv"
    path.write_text(HEADER + ROW.format(value="1") + "2020-03-08,idps_present,2,", encoding="utf-8")
    result = load(path, ctx)
    assert [p.line() for p in result.problems] == [
        "cut.csv:3:: found 4 cells; expected 8 cells, one per header column (a line cut short, "
        "or a quote left open?)"
    ]
    assert (result.rows_read, result.accepted, result.rejected) == (2, 1, 1)


def test_hashtag_row_is_taken_out_of_the_data() -> None:
    table, _ = table_of(b"a,b\n#date, #affected +idps\n2020-03-08,5\n")
    assert table.hashtags == ["#date", " #affected +idps"]
    assert (table.hashtag_row, table.rows.tolist()) == (2, [3])


def test_numbers_and_dates_as_people_write_them(tmp_path: Path, ctx) -> None:
    path = tmp_path / "written.csv"
    path.write_text(
        "period_end,metric,value,qualifier,area,publisher,document,url\n"
        '13/04/2020,idps_present,"948,000",,Dana,MADE-UP,Made-up (not real data),\n'
        "2020-03-08,idps_present,٩٤٨٬٠٠٠,,Dana,MADE-UP,Made-up (not real data),\n",
        encoding="utf-8",
    )
    result = load(path, ctx)
    assert result.problems == []
    assert result.table["value"].tolist() == [948000.0, 948000.0]
    assert result.table["period_end"].tolist() == [
        pd.Timestamp(2020, 4, 13),  # day first: there is no month 13
        pd.Timestamp(2020, 3, 8),
    ]
