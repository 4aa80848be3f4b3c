"""Browser helpers for the dashboard's end-to-end tests: open a view, drive the Dash 4
controls the way a person does (click, type, pick), and read what the page shows.

Expected numbers come from the bundle through the same queries the app uses
(:func:`expected`), so a test checks the screen against ``data/``, not against itself.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from app.bundle.store import Bundle, load_bundle
from app.config import get_config

from .harness import wait_for_dash

MAP = "#map-graph .js-plotly-plot"
CHART = "#timeseries-graph .js-plotly-plot"


@cache
def bundle() -> Bundle:
    return load_bundle()


def priority() -> list[str]:
    return [p for p in get_config().publisher_priority.split("|") if p]


def open_view(page: Any, server: str, query: str = "") -> None:
    """Load the overview (``query`` like ``"?level=2"``) and wait until the map has drawn."""
    page.goto(server + "/" + query)
    wait_for_dash(page)
    wait_for_map(page)


#: JS predicate (graph div -> bool): every choropleth of the SVG ``geo`` map has drawn a path
#: for each of its locations from the current figure (so after its GeoJSON URL was fetched,
#: and not the previous figure's paths while a new level's geometry is still loading). A
#: path outside the map's frame (Turkish provinces far east) is drawn empty; zoomed to one
#: area, a whole trace may be (so only some trace must have a drawn path).
GEO_DRAWN = """(gd) => {
    const fl = gd && gd._fullLayout;
    if (!fl || !fl._subplots || !(fl._subplots.geo || []).length) return false;
    const want = (gd._fullData || []).filter(t => t.type === 'choropleth' && t.visible === true);
    const groups = [...gd.querySelectorAll('.geo .choroplethlayer .trace.choropleth')];
    const pathsOf = t => {
        const g = groups.find(g => g.__data__ && g.__data__[0] && g.__data__[0].trace === t);
        return g ? [...g.querySelectorAll('path.choroplethlocation')] : null;
    };
    return want.length > 0
        && want.every(t => { const p = pathsOf(t); return p !== null && p.length === t._length; })
        && want.some(t => pathsOf(t).some(p => (p.getAttribute('d') || '').length > 0));
}"""


def wait_for_map(page: Any, timeout: float = 20_000, selector: str = MAP) -> None:
    """Until the SVG map has drawn every area of the current figure (see GEO_DRAWN)."""
    page.wait_for_function(
        f"(sel) => ({GEO_DRAWN})(document.querySelector(sel))",
        arg=selector,
        timeout=timeout,
        polling=100,
    )


def settle(page: Any) -> None:
    """After an interaction: wait for the callbacks and the map to finish."""
    page.wait_for_timeout(150)
    wait_for_dash(page)
    wait_for_map(page)


def query(page: Any) -> dict[str, str]:
    """The current URL's query parameters (one value each)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def pick(page: Any, dropdown_id: str, typed: str, option_text: str | None = None) -> None:
    """Open a dropdown, type into its search box, click the first (or matching) option."""
    page.click(f"#{dropdown_id}")
    search = page.locator(".dash-dropdown-content input.dash-dropdown-search")
    search.wait_for(state="visible")
    search.fill(typed)
    options = page.locator(".dash-dropdown-content .dash-dropdown-option")
    if option_text is not None:
        options = options.filter(has_text=option_text)
    options.first.wait_for(state="visible")
    options.first.click()
    page.keyboard.press("Escape")
    settle(page)


def pick_single(page: Any, dropdown_id: str, option_text: str) -> None:
    """Choose an option of a non-searchable dropdown by its text."""
    page.click(f"#{dropdown_id}")
    option = (
        page.locator(".dash-dropdown-content .dash-dropdown-option")
        .filter(has_text=option_text)
        .first
    )
    option.wait_for(state="visible")
    option.click()
    settle(page)


def type_date(page: Any, input_id: str, value: str) -> None:
    """Type a date into a date field (``input type=date``, as ``YYYY-MM-DD``) and move on."""
    field = page.locator(f"#{input_id}")
    field.click()
    field.fill(value)
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    settle(page)


