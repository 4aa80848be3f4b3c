"""What a printed overview says about itself: title, the filters in words, the as-of date,
the URL and the print date (hidden on screen; shown by the print styles in
``assets/css/dashboard.css``).

The filters in words come from the view state, on the server (first render) and by a
callback when the state changes; the URL and the print date are the browser's, filled in
by ``assets/print_info.js`` (the policy forbids inline scripts).
"""

from __future__ import annotations

from dash import Input, Output, callback, html

from app import format as fmt
from app.i18n import N_, _
from app.queries.catalogue import LEVELS, SECTOR_NAMES
from app.state import ViewState, parse_search
from components.context import OverviewContext
from components.filters import STATE

FILTERS = "print-filters"
#: The printed title (English, marked: translated where shown).
OVERVIEW_TITLE = N_("North-west Syria: displacement, casualties and risk")


def filter_words(state: ViewState) -> str:
    """The view's filters as a sentence a reader of the paper understands.

    >>> filter_words(ViewState())
    'IDP arrivals in period by sub-district · areas: all of north-west Syria · publishers: all · dates: all'
    """
    m = state.view_metric
    what = _(m.label)
    if state.sector_or_none:
        what += " – " + _(SECTOR_NAMES.get(state.sector, state.sector))
    parts = [_("{metric} by {level}").format(metric=what, level=_(LEVELS[state.level][0]))]
    areas = ", ".join(fmt.isolate(a) for a in state.areas)
    parts.append(
        _("areas: {areas}").format(areas=areas) if state.areas
        else _("areas: all of north-west Syria")
    )  # fmt: skip
    parts.append(
        _("publishers: {publishers}").format(publishers=" | ".join(state.publishers))
        if state.publishers else _("publishers: all")
    )  # fmt: skip
    if state.start or state.end:
        start = fmt.day(state.start) if state.start else _("any date")
        end = fmt.day(state.end) if state.end else _("any date")
        parts.append(_("dates: figures for {start} – {end}").format(start=start, end=end))
    else:
        parts.append(_("dates: all"))
    return " · ".join(parts)


def as_of_words(state: ViewState) -> str:
    if state.as_of is not None:
        return _("As known on {date}: only figures published by that day.").format(
            date=fmt.day(state.as_of)
        )
    return _("As known today: every figure in the dashboard.")


def print_header(
    state: ViewState, title: str = OVERVIEW_TITLE, live: bool = True, filters_text: str = ""
) -> html.Div:
    """The printed page's header. ``live``: the overview, whose filters line a callback keeps
    current; an embed (``live=False``) is made for one URL and has no callbacks, so its line
    carries no id for one to look for. ``filters_text``: what the view's filters are, when
    they are not the state's (a headline card depends on the as-of date only)."""
    lines = _lines(state, filters_text)
    filters = html.Div(lines, id=FILTERS) if live else html.Div(lines)
    return html.Div(
        [
            html.Div(_(title), className="nws-print-title"),
            filters,
            html.Div(
                [
                    html.Span(_("Printed from ")),
                    html.Span("", className="nws-print-url", dir="ltr"),
                    html.Span(_(" on ")),
                    html.Span("", className="nws-print-date", dir="ltr"),
                ],
                className="nws-print-where",
            ),
        ],
        className="nws-print-header",
        **{"aria-hidden": "true"},
    )


def _lines(state: ViewState, filters_text: str = "") -> list:
    return [
        html.Div(_("Filters: {filters}").format(filters=filters_text or filter_words(state))),
        html.Div(as_of_words(state), className="nws-print-asof"),
    ]


def register_callbacks(ctx: OverviewContext) -> None:
    @callback(Output(FILTERS, "children"), Input(STATE, "data"), prevent_initial_call=True)
    def update_print_filters(query: str):  # type: ignore[no-untyped-def]
        state, _notices = parse_search(query, ctx.choices)
        return _lines(state)
