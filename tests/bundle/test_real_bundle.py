"""Assertions on the real bundle in data/: real values, real provenance."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from app.tables.schemas import Areas, Figures, Regions

pytestmark = pytest.mark.bundle

ARTICLE_DOC = "Turkey, Russia to discuss grave situation in Syria's Idlib (news article, 16 Feb 2020)"


def test_tables_satisfy_their_contracts(bundle):
    Areas.validate(bundle.areas)
    Figures.validate(bundle.figures)
    Regions.validate(bundle.regions)


@pytest.mark.parametrize(
    ("adm1", "subdistricts", "districts"),
    [("SY02", 40, 8), ("SY07", 26, 5), ("SY05", 22, 5), ("SY06", 22, 4)],
)
def test_area_counts_per_governorate(bundle, adm1, subdistricts, districts):
    a = bundle.areas
    assert (a[(a.level == 3) & (a.adm1_pcode == adm1)]).shape[0] == subdistricts
    assert (a[(a.level == 2) & (a.adm1_pcode == adm1)]).shape[0] == districts


def test_areas_have_names_in_both_languages_and_parents(bundle):
    a = bundle.areas.set_index("pcode")
    assert a.loc["SY070301", "name_en"] == "Dana"
    assert a.loc["SY070301", "name_ar"] == "الدانا"
    assert a.loc["SY070301", "parent_pcode"] == "SY0703"
    assert a.loc["SY0705", "parent_pcode"] == "SY07"
    assert a.loc["SY07", "name_ar"] == "إدلب"


def test_border_distances_are_plausible(bundle):
    a = bundle.areas.set_index("pcode")
    # Harem district and Azaz sub-district touch Turkey; Hama city is far from it.
    assert a.loc["SY0703", "border_distance_km"] == 0
    assert a.loc["SY020400", "border_distance_km"] == 0
    assert 60 < a.loc["SY0501", "border_distance_km"] < 120
    assert 20 < a.loc["SY070200", "border_distance_km"] < 80  # Ma'arrat An Nu'man


def test_area_km2_matches_ocha_cod_ab_within_one_percent(bundle, shared_dir):
    cod = json.loads((shared_dir / "boundaries/syr_admin1_ocha_codab_v02_simplified.geojson").read_text())
    official = {f["properties"]["ADM1_PCODE"]: f["properties"]["area_sqkm"] for f in cod["features"]}
    a = bundle.areas[bundle.areas.level == 1].set_index("pcode")
    for pcode, km2 in a["area_km2"].items():
        assert abs(km2 / official[pcode] - 1) < 0.01, (pcode, km2, official[pcode])


def test_ocha_948000_as_of_26_feb_2020(bundle):
    f = bundle.figures
    row = f[(f.value == 948000) & (f.period_end == pd.Timestamp("2020-02-26"))]
    assert len(row) == 1
    r = row.iloc[0]
    assert r.publisher == "OCHA"
    assert r.metric == "idps_displaced_since"
    assert r.qualifier == "more than"
    assert (r.low, r.high) == (948000, 1042800)
    assert r.period_start == pd.Timestamp("2019-12-01")
    assert r.region == "nw_syria"
    assert r.url == (
        "https://reliefweb.int/report/syrian-arab-republic/"
        "recent-developments-northwest-syria-situation-report-no-9-26-february"
    )
    assert r.published_date == pd.Timestamp("2020-02-26")


@pytest.mark.parametrize(
    ("value", "metric", "qualifier"),
    [(700000, "idps_displaced_since", "some"), (1800, "civilians_killed", "more than"),
     (2000000, "people_at_risk", "some")],
)
def test_article_figures_have_the_article_as_source(bundle, value, metric, qualifier):
    f = bundle.figures
    row = f[(f.document == ARTICLE_DOC) & (f.value == value)]
    assert len(row) == 1
    r = row.iloc[0]
    assert (r.metric, r.qualifier) == (metric, qualifier)
    assert r.publisher.startswith("News article of 16 Feb 2020")
    assert r.published_date == pd.Timestamp("2020-02-16")


def test_every_dated_figure_has_provenance(bundle):
    f = bundle.figures
    assert f.publisher.str.len().gt(0).all()
    assert f.document.str.len().gt(0).all()
    assert len(f) == len(bundle.base_figures) + len(bundle.event_figures) == 2287 + 11724
    f = bundle.base_figures
    dated = f[f.sector.isna()]
    assert len(dated) == 87  # 26 + 12 + 46 transcribed + the article's 3
    # every figure except the article's has a link to its source
    assert dated[dated.url.isna()].document.eq(ARTICLE_DOC).all()


def test_sources_disagree_and_both_are_kept(bundle):
    f = bundle.figures
    ohchr = f[(f.metric == "civilians_killed") & (f.period_end == pd.Timestamp("2020-02-18"))]
    assert ohchr.value.tolist() == [299]
    unric = f[f.publisher == "OHCHR (via UNRIC)"]
    assert unric.value.tolist() == [100]


def test_hno_baseline_per_sector(bundle):
    f = bundle.base_figures
    hno = f[f.sector.notna()]
    assert set(hno.sector) == {"CCCM", "Education", "Health", "Nutrition", "NFI", "Shelter",
                               "WASH", "FSL", "ERL", "Protection"}
    assert len(hno) == 110 * 10 * 2
    dana_health = hno[(hno.area_pcode == "SY070301") & (hno.sector == "Health")]
    assert set(dana_health.metric) == {"people_in_need", "severity"}
    assert dana_health[dana_health.metric == "severity"].value.between(1, 6).all()


def test_datapackage_names_publisher_licence_and_coverage(bundle):
    pkg = bundle.datapackage
    names = {r["name"] for r in pkg["resources"]}
    assert {"areas", "figures", "gazetteer", "regions", "border", "boundaries_adm3",
            "hno2019_baseline", "turkey_context", "events_ucdp_nw", "event_figures"} <= names
    for r in pkg["resources"]:
        assert r["licenses"] and r["sources"] and r["coverage"]["spatial"], r["name"]
        path = bundle.data_dir / r["path"]
        assert path.stat().st_size == r["bytes"], r["name"]
    adm3 = next(r for r in pkg["resources"] if r["name"] == "boundaries_adm3")
    assert "CC BY 3.0 IGO" in adm3["attribution"]


def test_web_geometry_is_small_and_keyed_by_pcode(bundle):
    path = bundle.data_dir / "boundaries/syr_adm3_nw.geojson"
    assert path.stat().st_size < 250_000
    doc = json.loads(path.read_text(encoding="utf-8"))
    ids = {f["id"] for f in doc["features"]}
    assert len(ids) == 110
    assert "SY070301" in ids


def test_border_line_runs_from_the_mediterranean_to_iraq(bundle):
    doc = json.loads((bundle.data_dir / "boundaries/tur_syr_border.geojson").read_text())
    props = doc["features"][0]["properties"]
    assert 750 < props["length_km"] < 950
    coords = doc["features"][0]["geometry"]["coordinates"]
    lons = [c[0] for c in coords] if isinstance(coords[0][0], float) else [
        c[0] for part in coords for c in part]
    assert min(lons) < 36.2 and max(lons) > 42.0


def test_only_the_syria_region_is_nationwide(bundle):
    flags = bundle.regions.set_index("region")["nationwide"].to_dict()
    assert flags.pop("syria") is True
    assert flags and not any(flags.values())
