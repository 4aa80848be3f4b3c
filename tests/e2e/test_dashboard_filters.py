"""Each filter, changed as a person would, and what the map, chart and cards then show."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from app import format as fmt

from .dashboard_helpers import (
    CHART,
    bundle,
    expected_cards,
    expected_map,
    map_annotation,
    map_trace,
    open_view,
    pick,
    pick_single,
    query,
    settle,
    traces,
    type_date,
)


def _map_values(page: Any) -> dict[str, float]:
    t = map_trace(page, "values")
    return dict(zip(t["locations"], t["z"], strict=True))


def test_admin_level(page: Any, server: str) -> None:
    open_view(page, server)
    page.click("#filters-level label:has-text('Admin 2')")
    settle(page)
    assert query(page) == {"level": "2"}
    districts = set(bundle().areas.query("level == 2").pcode)
    drawn = set(map_trace(page, "values")["locations"]) | set(
        map_trace(page, "no-data")["locations"]
    )
    assert drawn == districts
    mv = expected_map(level=2)
    assert _map_values(page) == dict(zip(mv.values.pcode, mv.values.value, strict=True))
    assert f"Data for {mv.n_with_data} of 22 districts" in map_annotation(page)
    assert "adm2.geojson" in map_trace(page, "values")["geojson"]


def test_metric_and_sector(page: Any, server: str) -> None:
    open_view(page, server)
    assert page.locator("#filters-sector").is_disabled()
    pick_single(page, "filters-metric", "People in need")
    assert query(page) == {"metric": "people_in_need"}
    assert not page.locator("#filters-sector").is_disabled()
    shelter = expected_map("people_in_need", sector="Shelter")
    assert shelter.n_with_data == 110
    assert _map_values(page) == dict(zip(shelter.values.pcode, shelter.values.value, strict=True))

    pick_single(page, "filters-sector", "WASH")
    assert query(page) == {"metric": "people_in_need", "sector": "WASH"}
    wash = expected_map("people_in_need", sector="WASH").values.set_index("pcode")
    assert _map_values(page)["SY070301"] == wash.loc["SY070301", "value"]
    assert "People in need, HNO 2019 (by sector) – WASH" in map_annotation(page)


def test_area_search_in_arabic_and_by_pcode(page: Any, server: str) -> None:
    open_view(page, server)
    salqin_ar = bundle().area_index.loc["SY070302", "name_ar"]
    pick(page, "filters-area", salqin_ar)
    assert query(page) == {"area": "SY070302"}
    pick(page, "filters-area", "SY070301")
    assert query(page) == {"area": "SY070302,SY070301"}
    assert page.inner_text("#timeseries-title").endswith(": Salqin, Dana")
    assert sorted(map_trace(page, "selected")["locations"]) == ["SY070301", "SY070302"]
    chart_areas = {t["meta"]["area"] for t in traces(page, CHART)}
    assert chart_areas == {"Dana (SY070301)", "Salqin (SY070302)"}


def test_area_options_come_when_the_picker_is_first_used(page: Any, server: str) -> None:
    """The first view carries only the selected areas' options; all 136 come from
    /geo/areas.json (once, cached) when the picker is first pointed at."""
    bodies: list[bytes] = []
    page.on(
        "response", lambda r: bodies.append(r.body()) if "_dash-update-component" in r.url else None
    )
    open_view(page, server, "?area=SY070302")
    page_content = bodies[0]  # Dash pages' content callback: the whole overview
    assert re.findall(rb'"value":\s*"(SY\d+)"', page_content) == [b"SY070302"]
    assert "Salqin" in page.inner_text("#filters-area")  # the selected area's name at once
    assert page.watch.requests_matching(r"/geo/areas\.json") == []

    page.hover("#filters-area")
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".some(e => e.name.includes('/geo/areas.json') && e.responseEnd > 0)"
    )
    assert len(page.watch.requests_matching(r"/geo/areas\.json\?v=")) == 1
    pick(page, "filters-area", "SY070301")  # found among the options loaded now
    assert query(page) == {"area": "SY070302,SY070301"}
    page.hover("#filters-area")
    assert len(page.watch.requests_matching(r"/geo/areas\.json")) == 1


def test_publisher(page: Any, server: str) -> None:
    open_view(page, server, "?area=SY070301")
    assert {t["meta"]["publisher"] for t in traces(page, CHART)} == {"HNAP", "OCHA"}
    pick(page, "filters-publisher", "OCHA", option_text="OCHA (")
    assert query(page) == {"area": "SY070301", "publisher": "OCHA"}
    assert {t["meta"]["publisher"] for t in traces(page, CHART)} == {"OCHA"}
    # the map follows: Dana now shows OCHA's 267,000 (20 Feb), HNAP's February is filtered out
    mv = expected_map(publishers=("OCHA",)).values.set_index("pcode")
    assert _map_values(page)["SY070301"] == mv.loc["SY070301", "value"] == 267000


def test_date_range_and_as_of(page: Any, server: str) -> None:
    open_view(page, server, "?level=1")
    type_date(page, "filters-date-start", "2020-01-01")
    type_date(page, "filters-date-end", "2020-01-31")
    assert query(page) == {"level": "1", "start": "2020-01-01", "end": "2020-01-31"}
    mv = expected_map(level=1, start=pd.Timestamp("2020-01-01"), end=pd.Timestamp("2020-01-31"))
    assert _map_values(page) == dict(zip(mv.values.pcode, mv.values.value, strict=True))

    type_date(page, "filters-as-of", "2020-01-10")
    assert query(page)["as_of"] == "2020-01-10"
    card = expected_cards("2020-01-10")["displaced"].figure
    text = page.inner_text("#card-displaced")
    assert fmt.number(card["value"]) in text and "as known on 10 Jan 2020" in text
    mv = expected_map(
        level=1,
        start=pd.Timestamp("2020-01-01"),
        end=pd.Timestamp("2020-01-31"),
        as_of=pd.Timestamp("2020-01-10"),
    )
    assert _map_values(page) == dict(zip(mv.values.pcode, mv.values.value, strict=True))
