"""The URL holds the whole view: a reload restores it; a bad parameter is named, not fatal."""

from __future__ import annotations

from typing import Any

from .dashboard_helpers import (
    CHART,
    map_trace,
    open_view,
    pick,
    pick_single,
    query,
    settle,
    traces,
    type_date,
)


def _visible_state(page: Any) -> dict:
    """What a person sees: control values, cards, map values, chart series."""
    values = map_trace(page, "values")
    return {
        "level": page.locator("#filters-level input:checked").get_attribute("value"),
        "metric": page.inner_text("#filters-metric"),
        "sector": page.inner_text("#filters-sector"),
        "areas": page.inner_text("#filters-area"),
        "publishers": page.inner_text("#filters-publisher"),
        "start": page.input_value("#filters-date-start"),
        "end": page.input_value("#filters-date-end"),
        "as_of": page.input_value("#filters-as-of"),
        "cards": page.inner_text("#cards"),
        "map": dict(zip(values["locations"], values["z"], strict=True)),
        "chart": sorted((t["name"], str(t["y"])) for t in traces(page, CHART)),
        "chart_title": page.inner_text("#timeseries-title"),
    }


def test_url_round_trip(page: Any, server: str) -> None:
    open_view(page, server)
    page.click("#filters-level label:has-text('Admin 2')")
    settle(page)
    pick_single(page, "filters-metric", "IDP departures")
    pick(page, "filters-area", "SY0700")
    pick(page, "filters-publisher", "HNAP")
    type_date(page, "filters-date-start", "2020-01-15")
    type_date(page, "filters-as-of", "2020-03-20")
    expected_query = {
        "level": "2",
        "metric": "idp_departures",
        "area": "SY0700",
        "publisher": "HNAP (Humanitarian Needs Assessment Programme, UN)",
        "start": "2020-01-15",
        "as_of": "2020-03-20",
    }
    assert query(page) == expected_query
    before = _visible_state(page)
    assert before["map"] == {"SY0700": 185364.0, "SY0705": 139729.0, "SY0200": 97469.0}

    page.reload()
    settle(page)
    assert query(page) == expected_query
    assert _visible_state(page) == before

    page.goto(page.url)  # the same link opened afresh (as when shared)
    settle(page)
    assert _visible_state(page) == before


def test_invalid_parameters_fall_back_with_a_visible_notice(page: Any, server: str) -> None:
    open_view(
        page, server, "?level=9&metric=bananas&area=SY999999,SY070301&as_of=2020-13-45&zoom=3"
    )
    notice = page.locator("#filters-notices")
    assert notice.is_visible()
    text = notice.inner_text()
    for part in (
        "Ignored level=9: expected 1, 2 or 3",
        "Ignored metric=bananas: unknown metric",
        "Ignored area=SY999999: unknown P-code",
        "Ignored as_of=2020-13-45: expected a date as YYYY-MM-DD",
        "Ignored unknown parameter 'zoom'",
    ):
        assert part in text
    # the rest of the link still applies, the page works with defaults for the rest
    assert "Dana" in page.inner_text("#filters-area")
    assert (
        len(map_trace(page, "values")["locations"]) + len(map_trace(page, "no-data")["locations"])
        == 110
    )
    assert "1,000,000" in page.inner_text("#card-displaced")
    page.click("#filters-level label:has-text('Admin 1')")
    settle(page)
    assert query(page) == {"level": "1", "area": "SY070301"}
