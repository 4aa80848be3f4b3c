"""The map's zoom to the selected areas: boxes from GeoJSON, ranges with a margin."""

from __future__ import annotations

import pytest

from app.figures.map import LAT_RANGE, LON_RANGE
from app.figures.map_zoom import area_bounds, union, with_zoom, zoom_geo

MADEUP_DOC = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "SY0001",
            "properties": {"pcode": "SY0001"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[36.0, 35.5], [36.0, 36.0], [37.0, 36.0], [36.0, 35.5]]],
            },
        },
        {
            "type": "Feature",
            "properties": {"pcode": "SY0002"},  # no id: the P-code property names it
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [[[36.5, 35.9], [36.5, 36.0], [36.6, 36.0], [36.5, 35.9]]],
                    [[[36.7, 35.8], [36.7, 35.85], [36.75, 35.85], [36.7, 35.8]]],
                ],
            },
        },
        {"type": "Feature", "id": "SY0003", "properties": {}, "geometry": None},
    ],
}


def test_area_bounds_of_polygons_and_multipolygons() -> None:
    assert area_bounds([MADEUP_DOC]) == {
        "SY0001": (36.0, 35.5, 37.0, 36.0),
        "SY0002": (36.5, 35.8, 36.75, 36.0),
    }


def test_union_of_boxes() -> None:
    assert union([(36.0, 35.5, 37.0, 36.0), (36.5, 35.0, 37.5, 35.9)]) == (36.0, 35.0, 37.5, 36.0)
    assert union([]) is None


@pytest.mark.parametrize(
    ("box", "lon", "lat"),
    [
        # one degree wide, half a degree high: 20% more on each side
        ((36.0, 35.5, 37.0, 36.0), [35.8, 37.2], [35.4, 36.1]),
        # a tiny area: at least 0.2 degrees, then the margin
        ((36.5, 35.9, 36.52, 35.91), [36.37, 36.65], [35.765, 36.045]),
    ],
)
def test_zoom_geo_shows_the_box_with_a_margin(box: tuple, lon: list, lat: list) -> None:
    geo = zoom_geo(box, ("SY0001",))
    assert geo["lonaxis"]["range"] == pytest.approx(lon)
    assert geo["lataxis"]["range"] == pytest.approx(lat)
    assert geo["uirevision"] == "nw-syria-map|SY0001"


def test_no_box_is_the_opening_view() -> None:
    assert zoom_geo(None) == {
        "lonaxis": {"range": list(LON_RANGE)},
        "lataxis": {"range": list(LAT_RANGE)},
        "uirevision": "nw-syria-map",
    }


def test_with_zoom_leaves_the_cached_figure_alone() -> None:
    fig = {"data": [], "layout": {"geo": {"projection": {"type": "mercator"}}, "height": 400}}
    out = with_zoom(fig, {"lonaxis": {"range": [1, 2]}})
    assert out["layout"] == {
        "geo": {"projection": {"type": "mercator"}, "lonaxis": {"range": [1, 2]}},
        "height": 400,
    }
    assert fig["layout"]["geo"] == {"projection": {"type": "mercator"}}
