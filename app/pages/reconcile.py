"""Reconciliation page (``/reconcile``): every source's figures for a metric and a place on
one timeline, with contradictions marked and the reasons two figures differ in words.

Registered by :func:`register` from :func:`app.pages.register_pages` (never at import).
``layout(**query)`` renders the view for the URL on the server, so a permalink reproduces it.
"""

from __future__ import annotations

import dash
from dash import html

from app.i18n import _
from components import reconcile_view, shell
from components.context import OverviewContext


def register(ctx: OverviewContext) -> None:

    def layout(**query: str) -> html.Div:
        return html.Div(
            [shell.header("reconcile", query), *reconcile_view.view(ctx, query), shell.footer()],
            className="app nws-reconcile",
        )

    reconcile_view.register_callbacks(ctx)
    dash.register_page(
        "reconcile",
        path="/reconcile",
        layout=layout,
        title=lambda **_query: _("Reconcile sources · NW Syria displacement"),
        description=lambda **_query: _("Every source's figures side by side, with why they differ."),
    )
