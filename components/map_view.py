"""The map panel: choropleth of the chosen metric at the chosen level; a click selects an area.

The figure names its polygons by URL (see :mod:`app.web.geo`), so what the callback sends
is P-codes, values, hover text and the border line only.
"""

from __future__ import annotations

import dataclasses

import dash
from dash import (
    ClientsideFunction,
    Input,
    Output,
    Patch,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
    no_update,
)

from app.figures.map import (
    Figure,
    MapContext,
    choropleth_map,
    outline_locations,
    place_labels,
    with_selection,
)
from app.figures.map_zoom import area_bounds, union, with_zoom, zoom_geo
from app.figures.plotly_locale import locale_config
from app.i18n import _, current, translate
from app.queries.derived import memo
from app.queries.map_values import map_values
from app.state import ViewState, parse_search, to_query
from app.web.cache import cached_view
from app.web.geo import GEO_FILES, border_lonlat
from components.context import OverviewContext
from components.downloads import download_bar, png_labels
from components.filters import AREA, AREA_OPTIONS_URL, STATE

GRAPH = "map-graph"
CAPTION = "map-caption"
NOTE = "map-note"
#: Store of the map's state without the selection, as drawn (see :func:`shown_key`).
SHOWN = "map-shown"
HEIGHT = 440


def graph_config(**extra: object) -> dict:
    """``dcc.Graph`` config for every graph that shows the map (overview, embed, ...).

    ``topojsonURL``: a ``choropleth`` makes plotly.js fetch ``world_110m.json`` for its base
    map even when the base map is hidden, by default from cdn.plot.ly (offline: the map stays
    blank). Ours is ``assets/topojson/world_110m.json``, an empty topology, under the app's
    base path.

    ``locale`` / ``locales``: in the Arabic interface, plotly.js's own words (modebar, date
    ticks) in Arabic, from the figure's config, no request (:func:`locale_config`).
    """
    return {
        **locale_config(),
        "displaylogo": False,
        "scrollZoom": True,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage", "sendDataToCloud"],
        "showSendToCloud": False,  # never offer to upload a chart: the product is offline
        "topojsonURL": dash.get_asset_url("topojson/"),
        **extra,
    }


def map_context(ctx: OverviewContext, level: int) -> MapContext:
    """The geometry URLs of ``level``, the border line's coordinates and the place names."""
    lon, lat = border_lonlat(ctx.bundle)
    areas = ctx.bundle.areas
    # once per areas table, level and language (3 ms a map: distances between names)
    labels = memo(areas, f"place_labels:{level}:{current().key}", lambda a: place_labels(a, level))
    return dataclasses.replace(
        ctx.map_context(level), border_lon=lon, border_lat=lat, labels=labels
    )


def base_state(state: ViewState) -> ViewState:
    """What the map's colours depend on: the view state without the selected areas, which
    only move the outline."""
    return state.replace(areas=())


def shown_key(state: ViewState) -> str:
    return to_query(base_state(state))


def map_figure(ctx: OverviewContext, state: ViewState) -> Figure:
    """The map of ``state``: the cached map of its :func:`base_state` with the outline,
    zoomed to the selected areas (:func:`selection_geo`)."""
    fig = with_selection(base_figure(ctx, base_state(state)), state.areas)
    return with_zoom(fig, selection_geo(ctx, state.areas))


def selection_geo(ctx: OverviewContext, areas: tuple[str, ...]) -> dict:
    """The ``geo`` zoom that shows ``areas`` (any admin level), or the opening view."""
    bundle = ctx.bundle
    bounds = memo(  # once per bundle (136 boxes, 10 ms)
        bundle.areas,
        "area_bounds",
        lambda _: area_bounds(bundle.geojson(GEO_FILES[f"adm{n}"]) for n in (1, 2, 3)),
    )
    return zoom_geo(union(bounds[p] for p in areas if p in bounds), areas)


@cached_view("map")  # performance: shared across workers, keyed by the state without areas
def base_figure(ctx: OverviewContext, state: ViewState) -> Figure:
    mv = map_values(
        ctx.bundle.figures,
        ctx.bundle.areas,
        state.view_metric,
        state.level,
        state.figure_filter(),
        ctx.priority,
        sector=state.sector_or_none,
    )
    return choropleth_map(mv, map_context(ctx, state.level), selected=state.areas, height=HEIGHT)


