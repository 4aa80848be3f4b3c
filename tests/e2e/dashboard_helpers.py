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


def wait_for_map(page: Any, timeout: float = 20_000) -> None:
    """Until MapLibre has loaded its sources (the GeoJSON URLs) and drawn."""
    page.wait_for_function(
        """(sel) => { const gd = document.querySelector(sel);
            const sp = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            return !!(sp && sp.map && sp.map.loaded() && sp.map.isStyleLoaded()); }""",
        arg=MAP,
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
    """Type a date into a Dash 4 date picker input and commit it with Tab."""
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
    """Text of the map's annotation box (SVG text: lines joined without separators)."""
    return page.locator("#map-graph .infolayer .annotation").first.text_content() or ""


def map_pixel(page: Any, pcode: str) -> tuple[float, float]:
    """Page coordinates of an area's centroid (from the bundle) on the MapLibre canvas."""
    lon, lat = bundle().area_index.loc[pcode, ["centroid_lon", "centroid_lat"]]
    pos = page.evaluate(
        """([sel, lon, lat]) => { const m = document.querySelector(sel)._fullLayout.map._subplot.map;
            const p = m.project([lon, lat]); const r = m.getCanvas().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y]; }""",
        [MAP, float(lon), float(lat)],
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
