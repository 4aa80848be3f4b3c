"""Boundary GeoJSON over HTTP, sent once and then taken from the browser's cache.

The map's traces name their geometry by URL (``/geo/adm3.geojson?v=<hash>``); Plotly
fetches it once per page and keeps it, and the browser's HTTP cache keeps it across page
loads. So no callback ever carries polygons, only P-codes and values.

Caching: the ``v`` parameter is the file's SHA-256 from ``datapackage.json`` (it changes
when the bundle is rebuilt), so a versioned URL is cached for a year as immutable; any
other request gets ``no-cache`` and revalidates with the ``ETag`` (304 when unchanged).
Bodies are gzipped once at start-up (deterministically) and sent gzipped to clients that
accept it; flask-compress leaves responses that already carry a Content-Encoding alone.

Winding: the map is drawn by plotly.js's ``geo`` subplot, i.e. d3-geo, which takes a ring's
orientation as meaning: an exterior ring must run clockwise (holes counter-clockwise), or
the polygon is read as "the whole globe but this area" and drawn inverted. The bundle
builder writes them so (:func:`app.bundle.geo.to_geojson`); :func:`check_winding` says at
start-up, in the log, if a boundary file does not.

The border line (a LineString) is not a polygon, which a ``choropleth`` cannot draw from a
URL: :func:`border_lonlat` gives its coordinates for an inline ``scattergeo`` line.

``/geo/areas.json?v=<hash>``: the area picker's options (every admin 1-3 area's names,
Arabic names, aliases and P-code, :func:`app.queries.areas.area_options`: 57 KB, 8 KB
compressed), cached the same way. The overview loads them when the picker is first
touched (``components/filters.py``), not with the page.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import logging
from dataclasses import dataclass

from flask import Flask, Response, abort, request

from app.bundle.store import Bundle
from app.web.static import stored_brotli

log = logging.getLogger(__name__)

#: URL name -> file in data/boundaries/
GEO_FILES: dict[str, str] = {
    "adm1": "syr_adm1_nw.geojson",
    "adm2": "syr_adm2_nw.geojson",
    "adm3": "syr_adm3_nw.geojson",
    "turkey": "tur_adm1_context.geojson",
    "border": "tur_syr_border.geojson",
    "outline": "syr_adm0_outline.geojson",
}
ONE_YEAR = 365 * 24 * 3600
MEDIA_TYPE = "application/geo+json"
#: The area picker's options (see module doc).
AREAS_JSON = "/geo/areas.json"


@dataclass(frozen=True)
class _Served:
    raw: bytes
    gz: bytes
    version: str


def file_version(bundle: Bundle, name: str) -> str:
    """Short content hash of a boundary file: from datapackage.json, else computed."""
    path = f"boundaries/{GEO_FILES[name]}"
    for res in bundle.datapackage.get("resources", []):
        if res.get("path") == path and str(res.get("hash", "")).startswith("sha256:"):
            return str(res["hash"])[7:23]
    data = (bundle.data_dir / path).read_bytes()
    return hashlib.sha256(data).hexdigest()[:16]


def geo_path(bundle: Bundle, name: str) -> str:
    """The versioned path of a boundary file (prefix it with the app's base path)."""
    return f"/geo/{name}.geojson?v={file_version(bundle, name)}"


def _signed_area(ring: list) -> float:
    """Twice the signed area of a lon/lat ring (shoelace): > 0 counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring))


def wrongly_wound(doc: dict) -> list[str]:
    """Ids of the features whose rings d3-geo would draw inverted (see module doc):
    an exterior ring that is not clockwise, or a hole that is not counter-clockwise."""
    bad = []
    for i, feature in enumerate(doc.get("features", [])):
        geom = feature.get("geometry") or {}
        if geom.get("type") == "Polygon":
            polygons = [geom["coordinates"]]
        elif geom.get("type") == "MultiPolygon":
            polygons = geom["coordinates"]
        else:
            continue
        for rings in polygons:
            if any((_signed_area(ring) >= 0) == (k == 0) for k, ring in enumerate(rings) if ring):
                bad.append(str(feature.get("id", i)))
                break
    return bad


def check_winding(bundle: Bundle) -> dict[str, list[str]]:
    """Boundary files with wrongly wound polygons (logged as a warning): name -> feature ids."""
    found = {}
    for name, filename in GEO_FILES.items():
        bad = wrongly_wound(bundle.geojson(filename))
        if bad:
            found[name] = bad
            log.warning(
                "%s: %d feature(s) wound counter-clockwise (%s): the map draws them inverted; "
                "rebuild the bundle with scripts/build_bundle.py",
                filename,
                len(bad),
                ", ".join(bad[:5]),
            )
    return found


def border_lonlat(bundle: Bundle) -> tuple[tuple[float | None, ...], tuple[float | None, ...]]:
    """(lon, lat) of the Turkey-Syria border line, parts separated by None (Plotly's gaps)."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for feature in bundle.geojson(GEO_FILES["border"])["features"]:
        geom = feature["geometry"]
        parts = [geom["coordinates"]] if geom["type"] == "LineString" else geom["coordinates"]
        for part in parts:
            if lon:
                lon.append(None)
                lat.append(None)
            lon.extend(float(p[0]) for p in part)
            lat.extend(float(p[1]) for p in part)
    return tuple(lon), tuple(lat)


def area_options_json(bundle: Bundle, lang: str = "en") -> bytes:
    """The area picker's options as compact UTF-8 JSON (computed once per areas table and
    language: Arabic labels name the area in Arabic first, app.queries.area_labels)."""
    from app.queries.area_labels import localized_area_options
    from app.queries.areas import area_options
    from app.queries.derived import memo

    def encode(areas: object) -> bytes:
        options = area_options(bundle.areas, bundle.place_aliases)
        options = localized_area_options(bundle.areas, options, lang)
        return json.dumps(options, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    return memo(bundle.areas, "area_options_json" + ("" if lang == "en" else f"_{lang}"), encode)


def area_options_path(bundle: Bundle, lang: str = "en") -> str:
    """The versioned path of the area options (prefix it with the app's base path); the
    Arabic options carry ``lang=ar`` (the English path never depends on the browser)."""
    digest = hashlib.sha256(area_options_json(bundle, lang)).hexdigest()[:16]
    return f"{AREAS_JSON}?v={digest}" + ("&lang=ar" if lang == "ar" else "")


def register_geo_routes(server: Flask, bundle: Bundle) -> None:
    """Add ``GET /geo/<name>.geojson`` and ``GET /geo/areas.json`` to ``server`` (files read
    and gzipped here, once)."""
    check_winding(bundle)
    served: dict[str, _Served] = {}
    for name, filename in GEO_FILES.items():
        raw = (bundle.data_dir / "boundaries" / filename).read_bytes()
        gz = gzip.compress(raw, compresslevel=9, mtime=0)
        served[name] = _Served(raw, gz, file_version(bundle, name))
    areas_by_lang = {}
    for lang in ("en", "ar"):
        options = area_options_json(bundle, lang)
        areas_by_lang[lang] = _Served(
            options,
            gzip.compress(options, compresslevel=9, mtime=0),
            hashlib.sha256(options).hexdigest()[:16],
        )

    @server.get("/geo/<name>.geojson")
    def geojson(name: str) -> Response:
        item = served.get(name)
        if item is None:
            abort(404)
        return _send(item, MEDIA_TYPE)

    @server.get(AREAS_JSON)
    def area_options() -> Response:
        lang = "ar" if request.args.get("lang") == "ar" else "en"
        return _send(areas_by_lang[lang], "application/json")


def _send(item: _Served, mimetype: str) -> Response:
    """``item`` as brotli, gzip or identity for this request, cached for a year when asked
    for by its version, else revalidated by ETag."""
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower()
    body = item.gz if use_gzip else item.raw
    etag = f"{item.version}-{'gz' if use_gzip else 'id'}"
    # performance: brotli-11 (a third smaller than gzip -9) once app.web.static stored it
    br = stored_brotli(item.raw) if request.accept_encodings["br"] > 0 else None
    if br is not None:
        body, etag, use_gzip = br, f"{item.version}-br", False
    resp = Response(body, mimetype=mimetype)
    resp.set_etag(etag)
    resp.headers["Vary"] = "Accept-Encoding"
    if use_gzip:
        resp.headers["Content-Encoding"] = "gzip"
    if br is not None:
        resp.headers["Content-Encoding"] = "br"
    if request.args.get("v") == item.version:
        resp.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    else:
        resp.headers["Cache-Control"] = "no-cache"
    return resp.make_conditional(request)
