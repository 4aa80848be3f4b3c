"""The filter bar and the view state it writes: to a store the other components read, and
to the URL (so a reload or a shared link shows the same view).

The URL is written with ``dcc.Location(refresh=False)``: the address changes without a
page reload and without Dash pages re-rendering the page; reloading (or the back button)
goes through the page's ``layout(**query)`` which restores the same state.

Dates are the browser's own date fields (``dcc.Input(type="date")``, value ``YYYY-MM-DD``
or empty), not ``dcc.DatePickerRange``/``DatePickerSingle``: those load a 17 KB (brotli)
chunk with the first view, and on a slow link every byte of it delays the map. A date
field's value changes as each part is typed (``debounce=True`` would be kinder, but Dash
4.4's Input then calls ``setSelectionRange``, which date fields refuse with an error): while
a year is being typed it passes through 0002, 0020, 0202, so a value outside the fields'
``min``/``max`` is not a choice yet and changes nothing (:func:`date_in_progress`).

The area picker starts with the selected areas' options only; all 136 (8 KB compressed,
a third of the page's content) come from ``/geo/areas.json`` when it is first pointed at,
touched or focused (``assets/area_options.js``), not with the first view.
"""

from __future__ import annotations

from datetime import date

import dash
from dash import (
    ClientsideFunction,
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    dcc,
    html,
    no_update,
)

from app.i18n import _, current
from app.queries.area_labels import localized_area_options
from app.queries.catalogue import LEVELS, SECTOR_NAMES, SECTORS, VIEW_METRICS
from app.state import ViewState, parse_query, to_query
from app.web.geo import area_options_path
from components.context import OverviewContext

PREFIX = "filters"
LEVEL = f"{PREFIX}-level"
METRIC = f"{PREFIX}-metric"
SECTOR = f"{PREFIX}-sector"
AREA = f"{PREFIX}-area"
AREA_OPTIONS_URL = f"{PREFIX}-area-options-url"
PUBLISHER = f"{PREFIX}-publisher"
DATES = f"{PREFIX}-dates"
DATE_START = f"{PREFIX}-date-start"
DATE_END = f"{PREFIX}-date-end"
AS_OF = f"{PREFIX}-as-of"
NOTICES = f"{PREFIX}-notices"
#: The view state as a canonical query string ("" = default view); every component reads it.
STATE = "view-state"
LOCATION = "view-url"

_DATE_BOUNDS = {"min": date(2018, 1, 1).isoformat(), "max": date(2020, 12, 31).isoformat()}


def date_in_progress(*values: object) -> bool:
    """A date field holds a date outside its bounds: a year still being typed (see above).

    >>> date_in_progress("2020-02-16", "", None), date_in_progress("0202-02-16")
    (False, True)
    """
    return any(
        isinstance(v, str) and v and not (_DATE_BOUNDS["min"] <= v[:10] <= _DATE_BOUNDS["max"])
        for v in values
    )


def _field(label: str, control: object, class_name: str = "", title: str = "") -> html.Div:
    children: list = [html.Label(label, className="nws-field-label"), control]
    return html.Div(children, className=f"nws-field {class_name}".strip(), title=title or None)


def notices_box(notices: list[str]) -> html.Div:
    """What was ignored in the URL, visibly (role=status so screen readers announce it)."""
    if not notices:
        return html.Div(id=NOTICES, hidden=True)
    return html.Div(
        [
            html.Strong(_("Some link parameters were not understood and were ignored: ")),
            html.Ul([html.Li(n) for n in notices]),
        ],
        id=NOTICES,
        className="notice",
        role="status",
    )


def _date_input(input_id: str, value: date | None, label: str) -> html.Label:
    """A date field with its accessible name (a label read out, not shown)."""
    field = dcc.Input(
        id=input_id,
        type="date",
        value=value.isoformat() if value else "",
        className="nws-date",
        **_DATE_BOUNDS,
    )
    return html.Label(
        [html.Span(label, className="nws-sr-only"), field], className="nws-date-field"
    )