def traces(page: Any, selector: str) -> list[dict]:
    """The graph's traces as drawn (name, meta, locations, z, x, y, hovertext)."""
    return page.evaluate(
        """(sel) => document.querySelector(sel).data.map(t => ({
            name: t.name, type: t.type, meta: t.meta || {}, locations: t.locations || [],
            z: t.z || [], x: t.x || [], y: t.y || [], hovertext: t.hovertext || [],
            geojson: typeof t.geojson === 'string' ? t.geojson : null}))""",
        selector,
    )


def map_trace(page: Any, role: str) -> dict:
    return next(t for t in traces(page, MAP) if t["meta"].get("role") == role)


def map_annotation(page: Any) -> str:
    """Text of the map's coverage note, below the map (never drawn over it)."""
    return page.locator("#map-note").first.text_content() or ""


def map_pixel(page: Any, pcode: str, selector: str = MAP) -> tuple[float, float]:
    """Page coordinates of an area's centroid (from the bundle) on the SVG map, through the
    map's own projection (``geo._subplot.projection``: lon/lat -> px in the graph's SVG)."""
    lon, lat = bundle().area_index.loc[pcode, ["centroid_lon", "centroid_lat"]]
    pos = page.evaluate(
        """([sel, lon, lat]) => { const gd = document.querySelector(sel);
            const p = gd._fullLayout.geo._subplot.projection([lon, lat]);
            const r = gd.querySelector('.main-svg').getBoundingClientRect();
            return [r.left + p[0], r.top + p[1]]; }""",
        [selector, float(lon), float(lat)],
    )
    return float(pos[0]), float(pos[1])


def hover_map(page: Any, pcode: str) -> str:
    """Move the mouse onto an area and return its hover label's text."""
    x, y = map_pixel(page, pcode)
    page.mouse.move(x + 3, y + 3)
    page.mouse.move(x, y, steps=3)
    page.wait_for_function(
        """(pcode) => [...document.querySelectorAll('#map-graph .hoverlayer .hovertext')]
            .some(e => e.textContent.includes(pcode))""",
        arg=pcode,
        timeout=5_000,
    )
    return " ".join(page.locator("#map-graph .hoverlayer .hovertext").all_text_contents())


def expected_cards(as_of: str | None = None) -> dict[str, Any]:
    from app.queries.cards import card_data

    ts = pd.Timestamp(as_of) if as_of else None
    return {c.key: c for c in card_data(bundle().figures, priority(), ts)}


def expected_map(
    metric: str = "idp_arrivals", level: int = 3, sector: str | None = None, **filters: Any
):
    from app.queries.catalogue import VIEW_METRICS
    from app.queries.filters import FigureFilter
    from app.queries.map_values import map_values

    b = bundle()
    return map_values(
        b.figures,
        b.areas,
        VIEW_METRICS[metric],
        level,
        FigureFilter(**filters),
        priority(),
        sector=sector,
    )


def drawn_areas(page: Any, selector: str = MAP) -> dict[str, dict[str, Any]]:
    """What the SVG map drew, by trace role: {role: {location: fill colour ("rgb(...)")}}.

    Read from the ``path.choroplethlocation`` elements (one per location, bound to its
    calcdata point) of each choropleth trace group; a path outside the frame has no ``d``.
    """
    return page.evaluate(
        """(sel) => {
            const out = {};
            const gd = document.querySelector(sel);
            for (const g of gd.querySelectorAll('.geo .choroplethlayer .trace.choropleth')) {
                const role = (g.__data__[0].trace.meta || {}).role;
                const areas = out[role] = {};
                for (const p of g.querySelectorAll('path.choroplethlocation')) {
                    const fill = getComputedStyle(p).fill;
                    areas[p.__data__.loc] = (p.getAttribute('d') || '') ? fill : null;
                }
            }
            return out;
        }""",
        selector,
    )


def hex_rgb(colour: str) -> str:
    """``#08306b`` -> ``rgb(8, 48, 107)`` (how the browser reports a computed fill)."""
    h = colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i : i + 2], 16) for i in (0, 2, 4)))
