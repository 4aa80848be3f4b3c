"""Static responses for slow links: brotli at its best level, and cached for a year.

Dash's own scripts (renderer, React, dcc, html; dash_table until app.web.assets left it out: 310 KB
with flask-compress's on-the-fly zstd level 3) shrink by a sixth with brotli quality 11,
which is far too slow to run per request (5 s of CPU for the set). So each static body is
compressed once, in a background thread, and kept by content hash on disk
(``Config.cache_dir``/``static-br``, else ``<tmp>/nwsyria-static-br-<uid>``) and in memory;
later requests, from any worker or after a restart, get the stored bytes. Until a body is
ready its requests are compressed on the fly by flask-compress as before.

Headers: a versioned URL is cached as ``public, max-age=31536000, immutable``: Dash's
fingerprinted ``/_dash-component-suites/...v4_4_1m123.js`` and ``/assets/...?m=<mtime>``.
Unversioned ones (Dash's lazily loaded ``async-*.js`` chunks) keep their ETag. Geometry
(``/geo/``) sets its own headers in :mod:`app.web.geo` and takes its brotli bodies from the
same store (:func:`stored_brotli`). Dynamic responses (the page layout, callbacks) are still
compressed on the fly by flask-compress, at zstd level 9 instead of 3.

Figures: ``bench/wire_bytes.py`` (see docs/performance.md).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path

import flask

log = logging.getLogger(__name__)

EXTENSION = "nws_brotli_store"
ONE_YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"
BROTLI_QUALITY = 11
ZSTD_LEVEL = 9
MIN_SIZE = 1024
MIMETYPES = frozenset(
    {
        "text/javascript",
        "application/javascript",
        "text/css",
        "application/json",
        "image/svg+xml",
        "image/x-icon",
        "image/vnd.microsoft.icon",
    }
)


def _default_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"nwsyria-static-br-{os.getuid()}"


class BrotliStore:
    """Brotli-11 bodies by content hash: in memory, on disk, computed in the background."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.memory: dict[str, bytes] = {}
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._pool_pid = 0

    def get(self, body: bytes) -> bytes | None:
        """The compressed body, or None (then compression is scheduled)."""
        key = hashlib.sha256(body).hexdigest()[:32]
        hit = self.memory.get(key)
        if hit is not None:
            return hit
        path = self.folder / f"{key}.br"
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        if data and _decompresses_to(data, body):
            self.memory[key] = data
            return data
        self._schedule(key, body)
        return None

    def _schedule(self, key: str, body: bytes) -> None:
        with self._lock:
            if key in self._pending:
                return
            self._pending.add(key)
            if self._pool is None or self._pool_pid != os.getpid():  # not inherited over fork
                self._pool = _native_pool()
                self._pool_pid = os.getpid()
            self._pool.submit(self._compress, key, body)

    def _compress(self, key: str, body: bytes) -> None:
        import brotli

        try:
            data = brotli.compress(body, quality=BROTLI_QUALITY)
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            tmp.replace(self.folder / f"{key}.br")  # atomic: readers never see half a file
            self.memory[key] = data
        except Exception:  # a full disk or a read-only folder: stay with on-the-fly compression
            log.exception("could not store a brotli body")
        finally:
            with self._lock:
                self._pending.discard(key)


def _native_pool() -> concurrent.futures.Executor:
    """One OS thread for brotli. Under gevent's workers (``serve --prod``) ``threading`` is
    patched and a plain ThreadPoolExecutor's thread would be a greenlet: seconds of brotli
    would stall every request of the worker. gevent's executor always uses a real thread."""
    from app.web.gunicorn_gevent import threading_is_patched

    if threading_is_patched():
        from gevent.threadpool import ThreadPoolExecutor

        return ThreadPoolExecutor(1)
    return concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="nws-brotli")


def _decompresses_to(data: bytes, body: bytes) -> bool:
    """Whether a stored file really is ``body`` compressed. The default folder sits in the
    shared temporary directory under a predictable name, so another local user could have
    made it and left a file there: trusting it would serve their script as Dash's renderer,
    cached for a year. Checked once per process and body (the result is kept in memory)."""
    import brotli

    try:
        return brotli.decompress(data) == body
    except brotli.error:
        return False


def _versioned(path: str, args: flask.wrappers.Request) -> bool:
    if path.startswith("/_dash-component-suites/"):
        from dash.fingerprint import check_fingerprint

        return check_fingerprint(path)[1]
    return "m" in args.args or "v" in args.args


def install_static_responses(app: object, cache_dir: str = "") -> BrotliStore:
    """Register the after-request hook on the Dash app's Flask server (call after Dash())."""
    server: flask.Flask = app.server  # type: ignore[attr-defined]
    assets_prefix = "/" + str(app.config.assets_url_path).strip("/") + "/"  # type: ignore[attr-defined]
    store = BrotliStore(Path(cache_dir) / "static-br" if cache_dir else _default_dir())

    def static_response(response: flask.Response) -> flask.Response:
        request = flask.request
        path = request.path
        if request.method != "GET" or not (
            path.startswith("/_dash-component-suites/") or path.startswith(assets_prefix)
        ):
            return response
        if response.status_code == 200 and _versioned(path, request):
            response.headers["Cache-Control"] = IMMUTABLE
        if (
            response.status_code != 200
            or "Content-Encoding" in response.headers
            or response.mimetype not in MIMETYPES
            or request.accept_encodings["br"] <= 0
        ):
            return response
        response.direct_passthrough = False
        body = response.get_data()
        if len(body) < MIN_SIZE:
            return response
        compressed = store.get(body)
        if compressed is None:
            return response  # flask-compress does it on the fly this time
        response.set_data(compressed)
        response.headers["Content-Encoding"] = "br"
        response.vary.add("Accept-Encoding")
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}:br", weak=weak)
        return response

    server.after_request(static_response)  # runs before flask-compress's (registered earlier)
    # dynamic responses (page layout, callbacks) stay compressed on the fly: zstd level 9 is
    # 15 % smaller than flask-compress's default 3 for about 5 ms per 150 KB of JSON
    server.config["COMPRESS_ZSTD_LEVEL"] = ZSTD_LEVEL
    server.extensions[EXTENSION] = store
    return store


def stored_brotli(body: bytes) -> bytes | None:
    """Brotli-11 ``body`` if the current app has it stored (else None, and it is scheduled).

    For routes that send their own precompressed bodies (``/geo/``): call it only when the
    client accepts ``br``.
    """
    store = flask.current_app.extensions.get(EXTENSION) if flask.has_app_context() else None
    return store.get(body) if store is not None else None