def filter_bar(ctx: OverviewContext, state: ViewState) -> html.Div:
    """The filters, preset from ``state``."""
    metric_options = [{"label": _(m.label), "value": m.id} for m in VIEW_METRICS.values()]
    return html.Div(
        [
            _field(
                _("Map level"),
                dcc.RadioItems(
                    id=LEVEL,
                    value=state.level,
                    inline=True,
                    className="nws-radio",
                    options=[
                        {
                            "label": html.Span(
                                _("Admin {level}").format(level=lv), title=_(names[1]).capitalize()
                            ),
                            "value": lv,
                        }
                        for lv, names in LEVELS.items()
                    ],
                ),
                title=_("Admin 1: governorates · Admin 2: districts · Admin 3: sub-districts"),
            ),
            _field(
                _("Metric"),
                dcc.Dropdown(
                    id=METRIC,
                    value=state.metric,
                    options=metric_options,
                    clearable=False,
                    searchable=False,
                ),
                class_name="nws-field-wide",
            ),
            _field(
                _("HNO sector"),
                dcc.Dropdown(
                    id=SECTOR,
                    value=state.sector,
                    clearable=False,
                    searchable=False,
                    options=[{"label": _(SECTOR_NAMES.get(s, s)), "value": s} for s in SECTORS],
                    disabled=not state.view_metric.needs_sector,
                ),
            ),
            _field(
                _("Areas"),
                dcc.Dropdown(
                    id=AREA,
                    value=list(state.areas),
                    options=selected_area_options(ctx, state),
                    multi=True,
                    placeholder=_("All NW Syria · type a name or P-code"),
                    maxHeight=320,
                ),
                class_name="nws-field-wide",
            ),
            _field(
                _("Publishers"),
                dcc.Dropdown(
                    id=PUBLISHER,
                    value=list(state.publishers),
                    options=ctx.publisher_options,
                    multi=True,
                    placeholder=_("All publishers"),
                    maxHeight=320,
                ),
                class_name="nws-field-wide",
            ),
            _field(
                _("Figures dated between"),
                html.Div(
                    [
                        _date_input(DATE_START, state.start, _("from")),
                        html.Span("→", className="nws-date-sep", **{"aria-hidden": "true"}),
                        _date_input(DATE_END, state.end, _("to")),
                    ],
                    id=DATES,
                    className="nws-date-range",
                ),
                title=_("Figures whose period overlaps these dates; empty: no limit"),
            ),
            _field(
                _("As known on"),
                _date_input(AS_OF, state.as_of, _("as known on")),
                title=_("Show only figures that had been published by this day; empty: any date"),
            ),
            html.A(
                _("Reset"),
                href=dash.get_relative_path("/") + to_query(ViewState()),
                className="nws-reset",
                title=_("Back to the default view"),
            ),
            dcc.Store(
                id=AREA_OPTIONS_URL,
                data=dash.get_relative_path(area_options_path(ctx.bundle, current().lang)),
            ),
        ],
        className="nws-filters",
        role="search",
        **{"aria-label": _("Filters")},
    )


def selected_area_options(ctx: OverviewContext, state: ViewState) -> list[dict[str, str]]:
    """The options of the selected areas only, so the picker shows their names at once (in
    the request's language: Arabic names first in the Arabic interface)."""
    chosen = set(state.areas)
    options = localized_area_options(ctx.bundle.areas, ctx.area_options, current().lang)
    return [o for o in options if o["value"] in chosen]


def state_components(state: ViewState) -> list:
    """The store every component reads and the URL writer."""
    return [dcc.Location(id=LOCATION, refresh=False), dcc.Store(id=STATE, data=to_query(state))]


def state_from_controls(
    level: object,
    metric: object,
    sector: object,
    areas: object,
    publishers: object,
    start: object,
    end: object,
    as_of: object,
    ctx: OverviewContext,
) -> ViewState:
    """Control values -> view state, through the same validation as the URL."""

    def day(v: object) -> str:
        return str(v)[:10] if v else ""

    query = {
        "level": str(level or ""),
        "metric": str(metric or ""),
        "sector": str(sector or ""),
        # a crafted request may put anything in a list: only text items can be P-codes or names
        "area": ",".join(a for a in areas if isinstance(a, str))
        if isinstance(areas, list)
        else str(areas or ""),
        "publisher": "|".join(p for p in publishers if isinstance(p, str))
        if isinstance(publishers, list)
        else "",
        "start": day(start),
        "end": day(end),
        "as_of": day(as_of),
    }
    state, _notices = parse_query({k: v for k, v in query.items() if v}, ctx.choices)
    return state


def register_callbacks(ctx: OverviewContext) -> None:
    # the area options, on first use of the picker (assets/area_options.js)
    clientside_callback(
        ClientsideFunction(namespace="nws", function_name="lazyOptions"),
        Output(AREA, "options"),
        Input(AREA_OPTIONS_URL, "data"),
        State(AREA, "id"),
    )

    @callback(
        Output(STATE, "data"),
        Output(LOCATION, "search"),
        Output(SECTOR, "disabled"),
        Input(LEVEL, "value"),
        Input(METRIC, "value"),
        Input(SECTOR, "value"),
        Input(AREA, "value"),
        Input(PUBLISHER, "value"),
        Input(DATE_START, "value"),
        Input(DATE_END, "value"),
        Input(AS_OF, "value"),
        State(STATE, "data"),
        prevent_initial_call=True,
    )
    def update_state(level, metric, sector, areas, publishers, start, end, as_of, current):  # type: ignore[no-untyped-def]
        if date_in_progress(start, end, as_of):
            return no_update, no_update, no_update
        state = state_from_controls(
            level, metric, sector, areas, publishers, start, end, as_of, ctx
        )
        query = to_query(state)
        # Performance: a control that re-sends its value on mount (Dash's date pickers did)
        # must not make the map, chart and cards resend their figures (about 95 KB a load).
        data = no_update if query == current else query
        return data, query, not state.view_metric.needs_sector
