"""The app factory: creates the Dash app and wires pages, routes and headers together."""

from __future__ import annotations

import logging

import dash
from flask import jsonify

from app import __version__
from app.config import PROJECT_ROOT, get_config

log = logging.getLogger(__name__)


def _cache_word(ping: bool | None) -> str:
    return {None: "file", True: "redis", False: "unreachable"}[ping]


#: Seconds between two hand-backs of freed memory in one process (see below).
TRIM_EVERY = 2.0


def _trim_memory_between_requests(server) -> None:  # type: ignore[no-untyped-def]
    """After a request, at most every TRIM_EVERY seconds, give memory the request freed back
    to the operating system (glibc keeps freed arenas: a worker that built a few large views
    kept 70-150 MB it no longer used). About 1-5 ms, after the response was sent."""
    import time

    from app.bundle.store import release_freed_memory

    last = [0.0]

    @server.teardown_request
    def trim(_exc):  # type: ignore[no-untyped-def]
        now = time.monotonic()
        if now - last[0] >= TRIM_EVERY:
            last[0] = now
            release_freed_memory()


def create_app() -> dash.Dash:
    cfg = get_config()
    from app.store import live

    # the bundle and the store (made on first use; an outdated one stops here with the
    # command to run): every view reads them through the live context, per store version
    base = live.get_live(cfg.data_dir).bundle
    app = dash.Dash(
        __name__,
        title="NW Syria displacement dashboard",
        assets_folder=str(PROJECT_ROOT / "assets"),
        serve_locally=True,
        compress=True,
        use_pages=True,
        pages_folder="",
        suppress_callback_exceptions=True,
        # Sync callbacks only: with asgiref installed Dash would otherwise build async
        # endpoints, which fail under WSGI test clients sharing a thread with an event loop.
        use_async=False,
    )
    from app.web.assets import (
        dashboard_preloads,
        install_preloads,
        leave_out_dash_table,
        load_plotly_lazily,
        use_partial_plotly,
    )

    use_partial_plotly(app)  # our partial plotly.js from assets/, never the full 4.8 MB one
    plotly_url = load_plotly_lazily(app)  # ... not holding up the renderer, only where drawn
    leave_out_dash_table()  # nothing uses DataTable: 8 KB less on every first view
    # plotly.js, dcc chunks and map geometry download with the page's scripts
    install_preloads(app, dashboard_preloads(base, plotly_url))
    from app.pages import register_pages
    from components.context import make_live_context

    register_pages(app, ctx := make_live_context())
    from app.web.report import register_report_route

    register_report_route(app.server, ctx)  # /report?<view>: the view as one offline HTML file
    from app.web.not_found import answer_404_for_unknown_pages

    answer_404_for_unknown_pages(app)  # /nonexistent is a 404, not Dash's 200 shell
    from app.web.geo import register_geo_routes

    register_geo_routes(app.server, base)  # /geo/<name>.geojson: map geometry, cached once
    from app.web.export_routes import register_export_routes
    from app.web.headers import register_security_headers

    register_export_routes(app.server)  # /export/figures.csv|.xlsx, /export/areas.geojson
    from app.web.editing import install_editing

    install_editing(app, cfg)  # /data (editors' pages), /api/imports; refuses editors without a key
    register_security_headers(app, cfg.embed_origins)  # CSP, frame-ancestors, nosniff
    from app.web.cache import bundle_key, init_cache
    from app.web.static import install_static_responses

    init_cache(app.server, cfg.cache_dir, bundle_key(base), lambda: live.current().key,
               redis_url=cfg.redis_url)  # fmt: skip
    install_static_responses(app, cfg.cache_dir)  # brotli-11 bodies, immutable cache headers
    from app.web.guard import guard_requests

    guard_requests(app)  # malformed callback requests -> 400, not a 500 from inside Dash
    from app.i18n.catalogs import compile_if_stale
    from app.i18n.web import install_language

    compile_if_stale()  # the .po catalogs -> .mo, when a translator changed one
    install_language(app)  # after the guard: its size and shape checks run first
    from app.web.unavailable import install_store_unavailable

    install_store_unavailable(app)  # a store down past its grace: 503, never a traceback
    from app.bundle.store import release_freed_memory, settle_heap

    release_freed_memory()  # what building the pages freed, before gunicorn forks workers
    settle_heap()  # the tables read: out of the collector's full passes (and page copies)
    _trim_memory_between_requests(app.server)
    from app.store.engine import dispose_all

    dispose_all()  # no database connection is shared with the workers gunicorn forks

    @app.server.get("/favicon.ico")
    def favicon():  # type: ignore[no-untyped-def]
        # browsers ask for it on pages that name none (the editor pages, a downloaded file)
        from flask import send_from_directory

        return send_from_directory(PROJECT_ROOT / "assets", "favicon.ico", max_age=86_400)

    @app.server.get("/health")
    def health():  # type: ignore[no-untyped-def]
        from app.store import notify

        cache = notify.ping()  # None: no Redis configured
        try:
            store_version = live.get_live().probe()
            snap = live.current()
        except Exception as exc:  # the store cannot be reached: say so to a load balancer
            log.warning("health: store unreachable: %s", exc)
            return jsonify(status="unavailable", version=__version__, store="unreachable",
                           cache=_cache_word(cache)), 503  # fmt: skip
        if cache is False:
            return jsonify(status="unavailable", version=__version__, store="ok",
                           cache="unreachable", store_version=store_version), 503  # fmt: skip
        return jsonify(
            status="ok",
            version=__version__,
            store_version=store_version,
            serving_version=snap.version,
            store=live.get_live().store.display_url().split("://", 1)[0],
            figures=len(snap.tables.figures),
            areas=len(snap.tables.areas),
            batches=sum(b["status"] == "active" for b in snap.batches),
            cache=_cache_word(cache),
        )

    return app
