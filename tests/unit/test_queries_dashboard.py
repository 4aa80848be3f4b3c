"""Queries behind the overview: map values, chart rows, cards, area search, sources rows."""

from __future__ import annotations

import pandas as pd
import pytest

from app.queries import clean
from app.queries.areas import area_options
from app.queries.cards import card_data
from app.queries.catalogue import VIEW_METRICS
from app.queries.chart_data import chart_data
from app.queries.filters import FigureFilter
from app.queries.map_values import map_values
from app.queries.sources import dataset_rows, event_sum_rows, figure_source_rows

PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]

AREAS = pd.DataFrame(
    [
        {
            "pcode": "SY07",
            "level": 1,
            "name_en": "Idlib",
            "name_ar": "إدلب",
            "parent_pcode": "SY",
            "aliases_en": "Idleb|Idlib Governorate",
            "aliases_ar": "محافظة إدلب",
        },
        {
            "pcode": "SY0703",
            "level": 2,
            "name_en": "Harem",
            "name_ar": "حارم",
            "parent_pcode": "SY07",
            "aliases_en": "Harim",
            "aliases_ar": "",
        },
        {
            "pcode": "SY070301",
            "level": 3,
            "name_en": "Dana",
            "name_ar": "الدانا",
            "parent_pcode": "SY0703",
            "aliases_en": "",
            "aliases_ar": "دانا",
        },
        {
            "pcode": "SY070302",
            "level": 3,
            "name_en": "Salqin",
            "name_ar": "سلقين",
            "parent_pcode": "SY0703",
            "aliases_en": "",
            "aliases_ar": "",
        },
    ]
)
REGIONS = pd.DataFrame(
    [
        {
            "region": "nw_syria",
            "name": "North-west Syria (OCHA)",
            "pcodes": "SY07",
            "nationwide": False,
        }
    ]
)


def _fig(
    fid,
    value,
    pcode=None,
    publisher="HNAP",
    start="2020-02-01",
    end="2020-02-29",
    metric="idp_arrivals",
    kind="flow",
    note=None,
    region=None,
    published=None,
):
    return {
        "figure_id": fid,
        "metric": metric,
        "kind": kind,
        "metric_as_written": metric,
        "sector": None,
        "value": float(value),
        "qualifier": None,
        "low": float(value),
        "high": float(value),
        "period_start": pd.Timestamp(start) if start else pd.NaT,
        "period_end": pd.Timestamp(end) if end else pd.NaT,
        "area_pcode": pcode,
        "region": region,
        "area_as_written": pcode or region,
        "publisher": publisher,
        "document": "doc",
        "url": None,
        "published_date": pd.Timestamp(published) if published else pd.NaT,
        "note": note,
        "source_file": "madeup.csv",
        "source_row": 2,
    }


@pytest.fixture
def figures() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _fig("a", 248842, "SY070301"),
            _fig("b", 95268, "SY070302"),
            _fig("c", 47802, "SY070301", note="COMMUNITY-level figure; do not sum"),
            _fig(
                "d",
                267000,
                "SY070301",
                publisher="OCHA",
                start=None,
                end="2020-02-20",
                published="2020-02-20",
            ),
            _fig(
                "d2",
                267000,
                "SY070301",
                publisher="OCHA",
                start=None,
                end="2020-02-20",
                published="2020-02-20",
                note="same figure in national table",
            ),
            _fig("e", 560000, "SY07", publisher="OCHA", start="2019-12-01", published="2020-03-05"),
            _fig(
                "f",
                900000,
                region="nw_syria",
                publisher="OCHA",
                metric="idps_displaced_since",
                kind="cumulative",
                start="2019-12-01",
                end="2020-02-20",
                published="2020-02-20",
            ),
            _fig("g", 40000, "SY070301", publisher="SOHR", start=None, end=None),
        ]
    )


def test_duplicates_count_once_and_keep_the_note(figures):
    out = clean.drop_duplicates(figures)
    assert "d" not in set(out.figure_id) and "d2" in set(out.figure_id)
    assert len(out) == len(figures) - 1


def test_map_prefers_latest_period_then_priority(figures):
    mv = map_values(figures, AREAS, VIEW_METRICS["idp_arrivals"], 3, FigureFilter(), PRIORITY)
    vals = mv.values.set_index("pcode")
    # HNAP's February (ends 29 Feb) beats OCHA's 20 Feb; the community row is not Dana's value
    assert vals.loc["SY070301", "value"] == 248842
    assert vals.loc["SY070301", "publisher"] == "HNAP"
    assert vals.loc["SY070301", "n_other"] == 2  # OCHA 267,000 (counted once) and SOHR (undated)
    assert mv.coverage_text() == "Data for 2 of 2 sub-districts"


def test_map_as_known_on_hides_later_publications(figures):
    flt = FigureFilter(as_of=pd.Timestamp("2020-02-25"))
    mv = map_values(figures, AREAS, VIEW_METRICS["idp_arrivals"], 3, flt, PRIORITY)
    vals = mv.values.set_index("pcode")
    # HNAP's rows have no published date: known no earlier than the end of February
    assert vals.loc["SY070301", "value"] == 267000
    assert "SY070302" not in vals.index


