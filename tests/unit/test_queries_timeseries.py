"""Regional series: summing up the P-code tree only where the metric allows it."""

from __future__ import annotations

import pandas as pd
import pytest

from app.queries.filters import FigureFilter, apply, known_on
from app.queries.timeseries import area_at_level, regional_series


def _fig(fid, metric, value, pcode, publisher="HNAP", note=None, start="2020-02-01",
         end="2020-02-29", published=None, region=None):
    return {"figure_id": fid, "metric": metric, "kind": "flow", "metric_as_written": metric,
            "sector": None, "value": float(value), "qualifier": None, "low": float(value),
            "high": float(value), "period_start": pd.Timestamp(start) if start else pd.NaT,
            "period_end": pd.Timestamp(end), "area_pcode": pcode, "region": region,
            "area_as_written": pcode or region, "publisher": publisher, "document": "doc",
            "url": None, "published_date": pd.Timestamp(published) if published else pd.NaT,
            "note": note, "source_file": "madeup_fixture.csv", "source_row": 2}


@pytest.fixture
def madeup_figures() -> pd.DataFrame:
    """Made-up figures shaped like HNAP's February 2020 arrivals (values are real, rows reduced)."""
    return pd.DataFrame([
        _fig("a", "idp_arrivals", 248842, "SY070301"),
        _fig("b", "idp_arrivals", 95268, "SY070302"),
        _fig("c", "idp_arrivals", 71588, "SY070301", note="COMMUNITY-level figure; do not sum"),
        _fig("d", "idp_arrivals", 80518, "SY020400"),
        _fig("e", "severity", 4, "SY070301"),
        _fig("f", "severity", 5, "SY070302"),
        _fig("g", "idp_arrivals", 320600, "SY07", publisher="OCHA", start="2020-01-01",
             end="2020-01-31", published="2020-02-20"),
    ])


def test_area_at_level():
    s = pd.Series(["SY070301", "SY0703", "SY07", None])
    assert area_at_level(s, 2).tolist() == ["SY0703", "SY0703", None, None]
    assert area_at_level(s, 1).tolist() == ["SY07", "SY07", "SY07", None]


def test_sub_districts_sum_to_their_district_without_community_rows(madeup_figures):
    out = regional_series(madeup_figures, "idp_arrivals", level=2)
    harem = out[out.pcode == "SY0703"].iloc[0]
    assert harem.value == 248842 + 95268
    assert harem.n_figures == 2
    assert harem.figure_ids == "a|b"
    assert out[out.pcode == "SY0204"].value.tolist() == [80518]


def test_coarser_figures_are_not_split(madeup_figures):
    out = regional_series(madeup_figures, "idp_arrivals", level=3)
    assert "SY07" not in set(out.pcode)
    assert set(out.pcode) == {"SY070301", "SY070302", "SY020400"}
    # the community row carried on its sub-district does not describe the sub-district
    assert out[out.pcode == "SY070301"].value.tolist() == [248842]


def test_severity_is_never_summed(madeup_figures):
    assert regional_series(madeup_figures, "severity", level=2).empty
    lvl3 = regional_series(madeup_figures, "severity", level=3)
    assert lvl3.set_index("pcode").value.to_dict() == {"SY070301": 4, "SY070302": 5}


def test_known_on_uses_period_end_when_unpublished(madeup_figures):
    # HNAP rows have no published date: known from 29 Feb; OCHA's was published 20 Feb
    assert set(known_on(madeup_figures, pd.Timestamp("2020-02-21")).figure_id) == {"g"}
    assert len(known_on(madeup_figures, pd.Timestamp("2020-02-29"))) == 7


def test_filter_by_area_and_dates(madeup_figures):
    f = FigureFilter(metrics=("idp_arrivals",), pcodes=("SY0703",), include_regions=False)
    assert set(apply(madeup_figures, f).figure_id) == {"a", "b", "c"}
    f = FigureFilter(metrics=("idp_arrivals",), end=pd.Timestamp("2020-01-31"))
    assert set(apply(madeup_figures, f).figure_id) == {"g"}


def test_pcode_level_small_and_large_paths_agree() -> None:
    import pandas as pd

    from app.queries.timeseries import pcode_level

    small = pd.Series(["SY", "SY07", "SY0703", "SY070301", None, "SY0", ""], dtype="str")
    expected = [0.0, 1.0, 2.0, 3.0, None, None, None]
    got = pcode_level(small).tolist()
    assert [None if v != v else v for v in got] == expected
    large = pd.concat([small] * 1000, ignore_index=True)  # over the pandas threshold
    got_large = pcode_level(large)
    assert got_large.dtype == float
    assert got_large.fillna(-1).tolist() == pcode_level(small).fillna(-1).tolist() * 1000
