"""A clear 503 while the store cannot be reached, never a traceback or a blank page.

:meth:`app.store.live.Live.current` serves the last version it read through a short outage
(a database restart) and raises :class:`~app.store.live.StoreUnavailable` once the outage
outlasts its grace. Every route that reads the tables then answers 503 with
``Retry-After``: a page as a short HTML page in the request's language, a Dash callback or
an API call as JSON (``{"error": "store_unavailable", "message": ...}``), so the renderer
keeps what it shows and a script can retry. A page load checks the store first, because
Dash's page shell itself needs no data and would otherwise come back 200 with nothing in it.
Static files, map geometry and ``/health`` (which has its own 503) are not checked.
"""

from __future__ import annotations

from html import escape
from typing import Any

import flask

from app.i18n import _, current
from app.store.live import StoreUnavailable

RETRY_AFTER_SECONDS = 5
#: Paths that never read the store's tables.
_NO_STORE = ("/assets/", "/_dash-component-suites/", "/geo/", "/health", "/favicon.ico",
             "/_dash-layout", "/_dash-dependencies", "/_reload-hash")  # fmt: skip


def _message() -> str:
    return _("The data store cannot be reached just now. The dashboard will show the figures "
             "again as soon as it answers; try again in a few seconds.")  # fmt: skip


def _answer(exc: StoreUnavailable) -> flask.Response:
    req = flask.request
    wants_json = (req.method != "GET" or req.path.startswith("/api/")
                  or req.accept_mimetypes.best == "application/json")  # fmt: skip
    if wants_json:
        response = flask.jsonify(error="store_unavailable", message=_message())
    else:
        lang = current()
        title = escape(_("Data store unavailable"))
        response = flask.make_response(
            f'<!DOCTYPE html><html lang="{lang.lang}" dir="{lang.dir}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title></head><body><h1>{title}</h1><p>{escape(_message())}</p>"
            "</body></html>"
        )
        response.mimetype = "text/html"
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def install_store_unavailable(app: Any) -> None:
    """Answer 503 (module doc) for :class:`StoreUnavailable`, and check the store before a
    page load."""
    server: flask.Flask = app.server

    @server.errorhandler(StoreUnavailable)
    def store_unavailable(exc: StoreUnavailable):  # type: ignore[no-untyped-def]
        flask.current_app.logger.warning("503: %s", exc)
        return _answer(exc)

    prefix = (app.config.requests_pathname_prefix or "/").rstrip("/")

    @server.before_request
    def check_store_for_pages() -> None:
        req = flask.request
        path = req.path[len(prefix):] if prefix and req.path.startswith(prefix) else req.path
        if req.method != "GET" or path.startswith(_NO_STORE):
            return
        from app.store import live

        live.current()  # raises StoreUnavailable after the grace; cached for a second otherwise
