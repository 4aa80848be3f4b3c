"""Consistency checks: the flags raised on the REAL bundle, and each rule on small made-up
tables (publisher "MADE-UP") where the real data happens not to trip it."""

from __future__ import annotations

import pandas as pd
import pytest

from app.export.params import ExportParams
from app.export.rows import export_table
from app.queries import checks
from app.queries.filters import known_on
from app.tables.schemas import FIGURE_COLUMNS

AS_OF = pd.Timestamp("2020-02-16")
PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]


@pytest.fixture(scope="module")
def found(bundle) -> pd.DataFrame:
    return checks.view_checks(bundle.figures, bundle.areas, bundle.regions, None, PRIORITY)


def _ids(f: pd.DataFrame, **eq: object) -> set[str]:
    m = pd.Series(True, index=f.index)
    for k, v in eq.items():
        m &= f[k] == v
    return set(f.loc[m, "figure_id"])


def _flags(found: pd.DataFrame, check: str) -> pd.DataFrame:
    return found[found["check"] == check]


# --- the real bundle ---------------------------------------------------------------------
def test_output_shape(found):
    assert list(found.columns) == checks.COLUMNS
    assert set(found["check"]) <= set(checks.CHECKS)
    assert set(found["severity"]) <= set(checks.SEVERITIES)


def test_dana_267000_transcribed_twice_is_a_warning(bundle, found):
    dana = _ids(bundle.figures, value=267000.0, area_pcode="SY070301")
    assert len(dana) == 2
    f = _flags(found, "published_twice")
    rows = f[f["figure_id"].isin(dana)]
    assert set(rows["severity"]) == {"warning"} and len(rows) == 2
    a, b = sorted(dana)
    assert rows.set_index("figure_id").loc[a, "related_ids"] == (b,)
    assert "transcribed twice from the same document" in rows.iloc[0]["message"]


def test_948000_of_23_and_26_feb_is_noted(bundle, found):
    ids = _ids(bundle.figures, value=948000.0)
    assert len(ids) == 2
    rows = _flags(found, "published_twice")
    rows = rows[rows["figure_id"].isin(ids)]
    assert set(rows["severity"]) == {"note"} and len(rows) == 2
    assert "23 Feb 2020" in rows.iloc[0]["message"] and "26 Feb 2020" in rows.iloc[0]["message"]


def test_article_1800_and_trt_1800_are_one_count(bundle, found):
    ids = _ids(bundle.figures, value=1800.0)
    rows = _flags(found, "published_twice")
    assert set(rows[rows["figure_id"].isin(ids)]["figure_id"]) == ids


def test_nationwide_figures_are_noted_in_the_nw_views(bundle, found):
    nationwide = _ids(bundle.figures, region="syria")
    assert len(nationwide) == 4  # SNHR Dec, Jan, Jan-Jun; SOHR Jan
    rows = _flags(found, "nationwide_in_nw_view")
    assert set(rows["figure_id"]) == nationwide
    assert all("counts all of Syria" in m for m in rows["message"])


def test_february_flow_larger_than_the_running_totals_rise(bundle, found):
    rows = _flags(found, "flow_exceeds_change")
    assert rows["figure_id"].tolist() == list(_ids(bundle.figures, value=752131.0))
    r = rows.iloc[0]
    assert r["severity"] == "warning"
    assert set(r["related_ids"]) == (
        _ids(bundle.figures, value=1000000.0) | _ids(bundle.figures, value=390000.0)
    )
    assert "at most 649,000" in r["message"]


def test_no_running_total_falls_and_no_children_exceed_in_the_bundle(found):
    assert _flags(found, "cumulative_falls").empty
    assert _flags(found, "children_exceed_parent").empty


def test_exactly_these_flags_on_the_bundle(found):
    assert found.groupby(["check", "severity"]).size().to_dict() == {
        ("flow_exceeds_change", "warning"): 1,
        ("nationwide_in_nw_view", "note"): 4,
        ("published_twice", "note"): 4,
        ("published_twice", "warning"): 4,
    }


def test_as_of_flags_never_cite_a_later_figure(bundle):
    found = checks.view_checks(bundle.figures, bundle.areas, bundle.regions, AS_OF, PRIORITY)
    known = set(known_on(bundle.figures, AS_OF)["figure_id"])
    assert set(found["figure_id"]) <= known
    assert {i for ids in found["related_ids"] for i in ids} <= known
    # 948,000 (23 Feb, published in June) and the Feb flow (published in June) are unknown
    assert not found["message"].str.contains("948,000|752,131").any()


def test_export_carries_a_flags_column(bundle):
    t = export_table(bundle, ExportParams(), PRIORITY).frame
    assert "flags" in t.columns
    dana = t[(t["value"] == 267000) & (t["area_pcode"] == "SY070301")]
    assert dana["flags"].str.startswith("published_twice (warning, with ").all()
    snhr = t[t["region"] == "syria"]
    assert snhr["flags"].str.contains("nationwide_in_nw_view (note)", regex=False).all()
    assert t.loc[t["value"] == 299, "flags"].isna().all()


