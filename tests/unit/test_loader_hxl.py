"""HXL-tagged figures: tags -> metrics and properties, one figure per filled value cell."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from app.loaders import load
from app.loaders.hxl import Tag, property_column, value_metric

_COUNT = "expected a count such as 948000, 948,000, 948 000, 1.12 million or 344K"


@pytest.mark.parametrize(
    ("text", "value", "metric", "prop"),
    [
        ("#affected+idps", True, "idps_present", None),
        ("#Affected +IDPs +Arrivals", True, "idp_arrivals", None),
        ("#affected+arrivals+idps", True, "idp_arrivals", None),
        ("#affected+killed", True, "people_killed", None),
        ("#affected+civilians+killed", True, "civilians_killed", None),
        ("#affected+inneed", True, "people_in_need", None),
        ("#inneed", True, "people_in_need", None),
        ("#population", True, "population", None),
        ("#indicator+value", True, None, None),
        ("#indicator+name", False, None, "indicator_name"),
        ("#adm3+code", False, None, "adm3_code"),
        ("#adm1+name", False, None, "adm1_name"),
        ("#loc+name", False, None, "loc_name"),
        ("#date", False, None, "period_end"),
        ("#date+start", False, None, "period_start"),
        ("#date+reported", False, None, "published_date"),
        ("#meta+source", False, None, "publisher"),
        ("#org", False, None, "org"),
        ("#meta+url", False, None, "url"),
        ("#meta+qualifier", False, None, "qualifier"),
        ("#contact+email", False, None, None),
    ],
)
def test_tag_table(text: str, value: bool, metric: str | None, prop: str | None) -> None:
    tag = Tag.parse(text)
    assert tag is not None
    assert value_metric(tag) == (value, metric)
    if not value:
        assert property_column(tag) == prop


def test_valid_hxl_gives_one_figure_per_filled_value(load_fixture) -> None:
    result = load_fixture("madeup_hxl_figures.csv")
    assert result.format == "csv:hxl" and result.problems == []
    table = result.table
    assert table[["metric", "value", "area_pcode", "source_row"]].values.tolist() == [
        ["idps_present", 248842.0, "SY070301", 3],
        ["civilians_killed", 3.0, "SY070301", 3],
        ["idps_present", 95268.0, "SY070302", 4],
        ["idps_present", 12300.0, "SY070500", 5],  # Arabic-Indic digits; name with level word
    ]
    assert table["period_end"].tolist() == [pd.Timestamp(2020, 3, 8)] * 4  # "8 Mar 2020" too
    assert table.loc[2, ["qualifier", "low", "high"]].tolist() == ["about", 90504.6, 100031.4]


def test_invalid_hxl_reports_each_row(load_fixture, lines) -> None:
    result = load_fixture("madeup_hxl_figures_invalid.csv")
    assert lines(result) == [
        "2:Contact: [warning] hashtag #contact+email is not used; expected a tag this loader reads "
        "(see VALUE_TAGS and PROPERTY_TAGS in app/loaders/hxl.py)",
        f"3:IDPs present: 'n/a' is not a number; {_COUNT}",
        "4:Sub-district P-code: [unmatched] P-code 'SY999999' is not in the gazetteer; expected a "
        "P-code, a gazetteer name or alias, or a region in regions.csv",
        f"5:IDPs present: empty cell; {_COUNT}",
    ]
    assert (result.rows_read, result.accepted, result.rejected, result.unmatched) == (4, 1, 2, 1)


def test_hxl_without_a_value_column(load_fixture, lines) -> None:
    result = load_fixture("madeup_hxl_no_value_column.csv")
    assert lines(result) == [
        "0:: no value column among the hashtags #date #adm3+code #meta+source; expected a value "
        "tag such as #affected+idps, #affected+killed, #inneed, #population or #indicator+value"
    ]


def test_indicator_columns_and_hashtags_as_header(tmp_path: Path, ctx) -> None:
    path = tmp_path / "madeup_indicator.csv"
    path.write_text(
        "#adm1+code,#date+start,#date+end,#indicator+name,#indicator+value,#org\n"
        "SY07,2020-02-01,2020-02-29,idp_arrivals,1000,MADE-UP\n"
        "SY02,2020-02-01,2020-02-29,communities_changed_control,2000,MADE-UP\n",
        encoding="utf-8",
    )
    result = load(path, ctx)
    assert [p.line() for p in result.problems] == [
        "madeup_indicator.csv:3:#indicator+name: [warning] 'communities_changed_control' is not in "
        "the vocabulary; kept as 'other'; map it to a vocabulary metric to chart it"
    ]
    assert result.table[["metric", "area_pcode", "publisher", "source_row"]].values.tolist() == [
        ["idp_arrivals", "SY07", "MADE-UP", 2],
        ["other", "SY02", "MADE-UP", 3],
    ]


def test_the_most_specific_place_wins(tmp_path: Path, ctx) -> None:
    path = tmp_path / "madeup_places.csv"
    path.write_text(
        "#adm1+code,#adm3+name,#adm2+code,#date,#affected+idps,#meta+source\n"
        "SY07,Dana,,2020-03-08,1,MADE-UP\n"  # a sub-district name beats a governorate code
        "SY07,Dana,SY0703,2020-03-09,2,MADE-UP\n"  # still deeper than the district code
        "SY07,,SY0705,2020-03-08,3,MADE-UP\n"  # codes only: the district
        "SY07,,,2020-03-08,4,MADE-UP\n",
        encoding="utf-8",
    )
    result = load(path, ctx)
    assert result.problems == []
    assert result.table["area_pcode"].tolist() == ["SY070301", "SY070301", "SY0705", "SY07"]
