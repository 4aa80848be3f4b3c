"""The reconciliation view on the REAL bundle: pair statuses, the reasons given in words,
the lanes, "as known on", the pure figure builder and the URL state."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from app.figures.reconcile import CONTRADICTION, reconcile_figure
from app.queries import reconcile as rc
from components import reconcile_view as rv

AS_OF = pd.Timestamp("2020-02-16")
PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]
ARTICLE = "News article of 16 Feb 2020"


def _row(f: pd.DataFrame, **eq: object) -> dict:
    m = pd.Series(True, index=f.index)
    for k, v in eq.items():
        m &= f[k] == v
    rows = f[m]
    assert len(rows) == 1, eq
    return rows.iloc[0].to_dict()


@pytest.fixture(scope="module")
def figs(bundle) -> pd.DataFrame:
    return bundle.figures


def _codes(reasons: list[rc.Reason]) -> list[str]:
    return [r.code for r in reasons]


def test_article_1800_vs_ohchr_299_reasons(bundle, figs):
    article = _row(
        figs, value=1800.0, publisher=ARTICLE + " (outlet not recorded)"
    )
    ohchr = _row(figs, value=299.0)
    reasons = rc.compare(article, ohchr, bundle.regions, bundle.areas, others=figs)
    assert _codes(reasons) == ["area", "period_unstated", "end", "qualifier"]
    text = {r.code: r.text for r in reasons}
    assert text["area"] == (
        "different area: Idleb enclave (de-escalation zone) lies inside "
        "Idleb and Aleppo governorates"
    )
    assert text["period_unstated"] == (
        "period not stated: News article of 16 Feb 2020 more than 1,800 does not say since when it "
        "counts; TRT World over 1,800 (13 Feb 2020) gives the same number counted from "
        "17 Sep 2018; OHCHR 299 counts from 1 Jan 2020"
    )
    assert text["qualifier"] == (
        "different qualifier: News article of 16 Feb 2020 more than 1,800 is a "
        "floor, OHCHR 299 an exact count"
    )
    assert rc.pair_status(article, ohchr, bundle.regions) == "different"


def test_trt_1800_vs_ohchr_299_is_a_different_period(bundle, figs):
    trt = _row(figs, value=1800.0, publisher="TRT World")
    ohchr = _row(figs, value=299.0)
    reasons = {r.code: r.text for r in rc.compare(trt, ohchr, bundle.regions, bundle.areas)}
    assert reasons["period"] == (
        "different period: TRT World over 1,800 counts from 17 Sep 2018, OHCHR 299 from 1 Jan 2020"
    )


def test_article_700000_contradicts_ocha_more_than_800000(bundle, figs):
    article = _row(figs, value=700000.0)
    ocha = _row(figs, value=800000.0)
    assert rc.comparable(article, ocha, bundle.regions)
    assert rc.pair_status(article, ocha, bundle.regions) == "contradiction"
    text = {r.code: r.text for r in rc.compare(article, ocha, bundle.regions)}
    assert text["end"].endswith("the later figure is lower, which one running total cannot be")
    # OCHA's own running total rising from 27 Jan to 2 Feb is not a contradiction
    jan, feb = _row(figs, value=390000.0), _row(figs, value=586000.0)
    assert not rc.ranges_overlap(jan, feb)
    assert rc.pair_status(jan, feb, bundle.regions) == "consistent"


def test_cumulative_vs_a_single_month(bundle, figs):
    total = _row(figs, value=948000.0, qualifier="more than")
    month = _row(figs, value=752131.0)
    text = {r.code: r.text for r in rc.compare(total, month, bundle.regions)}
    assert text["kind"] == (
        "cumulative vs a single month: OCHA more than 948,000 is a running total since "
        "1 Dec 2019; OCHA some 752,131 counts only a single month (Feb 2020)"
    )
    assert rc.pair_status(total, month, bundle.regions) == "different"


def test_nationwide_vs_north_west_and_civilians_vs_all(bundle, figs):
    snhr = _row(figs, value=286.0)
    ohchr = _row(figs, value=344.0)
    text = {r.code: r.text for r in rc.compare(snhr, ohchr, bundle.regions, bundle.areas)}
    assert text["nationwide"].startswith("nationwide vs north-west: SNHR")
    sohr = _row(figs, value=547.0)
    text = {r.code: r.text for r in rc.compare(snhr, sohr, bundle.regions)}
    assert "civilians killed in period" in text["metric"]
    assert "people killed in period (not only civilians)" in text["metric"]


def test_projection_vs_count(bundle, figs):
    claim = _row(figs, value=2000000.0)
    count = _row(figs, value=700000.0)
    codes = _codes(rc.compare(claim, count, bundle.regions))
    assert codes[0] == "projection" and "kind" not in codes


def test_publication_date_unknown_is_said(bundle, figs):
    sohr = _row(figs, value=380.0)
    other = _row(figs, value=1800.0, publisher="TRT World")
    text = {r.code: r.text for r in rc.compare(sohr, other, bundle.regions)}
    assert text["published_unknown"] == (
        "publication date unknown: SOHR more than 380 is taken "
        "as known from its period end (13 Feb 2020)"
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("nw_syria", None), ("idlib_and_aleppo", None), "inside"),
        (("idlib_and_aleppo", None), ("idleb_enclave", None), "contains"),
        ((None, "SY02"), ("nw_syria", None), "overlap"),
        ((None, "SY07"), (None, "SY02"), "disjoint"),
        (("syria", None), ("nw_syria", None), "contains"),
        ((None, "SY070301"), (None, "SY070301"), "same"),
    ],
)
def test_relation(bundle, a, b, expected):
    pa = rc.place_of({"region": a[0], "area_pcode": a[1]}, bundle.regions)
    pb = rc.place_of({"region": b[0], "area_pcode": b[1]}, bundle.regions)
    assert rc.relation(pa, pb) == expected


def test_community_row_is_only_part_of_its_subdistrict(bundle, figs):
    sarmada = _row(figs, value=47802.0)
    dana = _row(figs, value=248842.0)
    assert (
        rc.relation(rc.place_of(sarmada, bundle.regions), rc.place_of(dana, bundle.regions))
        == "inside"
    )
    assert rc.pair_status(sarmada, dana, bundle.regions) == "different"


def test_killed_view_as_known_on_16_feb(bundle):
    rec = rc.reconciliation(
        bundle.figures,
        bundle.regions,
        "killed",
        "nw_syria",
        as_of=AS_OF,
        areas=bundle.areas,
        priority=PRIORITY,
    )
    f = rec.figures
    assert list(dict.fromkeys(f["lane"])) == [
        ARTICLE, "OHCHR", "SNHR", "SOHR", "TRT World", "UCDP GED Syria 652.1601.1911",
    ]  # fmt: skip
    assert (f["published_date"].fillna(f["period_end"]) <= AS_OF).all()
    assert 299 not in f["value"].tolist()  # OHCHR's 299 is published on 18 Feb
    assert {"lane", "status", "reasons", "related_ids", "n_contradictions"} <= set(f.columns)
    article = f[f["publisher"].str.startswith(ARTICLE)].iloc[0]
    assert article["status"] == "contradiction"  # vs SOHR "more than 380", same area
    assert any("TRT World over 1,800" in line for line in article["reasons"])
    assert set(rec.pairs["status"]) <= {"consistent", "contradiction", "different"}


def test_displaced_view_has_one_contradiction(bundle):
    rec = rc.reconciliation(
        bundle.figures,
        bundle.regions,
        "displaced",
        "nw_syria",
        areas=bundle.areas,
        priority=PRIORITY,
    )
    contra = rec.pairs[rec.pairs["status"] == "contradiction"]
    assert contra[["a_label", "b_label"]].values.tolist() == [
        ["News article of 16 Feb 2020 some 700,000", "OCHA more than 800,000"]
    ]
    # the two undated SOHR/Turkey figures are listed, not drawn
    assert len(rec.undated) == 2
    # districts and sub-districts only on request
    assert not (rec.figures["area_pcode"].fillna("").str.len() >= 6).any()
    inside = rc.reconciliation(
        bundle.figures,
        bundle.regions,
        "displaced",
        "nw_syria",
        areas=bundle.areas,
        include_inside=True,
        priority=PRIORITY,
    )
    assert (inside.figures["area_pcode"].fillna("").str.len() >= 6).any()


def test_reconcile_returns_the_figure_table(bundle):
    df = rc.reconcile(
        bundle.figures,
        "civilians_killed",
        "idlib_and_aleppo",
        bundle.regions,
        as_of=pd.Timestamp("2020-02-20"),
        priority=PRIORITY,
    )
    assert {"lane", "status", "reasons", "related_ids"} <= set(df.columns)
    assert set(df["metric"]) == {"civilians_killed"}
    assert 299 in df["value"].tolist()


def test_figure_lanes_ranges_and_contradiction_marks(bundle):
    rec = rc.reconciliation(
        bundle.figures,
        bundle.regions,
        "killed",
        "nw_syria",
        as_of=AS_OF,
        areas=bundle.areas,
        priority=PRIORITY,
    )
    fig = reconcile_figure(rec, PRIORITY, flags={"f75b564f52b2": ["⚑ note: one count"]})
    points = [t for t in fig.data if t.meta["role"] == "figures"]
    assert points[0].meta["lane"] == ARTICLE
    ids = [i for t in points for i in t.meta["figure_ids"]]
    assert sorted(ids) == sorted(rec.figures["figure_id"])
    article = next(t for t in points if t.meta["lane"] == ARTICLE)
    assert list(article.y) == [1800.0]
    assert list(article.error_y.array) == [180.0] and list(article.error_y.arrayminus) == [0.0]
    assert article.marker.line.color[0] == CONTRADICTION
    assert "⚑" in article.text[0] and "one count" in article.hovertext[0]
    assert len(fig.layout.shapes) >= 1  # the red band over the contradiction
    # every lane has the same value axis: zero to the largest high (1,980) plus room
    ranges = {tuple(fig.layout[f"yaxis{i if i > 1 else ''}"].range) for i in range(1, 6)}
    assert ranges == {(0.0, 1980.0 * 1.15)}


def test_url_state_round_trip():
    state, notices = rv.parse_reconcile_query(
        {"metric": "killed", "place": "SY07", "as_of": "2020-02-16", "inside": "1"}, {"SY07"}
    )
    assert notices == []
    assert state == rv.ReconcileState("killed", "SY07", None, None, date(2020, 2, 16), True)
    assert rv.to_query(state) == "?metric=killed&place=SY07&as_of=2020-02-16&inside=1"
    assert rv.parse_reconcile_query({}, set())[0] == rv.ReconcileState()


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"metric": "nonsense"}, "Ignored metric=nonsense"),
        ({"place": "SY99"}, "Ignored place=SY99"),
        ({"as_of": "16/02/2020"}, "Ignored as_of=16/02/2020"),
        ({"zoom": "3"}, "Ignored unknown parameter 'zoom'"),
    ],
)
def test_bad_url_values_fall_back_with_a_notice(query, notice):
    state, notices = rv.parse_reconcile_query(query, {"nw_syria"})
    assert state == rv.ReconcileState()
    assert any(n.startswith(notice) for n in notices)


def test_a_lanes_day_with_several_points_has_one_value_label(bundle):
    """UCDP's weekly civilians killed and people killed, for Mount Simeon and for Aleppo
    governorate, fall on the same days of one lane: only the largest of a day is labelled
    (four labels printed over each other before); a day with one point keeps its label."""
    rec = rc.reconciliation(bundle.figures, bundle.regions, "killed", "SY0200",
                            as_of=pd.Timestamp("2020-03-20"), areas=bundle.areas,
                            priority=PRIORITY)  # fmt: skip
    fig = reconcile_figure(rec, PRIORITY)
    ucdp = [t for t in fig.data if t.meta["role"] == "figures" and t.meta["lane"].startswith("UCDP")]
    assert {t.meta["metric"] for t in ucdp} == {"civilians_killed", "people_killed"}
    by_day: dict = {}
    for t in ucdp:
        for x, y, text in zip(t.x, t.y, t.text, strict=True):
            by_day.setdefault(x, []).append((y, text))
    crowded = {x: p for x, p in by_day.items() if len(p) > 1}
    assert len(crowded) >= 4
    for points in crowded.values():
        labelled = [(y, text) for y, text in points if text]
        assert len(labelled) == 1
        assert labelled[0][0] == max(y for y, _ in points)
    # 2019-11-10: people killed 17 (the governorate) over 10 (the district), 4 and 4
    day = next(x for x in crowded if str(x).startswith("2019-11-10"))
    assert sorted(crowded[day]) == [(4.0, ""), (4.0, ""), (10.0, ""), (17.0, "17")]
    alone = [t for t in fig.data if t.meta["role"] == "figures" and not t.meta["lane"].startswith("UCDP")]
    assert alone and all(all(t.text) for t in alone)
