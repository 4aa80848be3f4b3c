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

import html
import logging
import re
from collections.abc import Callable, Mapping
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
#: Loads the bundle when the first graph asks for it (see :func:`load_plotly_lazily`).
PLOTLY_LOADER = ASSETS_DIR / "plotly_loader.js"
#: ``<meta name=...>`` that tells the loader the bundle's URL.
PLOTLY_META = "nws-plotly"

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


def plotly_bundle_url(app: dash.Dash) -> str:
    """The bundle's URL under the app's base path, versioned as Dash versions assets
    (``?m=<mtime>``, so :mod:`app.web.static` caches it as immutable)."""
    rel = PLOTLY_BUNDLE.relative_to(Path(app.config.assets_folder).resolve()).as_posix()
    return f"{app.get_asset_url(rel)}?m={PLOTLY_BUNDLE.stat().st_mtime}"


def load_plotly_lazily(app: dash.Dash) -> str:
    """Take the bundle out of the page's ``<script>`` tags; the first graph loads it.

    Call after :func:`use_partial_plotly`. Dash runs the page's scripts in order, the
    bundle among them, and starts the renderer (which then asks for the layout, and with
    Dash pages for the page's content) only after the last: on a slow link the 0.39 MB
    bundle thus stood before every other round trip. Here the bundle file is left out of the
    automatic assets (``assets_ignore``), the page's ``<head>`` names it in
    ``<meta name="nws-plotly">``, and ``assets/plotly_loader.js`` makes ``window.Plotly`` a
    thenable that ``dcc.Graph``'s loader waits for, loading the bundle then (pages that want
    it early preload it: :func:`dashboard_preloads`). Pages without a graph never load it.
    Returns the bundle's URL.
    """
    assets_folder = Path(app.config.assets_folder).resolve()
    try:
        loader = PLOTLY_LOADER.relative_to(assets_folder)
    except ValueError:
        raise ValueError(f"the app's assets folder {assets_folder} lacks {PLOTLY_LOADER}") from None
    ignore = app.config.assets_ignore
    if not PLOTLY_LOADER.is_file() or (ignore and re.search(ignore, loader.name)):
        raise ValueError(f"{PLOTLY_LOADER} is missing or hidden by assets_ignore={ignore!r}")
    bundle = "^" + re.escape(PLOTLY_BUNDLE.name) + "$"
    app.config.assets_ignore = f"(?:{ignore})|{bundle}" if ignore else bundle
    url = plotly_bundle_url(app)
    tag = f'<meta name="{PLOTLY_META}" content="{html.escape(url)}">'
    original = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        kwargs["metas"] = "\n".join([kwargs.get("metas", ""), tag])
        return original(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]
    return url


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


#: (URL, destination) pairs to preload for a page: ``fetch`` (XHR/fetch) or ``script``.
Preload = tuple[str, str]


def preload_tag(url: str, destination: str) -> str:
    """``<link rel="preload">`` for ``url``. A ``fetch`` preload is only reused by a request
    with the same CORS mode and credentials: plotly.js's XHR (cors, same-origin credentials)
    matches ``crossorigin="anonymous"``; a webpack chunk's plain ``<script src>`` matches a
    preload without it."""
    cors = ' crossorigin="anonymous"' if destination == "fetch" else ""
    return f'<link rel="preload" href="{html.escape(url)}" as="{destination}"{cors}>'


def install_preloads(
    app: dash.Dash, preloads: Callable[[str, Mapping[str, str]], list[Preload]]
) -> None:
    """Let the page HTML start the downloads the page will only ask for later.

    Without help a Dash page loads in dependent round trips: HTML -> scripts -> layout ->
    (Dash pages) the page's content callback -> the ``dcc`` chunks its components need
    (``async-graph.js``...) -> the map's GeoJSON once plotly.js draws. On a 150 ms, 1.6 Mbit/s
    link each step after the scripts costs a round trip with the line idle. ``preloads(path,
    query)`` names what a page will need (``path`` relative to the app's base path); their
    ``<link rel="preload">`` tags go into the ``<head>``, so those files download in parallel
    with the scripts and are taken from the browser's memory cache when asked for.
    """
    original = app.interpolate_index
    prefix = (app.config.requests_pathname_prefix or "/").rstrip("/")

    def interpolate_index(**kwargs: Any) -> str:
        import flask

        path = flask.request.path
        if prefix and path.startswith(prefix):
            path = path[len(prefix) :] or "/"
        tags = [preload_tag(url, dest) for url, dest in preloads(path, flask.request.args)]
        if tags:
            kwargs["css"] = "\n".join([*tags, kwargs.get("css", "")])
        return original(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]


#: Where Dash serves ``dcc``'s lazily loaded chunks (not fingerprinted: revalidated by ETag).
DCC_CHUNK = "/_dash-component-suites/dash/dcc/{name}.js"


def dcc_chunk(name: str) -> str:
    """The URL of a ``dcc`` chunk (``async-graph``, ``async-dropdown``) under the base path."""
    return dash.get_relative_path(DCC_CHUNK.format(name=name))


def leave_out_dash_table() -> None:
    """Do not send ``dash_table``'s bundle (8 KB brotli): the app has no ``DataTable``.

    Dash adds ``dash.dash_table``'s scripts to every page of every app, used or not. Like
    ``dcc._js_dist`` in :func:`use_partial_plotly`, the list is module state shared by every
    app in the process, so it is emptied in place; a ``DataTable`` would then fail to render
    with a console error (which the end-to-end tests fail on).
    """
    from dash import dash_table

    dash_table._js_dist[:] = []  # type: ignore[attr-defined]


#: ``dcc`` chunks each page's components load (Graph, Dropdown, date pickers), by path.
PAGE_CHUNKS: dict[str, tuple[str, ...]] = {
    "/": ("async-graph", "async-dropdown"),
    "/embed/map": ("async-graph",),
    "/embed/timeseries": ("async-graph",),
    "/reconcile": ("async-graph", "async-dropdown", "async-datepicker"),
}
#: Pages that draw the map: their geometry (admin level from the URL) and the Turkish context.
MAP_PAGES = frozenset({"/", "/embed/map"})


def dashboard_preloads(
    bundle: Any, plotly_url: str | None = None
) -> Callable[[str, Mapping[str, str]], list[Preload]]:
    """What each page of the dashboard needs after its scripts (see :func:`install_preloads`):
    on a page with a graph the plotly.js bundle (``plotly_url``, when it is loaded lazily:
    :func:`load_plotly_lazily`), its ``dcc`` chunks and, on a map page, the GeoJSON of the
    level its URL asks for."""
    from app.state import PARAMS, parse_query
    from app.web.geo import geo_path

    def preloads(path: str, query: Mapping[str, str]) -> list[Preload]:
        path = path.rstrip("/") or "/"
        chunks = PAGE_CHUNKS.get(path, ())
        out: list[Preload] = []
        if plotly_url and "async-graph" in chunks:
            out.append((plotly_url, "script"))
        out += [(dcc_chunk(c), "script") for c in chunks]
        if path in MAP_PAGES:
            state, _ = parse_query({k: v for k, v in query.items() if k in PARAMS})
            for name in (f"adm{state.level}", "turkey"):
                out.append((dash.get_relative_path(geo_path(bundle, name)), "fetch"))
        return out

    return preloads
