"""Issue 13, points 4 and 1: each graph downloads as a PNG made in the browser (offline),
and a click on a map area zooms the map to it."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

from .dashboard_helpers import MAP, bundle, map_pixel, open_view, query, settle, wait_for_map
from .harness import wait_for_dash

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _download_png(page: Any, selector: str) -> tuple[str, bytes]:
    """Click a "PNG" button; the file's suggested name and bytes."""
    before = len(page.watch.requests)
    with page.expect_download() as info:
        page.click(selector)
    download = info.value
    data = Path(download.path()).read_bytes()
    made = page.watch.requests[before:]
    # drawn in the page: no request but blob:/data: URLs (the geometry is cached)
    assert [u for u in made if u.startswith("http") and "/geo/" not in u] == [], made
    return download.suggested_filename, data


def _size(png: bytes) -> tuple[int, int]:
    """(width, height) from the PNG's IHDR chunk."""
    assert png[:8] == PNG_MAGIC
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def _bar(view: str) -> str:
    return f".nws-downloads[data-view={view}] button.nws-png"


def test_overview_map_and_chart_download_as_png(page: Any, server: str) -> None:
    open_view(page, server, "?level=2")
    button = page.locator(_bar("map"))
    assert button.get_attribute("data-title") == (
        "North-west Syria: IDP arrivals in period (map)"
    )
    footer = button.get_attribute("data-footer") or ""
    assert footer.startswith("Source: ") and footer.endswith("· NW Syria displacement dashboard")
    assert "Figures up to" in footer or "As known on" in footer

    name, png = _download_png(page, _bar("map"))
    assert name == "nw-syria-map-level-2.png"
    width, height = _size(png)
    assert width > 300 and height > 300
    assert len(png) > 10_000  # a drawn map, not an empty frame

    name, png = _download_png(page, _bar("timeseries"))
    assert name == "nw-syria-timeseries-level-2.png"
    width, height = _size(png)
    assert width > 300 and height > 300


def test_png_labels_follow_the_view_state(page: Any, server: str) -> None:
    open_view(page, server)
    x, y = map_pixel(page, "SY070301")
    page.mouse.click(x, y)
    settle(page)
    assert query(page) == {"area": "SY070301"}
    button = page.locator(_bar("timeseries"))
    assert button.get_attribute("data-filename") == "nw-syria-timeseries-area-SY070301.png"
    name, png = _download_png(page, _bar("timeseries"))
    assert name == "nw-syria-timeseries-area-SY070301.png"
    assert min(_size(png)) > 300


def test_embed_map_downloads_as_png(page: Any, server: str) -> None:
    page.goto(server + "/embed/map?level=2")
    wait_for_dash(page)
    wait_for_map(page, selector="#embed-map-graph .js-plotly-plot")
    button = page.locator("#nws-png-map")
    footer = button.get_attribute("data-footer") or ""
    assert footer.startswith("Source: ") and "NW Syria displacement dashboard" in footer
    name, png = _download_png(page, "#nws-png-map")
    assert name == "nw-syria-map-level-2.png"
    assert min(_size(png)) > 300


def _geo_view(page: Any) -> dict[str, list[float]]:
    return page.evaluate(
        """(sel) => { const g = document.querySelector(sel)._fullLayout.geo;
            return {lon: g.lonaxis.range.slice(), lat: g.lataxis.range.slice()}; }""",
        MAP,
    )


def test_a_click_zooms_the_map_to_the_area_and_a_second_click_zooms_back(
    page: Any, server: str
) -> None:
    open_view(page, server)
    before = _geo_view(page)
    lon, lat = bundle().area_index.loc["SY070301", ["centroid_lon", "centroid_lat"]]
    x, y = map_pixel(page, "SY070301")
    page.mouse.click(x, y)
    settle(page)
    assert query(page) == {"area": "SY070301"}  # the selection still works
    after = _geo_view(page)
    assert after["lon"][0] < lon < after["lon"][1]
    assert after["lat"][0] < lat < after["lat"][1]
    assert after["lon"][1] - after["lon"][0] < (before["lon"][1] - before["lon"][0]) / 4
    assert after["lat"][1] - after["lat"][0] < (before["lat"][1] - before["lat"][0]) / 4

    x, y = map_pixel(page, "SY070301")  # where Dana is now drawn, bigger
    page.mouse.click(x, y)
    settle(page)
    assert query(page) == {}
    assert _geo_view(page) == before
