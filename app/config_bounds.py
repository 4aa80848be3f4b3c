"""Bounds of every setting in :mod:`app.config`: what a value may be, said once.

A value outside its bounds stops every command that reads the configuration with one line
naming the variable (exit 2), before any server starts: ``NWS_WORKERS=0`` used to listen
and never answer, ``NWS_WORKERS=100000`` forked for minutes, ``NWS_PORT=0`` silently became
8050 and ``NWS_PORT=70000`` gave a traceback (issue 16, point 6).

Each :class:`Bound` carries the text the README's "Configuration" table shows after
"Bounds:"; ``tests/unit/test_config_bounds.py`` fails when the two disagree. Bounds on
values are pure (:func:`app.config.check_bounds`, run by ``from_env``); whether a folder
exists and can be used touches the file system and is :func:`check_paths`' job.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.config import Config

#: gunicorn processes / threads per worker: far above what one machine needs (each worker
#: holds its own copy of the bundle, ~170 MB), far below a fork bomb.
MAX_WORKERS = 64
MAX_THREADS = 64
MAX_HEADLINE_WINDOW_DAYS = 3650
MAX_UPLOAD_MB = 1024
MAX_PROXIES = 10
MAX_PUBLISHERS = 100
WORKER_CLASSES = ("gevent", "gthread")
COOKIE_SECURE_VALUES = ("auto", "always", "never")
MIN_SECRET_KEY = 32
MAX_TEXT = 4096

_HOST = re.compile(
    r"^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]+|[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$"
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Bound:
    """``text``: the bounds in words (README); ``problem(value)``: None, or what is wrong."""

    text: str
    problem: Callable[[Any], str | None] = lambda _: None

    def check(self, var: str, value: Any) -> None:
        from app.config import ConfigError

        why = self.problem(value)
        if why and var == "NWS_SECRET_KEY":  # never echo the key
            raise ConfigError(f"{var} has {len(value)} characters; {why}")
        if why:
            raise ConfigError(f"{var}={_show(var, value)}: {why}")


def _show(var: str, value: Any) -> str:
    if var in ("NWS_DATABASE_URL", "NWS_REDIS_URL"):
        return repr(_hide_password(str(value)))
    text = str(value) if isinstance(value, Path) else value
    return repr(text)


def _hide_password(url: str) -> str:
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def _int_range(lo: int, hi: int) -> Bound:
    def problem(value: int) -> str | None:
        return None if lo <= value <= hi else f"expected {lo} to {hi}"

    return Bound(f"{lo}-{hi}", problem)


def _one_of(values: tuple[str, ...]) -> Bound:
    def problem(value: str) -> str | None:
        return None if value in values else "expected " + ", ".join(values)

    return Bound("one of " + ", ".join(f"`{v}`" for v in values), problem)


def _host(value: str) -> str | None:
    if not _HOST.match(value):
        return "expected a host name or an IP address, e.g. 127.0.0.1, 0.0.0.0 or ::1"
    return None


def _origins(value: str) -> str | None:
    from app.config import ConfigError
    from app.web.headers import parse_origins

    try:
        parse_origins(value)
    except ConfigError as exc:
        return str(exc).split(": ", 1)[-1]
    return None


def _publishers(value: str) -> str | None:
    names = [n.strip() for n in value.split("|")]
    if len(names) > MAX_PUBLISHERS:
        return f"{len(names)} publishers; expected at most {MAX_PUBLISHERS}"
    if any(not n for n in names):
        return "a publisher name is empty (two | in a row, or one at an end)"
    if any(len(n) > 200 or _CONTROL.search(n) for n in names):
        return "a publisher name is longer than 200 characters or holds a control character"
    return None


def _database_url(value: str) -> str | None:
    if not value:
        return None
    import sqlalchemy as sa

    try:
        url = sa.engine.make_url(value)
    except Exception:  # sqlalchemy's ArgumentError, or ValueError on a bad port
        return "not a database URL such as postgresql+psycopg://user@host/db or sqlite:///path"
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        return f"the store runs on SQLite or PostgreSQL, not {url.get_backend_name()}"
    return None


def _redis_url(value: str) -> str | None:
    if not value:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        port = parts.port  # ValueError when out of range
    except ValueError:
        return "not a Redis URL such as redis://127.0.0.1:6379/0"
    if parts.scheme not in ("redis", "rediss", "unix") or (
        parts.scheme != "unix" and not parts.hostname
    ):
        return "expected redis://host[:port][/db], rediss://... or unix:///path"
    return None if port is None or port >= 1 else "the port must be 1 to 65535"


def _secret_key(value: str) -> str | None:
    if value and len(value) < MIN_SECRET_KEY:
        return (
            f"expected at least {MIN_SECRET_KEY} "
            '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )
    if len(value) > MAX_TEXT:
        return f"expected at most {MAX_TEXT} characters"
    return None


#: Bounds by Config field. Paths are checked by :func:`check_paths`.
BOUNDS: dict[str, Bound] = {
    "data_dir": Bound("an existing, readable folder with `datapackage.json` and `tables/`"),
    "host": Bound("a host name or an IP address", _host),
    "port": _int_range(1, 65535),
    "workers": _int_range(1, MAX_WORKERS),
    "worker_class": _one_of(WORKER_CLASSES),
    "threads": _int_range(1, MAX_THREADS),
    "embed_origins": Bound(
        "`*`, `'self'`, `https:` (any https site), or `http(s)://host[:port]` where the host "
        "may start with `*.` and the port may be `*`",
        _origins,
    ),
    "cache_dir": Bound(
        "empty, or a writable folder (or a missing one in a writable folder: made on first use)"
    ),
    "publisher_priority": Bound(
        f"1-{MAX_PUBLISHERS} non-empty names, at most 200 characters each", _publishers
    ),
    "headline_window_days": _int_range(0, MAX_HEADLINE_WINDOW_DAYS),
    "workspace": Bound(
        "a writable folder (or a missing one in a writable folder: made on first use)"
    ),
    "database_url": Bound("empty, or a `sqlite:` or `postgresql` URL", _database_url),
    "redis_url": Bound("empty, or `redis://`, `rediss://` or `unix://`", _redis_url),
    "secret_key": Bound(f"empty, or {MIN_SECRET_KEY}-{MAX_TEXT} characters", _secret_key),
    "max_upload_mb": _int_range(1, MAX_UPLOAD_MB),
    "cookie_secure": _one_of(COOKIE_SECURE_VALUES),
    "proxies": _int_range(0, MAX_PROXIES),
}


def _writable_folder(var: str, path: Path) -> None:
    """``path`` is a writable folder, or missing under a writable parent (made on first use)."""
    from app.config import ConfigError

    shown = repr(str(path))
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{var}={shown}: not a folder")
    if not path.exists():
        if not path.parent.is_dir():
            raise ConfigError(f"{var}={shown}: no such folder, nor its parent {str(path.parent)!r}")
        path = path.parent
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"{var}={shown}: {str(path)!r} is not writable by this user")


def check_paths(cfg: Config) -> None:
    """Raise :class:`~app.config.ConfigError` unless the data folder holds a bundle and the
    cache and workspace folders can be written (when missing, their parent: the app makes
    them on first use). Nothing is made here."""
    from app.config import ConfigError

    data = Path(cfg.data_dir)
    var = "NWS_DATA_DIR"
    if not data.is_dir():
        raise ConfigError(f"{var}={str(data)!r}: no such folder")
    if not (data / "datapackage.json").is_file() or not (data / "tables").is_dir():
        raise ConfigError(
            f"{var}={str(data)!r}: not a data bundle (no datapackage.json and tables/)"
        )
    if not os.access(data / "tables", os.R_OK | os.X_OK) or not os.access(
        data / "datapackage.json", os.R_OK
    ):
        raise ConfigError(f"{var}={str(data)!r}: the bundle is not readable by this user")
    if cfg.cache_dir:
        _writable_folder("NWS_CACHE_DIR", Path(cfg.cache_dir))
    _writable_folder("NWS_WORKSPACE", Path(cfg.workspace))
