"""The map as GeoJSON: every area at the level, with exactly the map's values."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.export.geojson_writer import geojson_document, geojson_text
from app.export.params import Choices, Endpoint, parse_export_params
from app.queries.catalogue import VIEW_METRICS
from app.queries.filters import FigureFilter
from app.queries.map_values import map_values

PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH"]
NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def document(bundle, **args: str) -> dict:
    choices = Choices(
        pcodes=set(bundle.areas["pcode"]) - {"SY"}, publishers=set(bundle.figures["publisher"])
    )
    p = parse_export_params({k: [v] for k, v in args.items()}, Endpoint.AREAS, choices)
    return geojson_document(bundle, p, PRIORITY, NOW, ["CC BY 3.0 IGO"], ["UN OCHA"])


@pytest.mark.parametrize(
    ("metric", "level"),
    [
        ("idp_arrivals", "3"),
        ("idp_arrivals", "2"),
        ("people_in_need", "3"),
        ("population", "1"),
        ("border_distance_km", "2"),
    ],
)
def test_values_are_the_maps(bundle, metric: str, level: str) -> None:
    doc = document(bundle, metric=metric, level=level)
    vm = VIEW_METRICS[metric]
    mv = map_values(
        bundle.figures,
        bundle.areas,
        vm,
        int(level),
        FigureFilter(),
        PRIORITY,
        sector="Shelter" if vm.needs_sector else None,
    )
    assert [f["id"] for f in doc["features"]] == list(mv.areas["pcode"])
    values = mv.values.set_index("pcode")["value"].to_dict()
    got = {f["id"]: f["properties"]["value"] for f in doc["features"]}
    assert {k: v for k, v in got.items() if v is not None} == values
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in doc["features"])


def test_no_data_is_null_never_zero(bundle) -> None:
    doc = document(bundle, metric="idp_arrivals", level="3")
    empty = [f for f in doc["features"] if f["properties"]["value"] is None]
    assert empty and all(f["properties"]["publisher"] is None for f in empty)
    full = [f for f in doc["features"] if f["properties"]["value"] is not None]
    assert full and all(f["properties"]["publisher"] and f["properties"]["period"] for f in full)


def test_area_keeps_the_areas_inside(bundle) -> None:
    doc = document(bundle, level="3", area="SY0703")
    assert doc["features"] and all(f["id"].startswith("SY0703") for f in doc["features"])
    props = doc["features"][0]["properties"]
    assert props["ADM2_PCODE"] == "SY0703" and props["ADM1_AR"] == "إدلب"


def test_metadata_and_utf8_text(bundle) -> None:
    doc = document(bundle, metric="idp_arrivals", level="2", as_of="2020-02-16")
    meta = doc["metadata"]
    assert meta["as_of"] == "2020-02-16" and meta["level"] == 2
    assert meta["filters"] == {"metric": "idp_arrivals", "level": "2", "as_of": "2020-02-16"}
    assert meta["licences"] == ["CC BY 3.0 IGO"] and meta["extracted"] == "2026-11-25T00:00:00Z"
    text = geojson_text(doc)
    assert "إدلب" in text and json.loads(text) == doc


def test_exported_rings_follow_rfc7946(bundle) -> None:
    # exterior rings counter-clockwise, holes clockwise (RFC 7946 3.1.6), whatever the
    # winding of the served map geometry; checked with shapely, not our own shoelace
    from shapely.geometry import shape

    doc = document(bundle, metric="idp_arrivals", level="3")
    assert len(doc["features"]) == 110
    for feature in doc["features"]:
        geom = shape(feature["geometry"])
        for poly in getattr(geom, "geoms", [geom]):
            assert poly.exterior.is_ccw, feature["id"]
            assert all(not hole.is_ccw for hole in poly.interiors), feature["id"]


@pytest.mark.parametrize(
    ("ring", "ccw"),
    [
        ([[0, 0], [0, 1], [1, 1], [0, 0]], False),  # clockwise in, reversed
        ([[0, 0], [1, 0], [1, 1], [0, 0]], True),  # already counter-clockwise
    ],
)
def test_rfc7946_geometry_rewinds_a_polygon(ring: list, ccw: bool) -> None:
    from app.export.geojson_writer import rfc7946_geometry

    hole_ccw = [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]]
    out = rfc7946_geometry({"type": "Polygon", "coordinates": [ring, hole_ccw]})
    assert out["coordinates"][0] == (ring if ccw else ring[::-1])
    assert out["coordinates"][1] == hole_ccw[::-1]
    point = {"type": "Point", "coordinates": [1, 2]}
    assert rfc7946_geometry(point) is point
