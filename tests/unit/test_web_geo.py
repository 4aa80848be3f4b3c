"""Boundary GeoJSON route: served once, cached for a year under a versioned URL, 304 on revalidation."""

from __future__ import annotations

import gzip
import json

import pytest
from flask import Flask

from app.web.geo import GEO_FILES, geo_path, register_geo_routes

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
