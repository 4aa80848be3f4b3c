"""Zoom of the map to the selected areas: a click on an area shows that area (issue 13).

Pure functions: the areas' bounding boxes from the boundary GeoJSON the map already draws
(the same geometry, so the box fits what is drawn), and the ``geo`` layout that shows a
box. The map's ``geo`` subplot fits ``lonaxis.range`` / ``lataxis.range`` into its frame,
so a zoom is those two ranges; ``geo.uirevision`` names the selection, so a new selection
replaces whatever the user zoomed or panned by hand (plotly.js keeps user changes only
while the uirevision stays the same) and a change of metric or dates keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.figures.map import LAT_RANGE, LON_RANGE, Figure

#: (min lon, min lat, max lon, max lat)
Box = tuple[float, float, float, float]
#: layout.uirevision of the map (app.figures.map); the geo's own names the selection too.
UIREVISION = "nw-syria-map"
#: Space around the selection, as a share of its size on each side.
PAD = 0.2
#: The smallest span shown, in degrees (about 22 km): a small sub-district keeps some context.
MIN_SPAN = 0.2


def _points(coords: Any) -> Iterable[tuple[float, float]]:
    """Every (lon, lat) of a GeoJSON coordinates array, however deeply nested."""
    if coords and isinstance(coords[0], int | float):
        yield float(coords[0]), float(coords[1])
        return
    for part in coords:
        yield from _points(part)


def area_bounds(docs: Iterable[Mapping[str, Any]]) -> dict[str, Box]:
    """Bounding box of each feature of the GeoJSON ``docs``, by feature id (the P-code)."""
    out: dict[str, Box] = {}
    for doc in docs:
        for feature in doc.get("features", []):
            geom = feature.get("geometry") or {}
            pts = list(_points(geom.get("coordinates") or []))
            pcode = feature.get("id") or (feature.get("properties") or {}).get("pcode")
            if pcode and pts:
                lons, lats = [p[0] for p in pts], [p[1] for p in pts]
                out[str(pcode)] = (min(lons), min(lats), max(lons), max(lats))
    return out


def union(boxes: Iterable[Box]) -> Box | None:
    """The box around all ``boxes`` (None for none)."""
    boxes = list(boxes)
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _span(lo: float, hi: float) -> list[float]:
    mid, half = (lo + hi) / 2, max(hi - lo, MIN_SPAN) / 2 * (1 + 2 * PAD)
    return [round(mid - half, 4), round(mid + half, 4)]


def zoom_geo(box: Box | None, selected: tuple[str, ...] = ()) -> dict:
    """The ``geo`` settings that show ``box`` with some margin, or the opening view
    (the Idleb / western Aleppo belt) for no box."""
    if box is None:
        return {
            "lonaxis": {"range": list(LON_RANGE)},
            "lataxis": {"range": list(LAT_RANGE)},
            "uirevision": UIREVISION,
        }
    return {
        "lonaxis": {"range": _span(box[0], box[2])},
        "lataxis": {"range": _span(box[1], box[3])},
        "uirevision": UIREVISION + "|" + ",".join(selected),
    }


def with_zoom(fig: Figure, geo: dict) -> Figure:
    """``fig`` with ``geo`` merged into its layout's ``geo`` (a new dict: a cached figure
    is never changed)."""
    layout = fig["layout"]
    return {**fig, "layout": {**layout, "geo": {**layout.get("geo", {}), **geo}}}
