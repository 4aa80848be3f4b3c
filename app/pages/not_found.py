"""The page shown for an address that is no page of the dashboard (HTTP 404).

Dash pages looks for a page registered under the module name ``not_found_404`` when the
URL matches no page; :mod:`app.web.not_found` makes the server answer such an address
with status 404 (Dash alone answers 200), so links checkers and crawlers see it too.
"""

from __future__ import annotations

import dash
from dash import html

from app.i18n import _
from components import shell

MODULE = "not_found_404"  # the name Dash pages looks for


def layout(**_query: object) -> html.Div:
    def link(label: str, path: str) -> html.Li:
        return html.Li(html.A(label, href=dash.get_relative_path(path)))

    return html.Div(
        [
            shell.header(""),
            html.Main(
                html.Section(
                    [
                        html.H2(_("Page not found (404)")),
                        html.P(
                            _("There is no page at this address. The dashboard's pages are:"),
                        ),
                        html.Ul(
                            [
                                link(_("Overview: cards, map and time series"), "/"),
                                link(_("Reconcile: every source side by side"), "/reconcile"),
                                link(_("Sources: every dataset and figure"), "/sources"),
                            ]
                        ),
                    ],
                    className="panel nws-not-found",
                ),
                className="content",
            ),
            shell.footer(),
        ],
        className="app nws-404",
    )


def register() -> None:
    """Register the 404 page (its own path answers 404 too: it is no page of the site)."""
    dash.register_page(
        MODULE,
        path="/404",
        layout=layout,
        title=lambda **_query: _("Page not found · NW Syria displacement"),
    )