def selection_patch(ctx: OverviewContext, state: ViewState) -> Patch:
    """Only the outline's locations and the zoom, for a change of the selected areas alone
    (a map click): a few hundred bytes instead of the whole figure. The map zooms to the
    selection, and back to the opening view when it is cleared."""
    index, outline = outline_locations(base_figure(ctx, base_state(state)), state.areas)
    patch = Patch()
    patch["data"][index]["locations"] = outline
    patch["data"][index]["z"] = [1] * len(outline)
    for key, value in selection_geo(ctx, state.areas).items():
        patch["layout"]["geo"][key] = value
    return patch


def empty_map_ways(state: ViewState) -> list[tuple[str, str]]:
    """(label, query) of views that have data, for a map left empty by its dates: the same
    map without the date limits, and the HNO 2019 baseline (every sub-district has it)."""
    ways = []
    if state.as_of or state.start or state.end:
        ways.append(
            (
                _("Show the latest figures (no date limits)"),
                to_query(state.replace(as_of=None, start=None, end=None)),
            )
        )
    if state.metric != "people_in_need":
        ways.append(
            (
                _("Show the HNO 2019 baseline (people in need)"),
                to_query(state.replace(metric="people_in_need", start=None, end=None)),
            )
        )
    return ways


def map_note(fig: Figure, state: ViewState, path: str = "/") -> list:
    """The coverage note below the map (what is shown, for how many areas, notes), and for
    an empty map a one-click way to a view with data (links to ``path``: the dashboard, or
    the embed's own page)."""
    meta = fig["layout"].get("meta", {})
    lines = list(meta.get("coverage", []))
    out: list = []
    if lines:
        out.append(html.Strong(lines[0]))
        out += [html.Span(" · " + line) for line in lines[1:]]
    if meta.get("n_with_data", 1) == 0:
        out.append(
            html.Div(
                [
                    html.Span(
                        _("Nothing to draw: no figure for this map with these dates.") + " "
                    ),
                    *[
                        html.A(
                            label,
                            href=dash.get_relative_path(path) + query,
                            className="nws-map-way",
                        )
                        for label, query in empty_map_ways(state)
                    ],
                ],
                className="nws-map-empty",
                role="status",
            )
        )
    return out


def caption(state: ViewState) -> list:
    m = state.view_metric
    return [html.Span(translate(m.note)), " " + _("Click an area to select it and zoom to it.")]


def map_panel(ctx: OverviewContext, state: ViewState) -> html.Section:
    return html.Section(
        [
            html.H2(_("Map"), className="panel-title"),
            dcc.Graph(
                id=GRAPH,
                figure=(fig := map_figure(ctx, state)),
                className="nws-map",
                config=graph_config(),
                style={"height": f"{HEIGHT}px"},
            ),
            html.Div(map_note(fig, state), id=NOTE, className="nws-map-note"),
            html.P(caption(state), id=CAPTION, className="nws-caption"),
            dcc.Store(id=SHOWN, data=shown_key(state)),
            download_bar("map", state, png=png_labels(ctx, "map", state)),
        ],
        className="panel map-panel",
        **{"aria-label": _("Map")},
    )


def register_callbacks(ctx: OverviewContext) -> None:
    @callback(
        Output(GRAPH, "figure"),
        Output(CAPTION, "children"),
        Output(SHOWN, "data"),
        Output(NOTE, "children"),
        Input(STATE, "data"),
        State(SHOWN, "data"),
        prevent_initial_call=True,
    )
    def update_map(query: str, shown: str | None):  # type: ignore[no-untyped-def]
        state, _notices = parse_search(query, ctx.choices)
        key = shown_key(state)
        if key != shown:
            fig = map_figure(ctx, state)
            return fig, caption(state), key, map_note(fig, state)
        return selection_patch(ctx, state), no_update, no_update, no_update

    # A click selects the clicked area (a second click on the only selected one clears it),
    # in the browser: no round trip before the state changes. The picker holds only the
    # selected areas' options until it is first used (the rest comes later:
    # components/filters.py); dcc.Dropdown drops a value without its option, so the areas
    # go in with their options (assets/area_options.js).
    clientside_callback(
        ClientsideFunction(namespace="nws", function_name="pickAreas"),
        Output(AREA, "value"),
        Output(AREA, "options", allow_duplicate=True),
        Input(GRAPH, "clickData"),
        State(AREA, "value"),
        State(AREA, "options"),
        State(AREA_OPTIONS_URL, "data"),
        prevent_initial_call=True,
    )
