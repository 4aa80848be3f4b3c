"""Overview page (placeholder until the dashboard lands)."""

from __future__ import annotations

import dash
from dash import html

from app.bundle.store import Bundle


def register(bundle: Bundle) -> None:
    def layout(**_: str) -> html.Div:
        return html.Div([html.H1("NW Syria displacement dashboard"),
                         html.P(f"{len(bundle.figures)} figures in the bundle")])

    dash.register_page("overview", path="/", layout=layout, title="Overview")
