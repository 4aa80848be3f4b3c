"""The dashboard in a real browser: what a first visit shows, checked against data/.

Every test runs against ``python -m app serve`` in headless Chromium; the ``page`` fixture
fails a test on any console error, failed request or request leaving 127.0.0.1.
The map is SVG (plotly.js ``geo``): tests read its drawn paths and their fill colours, and
interact by mouse at the pixel of an area's centroid (through the map's own projection),
not by dispatching Plotly events.
"""

from __future__ import annotations

import re
from typing import Any

from app import format as fmt
from app.figures import style

from .dashboard_helpers import (
    CHART,
    MAP,
    bundle,
    drawn_areas,
    expected_cards,
    expected_map,
    hex_rgb,
    hover_map,
    map_annotation,
    map_pixel,
    map_trace,
    open_view,
    query,
    settle,
    traces,
)

FULL_PLOTLY = r"package_data/plotly|/plotly(\.v\w+)?\.min\.js"


def _card(page: Any, key: str) -> str:
    return page.inner_text(f"#card-{key.replace('_', '-')}")


def test_first_view_cards_map_chart(page: Any, server: str) -> None:
    open_view(page, server)

    # headline cards: the documented rule's pick, read from data/ ...
    cards = expected_cards()
    for key, c in cards.items():
        text = _card(page, key)
        f = c.figure
        assert fmt.number(f["value"]) in text
        assert fmt.qualifier_text(f["qualifier"]) in text
        assert fmt.short_name(f["publisher"]) in text
        assert fmt.day(f["period_end"]) in text
        assert f"{len(c.alternatives)} other figure" in text or not len(c.alternatives)
    # ... and as the brief states it
    displaced = _card(page, "displaced")
    for part in ("1,000,000", "almost", "OCHA", "as of 5 Mar 2020", "(900,000–1,000,000)"):
        assert part in displaced
    killed = _card(page, "killed")
    assert "299" in killed and "OHCHR" in killed
    assert re.search(r"News article, 16 Feb 2020:\s*more than 1,800", killed)  # beside OHCHR's 299
    at_risk = _card(page, "at_risk")
    assert "some" in at_risk and "2,000,000" in at_risk and "News article of 16 Feb 2020" in at_risk

    # the map: values per P-code as the query gives them, the rest grey
    mv = expected_map()
    values = map_trace(page, "values")
    assert dict(zip(values["locations"], values["z"], strict=True)) == dict(
        zip(mv.values["pcode"], mv.values["value"], strict=True)
    )
    assert values["z"] and 248842 in values["z"]
    grey = map_trace(page, "no-data")
    assert len(grey["locations"]) == mv.n_areas - mv.n_with_data == 107
    assert "Data for 3 of 110 sub-districts" in map_annotation(page)

    # ... and what the SVG map drew: one path per area, the 3
    # with data in the colour scale (the largest value at its dark end), the 107 others grey
    drawn = drawn_areas(page)
    assert set(drawn["values"]) == set(mv.values["pcode"])
    assert set(drawn["no-data"]) == set(grey["locations"])
    assert len(drawn["values"]) + len(drawn["no-data"]) == 110
    # the map opens on the Idleb / western Aleppo belt: every area of Idleb is in the frame
    # (areas far outside it, in southern Hama or eastern Aleppo, are a pan away: no path yet)
    assert None not in drawn["values"].values()
    assert all(f is not None for p, f in drawn["no-data"].items() if p.startswith("SY07"))
    assert set(drawn["no-data"].values()) - {None} == {hex_rgb(style.NO_DATA)}
    top = mv.values.loc[mv.values["value"].idxmax(), "pcode"]
    assert drawn["values"][top] == hex_rgb(style.SEQUENTIAL["people"][-1][1])
    assert hex_rgb(style.NO_DATA) not in drawn["values"].values()
    # Turkish provinces as context: the ones near the border drawn in the context colour
    turkey = {k: v for k, v in drawn["context"].items() if v is not None}
    assert {"TUR031", "TUR079"} <= set(turkey)  # Hatay, Kilis
    assert set(turkey.values()) == {hex_rgb(style.CONTEXT)}
    # the border line and the legend; no WebGL anywhere
    assert page.locator(f"{MAP} .geo .trace.scattergeo path.js-line").count() == 2  # border, scale bar
    legend = page.locator(f"{MAP} .legend").text_content() or ""
    for entry in ("Turkey (approximate, context only)", "No data", "Turkey–Syria border"):
        assert entry in legend
    assert page.locator("#map-graph canvas").count() == 0
    assert page.locator(f"{MAP} .colorbar").count() == 1

    # the chart: one series per publisher, the seed article among the running totals
    chart = traces(page, CHART)
    cumulative = {t["meta"]["publisher"] for t in chart if t["meta"]["kind"] == "cumulative"}
    assert {"OCHA", "News article of 16 Feb 2020"} <= cumulative
    assert {t["meta"]["kind"] for t in chart} == {"cumulative", "flow"}

    # offline: geometry from our routes only, each file once although the page preloads it
    # (the border line is in the figure); the base map's empty topojson given in the page
    # (assets/plotly_geo_assets.js), not fetched; our partial plotly.js only, once
    geo = page.watch.requests_matching(r"/geo/")
    assert sorted(re.sub(r"\?.*", "", u.split("/geo/")[1]) for u in geo) == [
        "adm3.geojson",
        "turkey.geojson",
    ]
    assert page.watch.requests_matching(r"world_110m|topojson") == []
    assert page.watch.requests_matching(FULL_PLOTLY) == []
    assert len(page.watch.requests_matching(r"/assets/vendor/plotly-nws\.min\.js")) == 1
    assert len(page.watch.requests_matching(r"/dcc/async-graph\.js")) == 1
    assert page.watch.requests_matching(r"dash_table|async-datepicker") == []

    footer = page.inner_text("footer")
    assert "Boundaries: UN OCHA / UNCS (COD-AB Syria), CC BY 3.0 IGO" in footer


