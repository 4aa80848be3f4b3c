"""The time-series panel: the chosen metric and its family for the selected areas, by kind."""

from __future__ import annotations

from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from app import format as fmt
from app.figures.plotly_locale import locale_config
from app.figures.timeseries import outside_range, time_range, timeseries_dict
from app.i18n import _, ngettext, translate
from app.queries.catalogue import DEFAULT_LEVEL
from app.queries.chart_data import ChartData, chart_data
from app.state import ViewState, parse_search, to_query
from app.web.cache import cached_view
from components.context import OverviewContext
from components.downloads import download_bar, png_labels
from components.filters import STATE

GRAPH = "timeseries-graph"
TITLE = "timeseries-title"
CAPTION = "timeseries-caption"
#: Store of the chart's part of the view state it was built for (see :func:`shown_key`).
SHOWN = "timeseries-shown"
HEIGHT = 440


def _data(ctx: OverviewContext, state: ViewState) -> ChartData:
    b = ctx.bundle
    return chart_data(
        b.figures,
        b.areas,
        b.regions,
        state.view_metric,
        state.areas,
        state.figure_filter(),
        sector=state.sector_or_none,
    )


def _x_range(state: ViewState) -> tuple[object, object] | None:
    return (state.start, state.end) if state.start and state.end else None


def _figure(ctx: OverviewContext, state: ViewState, data: ChartData) -> dict:
    """The chart as the dict Dash sends (performance: no ``go.Figure`` is built)."""
    m = state.view_metric
    if not m.family:
        message = _("{metric} is a fixed property of each area: see the map.").format(
            metric=translate(m.label)
        )
    elif state.areas:
        message = _("No dated figures for {areas} with these filters.").format(areas=data.scope)
    else:
        message = _("No dated figures with these filters.")
    x_range = _x_range(state)
    return timeseries_dict(
        data.figures,
        ctx.priority,
        x_range=x_range,
        empty_message=message,
        height=HEIGHT,
        metrics=m.family,
    )


def _title(state: ViewState, data: ChartData) -> str:
    m = state.view_metric
    if not m.family:
        return translate(m.label)
    return _("{metric} and related figures: {areas}").format(
        metric=translate(m.label), areas=data.scope or _("north-west Syria")
    )


def _caption(state: ViewState, data: ChartData) -> list:
    parts = [_("One series per publisher; error bars: the range its qualifier implies.")]
    if not data.figures.empty:
        lo, hi = time_range(data.figures, _x_range(state))
        n_out = outside_range(data.figures, lo, hi)
        if n_out:
            how = (
                _("double-click the chart to see all.")
                if _x_range(state)
                else _("the buttons above the chart (All) show them.")
            )
            text = ngettext(
                "{n} figure reaches outside {start} – {end}: {how}",
                "{n} figures reach outside {start} – {end}: {how}",
                n_out,
            )
            parts.append(
                " "
                + text.format(n=fmt.number(n_out), start=fmt.day(lo), end=fmt.day(hi), how=how)
            )
    if data.n_undated:
        text = ngettext(
            "{n} figure without an end date is not drawn.",
            "{n} figures without an end date are not drawn.",
            data.n_undated,
        )
        parts.append(" " + text.format(n=fmt.number(data.n_undated)))
    if data.n_inside:
        text = ngettext(
            "{n} figure for places inside {areas} is not drawn: select those places to see it.",
            "{n} figures for places inside {areas} are not drawn: select those places to see "
            "them.",
            data.n_inside,
        )
        parts.append(" " + text.format(n=fmt.number(data.n_inside), areas=data.scope))
    return parts


def chart_config(**extra: object) -> dict:
    """``dcc.Graph`` config of the time series (the overview's and any other page's): no
    logo, no cloud, the interface's plotly.js locale (Arabic month names on the time axis,
    :func:`app.figures.plotly_locale.locale_config`)."""
    return {
        **locale_config(),
        "displaylogo": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage", "sendDataToCloud"],
        "showSendToCloud": False,  # never offer to upload a chart: offline
        **extra,
    }


def chart_state(state: ViewState) -> ViewState:
    """What the chart depends on: the view state without the map's level."""
    return state.replace(level=DEFAULT_LEVEL)


def shown_key(state: ViewState) -> str:
    """The chart's part of the view state as a query string (see :func:`chart_state`)."""
    return to_query(chart_state(state))


def content(ctx: OverviewContext, state: ViewState) -> tuple[str, dict, list]:
    """Title, figure (as the dict Dash sends) and caption of the chart for ``state``."""
    return chart_content(ctx, chart_state(state))


@cached_view("timeseries")  # performance: shared across workers, keyed by the chart's state
def chart_content(ctx: OverviewContext, state: ViewState) -> tuple[str, dict, list]:
    data = _data(ctx, state)
    return _title(state, data), _figure(ctx, state, data), _caption(state, data)


def timeseries_panel(ctx: OverviewContext, state: ViewState) -> html.Section:
    title, fig, cap = content(ctx, state)
    return html.Section(
        [
            html.H2(title, id=TITLE, className="panel-title"),
            dcc.Graph(
                id=GRAPH,
                figure=fig,
                className="nws-chart",
                config=chart_config(),
                style={"height": f"{HEIGHT}px"},
            ),
            html.P(cap, id=CAPTION, className="nws-caption"),
            dcc.Store(id=SHOWN, data=shown_key(state)),
            download_bar("timeseries", state, png=png_labels(ctx, "timeseries", state)),
        ],
        className="panel chart-panel",
        **{"aria-label": _("Time series")},
    )


def register_callbacks(ctx: OverviewContext) -> None:
    @callback(
        Output(TITLE, "children"),
        Output(GRAPH, "figure"),
        Output(CAPTION, "children"),
        Output(SHOWN, "data"),
        Input(STATE, "data"),
        State(SHOWN, "data"),
        prevent_initial_call=True,
    )
    def update_timeseries(query: str, shown: str | None):  # type: ignore[no-untyped-def]
        state, _notices = parse_search(query, ctx.choices)
        key = shown_key(state)
        if key == shown:  # performance: only the map's level changed: 204, nothing is sent
            raise PreventUpdate
        return (*content(ctx, state), key)
