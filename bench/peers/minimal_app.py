"""The peer of the dashboard in the bench scripts: a minimal Dash app with one ``dcc.Graph``.

What a typical "hello map" Dash app does: Dash's defaults (the full ``plotly.min.js``,
served locally), compression on (``compress=True``, the same as the dashboard, so the
comparison is about what the app sends, not whether it compresses), and one map drawn
with MapLibre on the offline ``white-bg`` style. No callbacks, no geometry files.

    .venv/bin/python bench/peers/minimal_app.py --port 8060 [--no-compress]
"""

from __future__ import annotations

import argparse

import dash
import plotly.graph_objects as go
from dash import dcc, html

# A few places in north-west Syria (lat, lon): Idleb, Saraqab, Maarrat an-Nu'man, Afrin, Azaz.
POINTS = [(35.93, 36.63), (35.86, 36.80), (35.65, 36.67), (36.51, 36.87), (36.59, 37.05)]


def make_app(compress: bool = True) -> dash.Dash:
    app = dash.Dash(__name__, title="minimal peer", compress=compress)
    fig = go.Figure(
        go.Scattermap(
            lat=[p[0] for p in POINTS],
            lon=[p[1] for p in POINTS],
            mode="markers",
            marker={"size": 10},
        )
    )
    fig.update_layout(
        map={"style": "white-bg", "center": {"lat": 35.9, "lon": 36.8}, "zoom": 7},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=600,
    )
    app.layout = html.Div([html.H1("Minimal peer"), dcc.Graph(id="graph", figure=fig)])
    return app


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8060)
    p.add_argument("--no-compress", action="store_true")
    args = p.parse_args()
    make_app(compress=not args.no_compress).run(host=args.host, port=args.port, debug=False)


if __name__ == "__main__":
    main()