def test_map_sums_up_and_says_whether_the_sum_is_complete(figures):
    mv = map_values(figures, AREAS, VIEW_METRICS["idp_arrivals"], 2, FigureFilter(), PRIORITY)
    harem = mv.values.set_index("pcode").loc["SY0703"]
    assert harem.value == 248842 + 95268
    assert (harem.summed, harem.n_parts, harem.n_expected) == (True, 2, 2)
    assert not harem.partial  # both of Harem's sub-districts (in this fixture) reported
    more = pd.concat(
        [
            AREAS,
            pd.DataFrame(
                [
                    {
                        "pcode": "SY070303",
                        "level": 3,
                        "name_en": "Harem",
                        "name_ar": "حارم",
                        "parent_pcode": "SY0703",
                    }
                ]
            ),
        ]
    )
    mv = map_values(figures, more, VIEW_METRICS["idp_arrivals"], 2, FigureFilter(), PRIORITY)
    harem = mv.values.set_index("pcode").loc["SY0703"]
    assert (harem.n_parts, harem.n_expected, bool(harem.partial)) == (2, 3, True)


def test_map_governorate_prefers_own_figure_over_a_sum(figures):
    mv = map_values(figures, AREAS, VIEW_METRICS["idp_arrivals"], 1, FigureFilter(), PRIORITY)
    idlib = mv.values.set_index("pcode").loc["SY07"]
    assert (idlib.value, idlib.publisher, bool(idlib.partial)) == (560000, "OCHA", False)


def test_chart_scope_without_areas_is_regions_and_governorates(figures):
    cd = chart_data(figures, AREAS, REGIONS, VIEW_METRICS["idp_arrivals"], (), FigureFilter())
    assert set(cd.figures.figure_id) == {"e", "f"}
    assert set(cd.figures.area_label) == {"Idlib (SY07)", "North-west Syria (OCHA)"}


def test_chart_for_an_area_counts_what_it_leaves_out(figures):
    cd = chart_data(
        figures, AREAS, REGIONS, VIEW_METRICS["idp_arrivals"], ("SY070301",), FigureFilter()
    )
    assert set(cd.figures.figure_id) == {"a", "d2"}
    assert cd.n_undated == 1  # SOHR's undated figure
    assert cd.scope == "Dana"
    cd = chart_data(
        figures, AREAS, REGIONS, VIEW_METRICS["idp_arrivals"], ("SY07",), FigureFilter()
    )
    assert set(cd.figures.figure_id) == {"e"}
    assert cd.n_inside == 4  # a, b, d2 and g are for places inside Idlib


def test_chart_publisher_filter(figures):
    cd = chart_data(
        figures,
        AREAS,
        REGIONS,
        VIEW_METRICS["idp_arrivals"],
        ("SY070301",),
        FigureFilter(publishers=("OCHA",)),
    )
    assert set(cd.figures.publisher) == {"OCHA"}


@pytest.mark.parametrize("typed", ["Dana", "الدانا", "دانا", "SY070301", "sy0703"])
def test_area_search_terms(typed):
    options = area_options(AREAS)
    hits = [
        o["value"]
        for o in options
        if all(
            tok.lower() in (o["label"] + " " + o["search"] + " " + o["value"]).lower()
            for tok in typed.split()
        )
    ]
    assert "SY070301" in hits


def test_area_labels_name_level_and_parent():
    dana = next(o for o in area_options(AREAS) if o["value"] == "SY070301")
    assert dana["label"] == "Dana · الدانا · SY070301 (sub-district in Harem)"


@pytest.mark.bundle
def test_cards_on_the_bundle(bundle):
    today = {c.key: c for c in card_data(bundle.figures, PRIORITY)}
    d = today["displaced"].figure
    assert (d["value"], d["qualifier"], d["publisher"]) == (1000000, "almost", "OCHA")
    assert d["period_end"] == pd.Timestamp("2020-03-05")
    assert today["at_risk"].is_seed  # only the seed article gave a figure
    assert not today["killed"].seed.empty  # its 1,800 beside OHCHR's 299
    feb16 = {c.key: c for c in card_data(bundle.figures, PRIORITY, pd.Timestamp("2020-02-16"))}
    d = feb16["displaced"].figure
    assert (d["value"], d["qualifier"], d["publisher"]) == (800000, "more than", "OCHA")
    assert d["period_end"] == pd.Timestamp("2020-02-12")
    assert feb16["displaced"].seed["value"].tolist() == [700000]


@pytest.mark.bundle
def test_sources_rows_cover_every_resource_and_figure(bundle):
    rows = dataset_rows(bundle.datapackage)
    assert [r["path"] for r in rows] == [r["path"] for r in bundle.datapackage["resources"]]
    assert all(r["licence"] and r["publisher"] for r in rows)
    dated = bundle.base_figures[~bundle.base_figures.source_file.str.startswith("baseline")]
    assert len(figure_source_rows(bundle.figures)) == len(dated) == 87
    # the weekly sums of events: one line per dataset and document, every week counted
    [ucdp] = event_sum_rows(bundle.figures)
    assert (ucdp["publisher"], ucdp["n"]) == ("UCDP GED Syria 652.1601.1911", "11,724")
    assert ucdp["published"] == "10 Jan 2020"
