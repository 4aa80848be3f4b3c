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
from app.queries.catalogue import LEVELS
from app.state import ViewState, parse_search
from components.context import OverviewContext
from components.filters import STATE

FILTERS = "print-filters"
OVERVIEW_TITLE = "North-west Syria: displacement, casualties and risk"


def filter_words(state: ViewState) -> str:
    """The view's filters as a sentence a reader of the paper understands.

    >>> filter_words(ViewState())
    'IDP arrivals in period by sub-district · areas: all of north-west Syria · publishers: all · dates: all'
    """
    m = state.view_metric
    parts = [
        f"{m.label}{' – ' + state.sector if state.sector_or_none else ''} by {LEVELS[state.level][0]}"
    ]
    parts.append("areas: " + (", ".join(state.areas) if state.areas else "all of north-west Syria"))
    parts.append("publishers: " + (" | ".join(state.publishers) if state.publishers else "all"))
    if state.start or state.end:
        start = fmt.day(state.start) if state.start else "any date"
        end = fmt.day(state.end) if state.end else "any date"
        parts.append(f"dates: figures for {start} – {end}")
    else:
        parts.append("dates: all")
    return " · ".join(parts)


def as_of_words(state: ViewState) -> str:
    if state.as_of is not None:
        return f"As known on {fmt.day(state.as_of)}: only figures published by that day."
    return "As known today: every figure in the dashboard."


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
            html.Div(title, className="nws-print-title"),
            filters,
            html.Div(
                [
                    html.Span("Printed from "),
                    html.Span("", className="nws-print-url"),
                    html.Span(" on "),
                    html.Span("", className="nws-print-date"),
                ],
                className="nws-print-where",
            ),
        ],
        className="nws-print-header",
        **{"aria-hidden": "true"},
    )


def _lines(state: ViewState, filters_text: str = "") -> list:
    return [
        html.Div("Filters: " + (filters_text or filter_words(state))),
        html.Div(as_of_words(state), className="nws-print-asof"),
    ]


def register_callbacks(ctx: OverviewContext) -> None:
    @callback(Output(FILTERS, "children"), Input(STATE, "data"), prevent_initial_call=True)
    def update_print_filters(query: str):  # type: ignore[no-untyped-def]
        state, _ = parse_search(query, ctx.choices)
        return _lines(state)
