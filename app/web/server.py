"""The app factory: creates the Dash app and wires pages, routes and headers together."""

from __future__ import annotations

import dash
from flask import jsonify

from app import __version__
from app.bundle.store import load_bundle
from app.config import PROJECT_ROOT, get_config


def create_app() -> dash.Dash:
    cfg = get_config()
    bundle = load_bundle(cfg.data_dir)
    app = dash.Dash(
        __name__,
        title="NW Syria displacement dashboard",
        assets_folder=str(PROJECT_ROOT / "assets"),
        serve_locally=True,
        compress=True,
        use_pages=True,
        pages_folder="",
        suppress_callback_exceptions=True,
    )
    from app.web.assets import use_partial_plotly

    use_partial_plotly(app)  # our partial plotly.js from assets/, never the full 4.8 MB one
    from app.pages import register_pages

    register_pages(app, bundle)

    @app.server.get("/health")
    def health():  # type: ignore[no-untyped-def]
        return jsonify(status="ok", version=__version__, figures=len(bundle.figures),
                       areas=len(bundle.areas))

    return app