# --- each rule on a made-up table -------------------------------------------------------
def _fig(fid: str, **kw: object) -> dict:
    base = {c: None for c in FIGURE_COLUMNS}
    base.update(
        figure_id=fid,
        metric="idps_displaced_since",
        kind="cumulative",
        metric_as_written="x",
        value=100.0,
        low=100.0,
        high=100.0,
        period_start=pd.Timestamp("2019-12-01"),
        period_end=pd.Timestamp("2020-01-10"),
        region="nw_syria",
        area_as_written="NW",
        publisher="MADE-UP agency",
        document="MADE-UP doc",
        source_file="madeup.csv",
        source_row=1,
    )
    base.update(kw)
    return base


def _run(rows: list[dict], regions: pd.DataFrame) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    for c in ("period_start", "period_end", "published_date"):
        df[c] = pd.to_datetime(df[c])
    return checks.run_checks(df, None, regions, ["MADE-UP"])


@pytest.mark.parametrize(
    ("later", "severity"),
    [
        ({"value": 900.0, "low": 855.0, "high": 945.0}, "warning"),  # high 945 < earlier low 950
        ({"value": 960.0, "low": 960.0, "high": 1056.0}, "note"),  # lower value, ranges overlap
    ],
)
def test_cumulative_falls(bundle, later, severity):
    rows = [
        _fig("madeup1", value=1000.0, low=950.0, high=1050.0, document="MADE-UP doc 1"),
        _fig("madeup2", period_end=pd.Timestamp("2020-01-20"), document="MADE-UP doc 2", **later),
    ]
    found = _run(rows, bundle.regions)
    f = found[found["check"] == "cumulative_falls"]
    assert f[["figure_id", "severity"]].values.tolist() == [["madeup2", severity]]
    assert f.iloc[0]["related_ids"] == ("madeup1",)


def test_cumulative_rising_or_other_publisher_is_not_flagged(bundle):
    rows = [
        _fig("madeup1", value=1000.0, low=950.0, high=1050.0),
        _fig(
            "madeup2",
            value=900.0,
            low=855.0,
            high=945.0,
            publisher="OTHER made-up",
            period_end=pd.Timestamp("2020-01-20"),
        ),
    ]
    assert _run(rows, bundle.regions).query("check == 'cumulative_falls'").empty


def test_children_exceed_parent_leaves_out_do_not_sum_rows(bundle):
    base = {
        "metric": "idp_arrivals",
        "kind": "flow",
        "region": None,
        "period_start": pd.Timestamp("2020-02-01"),
        "period_end": pd.Timestamp("2020-02-29"),
    }
    parent = _fig("madeupP", area_pcode="SY0703", value=100.0, low=100.0, high=110.0, **base)
    kids = [
        _fig("madeupA", area_pcode="SY070301", value=60.0, low=60.0, high=60.0, **base),
        _fig("madeupB", area_pcode="SY070302", value=30.0, low=30.0, high=30.0, **base),
    ]
    community = _fig(
        "madeupC",
        area_pcode="SY070302",
        value=50.0,
        low=50.0,
        high=50.0,
        note="COMMUNITY-level figure carried on the sub-district P-code: do not sum",
        **base,
    )
    assert (
        _run([parent, *kids, community], bundle.regions)
        .query("check == 'children_exceed_parent'")
        .empty
    )  # 60 + 30 <= 110: the community is left out
    more = _fig("madeupD", area_pcode="SY070303", value=25.0, low=25.0, high=25.0, **base)
    f = _run([parent, *kids, community, more], bundle.regions).query(
        "check == 'children_exceed_parent'"
    )
    assert f["figure_id"].tolist() == ["madeupP"]
    assert set(f.iloc[0]["related_ids"]) == {"madeupA", "madeupB", "madeupD"}
    assert "sum to at least 115" in f.iloc[0]["message"]


def test_flow_exceeds_change_on_a_made_up_table(bundle):
    rows = [
        _fig("madeup1", value=100.0, low=100.0, high=100.0, period_end=pd.Timestamp("2020-01-31")),
        _fig("madeup2", value=150.0, low=150.0, high=150.0, period_end=pd.Timestamp("2020-02-29")),
        _fig(
            "madeup3",
            metric="idp_displacements",
            kind="flow",
            value=80.0,
            low=80.0,
            high=80.0,
            period_start=pd.Timestamp("2020-02-01"),
            period_end=pd.Timestamp("2020-02-29"),
        ),
    ]
    f = _run(rows, bundle.regions).query("check == 'flow_exceeds_change'")
    assert f["figure_id"].tolist() == ["madeup3"]  # 80 > 150 - 100
    rows[2].update(value=50.0, low=50.0, high=50.0)
    assert _run(rows, bundle.regions).query("check == 'flow_exceeds_change'").empty


def test_flags_text_and_series(bundle):
    found = pd.DataFrame(
        [
            {
                "figure_id": "a",
                "check": "published_twice",
                "severity": "warning",
                "message": "m",
                "related_ids": ("b",),
            },
            {
                "figure_id": "a",
                "check": "nationwide_in_nw_view",
                "severity": "note",
                "message": "n",
                "related_ids": (),
            },
        ],
        columns=checks.COLUMNS,
    )
    assert checks.flags_text(found, ["a", "z"]) == [
        "published_twice (warning, with b); nationwide_in_nw_view (note)",
        None,
    ]
    assert checks.messages_for(found, "a") == ["⚑ warning: m", "⚑ note: n"]
    s = checks.flags_by_figure(
        pd.DataFrame({"figure_id": ["z", "a"]}), None, bundle.regions, checks=found
    )
    assert s.to_dict() == {
        "z": "",
        "a": "published_twice (warning, with b); nationwide_in_nw_view (note)",
    }
