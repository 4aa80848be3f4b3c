"""Geometry steps of the bundle build: simplify a coverage, derive the border, measure distances.

Pure functions over GeoDataFrames so each step can be tested on its own.
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import shapely
from shapely.geometry import mapping
from shapely.ops import linemerge

#: Metric CRS for distances and areas in north-west Syria (UTM zone 37N).
METRIC_CRS = "EPSG:32637"
#: Equal-area CRS for km² (World Cylindrical Equal Area).
AREA_CRS = "EPSG:6933"
#: Coordinates are rounded to 4 decimals (about 11 m) in the web files.
DECIMALS = 4


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance_deg: float) -> gpd.GeoDataFrame:
    """Simplify polygons that tile an area without opening gaps or overlaps between them."""
    out = gdf.copy()
    geoms = shapely.coverage_simplify(out.geometry.values, tolerance_deg)
    geoms = shapely.set_precision(geoms, 10**-DECIMALS)
    out["geometry"] = shapely.make_valid(geoms)
    return out


def dissolve(gdf: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    return gdf.dissolve(by=by, as_index=False)[[by, "geometry"]]


def border_line(syria_outline: gpd.GeoDataFrame, turkey: gpd.GeoDataFrame,
                snap_deg: float = 0.03) -> shapely.LineString | shapely.MultiLineString:
    """The Turkey-Syria border: the part of Syria's outline that runs along Turkey.

    The Turkish provinces are approximate context, so they are buffered by ``snap_deg``
    (about 3 km) before cutting Syria's (OCHA) outline; the line itself is OCHA's.
    """
    outline = shapely.union_all(syria_outline.geometry.values).boundary
    near_turkey = shapely.union_all(turkey.geometry.values).buffer(snap_deg)
    line = outline.intersection(near_turkey)
    if isinstance(line, shapely.GeometryCollection | shapely.MultiLineString):
        parts = [g for g in getattr(line, "geoms", [line]) if g.length > 0]
        line = linemerge(parts)
    return line


def length_km(geom: shapely.Geometry) -> float:
    return float(gpd.GeoSeries([geom], crs="EPSG:4326").to_crs(METRIC_CRS).length.iloc[0] / 1000)


def distance_to_km(gdf: gpd.GeoDataFrame, line: shapely.Geometry) -> list[float]:
    """Shortest distance from each area (0 when it touches) to ``line``, in km."""
    projected = gdf.to_crs(METRIC_CRS).geometry
    target = gpd.GeoSeries([line], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0]
    return [round(float(g.distance(target)) / 1000, 2) for g in projected]


def area_km2(gdf: gpd.GeoDataFrame) -> list[float]:
    return [round(float(a) / 1e6, 1) for a in gdf.to_crs(AREA_CRS).area]


def _round(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, DECIMALS)
    if isinstance(obj, list | tuple):
        return [_round(o) for o in obj]
    return obj


def to_geojson(gdf: gpd.GeoDataFrame, id_field: str | None, properties: list[str]) -> str:
    """Deterministic, compact GeoJSON (same input -> same bytes), coordinates rounded.

    Polygons are written with clockwise exterior rings and counter-clockwise holes: the
    dashboard's map (plotly.js ``geo``, i.e. d3-geo) reads the other orientation as the
    whole globe minus the area and draws it inverted (``app.web.geo.check_winding``).
    GEOS (``coverage_simplify``, ``make_valid``, ``dissolve``) already gives this order.
    RFC 7946 asks writers for the opposite and readers to accept either (its section 3.1.6).
    """
    features = []
    for row in gdf.itertuples(index=False):
        rec = row._asdict()
        geom = mapping(shapely.orient_polygons(rec["geometry"], exterior_cw=True))
        geom = {"type": geom["type"], "coordinates": _round(geom["coordinates"])}
        feature: dict[str, Any] = {"type": "Feature"}
        if id_field:
            feature["id"] = rec[id_field]
        feature["properties"] = {p: _clean(rec[p]) for p in properties}
        feature["geometry"] = geom
        features.append(feature)
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def _clean(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    if hasattr(v, "item"):
        return v.item()
    return v
