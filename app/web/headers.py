"""Security headers on every response: who may frame which page, and what scripts may run.

- ``/embed/*`` views (read-only public views) may be framed by any site by default
  (``Config.embed_origins``, env ``NWS_EMBED_ORIGINS``, default ``*``:
  ``frame-ancestors *``, as Datawrapper's embeds); a space-separated list of origins
  restricts them to this site and those: ``frame-ancestors 'self' <origins>``. They get no
  ``X-Frame-Options``: its only cross-origin value (ALLOW-FROM) is obsolete, and
  SAMEORIGIN would make old browsers refuse every report that embeds a view.
- every other page: ``frame-ancestors 'self'`` and ``X-Frame-Options: SAMEORIGIN`` (for
  browsers older than CSP 2), so the dashboard itself cannot be clickjacked.
- ``/data`` (editors' pages) and ``/api/*``: ``frame-ancestors 'none'``,
  ``X-Frame-Options: DENY`` and ``Cache-Control: no-store`` (a shared or back-button cache
  must never keep a report, the audit or an answer with a batch's details).
- everywhere: ``X-Content-Type-Options: nosniff`` (an export is never sniffed into HTML)
  and ``Referrer-Policy: same-origin`` (links out to ReliefWeb do not carry the view's
  filters).

The rest of the policy was checked in Chromium against the real pages (see the
end-to-end tests, which fail on any console error such as a CSP violation):

- ``script-src 'self'`` plus the hashes Dash computes for its inline scripts
  (``Dash.csp_hashes()``: the renderer bootstrap and any inline clientside callback). No
  ``'unsafe-eval'``: Dash's production renderer and our plotly.js bundle run without it.
- ``worker-src 'none'``: nothing starts a web worker (the map is SVG, plotly.js ``geo``;
  the MapLibre map it replaced needed ``blob:`` workers).
- ``style-src 'self' 'unsafe-inline'``: React components and plotly.js set inline styles;
  styles cannot run code.
- ``img-src 'self' data: blob:`` (plotly.js: icons, image export), ``connect-src 'self'``
  (callbacks, the map's GeoJSON and topojson), ``object-src 'none'``, ``base-uri 'self'``,
  ``form-action 'self'``.
"""

from __future__ import annotations

import re

import dash
from flask import Response, request

from app.config import ConfigError

EMBED_PREFIX = "/embed/"
#: One CSP source: 'self', *, ``https:`` (any https site), or http(s)://host[:port] (host may
#: be *.x). Never another scheme (``javascript:``, ``data:``), nor a bare ``http:``, which in
#: CSP allows every site over http and https alike.
_SOURCE = re.compile(
    r"^('self'|\*|https:|https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:(\d{1,5}|\*))?)$"
)


def parse_origins(text: str) -> list[str]:
    """The embed allowlist as CSP sources, ``'self'`` first, without repeats; ``["*"]``
    (any site) when the text holds ``*`` (the default).

    Raises :class:`~app.config.ConfigError` (naming NWS_EMBED_ORIGINS) on anything that is
    not an origin: a ``;`` or a quote there would inject other CSP directives.

    >>> parse_origins("https://reports.example.org  http://localhost:8000/")
    ["'self'", 'https://reports.example.org', 'http://localhost:8000']
    >>> parse_origins("*")
    ['*']
    """
    out = ["'self'"]
    for token in text.split():
        token = token.rstrip("/") if "://" in token else token
        port = token.rpartition(":")[2] if token.count(":") == 2 else ""
        if not _SOURCE.match(token) or (port.isdigit() and not 1 <= int(port) <= 65535):
            raise ConfigError(
                f"NWS_EMBED_ORIGINS: {token!r} is not an origin such as "
                f"https://reports.example.org or http://localhost:8000"
            )
        if token not in out:
            out.append(token)
    return ["*"] if "*" in out else out


def is_embed_path(path: str, prefix: str = "/") -> bool:
    """``/embed/...`` under the app's path prefix."""
    return path.startswith(prefix.rstrip("/") + EMBED_PREFIX)


def is_private_path(path: str, prefix: str = "/") -> bool:
    """``/data`` (editors' pages) and ``/api/...`` under the app's path prefix."""
    base = prefix.rstrip("/")
    return path == base + "/data" or path.startswith((base + "/data/", base + "/api/"))


def frame_ancestors(embed: bool, origins: list[str]) -> str:
    return "frame-ancestors " + (" ".join(origins) if embed else "'self'")


def content_security_policy(script_hashes: list[str], ancestors: str) -> str:
    """The whole policy (see module doc for why each directive is there)."""
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *script_hashes]),
        "worker-src 'none'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        ancestors,
    ]
    return "; ".join(directives)


#: Static sub-resources (performance: see register_security_headers): URL prefixes, types.
_STATIC_PREFIXES = ("_dash-component-suites/", "assets/", "geo/", "_favicon.ico")
_STATIC_TYPES = frozenset(
    {
        "text/javascript",
        "application/javascript",
        "text/css",
        "application/geo+json",
        "application/json",  # under assets/ and geo/ only (not Dash's /_dash-* endpoints)
        "image/x-icon",
        "image/vnd.microsoft.icon",
        "image/png",
        "image/svg+xml",
        "font/woff2",
    }
)


def _is_static_subresource(path: str, mimetype: str | None, prefix: str = "/") -> bool:
    base = prefix.rstrip("/") + "/"
    return mimetype in _STATIC_TYPES and any(path.startswith(base + p) for p in _STATIC_PREFIXES)


def register_security_headers(app: dash.Dash, embed_origins: str) -> None:
    """Add the after-request hook to ``app.server``; bad ``embed_origins`` fail here, at start."""
    origins = parse_origins(embed_origins)
    prefix = app.config.routes_pathname_prefix or "/"

    def security_headers(response: Response) -> Response:
        if _is_static_subresource(request.path, response.mimetype, prefix):
            # performance: scripts, styles, icons and geometry are never documents, so the
            # policy and framing headers do nothing there (~450 B x ~20 files per first view)
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response
        embed = is_embed_path(request.path, prefix)
        private = is_private_path(request.path, prefix)
        ancestors = "frame-ancestors 'none'" if private else frame_ancestors(embed, origins)
        # computed per response: cheap (a few short hashes) and never stale if a clientside
        # callback is added after start-up
        response.headers["Content-Security-Policy"] = content_security_policy(
            list(app.csp_hashes()), ancestors
        )
        if private:  # editors' pages and the API: never framed, never kept by a cache
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Cache-Control"] = "no-store"
        elif not embed:
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    app.server.after_request(security_headers)
