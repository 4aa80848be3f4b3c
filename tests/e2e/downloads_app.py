"""The real app plus one test page, ``/test-downloads``, holding the dashboard's state store,
filters and two download bars: the download bar in a real browser, whichever views of the
dashboard place it. Run as ``python tests/e2e/downloads_app.py PORT`` by the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import dash
from dash import html

from app.state import parse_query
from app.web.server import create_app
from components import downloads, filters
from components.context import make_context


def main(port: int) -> None:
    app = create_app()
    from app.bundle.store import load_bundle

    ctx = make_context(load_bundle())

    def layout(**query: str) -> html.Div:
        state, _ = parse_query(query, ctx.choices)
        return html.Div(
            [
                *filters.state_components(state),
                filters.filter_bar(ctx, state),
                downloads.download_bar("map", state),
                downloads.download_bar("card", state, "killed"),
            ]
        )

    dash.register_page("test_downloads", path="/test-downloads", layout=layout)
    app.run(host="127.0.0.1", port=port, debug=False)


if __name__ == "__main__":
    main(int(sys.argv[1]))