def _map_update(response: Any) -> bool:
    """The answer of the map's callback (its request names the map figure as an output)."""
    return "_dash-update-component" in response.url and "map-graph.figure" in (
        response.request.post_data or ""
    )


def test_map_hover_and_click_on_dana(page: Any, server: str) -> None:
    open_view(page, server)
    row = expected_map().values.set_index("pcode").loc["SY070301"]
    assert (row.value, row.publisher.split(" ")[0], row.period) == (248842, "HNAP", "Feb 2020")

    hover = hover_map(page, "SY070301")
    for part in (
        "Dana",
        bundle().area_index.loc["SY070301", "name_ar"],
        "SY070301",
        fmt.number(row.value),
        "HNAP",
        "Feb 2020",
    ):
        assert part in hover

    x, y = map_pixel(page, "SY070301")  # a real click on the SVG map
    with page.expect_response(_map_update) as answer:
        page.mouse.click(x, y)
    settle(page)
    # only the selection changed: the map callback patches the outline and the zoom, it
    # resends no figure
    patch = answer.value.json()["response"]["map-graph"]["figure"]
    assert [op["location"] for op in patch["operations"]] == [
        ["data", 3, "locations"],
        ["data", 3, "z"],
        ["layout", "geo", "lonaxis"],
        ["layout", "geo", "lataxis"],
        ["layout", "geo", "uirevision"],
    ]
    assert query(page) == {"area": "SY070301"}
    assert "Dana" in page.inner_text("#filters-area")
    assert page.inner_text("#timeseries-title").endswith(": Dana")
    assert map_trace(page, "selected")["locations"] == ["SY070301"]
    assert list(drawn_areas(page)["selected"]) == ["SY070301"]  # its outline is drawn
    hnap = [t for t in traces(page, CHART) if t["meta"]["publisher"] == "HNAP"]
    assert hnap and 248842 in hnap[0]["y"]
    assert 248842 in map_trace(page, "values")["z"]  # the colours stay as drawn

    x, y = map_pixel(page, "SY070301")  # the map zoomed to Dana: it is drawn elsewhere
    page.mouse.click(x, y)  # a second click on the only selected area clears the selection
    settle(page)
    assert query(page) == {}
    assert map_trace(page, "selected")["locations"] == []
    assert list(drawn_areas(page).get("selected", [])) == []


