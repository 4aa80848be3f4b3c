"""Overview page (``/``): filters, headline cards, map and time series, all from the URL.

``layout(**query)`` is called by Dash pages with the URL's query parameters: the view state
is parsed from them (bad values fall back, with a visible notice), and every component is
rendered for that state on the server, so the first paint needs no callback round trip.
"""

from __future__ import annotations

import dash
from dash import html

from app.i18n import _
from app.state import parse_query
from components import cards, filters, map_view, print_header, shell, timeseries_view
from components.context import OverviewContext


def register(ctx: OverviewContext) -> None:

    def layout(**query: str) -> html.Div:
        state, notices = parse_query(query, ctx.choices)
        return html.Div(
            [
                shell.header("overview", query),
                print_header.print_header(state),
                *filters.state_components(state),
                html.Aside(filters.filter_bar(ctx, state), className="sidebar"),
                html.Main(
                    [
                        filters.notices_box(notices),
                        cards.cards_row(ctx, state),
                        html.Div(
                            [
                                map_view.map_panel(ctx, state),
                                timeseries_view.timeseries_panel(ctx, state),
                            ],
                            className="main-grid",
                        ),
                    ],
                    className="content",
                ),
                shell.footer(),
            ],
            className="app nws-overview",
        )

    for component in (filters, cards, map_view, timeseries_view, print_header):
        component.register_callbacks(ctx)
    shell.register_callbacks(filters.STATE, "/")
    dash.register_page(
        "overview",
        path="/",
        layout=layout,
        title=lambda **_query: _("Overview · NW Syria displacement"),
        description=lambda **_query: _(
            "Displacement, casualties and risk in north-west Syria, "
            "Dec 2019 - Mar 2020, with the source of every figure."
        ),
    )
