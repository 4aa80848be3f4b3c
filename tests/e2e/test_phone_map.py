"""Issue 13, point 2: the map is usable with a finger, at 390 x 844 in a touch phone context.

A tap on an area selects it and zooms to it (as a click does), and the map's controls are
either hidden or big enough to hit with a finger (32 px, about 8.5 mm).
"""

from __future__ import annotations

from typing import Any

from .dashboard_helpers import MAP, bundle, map_pixel, query, settle, wait_for_map
from .harness import wait_for_dash

#: Smallest touch target accepted, CSS px (WCAG 2.5.8 asks 24; Material and Apple ~44-48).
MIN_TARGET_PX = 32


def _geo_view(page: Any) -> dict[str, list[float]]:
    return page.evaluate(
        """(sel) => { const g = document.querySelector(sel)._fullLayout.geo;
            return {lon: g.lonaxis.range.slice(), lat: g.lataxis.range.slice()}; }""",
        MAP,
    )


def _tap_area(page: Any, pcode: str) -> None:
    page.locator(MAP).scroll_into_view_if_needed()
    x, y = map_pixel(page, pcode)
    assert 0 < x < 390 and 0 < y < 844, (x, y)  # on screen: a finger can reach it
    page.touchscreen.tap(x, y)
    settle(page)


def test_a_tap_selects_the_area_and_zooms_to_it(phone: Any, server: str) -> None:
    page = phone
    page.goto(server + "/")
    wait_for_dash(page)
    wait_for_map(page)
    before = _geo_view(page)
    lon, lat = bundle().area_index.loc["SY070301", ["centroid_lon", "centroid_lat"]]
    _tap_area(page, "SY070301")
    page.wait_for_function("() => location.search.includes('area=SY070301')", timeout=15_000)
    settle(page)
    assert query(page) == {"area": "SY070301"}
    after = _geo_view(page)
    assert after["lon"][0] < lon < after["lon"][1]
    assert after["lat"][0] < lat < after["lat"][1]
    assert after["lon"][1] - after["lon"][0] < (before["lon"][1] - before["lon"][0]) / 4
    assert after["lat"][1] - after["lat"][0] < (before["lat"][1] - before["lat"][0]) / 4


def test_map_controls_are_hidden_or_finger_sized(phone: Any, server: str) -> None:
    page = phone
    page.goto(server + "/")
    wait_for_dash(page)
    wait_for_map(page)
    sizes = page.evaluate(
        """(sel) => [...document.querySelectorAll(sel + ' .modebar-btn')].map(b => {
            const r = b.getBoundingClientRect(), s = getComputedStyle(b);
            const shown = r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
                && s.display !== 'none' && b.closest('.modebar-container')
                && getComputedStyle(b.closest('.modebar-container')).display !== 'none';
            return {title: b.getAttribute('data-title'), w: r.width, h: r.height, shown: !!shown};
        })""",
        MAP,
    )
    assert sizes, "the map has a modebar (reset, zoom) on wide screens"
    small = [s for s in sizes if s["shown"] and min(s["w"], s["h"]) < MIN_TARGET_PX]
    assert small == [], small
    # the downloads and the embed code stay reachable and finger-sized
    bar = ".map-panel .nws-downloads"
    for button in page.locator(f"{bar} button, {bar} a, {bar} summary").all():
        if button.is_visible():
            box = button.bounding_box()
            assert box and min(box["width"], box["height"]) >= MIN_TARGET_PX, (
                button.inner_text(),
                box,
            )


_FRAME_AND_PLOT = """(sel) => {
    const gd = document.querySelector(sel);
    const frame = gd.querySelector('.geo .layer.bg rect').getBoundingClientRect();
    const size = gd._fullLayout._size;
    return {frame_h: frame.height, frame_w: frame.width, plot_h: size.h, plot_w: size.w,
            graph_h: gd.getBoundingClientRect().height};
}"""


_NAME_STYLES = """(sel) => {
    const out = {};
    document.querySelectorAll(sel + ' .geo .scatterlayer .trace.scattergeo').forEach(g => {
        const t = g.__data__ && g.__data__[0] && g.__data__[0].trace;
        const role = t && t.meta && String(t.meta.role);
        const text = g.querySelector('text');
        if (role && role.startsWith('labels-') && text) {
            out[role] = [getComputedStyle(g).display, getComputedStyle(text).fontSize];
        }
    });
    return out;
}"""


def _fitted(page: Any, selector: str) -> dict[str, float]:
    """The map's frame and plot area once assets/phone_map.js has fitted the graph."""
    page.wait_for_function(
        """(sel) => { const gd = document.querySelector(sel);
            return gd && gd.dataset.nwsPhoneMap === 'done'; }""",
        arg=selector,
        timeout=15_000,
    )
    page.wait_for_timeout(300)  # plotly.js has redrawn at the new height
    return page.evaluate(_FRAME_AND_PLOT, selector)


def test_on_a_phone_the_map_fills_its_graph_with_no_white_band(phone: Any, server: str) -> None:
    """At 390 px the 440 px graph drew a 218 px map with ~70 px of white above and below;
    the graph is now as tall as the map (assets/phone_map.js), in the overview and the
    embed, in English and in Arabic."""
    page = phone
    for path, selector in (
        ("/", MAP),
        ("/?lang=ar", MAP),
        ("/embed/map?metric=people_killed", "#embed-map-graph .js-plotly-plot"),
    ):
        page.goto(server + path)
        wait_for_dash(page)
        wait_for_map(page, selector=selector)
        got = _fitted(page, selector)
        # the map spans the plot area's width and, within a few pixels, its height
        assert got["frame_w"] >= got["plot_w"] - 3, (path, got)
        assert 0 <= got["plot_h"] - got["frame_h"] <= 6, (path, got)
        assert got["graph_h"] < 400, (path, got)  # 440 before
        # fewer, smaller names: the towns' at 9 px, the sub-districts' left to the hover
        names = page.evaluate(_NAME_STYLES, selector)
        assert names["labels-town"] == ["inline", "9px"], (path, names)
        if "labels-subdistrict" in names:  # admin 3
            assert names["labels-subdistrict"][0] == "none", (path, names)


def test_a_tap_keeps_the_fitted_height(phone: Any, server: str) -> None:
    """Zooming to a tall area leaves white at the sides; the graph does not grow or jump."""
    page = phone
    page.goto(server + "/")
    wait_for_dash(page)
    wait_for_map(page)
    before = _fitted(page, MAP)["graph_h"]
    _tap_area(page, "SY070301")
    page.wait_for_function("() => location.search.includes('area=SY070301')", timeout=15_000)
    settle(page)
    after = page.evaluate(_FRAME_AND_PLOT, MAP)
    assert abs(after["graph_h"] - before) <= 2, (before, after)
