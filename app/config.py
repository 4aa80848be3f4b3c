"""Typed configuration, read from the environment in one place.

Read on demand (never at import) so tests can override it with :func:`override`.
Every setting is documented in the README table "Configuration"; a test checks the two agree.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class Config:
    """Runtime settings. Field docs are the user-facing documentation."""

    #: Folder of the data bundle (``data/`` of the project). The product reads only this at run time.
    data_dir: Path = PROJECT_ROOT / "data"
    #: Interface and port the server binds to.
    host: str = "127.0.0.1"
    port: int = 8050
    #: gunicorn worker processes for ``serve --prod``.
    workers: int = 3
    #: gunicorn worker class for ``serve --prod``: ``gevent`` (one greenlet per connection, so
    #: idle and slow clients cost no thread; docs/deploy.md) or ``gthread``.
    worker_class: str = "gevent"
    #: Threads per gunicorn worker with ``gthread``: a long CSV download streams in one thread
    #: while the worker's main thread keeps answering gunicorn's heartbeat.
    threads: int = 4
    #: Space-separated origins allowed to frame the ``/embed/*`` views (CSP frame-ancestors);
    #: ``*`` (the default): any site, as Datawrapper's embeds are; every other page stays
    #: same-origin whatever this says.
    embed_origins: str = "*"
    #: Cache folder shared by gunicorn workers (flask-caching FileSystemCache); empty = a
    #: temporary folder made at start-up, shared by the workers forked from it (app.web.cache).
    cache_dir: str = ""
    #: Publisher priority for the headline rule, highest first, ``|``-separated.
    publisher_priority: str = "OCHA|OHCHR|HNAP|REACH|UNHCR|WFP|USAID|SNHR|SOHR"
    #: Headline rule: figures dated within this many days of the newest compete for a card.
    headline_window_days: int = 14
    #: Workspace folder: the SQLite store and the original files of every batch (made on
    #: first use). Keep it out of the project folder on a shared machine.
    workspace: Path = PROJECT_ROOT / "workspace"
    #: SQLAlchemy URL of the store; empty = SQLite ``store.sqlite3`` in the workspace.
    database_url: str = ""
    #: Redis URL: the computed views' cache shared by replicas, and the channel that tells
    #: them the store changed; empty = a file cache per machine (``NWS_CACHE_DIR``).
    redis_url: str = ""
    #: Key that signs editors' session cookies (``/data``); empty = nobody can sign in, and
    #: ``serve`` refuses to start while the store has editors. Never shown in a repr.
    secret_key: str = dataclasses.field(default="", repr=False)
    #: Largest file an editor may upload through ``/data`` or ``/api/imports``, in MB.
    max_upload_mb: int = 50
    #: Session cookies ``Secure``: ``auto`` (when the request came over https), ``always``, ``never``.
    cookie_secure: str = "auto"
    #: Reverse proxies in front of the server whose X-Forwarded-For / -Proto are trusted.
    proxies: int = 0


_ENV = {
    "data_dir": ("NWS_DATA_DIR", Path),
    "host": ("NWS_HOST", str),
    "port": ("NWS_PORT", int),
    "workers": ("NWS_WORKERS", int),
    "worker_class": ("NWS_WORKER_CLASS", str),
    "threads": ("NWS_THREADS", int),
    "embed_origins": ("NWS_EMBED_ORIGINS", str),
    "cache_dir": ("NWS_CACHE_DIR", str),
    "publisher_priority": ("NWS_PUBLISHER_PRIORITY", str),
    "headline_window_days": ("NWS_HEADLINE_WINDOW_DAYS", int),
    "workspace": ("NWS_WORKSPACE", Path),
    "database_url": ("NWS_DATABASE_URL", str),
    "redis_url": ("NWS_REDIS_URL", str),
    "secret_key": ("NWS_SECRET_KEY", str),
    "max_upload_mb": ("NWS_MAX_UPLOAD_MB", int),
    "cookie_secure": ("NWS_COOKIE_SECURE", str),
    "proxies": ("NWS_PROXIES", int),
}

_override: Config | None = None


class ConfigError(ValueError):
    """A setting in the environment could not be read; the message names the variable."""


def env_variables() -> dict[str, str]:
    """Environment variable name for each setting (used by docs and the docs test)."""
    return {field: var for field, (var, _) in _ENV.items()}


def from_env(environ: dict[str, str] | None = None) -> Config:
    """Build a Config from environment variables, with a clear error on a bad value.

    Every value is type-checked and bounded (:func:`check_bounds`); whether the folders
    exist and can be used is :func:`check_paths`' job (it touches the file system)."""
    environ = dict(os.environ if environ is None else environ)
    kwargs: dict[str, object] = {}
    for field, (var, typ) in _ENV.items():
        raw = environ.get(var)
        if raw is None or raw == "":
            continue
        try:
            kwargs[field] = typ(raw)
        except ValueError as exc:
            raise ConfigError(f"{var}={raw!r}: expected {typ.__name__}") from exc
    cfg = Config(**kwargs)  # type: ignore[arg-type]
    check_bounds(cfg)
    return cfg


def check_bounds(cfg: Config) -> None:
    """Raise :class:`ConfigError` naming the first setting outside its bounds."""
    from app.config_bounds import BOUNDS

    for field, bound in BOUNDS.items():
        bound.check(env_variables()[field], getattr(cfg, field))


def check_paths(cfg: Config) -> None:
    """Raise :class:`ConfigError` unless the folders can be used (see app.config_bounds)."""
    from app.config_bounds import check_paths as check

    check(cfg)


def get_config() -> Config:
    """The active configuration: an override if a test set one, else the environment."""
    return _override if _override is not None else from_env()


@contextlib.contextmanager
def override(**changes: object) -> Iterator[Config]:
    """Temporarily replace settings (tests)."""
    global _override
    previous = _override
    _override = dataclasses.replace(get_config(), **changes)  # type: ignore[arg-type]
    try:
        yield _override
    finally:
        _override = previous
