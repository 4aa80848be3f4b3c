"""The map as GeoJSON: every area at the chosen level, with the value the map shows.

Values come from :func:`app.queries.map_values.map_values`, the map's own query, so the
file and the map agree area by area (an area without a figure has ``"value": null``: no
data, never 0). Each feature keeps the figure's provenance (publisher, document, link,
period) and how many other figures exist for the area. Geometry is the bundle's own
``data/boundaries/syr_adm{level}_nw.geojson`` (UN OCHA / UNCS COD-AB, simplified).
RFC 7946 allows members beyond ``type`` and ``features``: ``metadata`` says what the file
holds, its filters, extraction time, licences and attribution.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import pandas as pd

from app.bundle.store import Bundle
from app.export.params import ExportParams
from app.export.rows import adm_columns
from app.export.text import is_missing
from app.queries.catalogue import LEVELS, VIEW_METRICS
from app.queries.map_values import map_values

BOUNDARY_FILE = "syr_adm{level}_nw.geojson"


def _clean(value: Any) -> Any:
    """JSON-safe: NaN/NaT/None -> null, numpy scalars -> Python."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _signed_area(ring: list) -> float:
    """Twice the signed area of a closed ring (shoelace): > 0 when counter-clockwise."""
    return sum(
        x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring)
    )


def _wound(ring: list, counter_clockwise: bool) -> list:
    return ring if (_signed_area(ring) > 0) == counter_clockwise else ring[::-1]


def rfc7946_geometry(geometry: dict) -> dict:
    """``geometry`` with RFC 7946's winding (section 3.1.6): exterior rings counter-
    clockwise, holes clockwise. The served map geometry is wound the other way round, which
    plotly's SVG map needs; files handed to GIS tools and validators follow the standard."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "Polygon":
        polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return geometry
    wound = [[_wound(r, i == 0) for i, r in enumerate(rings)] for rings in polygons]
    return {**geometry, "coordinates": wound[0] if kind == "Polygon" else wound}


def geojson_document(
    bundle: Bundle,
    p: ExportParams,
    priority: list[str],
    extracted: dt.datetime,
    licences: list[str],
    attribution: list[str],
) -> dict:
    """A FeatureCollection of the areas at ``p.level`` (inside ``p.areas`` when given)."""
    vm = VIEW_METRICS[p.metrics[0]]
    level = int(p.level or 3)
    mv = map_values(
        bundle.figures,
        bundle.areas,
        vm,
        level,
        p.figure_filter(with_areas=False),
        priority,
        sector=p.sector,
    )
    values = mv.values.set_index("pcode") if not mv.values.empty else None
    source = bundle.geojson(BOUNDARY_FILE.format(level=level))
    names = mv.areas.set_index("pcode")
    adm = adm_columns(pd.Series(names.index, index=names.index), bundle.areas)
    adm = adm[[c for c in adm.columns if int(c[3]) <= level]]
    features = []
    for feature in source["features"]:
        pcode = str(feature.get("id") or feature["properties"].get("pcode"))
        if pcode not in names.index:
            continue
        if p.areas and not any(pcode.startswith(a) for a in p.areas):
            continue
        props: dict[str, Any] = {
            "pcode": pcode,
            "level": level,
            "name_en": _clean(names.loc[pcode, "name_en"]),
            "name_ar": _clean(names.loc[pcode, "name_ar"]),
            **{k: _clean(v) for k, v in adm.loc[pcode].items()},
            "metric": vm.id,
            "metric_label": vm.label,
            "sector": mv.sector,
            "unit": vm.unit,
        }
        row = values.loc[pcode] if values is not None and pcode in values.index else None
        for key in (
            "value",
            "low",
            "high",
            "qualifier",
            "publisher",
            "document",
            "url",
            "period",
            "n_figures",
            "n_other",
            "partial",
        ):
            props[key] = None if row is None else _clean(row[key])
        features.append(
            {
                "type": "Feature",
                "id": pcode,
                "properties": props,
                "geometry": rfc7946_geometry(feature["geometry"]),
            }
        )
    return {
        "type": "FeatureCollection",
        "metadata": {
            "title": f"{vm.label}{' – ' + mv.sector if mv.sector else ''}, "
            f"by {LEVELS[level][0]}: north-west Syria",
            "metric": vm.id,
            "level": level,
            "filters": dict(p.given),
            "as_of": p.as_of.isoformat() if p.as_of else None,
            "extracted": extracted.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "coverage": mv.coverage_text(),
            "notes": [vm.note, *mv.notes],
            "value_rule": "map_values: the latest figure for the area, published for the area "
            "itself before a sum of its parts, then by publisher priority; "
            "n_other counts the other figures for the area",
            "licences": licences,
            "attribution": attribution,
        },
        "features": features,
    }


def geojson_text(document: dict) -> str:
    """Compact UTF-8 JSON (Arabic kept as text, not ``\\u`` escapes)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