def test_as_known_on_16_feb_shows_the_article_beside_ocha(page: Any, server: str) -> None:
    open_view(page, server, "?as_of=2020-02-16")
    expected = expected_cards("2020-02-16")["displaced"]
    assert (expected.figure["value"], expected.figure["publisher"]) == (800000, "OCHA")

    displaced = _card(page, "displaced")
    for part in (
        "800,000",
        "more than",
        "OCHA",
        "as of 12 Feb 2020",
        "as known on 16 Feb 2020",
        "News article, 16 Feb 2020: some 700,000",
    ):
        assert part in displaced
    page.click("#card-displaced summary.nws-alt-summary")
    table = page.locator("#card-displaced .nws-alt-table")
    table.wait_for(state="visible")
    rows = table.locator("tbody tr").all_inner_texts()
    assert len(rows) == len(expected.alternatives)
    assert any("News article of 16 Feb 2020" in r and "some 700,000" in r for r in rows)
    assert "News article, 16 Feb 2020: more than 1,800" in _card(page, "killed")
    assert page.input_value("#filters-as-of") == "2020-02-16"
    # nothing published after 16 Feb reaches the chart: OCHA's running total stops at 800,000
    ocha = [
        t
        for t in traces(page, CHART)
        if t["meta"]["kind"] == "cumulative" and t["meta"]["publisher"] == "OCHA"
    ]
    assert max(max(v for v in t["y"] if v is not None) for t in ocha) == 800000


def test_sources_page_lists_every_dataset_and_figure(page: Any, server: str) -> None:
    page.goto(server + "/sources")
    page.locator("#sources-figures").wait_for()
    datasets = page.inner_text("#sources-datasets")
    for res in bundle().datapackage["resources"]:
        assert res["title"] in datasets
        assert f"{res['bytes']:,}" in datasets
    base = bundle().base_figures  # the weekly sums of events are one line per dataset
    dated = base[~base["source_file"].str.startswith("baseline")]
    assert page.locator("#sources-figures tbody tr").count() == len(dated)
    assert page.locator("#sources-event-sums tbody tr").count() == 1
    figures_text = page.inner_text("#sources-figures")
    assert "News article of 16 Feb 2020" in figures_text and "some 700,000" in figures_text
    attribution = page.inner_text("#sources-attribution")
    assert "Boundaries: UN OCHA / UNCS (COD-AB Syria), CC BY 3.0 IGO" in attribution
    assert "OpenSyria data-geography, CC BY 4.0" in attribution
    assert "approximate" in attribution
    assert "CC BY 3.0 IGO" in page.inner_text("footer")


def test_geometry_is_sent_once_and_callbacks_stay_small(page: Any, server: str) -> None:
    bodies: list[bytes] = []
    page.on(
        "response", lambda r: bodies.append(r.body()) if "_dash-update-component" in r.url else None
    )
    open_view(page, server)
    for label in ("Admin 2", "Admin 1", "Admin 3", "Admin 2"):
        page.click(f"#filters-level label:has-text('{label}')")
        settle(page)
    geo = page.watch.requests_matching(r"/geo/")
    assert len(geo) == len(set(geo)) == 4  # adm3, turkey, then adm2 and adm1 once each
    assert len(bodies) >= 4 * 3
    assert all(b'"coordinates"' not in b for b in bodies)
    # page content first, then filter callbacks: none carries geometry, all stay small
    assert max(len(b) for b in bodies[1:]) < 80_000
