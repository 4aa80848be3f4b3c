"""The export's column order and its HXL hashtag table (the one place that defines both)."""

from __future__ import annotations

import pytest

from app.export.columns import (
    ADM_COLUMNS,
    EXPORT_COLUMNS,
    FLAG_COLUMNS,
    GENERIC_VALUE_TAG,
    HXL_TAGS,
    METRIC_VALUE_TAGS,
    hxl_row,
    value_tag,
)
from app.loaders.hxl import Tag, property_column, value_metric
from app.loaders.table import HASHTAG, is_hashtag_row
from app.tables.schemas import FIGURE_COLUMNS
from app.vocab import METRICS


def test_column_order() -> None:
    assert ADM_COLUMNS == [
        "ADM1_PCODE",
        "ADM1_EN",
        "ADM1_AR",
        "ADM2_PCODE",
        "ADM2_EN",
        "ADM2_AR",
        "ADM3_PCODE",
        "ADM3_EN",
        "ADM3_AR",
    ]
    assert EXPORT_COLUMNS == ADM_COLUMNS + FIGURE_COLUMNS + FLAG_COLUMNS


def test_every_column_has_one_valid_hashtag() -> None:
    assert set(HXL_TAGS) | {"value"} == set(EXPORT_COLUMNS)
    row = hxl_row(EXPORT_COLUMNS, ["idp_arrivals"])
    assert all(HASHTAG.match(t) for t in row) and is_hashtag_row(row)


@pytest.mark.parametrize(
    ("column", "tag"),
    [
        ("ADM1_PCODE", "#adm1+code"),
        ("ADM1_EN", "#adm1+name"),
        ("ADM1_AR", "#adm1+name+i_ar"),
        ("ADM3_PCODE", "#adm3+code"),
        ("metric", "#indicator+name"),
        ("period_start", "#date+start"),
        ("period_end", "#date+end"),
        ("published_date", "#date+reported"),
        ("publisher", "#meta+source"),
        ("url", "#meta+url"),
        ("qualifier", "#meta+qualifier"),
    ],
)
def test_tags_named_in_the_issue(column: str, tag: str) -> None:
    assert HXL_TAGS[column] == tag


@pytest.mark.parametrize(("metric", "tag"), sorted(METRIC_VALUE_TAGS.items()))
def test_value_tags_read_back_as_their_metric(metric: str, tag: str) -> None:
    """The project's HXL reader maps each specific value tag back to the same metric."""
    assert metric in METRICS
    assert value_metric(Tag.parse(tag)) == (True, metric)


def test_generic_value_tag_takes_the_metric_from_its_column() -> None:
    assert value_metric(Tag.parse(GENERIC_VALUE_TAG)) == (True, None)
    assert value_tag(["idps_displaced_since"]) == GENERIC_VALUE_TAG  # no tag says "running total"
    assert value_tag(["idp_arrivals", "idp_departures"]) == GENERIC_VALUE_TAG
    assert value_tag([]) == GENERIC_VALUE_TAG


@pytest.mark.parametrize("column", [c for c in HXL_TAGS if c != "value"])
def test_no_other_column_is_read_as_a_value(column: str) -> None:
    """low/high and the rest must not become extra figures when read as HXL."""
    assert value_metric(Tag.parse(HXL_TAGS[column]))[0] is False


@pytest.mark.parametrize(
    ("column", "field"),
    [
        ("ADM1_PCODE", "adm1_code"),
        ("ADM2_PCODE", "adm2_code"),
        ("ADM3_PCODE", "adm3_code"),
        ("ADM1_EN", "adm1_name"),
        ("period_start", "period_start"),
        ("period_end", "period_end"),
        ("published_date", "published_date"),
        ("publisher", "publisher"),
        ("document", "document"),
        ("url", "url"),
        ("qualifier", "qualifier"),
        ("note", "note"),
        ("sector", "sector"),
        ("metric", "indicator_name"),
    ],
)
def test_property_tags_read_back_to_their_field(column: str, field: str) -> None:
    assert property_column(Tag.parse(HXL_TAGS[column])) == field


def test_every_export_column_is_described() -> None:
    """The XLSX README sheet explains every column (IDMC's exports do), never a blank."""
    from app.export.columns import COLUMN_DESCRIPTIONS, EXPORT_COLUMNS

    assert set(COLUMN_DESCRIPTIONS) == set(EXPORT_COLUMNS)
    assert all(len(COLUMN_DESCRIPTIONS[c]) > 20 for c in EXPORT_COLUMNS)
    assert COLUMN_DESCRIPTIONS["ADM2_AR"] == "Arabic name of that district (admin 2) (COD-AB)"
