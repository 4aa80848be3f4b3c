"""Front-end assets served by the app: our stylesheet and a partial plotly.js bundle.

How Dash 4 loads plotly.js, and why :func:`use_partial_plotly` works
--------------------------------------------------------------------
``Dash.__init__`` (``_setup_plotlyjs``) appends the full ``plotly/package_data/plotly.min.js``
(4.8 MB raw, 1.47 MB gzip) to ``dash.dcc._js_dist`` with ``"async": "eager"``. Unless the
app was created with ``eager_loading=True`` it is *not* a ``<script>`` tag in the page: the
renderer sets ``window._dashPlotlyJSURL`` and ``dcc.Graph``'s lazy loader, on the first
render of a graph, does ``Promise.resolve(window.Plotly || <inject a script tag for
window._dashPlotlyJSURL>)`` (see ``dash/dcc/dash_core_components.js``). So:

1. every ``.js`` file under the app's ``assets_folder`` (recursively) becomes a plain
   ``<script>`` tag, which runs before the renderer mounts the layout; our bundle
   ``assets/vendor/plotly-nws.min.js`` sets ``window.Plotly`` and the full one is never fetched;
2. we also drop the full plotly.js entry from ``dcc._js_dist`` so it is neither a script
   tag under ``eager_loading=True`` nor a registered path: if our bundle ever failed to
   load, the fallback request gets HTTP 500 (a loud console error in the end-to-end tests)
   instead of silently downloading 4.8 MB.

On the wire the bundle is 1.4 MB raw, about 0.47 MB with gzip and 0.48 MB with the zstd
level flask-compress uses on the fly. ``scripts/build_plotly_bundle.sh`` also writes
``plotly-nws.min.js.br`` (brotli quality 11, about 0.39 MB, too slow to do per request);
:func:`use_partial_plotly` serves it to browsers that accept ``br`` (Chromium does over
HTTPS and for localhost), after checking at start-up that it decompresses to the bundle.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import dash
from dash import dcc

log = logging.getLogger(__name__)

#: The project's ``assets/`` folder: pass it as ``Dash(assets_folder=str(ASSETS_DIR))``.
ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"
#: Partial plotly.js (scatter, choropleth, scattergeo); see assets/vendor/PLOTLY_BUILD.md.
PLOTLY_BUNDLE = ASSETS_DIR / "vendor" / "plotly-nws.min.js"
#: The same bundle compressed with brotli at build time (optional).
PLOTLY_BUNDLE_BR = PLOTLY_BUNDLE.with_name(PLOTLY_BUNDLE.name + ".br")

_FULL_PLOTLY = ("plotly", "package_data/plotly.min.js")


def _is_full_plotly(resource: dict) -> bool:
    return (resource.get("namespace"), resource.get("relative_package_path")) == _FULL_PLOTLY


def use_partial_plotly(app: dash.Dash) -> None:
    """Make ``app`` draw graphs with our partial bundle and never load the full plotly.js.

    Call it once the app exists (after ``init_app`` when created with ``server=False``).
    The bundle is included by Dash's assets mechanism, so the app's ``assets_folder`` must
    be :data:`ASSETS_DIR` (or another folder containing the bundle) and ``assets_ignore``
    must not hide it. Raises ``ValueError`` when the app would not load the bundle or
    would load scripts from a CDN (``serve_locally=False``).

    ``dcc._js_dist`` is module state shared by every app in the process and each new
    ``Dash()`` appends the full plotly.js again, so the list is filtered in place here.
    """
    if not app.config.serve_locally:
        raise ValueError("serve_locally=False loads scripts from a CDN; the app must run offline")
    if not PLOTLY_BUNDLE.is_file():
        raise ValueError(f"{PLOTLY_BUNDLE} is missing: run scripts/build_plotly_bundle.sh")

    assets_folder = Path(app.config.assets_folder).resolve()
    try:
        rel = PLOTLY_BUNDLE.relative_to(assets_folder)
    except ValueError:
        raise ValueError(
            f"the app serves assets from {assets_folder}, which does not contain "
            f"{PLOTLY_BUNDLE}: create it with Dash(assets_folder=str(ASSETS_DIR))"
        ) from None
    ignore = app.config.assets_ignore
    if ignore and re.search(ignore, rel.name):
        raise ValueError(f"assets_ignore={ignore!r} hides {rel}")
    ignored_dirs = [p for p in (app.config.assets_path_ignore or []) if p]
    if any(re.search(p, part) for p in ignored_dirs for part in rel.parts[:-1]):
        raise ValueError(f"assets_path_ignore={ignored_dirs!r} hides {rel}")

    dcc._js_dist[:] = [r for r in dcc._js_dist if not _is_full_plotly(r)]
    _serve_precompressed_bundle(app, rel.as_posix())


def _serve_precompressed_bundle(app: dash.Dash, filename: str) -> None:
    """Answer requests for the bundle with the ``.br`` file when the browser accepts brotli.

    Skipped (bundle then compressed on the fly by flask-compress, if enabled) when the
    ``.br`` file is missing or stale, or when the server is not Flask.
    """
    import flask  # Dash's default backend; imported here to keep this module light

    server = app.server
    if not isinstance(server, flask.Flask) or not PLOTLY_BUNDLE_BR.is_file():
        return
    try:
        import brotli

        fresh = brotli.decompress(PLOTLY_BUNDLE_BR.read_bytes()) == PLOTLY_BUNDLE.read_bytes()
    except Exception:  # brotli missing or a corrupt file: same as stale
        fresh = False
    if not fresh:
        log.warning("%s does not match %s: not serving it", PLOTLY_BUNDLE_BR, PLOTLY_BUNDLE)
        return

    def send_brotli_bundle() -> Any:
        request = flask.request
        if (
            request.endpoint is None
            or not request.endpoint.endswith("dash_assets.static")
            or (request.view_args or {}).get("filename") != filename
            or request.accept_encodings["br"] <= 0
        ):
            return None
        response = flask.send_file(
            PLOTLY_BUNDLE_BR, mimetype="text/javascript", conditional=True, max_age=None
        )
        response.headers["Content-Encoding"] = "br"
        response.vary.add("Accept-Encoding")
        return response

    server.before_request(send_brotli_bundle)
