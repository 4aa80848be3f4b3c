"""A query cache shared by the server's worker processes, keyed by the view state.

Building the map, the chart or the cards for a view state means filtering and aggregating
the figures table and building a Plotly figure: 100-700 ms on the field laptops' class of
CPU. The result depends only on the tables (the bundle and the store's version) and the
view state, so it is kept in a
flask-caching ``FileSystemCache``: every gunicorn worker (and the page layout as well as the
callbacks) reuses what any of them computed.

Folder: ``Config.cache_dir`` (``NWS_CACHE_DIR``) + ``/queries``, emptied when the app is
created, since a new process may run new code or read a rebuilt bundle; when it is empty, a
temporary folder made by the process that creates the app (gunicorn's master with
``--preload``, so the workers it forks share it) and removed when that process exits.

Use :func:`cached_view` on a pure function ``f(ctx, state, ...)`` whose result depends only
on the bundle and the arguments after ``ctx``; ``repr`` of those arguments (frozen
dataclasses) is the key. Outside a request of an app with the cache (unit tests), the
function is simply called. Plotly figures are cached as their JSON-ready dicts, which Dash
sends unchanged, so a hit also skips rebuilding and validating the figure.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context

log = logging.getLogger(__name__)

EXTENSION = "nws_query_cache"
#: Seconds an entry lives; entries are also dropped beyond THRESHOLD files.
TIMEOUT = 24 * 3600
THRESHOLD = 2000

F = TypeVar("F", bound=Callable[..., Any])


def init_cache(
    server: Flask,
    cache_dir: str,
    bundle_key: str,
    version: Callable[[], str] | None = None,
    redis_url: str = "",
) -> Any:
    """Attach a FileSystemCache to ``server`` (see module doc), or with ``redis_url`` a Redis
    cache shared by every replica; returns the flask-caching Cache.

    ``version``: the store's version key, asked on every lookup, so an entry computed
    before an add, retract or restore is never served after it. Redis is never cleared
    at start (other replicas are using it): keys hold the app's version, the bundle's
    identity and the store's version, and entries expire after :data:`TIMEOUT`."""
    from flask_caching import Cache  # imported here: only the server needs it

    from app import __version__

    if redis_url:
        cache = Cache(
            config={
                "CACHE_TYPE": "RedisCache",
                "CACHE_REDIS_URL": redis_url,
                "CACHE_DEFAULT_TIMEOUT": TIMEOUT,
                "CACHE_KEY_PREFIX": f"nws:views:{__version__}:",
                "CACHE_OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
            }
        )
        cache.init_app(server)
        server.extensions[EXTENSION] = (cache, bundle_key, version or (lambda: ""))
        log.info("query cache in Redis")
        return cache
    if cache_dir:
        folder = Path(cache_dir) / "queries"
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="nwsyria-queries-"))
        atexit.register(_remove_if_creator, folder, os.getpid())
    cache = Cache(
        config={
            "CACHE_TYPE": "FileSystemCache",
            "CACHE_DIR": str(folder),
            "CACHE_DEFAULT_TIMEOUT": TIMEOUT,
            "CACHE_THRESHOLD": THRESHOLD,
            "CACHE_IGNORE_ERRORS": True,
        }
    )
    cache.init_app(server)
    cache.clear()
    server.extensions[EXTENSION] = (cache, bundle_key, version or (lambda: ""))
    log.info("query cache in %s", folder)
    return cache


def _remove_if_creator(folder: Path, pid: int) -> None:
    """Remove the temporary folder when the process that made it exits (forked gunicorn
    workers inherit the atexit hook and must not delete it under their siblings)."""
    if os.getpid() == pid:
        shutil.rmtree(folder, ignore_errors=True)


def _jsonable(value: Any) -> Any:
    """Plotly figures as the dicts Dash would send; other values unchanged."""
    from plotly.basedatatypes import BaseFigure

    if isinstance(value, BaseFigure):
        return value.to_plotly_json()
    if isinstance(value, tuple):
        return tuple(_jsonable(v) for v in value)
    return value


def cached_view(name: str) -> Callable[[F], F]:
    """Memoize ``f(ctx, *args)`` in the app's query cache under ``name`` + ``repr(args)``."""

    def decorator(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(ctx: Any, *args: Any, **kwargs: Any) -> Any:
            entry = current_app.extensions.get(EXTENSION) if has_app_context() else None
            if entry is None:
                return fn(ctx, *args, **kwargs)
            cache, bundle_key, version = entry
            from app.i18n import current  # a view in Arabic is another entry than in English

            raw = (f"{name}|{bundle_key}|{version()}|{current().key}|{args!r}|"
                   f"{sorted(kwargs.items())!r}")  # fmt: skip
            key = f"{name}:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]
            try:
                hit = cache.get(key)
            except Exception as exc:  # the cache is down (Redis): compute, as without one
                log.warning("view cache unreachable: %s", exc)
                return _jsonable(fn(ctx, *args, **kwargs))
            if hit is not None:
                return hit
            value = _jsonable(fn(ctx, *args, **kwargs))
            try:
                cache.set(key, value)
            except Exception as exc:
                log.warning("view cache unreachable: %s", exc)
            return value

        return wrapper  # type: ignore[return-value]

    return decorator


def bundle_key(bundle: Any) -> str:
    """Identity of a bundle's contents (its datapackage lists every file's hash)."""
    import json

    text = json.dumps(bundle.datapackage, sort_keys=True, default=str)
    return hashlib.sha256(f"{bundle.data_dir}|{text}".encode()).hexdigest()[:16]
