"""Boundary GeoJSON route: served once, cached for a year under a versioned URL, 304 on revalidation."""

from __future__ import annotations

import gzip
import json

import pytest
from flask import Flask

from app.web.geo import (
    GEO_FILES,
    area_options_path,
    border_lonlat,
    check_winding,
    geo_path,
    register_geo_routes,
    wrongly_wound,
)

pytestmark = pytest.mark.bundle


@pytest.fixture
def client(bundle):
    server = Flask(__name__)
    register_geo_routes(server, bundle)
    return server.test_client()


def test_versioned_url_is_immutable_and_gzipped(client, bundle):
    url = geo_path(bundle, "adm3")
    resp = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200
    assert resp.headers["Content-Encoding"] == "gzip"
    assert "immutable" in resp.headers["Cache-Control"]
    assert resp.headers["Vary"] == "Accept-Encoding"
    doc = json.loads(gzip.decompress(resp.data))
    assert len(doc["features"]) == 110
    assert {f["id"] for f in doc["features"]} == set(
        bundle.areas.loc[bundle.areas.level == 3, "pcode"]
    )


def test_etag_revalidation(client, bundle):
    first = client.get("/geo/adm1.geojson")
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/geo/adm1.geojson", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_every_file_is_served_and_unknown_is_404(client, bundle):
    for name in GEO_FILES:
        assert client.get(geo_path(bundle, name)).status_code == 200
    assert client.get("/geo/secrets.geojson").status_code == 404


def test_version_follows_the_datapackage_hash(bundle):
    res = next(
        r for r in bundle.datapackage["resources"] if r["path"] == "boundaries/syr_adm3_nw.geojson"
    )
    assert geo_path(bundle, "adm3") == f"/geo/adm3.geojson?v={res['hash'][7:23]}"


def test_served_polygons_are_wound_for_d3_geo(client, bundle):
    """Exterior rings clockwise, holes counter-clockwise: else the SVG map draws them inverted."""
    for name in ("adm1", "adm2", "adm3", "turkey", "outline"):
        resp = client.get(geo_path(bundle, name))
        doc = json.loads(resp.data)
        assert doc["features"] and wrongly_wound(doc) == [], name
    assert check_winding(bundle) == {}


@pytest.mark.parametrize(
    ("ring", "wrong"),
    [
        pytest.param([[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]], False, id="clockwise"),
        pytest.param([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], True, id="counter-clockwise"),
    ],
)
def test_wrongly_wound(ring, wrong):
    hole_ccw = [[0.2, 0.2], [0.8, 0.2], [0.8, 0.8], [0.2, 0.8], [0.2, 0.2]]
    polygon = {"type": "Polygon", "coordinates": [ring]}
    multi = {"type": "MultiPolygon", "coordinates": [[ring, hole_ccw]]}
    line = {"type": "LineString", "coordinates": ring}
    doc = {
        "features": [
            {"id": "p", "geometry": polygon},
            {"id": "m", "geometry": multi},
            {"id": "l", "geometry": line},
        ]
    }
    assert wrongly_wound(doc) == (["p", "m"] if wrong else [])
    # a hole wound like its exterior is wrong too
    doc = {"features": [{"id": "h", "geometry": {"type": "Polygon", "coordinates": [ring, ring]}}]}
    assert wrongly_wound(doc) == ["h"]


def test_border_line_for_scattergeo(bundle):
    lon, lat = border_lonlat(bundle)
    geom = bundle.geojson(GEO_FILES["border"])["features"][0]["geometry"]
    assert geom["type"] == "LineString"
    assert list(zip(lon, lat, strict=True)) == [tuple(p) for p in geom["coordinates"]]
    assert 200 < len(lon) < 400  # about 1.5 KB compressed in every map figure
    assert all(35.8 < x < 42.5 for x in lon) and all(35.8 < y < 37.4 for y in lat)


def test_area_options_are_served_once_and_cached(client, bundle):
    from app.queries.areas import area_options

    url = area_options_path(bundle)
    resp = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert "immutable" in resp.headers["Cache-Control"]
    options = json.loads(gzip.decompress(resp.data))
    assert options == area_options(bundle.areas, bundle.place_aliases)
    assert len(options) == 136 and {"label", "value", "search"} <= set(options[0])
    again = client.get(
        "/geo/areas.json",
        headers={"Accept-Encoding": "gzip", "If-None-Match": resp.headers["ETag"]},
    )
    assert again.status_code == 304 and again.headers["Cache-Control"] == "no-cache"
