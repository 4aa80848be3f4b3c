"""The choropleth builder: values by P-code, grey "no data", polygons by URL only, SVG geo."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from app.figures.map import LAT_RANGE, LON_RANGE, MapContext, choropleth_map
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


def _map(figures, metric="idp_arrivals", selected=()):
    mv = map_values(figures, AREAS, VIEW_METRICS[metric], 3, FigureFilter(), ["OCHA", "HNAP"])
    return mv, choropleth_map(mv, CTX, selected=selected)


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
        "scattergeo",
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
    # the bundle's areas are inside the frame
    assert LON_RANGE[0] < 35.727 and LON_RANGE[1] > 38.72
    assert LAT_RANGE[0] < 34.855 and LAT_RANGE[1] > 36.913


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


def test_sparse_data_is_said_on_the_map(figures):
    _, fig = _map(figures)
    assert "Data for 2 of 3 sub-districts" in fig["layout"]["annotations"][0]["text"]


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
