"""The choropleth builder: values by P-code, grey "no data", polygons by URL only, SVG geo."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from app.figures.map import (
    FULL_LAT_RANGE,
    FULL_LON_RANGE,
    LABEL_MIN_KM,
    LAT_RANGE,
    LON_RANGE,
    SCALE_KM,
    SUBDISTRICT_MIN_SHARE,
    MapContext,
    PlaceLabel,
    choropleth_map,
    distance_km,
    frame_area_km2,
    place_labels,
)
from app.queries.catalogue import VIEW_METRICS
from app.queries.filters import FigureFilter
from app.queries.map_values import map_values

AREAS = pd.DataFrame(
    [
        {
            "pcode": "SY07",
            "level": 1,
            "name_en": "Idlib",
            "name_ar": "إدلب",
            "population": 1445000.0,
            "population_year": "2016",
            "border_distance_km": 0.0,
        },
        {
            "pcode": "SY070301",
            "level": 3,
            "name_en": "Dana",
            "name_ar": "الدانا",
            "population": 71000.0,
            "population_year": "2004",
            "border_distance_km": 0.0,
        },
        {
            "pcode": "SY070302",
            "level": 3,
            "name_en": "Salqin",
            "name_ar": "سلقين",
            "population": None,
            "population_year": "",
            "border_distance_km": 2.5,
        },
        {
            "pcode": "SY070003",
            "level": 3,
            "name_en": "Saraqab",
            "name_ar": "سراقب",
            "population": 60000.0,
            "population_year": "2004",
            "border_distance_km": 61.2,
        },
    ]
)
CTX = MapContext(
    geojson_url="/geo/adm3.geojson?v=abc",
    turkey_url="/geo/turkey.geojson?v=def",
    turkey=(("TUR031", "Hatay"), ("TUR079", "Kilis")),
    border_url="/geo/border.geojson?v=123",
    border_lon=(36.0, 36.5, None, 37.0, 37.5),
    border_lat=(36.2, 36.3, None, 36.6, 36.7),
)


def _fig(
    fid,
    value,
    pcode,
    publisher="HNAP",
    qualifier=None,
    low=None,
    high=None,
    start="2020-02-01",
    end="2020-02-29",
    metric="idp_arrivals",
    note=None,
):
    return {
        "figure_id": fid,
        "metric": metric,
        "kind": "flow",
        "metric_as_written": metric,
        "sector": None,
        "value": float(value),
        "qualifier": qualifier,
        "low": float(low if low is not None else value),
        "high": float(high if high is not None else value),
        "period_start": pd.Timestamp(start) if start else pd.NaT,
        "period_end": pd.Timestamp(end) if end else pd.NaT,
        "area_pcode": pcode,
        "region": None,
        "area_as_written": pcode,
        "publisher": publisher,
        "document": "doc",
        "url": None,
        "published_date": pd.NaT,
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
            _fig("c", 71588, "SY070301", note="COMMUNITY-level figure; do not sum"),
            _fig(
                "d",
                267000,
                "SY070301",
                publisher="OCHA",
                qualifier="some",
                low=253650,
                high=280350,
                start=None,
                end="2020-02-20",
            ),
        ]
    )


def _map(figures, metric="idp_arrivals", selected=(), ctx=CTX):
    mv = map_values(figures, AREAS, VIEW_METRICS[metric], 3, FigureFilter(), ["OCHA", "HNAP"])
    return mv, choropleth_map(mv, ctx, selected=selected)


def _trace(fig, role):
    return next(t for t in fig["data"] if t["meta"]["role"] == role)


def test_values_by_pcode(figures):
    _, fig = _map(figures)
    values = _trace(fig, "values")
    assert dict(zip(values["locations"], values["z"], strict=True)) == {
        "SY070301": 248842.0,
        "SY070302": 95268.0,
    }


@pytest.mark.parametrize("metric", ["idp_arrivals", "border_distance_km", "population"])
def test_figure_is_valid_for_plotly(figures, metric):
    """Built as plain dicts for speed: the Plotly schema must still accept every property."""
    _, fig = _map(figures, metric=metric, selected=("SY070302",))
    checked = go.Figure(fig)  # validates, raises on an unknown or invalid property
    assert [t.type for t in checked.data] == [
        "choropleth",
        "choropleth",
        "choropleth",
        "choropleth",
        "scattergeo",  # border
        "scattergeo",  # scale bar (this context has no place labels)
    ]
    json.dumps(fig)  # plain JSON types only: what Dash sends


def test_svg_geo_map_without_base_map(figures):
    _, fig = _map(figures)
    geo = fig["layout"]["geo"]
    assert geo["projection"]["type"] == "mercator"
    assert geo["lonaxis"]["range"] == list(LON_RANGE)
    assert geo["lataxis"]["range"] == list(LAT_RANGE)
    # no base layer would need world_110m.json's content (ours is an empty topology)
    assert not any(v for k, v in geo.items() if k.startswith("show") and k != "showframe")
    for t in fig["data"][:4]:
        assert (t["locationmode"], t["featureidkey"]) == ("geojson-id", "id")
    # it opens on the Idleb / western Aleppo belt: Kafr Nobol (35.58 N) to A'zaz (36.58 N),
    # Jisr ash-Shughur (36.34 E) to Aleppo (37.16 E); the whole bundle is a zoom away
    assert LON_RANGE[0] < 36.34 and LON_RANGE[1] > 37.16
    assert LAT_RANGE[0] < 35.58 and LAT_RANGE[1] > 36.58
    assert FULL_LON_RANGE[0] < 35.727 and FULL_LON_RANGE[1] > 38.72
    assert FULL_LAT_RANGE[0] < 34.855 and FULL_LAT_RANGE[1] > 36.913
    assert (LON_RANGE[1] - LON_RANGE[0]) < (FULL_LON_RANGE[1] - FULL_LON_RANGE[0]) / 1.8


def test_missing_areas_are_grey_and_say_no_data(figures):
    _, fig = _map(figures)
    grey = _trace(fig, "no-data")
    assert list(grey["locations"]) == ["SY070003"]
    assert grey["colorscale"][0][1] == grey["colorscale"][-1][1]  # one flat grey
    assert "no data" in grey["hovertext"][0]
    assert "SY070003" not in _trace(fig, "values")["locations"]  # never drawn as 0
    assert grey["showlegend"] is True and grey["name"] == "No data"


def test_hover_has_both_names_pcode_value_and_source(figures):
    _, fig = _map(figures)
    values = _trace(fig, "values")
    dana = values["hovertext"][list(values["locations"]).index("SY070301")]
    for text in ("Dana", "الدانا", "SY070301", "248,842", "HNAP, Feb 2020", "+1 other figure"):
        assert text in dana


def test_polygons_only_by_url(figures):
    _, fig = _map(figures)
    choropleths = [t for t in fig["data"] if t["type"] == "choropleth"]
    assert len(choropleths) == 4
    assert {t["geojson"] for t in choropleths} == {
        "/geo/adm3.geojson?v=abc",
        "/geo/turkey.geojson?v=def",
    }
    assert '"coordinates"' not in json.dumps(fig)


def test_context_layers_are_labelled(figures):
    _, fig = _map(figures)
    turkey = _trace(fig, "context")
    assert list(turkey["locations"]) == ["TUR031", "TUR079"]
    assert all("approximate" in h for h in turkey["hovertext"])
    assert turkey["showlegend"] is True
    border = _trace(fig, "border")
    assert border["type"] == "scattergeo" and border["mode"] == "lines"
    assert border["name"] == "Turkey–Syria border" and border["showlegend"] is True
    # the line itself, inline (a choropleth cannot draw a line from a URL)
    assert border["lon"] == [36.0, 36.5, None, 37.0, 37.5]
    assert border["lat"] == [36.2, 36.3, None, 36.6, 36.7]
    assert border["hoverinfo"] == "skip"


def test_sparse_data_is_said_below_the_map_never_over_it(figures):
    _, fig = _map(figures)
    assert "annotations" not in fig["layout"]  # nothing drawn over the map
    assert fig["layout"]["meta"]["coverage"][1] == (
        "Data for 2 of 3 sub-districts (sub-districts in grey: no data)"
    )
    assert fig["layout"]["meta"]["n_with_data"] == 2
    legend = fig["layout"]["legend"]  # below the map: plotly.js makes room for it
    assert (legend["orientation"], legend["y"], legend["yanchor"]) == ("h", 0, "top")


def test_place_names_and_scale_bar(figures):
    labels = (
        PlaceLabel("Idlib", 36.68, 35.78, "governorate"),
        PlaceLabel("Idleb", 36.61, 35.92, "town"),
    )
    _, fig = _map(figures, ctx=dataclasses.replace(CTX, labels=labels))
    gov = _trace(fig, "labels-governorate")
    assert gov["text"] == ["Idlib"] and gov["mode"] == "text" and gov["hoverinfo"] == "skip"
    town = _trace(fig, "labels-town")
    assert town["text"] == ["Idleb"] and town["lon"] == [36.61]
    scale = _trace(fig, "scale")
    assert scale["text"][-1] == f"{SCALE_KM} km"
    # the bar's length on the ground, at its latitude
    span_km = (scale["lon"][2] - scale["lon"][1]) * 111.32 * math.cos(math.radians(scale["lat"][1]))
    assert abs(span_km - SCALE_KM) < 0.01
    go.Figure(fig)  # valid for plotly


def test_place_labels_by_level() -> None:
    areas = pd.DataFrame(
        [
            {
                "pcode": "SY07",
                "level": 1,
                "name_en": "Idlib",
                "centroid_lon": 36.7,
                "centroid_lat": 35.8,
            },
            {
                "pcode": "SY0703",
                "level": 2,
                "name_en": "Harem",
                "centroid_lon": 36.6,
                "centroid_lat": 36.2,
            },
            {
                "pcode": "SY070301",
                "level": 3,
                "name_en": "Dana",
                "centroid_lon": 36.73,
                "centroid_lat": 36.24,
            },
            {
                "pcode": "SY070100",
                "level": 3,
                "name_en": "Other",
                "centroid_lon": 36.0,
                "centroid_lat": 36.0,
            },
        ]
    )
    assert [(lb.name, lb.kind) for lb in place_labels(areas, 1)] == [
        ("Idlib", "governorate"),
        ("Dana (Sarmada)", "town"),
    ]
    assert [lb.name for lb in place_labels(areas, 2)] == ["Harem", "Dana (Sarmada)"]
    assert [lb.name for lb in place_labels(areas, 3)] == ["Dana (Sarmada)"]


def test_selected_area_is_outlined(figures):
    _, fig = _map(figures, selected=("SY070302", "SY07"))
    selected = _trace(fig, "selected")
    assert selected["locations"] == ["SY070302"]  # SY07 is not an admin 3 area
    assert selected["marker"]["line"]["width"] > 2 and selected["hoverinfo"] == "skip"


def test_area_attribute_metric(figures):
    _, fig = _map(figures, metric="border_distance_km")
    values = _trace(fig, "values")
    assert dict(zip(values["locations"], values["z"], strict=True)) == {
        "SY070301": 0.0,
        "SY070302": 2.5,
        "SY070003": 61.2,
    }
    assert "61.2 km" in values["hovertext"][list(values["locations"]).index("SY070003")]
    _mv, fig = _map(figures, metric="population")
    assert _trace(fig, "no-data")["locations"] == ["SY070302"]  # missing population: grey


def test_subdistrict_names_where_they_fit(figures) -> None:
    """Level 3 names the sub-districts that fit: some, not all 110, none within
    LABEL_MIN_KM of another name (town or sub-district), drawn small and escaped."""
    areas = pd.read_csv(Path(__file__).parents[2] / "data" / "tables" / "areas.csv")
    n_sub = int((areas["level"] == 3).sum())
    assert n_sub == 110
    labels = place_labels(areas, 3)
    subs = [lb for lb in labels if lb.kind == "subdistrict"]
    towns = [lb for lb in labels if lb.kind == "town"]
    assert 10 <= len(subs) < n_sub
    assert len(towns) == 14
    names = {lb.name for lb in subs}
    assert {"Al-Khafsa", "Sanjar", "Jandairis"} <= names  # large, away from the towns
    assert "Jebel Saman" not in names  # under the "Aleppo" town label
    assert "Dana" not in names  # named as the town "Dana (Sarmada)"
    min_km2 = SUBDISTRICT_MIN_SHARE * frame_area_km2()
    big = areas[areas["level"] == 3].groupby("name_en")["area_km2"].max()
    assert all(big[lb.name] >= min_km2 for lb in subs)
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if "subdistrict" in (a.kind, b.kind):
                assert distance_km((a.lon, a.lat), (b.lon, b.lat)) >= LABEL_MIN_KM, (a, b)
    # no sub-district names at levels 1 and 2
    assert not [lb for lb in place_labels(areas, 2) if lb.kind == "subdistrict"]
    # drawn as one small text trace, escaped like every name from a file
    odd = (PlaceLabel("<b>Kafr & Co</b>", 37.0, 35.5, "subdistrict"), *labels)
    _, fig = _map(figures, ctx=dataclasses.replace(CTX, labels=odd))
    sub = _trace(fig, "labels-subdistrict")
    assert sub["text"][0] == "&lt;b&gt;Kafr &amp; Co&lt;/b&gt;"
    assert len(sub["text"]) == len(subs) + 1 and sub["mode"] == "text"
    assert sub["textfont"]["size"] < _trace(fig, "labels-town")["textfont"]["size"]
    assert sub["hoverinfo"] == "skip" and sub["showlegend"] is False
    go.Figure(fig)  # valid for plotly


def test_distance_km() -> None:
    assert distance_km((36.0, 36.0), (36.0, 37.0)) == pytest.approx(111.32)
    assert distance_km((36.0, 0.0), (37.0, 0.0)) == pytest.approx(111.32)
    assert frame_area_km2((36.0, 37.0), (0.0, 1.0)) == pytest.approx(111.32**2, rel=1e-3)
