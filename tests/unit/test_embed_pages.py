"""Embedded views and the views' download bars, as component trees (no browser)."""

from __future__ import annotations

from datetime import date

import dash
import pytest

from app.pages import embed
from app.state import ViewState, to_query
from components import downloads
from components.context import make_context


@pytest.fixture(scope="module")
def ctx(bundle):
    dash.Dash(__name__)  # get_relative_path needs an app (base path "/")
    return make_context(bundle)


def walk(component: object) -> list:
    """Every component in a tree, depth first."""
    out = [component]
    children = getattr(component, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            out += walk(child)
    elif children is not None and not isinstance(children, str | int | float):
        out += walk(children)
    return out


def text(component: object) -> str:
    parts = []
    for c in walk(component):
        children = getattr(c, "children", None)
        if isinstance(children, str | int | float):
            parts.append(str(children))
        elif isinstance(children, list):
            parts += [str(x) for x in children if isinstance(x, str | int | float)]
        elif isinstance(c, str):
            parts.append(c)
    return " ".join(parts)


STATE = ViewState(level=2, metric="idp_arrivals", areas=("SY0703",), as_of=date(2020, 2, 16))


def test_download_links_of_each_view(ctx) -> None:
    links = {v: downloads.download_links(v, STATE) for v in ("map", "timeseries", "sources")}
    assert [f for f, _, _ in links["map"]] == ["csv", "xlsx", "geojson"]
    assert links["map"][0][2] == (
        "/export/figures.csv?view=map&metric=idp_arrivals&level=2&as_of=2020-02-16"
    )
    assert links["map"][2][2] == (
        "/export/areas.geojson?metric=idp_arrivals&level=2&as_of=2020-02-16"
    )
    assert [f for f, _, _ in links["timeseries"]] == ["csv", "xlsx"]
    assert "area=SY0703" in links["timeseries"][0][2]
    card = downloads.download_links("card", STATE, "killed")
    assert card[0][2] == "/export/figures.csv?view=card&card=killed&area=SY0703&as_of=2020-02-16"


def test_an_area_attribute_map_downloads_as_geojson_only(ctx) -> None:
    links = downloads.download_links("map", STATE.replace(metric="population"))
    assert [f for f, _, _ in links] == ["geojson"]


def test_embed_snippet(ctx) -> None:
    """The iframe, then the lines that resize it: origin and source checked, a number set."""
    src = "http://127.0.0.1:8050/embed/map?level=2&area=SY0703&as_of=2020-02-16"
    fid = downloads.frame_id("map", src)
    assert fid.startswith("nws-embed-map-") and len(fid) == len("nws-embed-map-") + 8
    assert downloads.embed_snippet("http://127.0.0.1:8050", "map", STATE) == (
        f'<iframe id="{fid}" src="http://127.0.0.1:8050/embed/map?level=2&amp;area=SY0703&amp;'
        'as_of=2020-02-16" width="100%" height="600" title="North-west Syria: IDP arrivals '
        'in period (map)" loading="lazy" style="border:0;width:100%;max-width:100%"></iframe>\n'
        "<script>\n"
        "(function () {\n"
        f'  var frame = document.getElementById("{fid}");\n'
        '  window.addEventListener("message", function (event) {\n'
        '    if (!frame || event.origin !== "http://127.0.0.1:8050" '
        "|| event.source !== frame.contentWindow) return;\n"
        "    var msg = event.data;\n"
        '    if (!msg || msg.type !== "nws-embed-height") return;\n'
        "    var height = Number(msg.height);\n"
        "    if (isFinite(height) && height >= 50 && height <= 20000) "
        'frame.style.height = Math.ceil(height) + "px";\n'
        "  });\n"
        "})();\n"
        "</script>"
    )
    # before the page knows its origin: the frame alone (no check that could never pass)
    assert downloads.embed_snippet("", "map", STATE).endswith("</iframe>")
    assert downloads.embed_path("card", ViewState(), "at_risk") == "/embed/card?card=at_risk"
    assert (
        downloads.embed_path("card", STATE, "killed")
        == "/embed/card" + to_query(STATE) + "&card=killed"
    )


@pytest.mark.parametrize(
    ("href", "origin"),
    [
        ("http://127.0.0.1:8050/?level=2", "http://127.0.0.1:8050"),
        ("https://dash.example.org/sub/path", "https://dash.example.org"),
        (None, ""),
        ("", ""),
    ],
)
def test_origin_of(href: str | None, origin: str) -> None:
    assert downloads.origin_of(href) == origin


def test_download_bar(ctx) -> None:
    bar = downloads.download_bar("card", STATE, "at_risk")
    ids = [getattr(c, "id", None) for c in walk(bar)]
    assert {"type": downloads.LINK, "view": "card-at_risk", "format": "csv"} in ids
    assert {"type": downloads.COPY, "view": "card-at_risk"} in ids
    anchors = [c for c in walk(bar) if isinstance(c, dash.html.A)]
    assert all(a.download == "" for a in anchors)
    assert downloads._split_key("card-at_risk") == ("card", "at_risk")


@pytest.mark.parametrize("view", embed.VIEWS)
def test_embed_views_render_only_the_view_and_a_footer(ctx, view: str) -> None:
    state, notices, card = embed.parse_embed_query(
        {"level": "2", "as_of": "2020-02-16", "card": "killed"}, ctx
    )
    layout = embed.view_layout(ctx, view, state, notices, card)
    assert layout.id == "nws-embed"
    footer = [c for c in walk(layout) if isinstance(c, dash.html.Footer)]
    assert len(footer) == 1
    words = text(footer[0])
    assert "Source: " in words and "As known on 16 Feb 2020" in words
    links = {a.children: a.href for a in walk(footer[0]) if isinstance(a, dash.html.A)}
    assert links["Open in the dashboard"] == "/" + to_query(state)
    assert links["Data (CSV)"].startswith("/export/figures.csv?")
    assert not [c for c in walk(layout) if isinstance(c, dash.html.Header)]  # no app header


def test_embed_footer_names_the_sources_drawn(ctx) -> None:
    state, notices, _ = embed.parse_embed_query({"level": "3"}, ctx)
    rows = embed.view_rows(ctx, state, "map")
    layout = embed.map_layout(ctx, state, notices)
    assert set(embed.publishers_of(rows, ctx.priority)) == set(rows["publisher"]) != set()
    assert embed.publishers_of(rows, ctx.priority)[0] in text(layout)


def test_bad_parameters_are_said_in_the_footer(ctx) -> None:
    state, notices, card = embed.parse_embed_query({"level": "9", "card": "wounded"}, ctx)
    assert card == "displaced" and state.level == 3
    layout = embed.card_layout(ctx, state, notices, card)
    assert "Ignored level=9" in text(layout) and "Ignored card=wounded" in text(layout)


def test_area_attribute_map_names_its_source(ctx) -> None:
    state, notices, _ = embed.parse_embed_query({"metric": "border_distance_km"}, ctx)
    words = text(embed.map_layout(ctx, state, notices))
    assert "COD-AB" in words and "Data (CSV)" not in words


def test_an_area_attribute_time_series_offers_no_figures_export(ctx) -> None:
    # the figures export answers 400 for an area attribute: the bar must not link to it
    state = STATE.replace(metric="border_distance_km")
    assert downloads.download_links("timeseries", state) == []
    note = downloads.no_download_note("timeseries", [])
    assert note == (
        "No dated figures to download for a fixed property of each area: "
        "the map's GeoJSON holds its values."
    )


def test_link_updates_hide_and_bring_back_links(ctx) -> None:
    link_ids = [
        {"type": downloads.LINK, "view": v, "format": f}
        for v in ("map", "timeseries")
        for f, _ in downloads.FORMATS[v]
    ]
    note_ids = [{"type": downloads.NOTE, "view": v} for v in ("map", "timeseries")]
    hrefs, hidden, notes = downloads.link_updates(
        STATE.replace(metric="border_distance_km"), link_ids, note_ids
    )
    assert hidden == [True, True, False, True, True]
    assert hrefs[:2] == ["", ""]
    assert hrefs[2].startswith("/export/areas.geojson?metric=border_distance_km")
    assert notes[0] == "" and notes[1].startswith("No dated figures to download")
    # population: the map still only as GeoJSON, its chart's dated figures as CSV/XLSX
    _, hidden, notes = downloads.link_updates(
        STATE.replace(metric="population"), link_ids, note_ids
    )
    assert hidden == [True, True, False, False, False] and notes == ["", ""]
    hrefs, hidden, notes = downloads.link_updates(STATE, link_ids, note_ids)
    assert hidden == [False] * 5 and notes == ["", ""]
    assert (
        hrefs[3]
        == "/export/figures.csv?view=timeseries&metric=idp_arrivals&area=SY0703&as_of=2020-02-16"
    )


def test_every_format_is_in_the_bar_and_the_missing_ones_hidden(ctx) -> None:
    bar = downloads.download_bar("map", STATE.replace(metric="population"))
    links = [c for c in walk(bar) if getattr(c, "className", "") == "nws-download-link"]
    assert [(a.children, a.hidden) for a in links] == [
        ("CSV", True),
        ("XLSX", True),
        ("GeoJSON", False),
    ]


def test_the_population_chart_exports_its_dated_figures(ctx, bundle) -> None:
    # the chart of population draws OCHA's dated population figures: its CSV holds them
    from app.export import params as ep
    from app.export.rows import export_table

    links = downloads.download_links("timeseries", ViewState(metric="population"))
    assert [f for f, _, _ in links] == ["csv", "xlsx"]
    assert links[0][2] == "/export/figures.csv?view=timeseries&metric=population"
    p = ep.parse_export_params(
        {"view": ["timeseries"], "metric": ["population"]},
        ep.Endpoint.FIGURES,
        ep.Choices(pcodes=ctx.choices.pcodes, publishers=ctx.choices.publishers),
    )
    rows = export_table(bundle, p, ctx.priority).frame
    assert set(rows["metric"]) == {"population"}
    # north-west Syria's chart: the Idleb area's 3,000,000 (Dana's 712,000 lies inside)
    assert list(rows["value"]) == [3000000]
    assert set(rows["publisher"]) == {"OCHA"}


@pytest.mark.parametrize(
    ("query", "view", "card"),
    [
        ({"level": "3"}, "map", None),
        ({"level": "1", "metric": "people_killed", "start": "2019-08-01", "end": "2019-08-31"}, "map", None),
        ({"metric": "idp_arrivals", "areas": "SY0703", "as_of": "2020-02-16"}, "timeseries", None),
        ({"metric": "civilians_killed"}, "sources", None),
        ({}, "card", "displaced"),
    ],
)
def test_view_figures_are_the_export_rows_without_flags(ctx, query, view, card) -> None:  # type: ignore[no-untyped-def]
    """Footers and source lists read :func:`embed.view_figures`: the same figures, in the same
    order, as the view's export (``view_rows``), without its admin names, marks and flags;
    for the map, of the weekly event sums only those that can decide a value (the footer
    then says the same)."""
    import pandas as pd

    from app.tables.columns import FIGURE_COLUMNS

    state, _notices, _ = embed.parse_embed_query(query, ctx)
    rows = embed.view_rows(ctx, state, view, card)
    figures = embed.view_figures(ctx, state, view, card)
    assert list(figures.columns) == FIGURE_COLUMNS
    if query.get("metric") == "people_killed":  # weekly event sums: some left out
        assert 0 < len(figures) < len(rows)
        assert set(figures["figure_id"]) < set(rows["figure_id"])
    else:
        assert len(figures) == len(rows) > 0
        pd.testing.assert_frame_equal(
            figures.reset_index(drop=True), rows[FIGURE_COLUMNS].reset_index(drop=True),
            check_dtype=False, check_categorical=False,
        )
    assert embed.footer_facts(ctx, state, view, card) == (
        embed.publishers_of(rows, ctx.priority), embed.as_of_text(state, rows)
    )
