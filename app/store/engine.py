"""Engines for the store: SQLite in the workspace (WAL) by default, PostgreSQL by URL.

SQLite in WAL mode lets the server's readers go on while one writer commits (Datasette's
design). Writers open their transaction with ``BEGIN IMMEDIATE``: two ``add`` runs then
queue for the write lock (``busy_timeout``) instead of failing half-way with "database is
locked". PostgreSQL serialises writers on the ``store_state`` row that every change updates
(:mod:`app.store.batches`). Connections are checked before use (``pool_pre_ping``) so a
restarted database is a brief error, not a dead server.

Engines are made per process (``os.getpid()`` in the key): a gunicorn worker forked from the
master must not share the master's sockets or SQLite handles.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from app.config import Config, get_config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_NAME = "store.sqlite3"
#: How long a writer waits for another writer's lock (SQLite), in milliseconds.
BUSY_TIMEOUT_MS = 120_000


class StoreError(RuntimeError):
    """The store cannot be used as asked; the message says what to do (never a traceback)."""


@dataclass(frozen=True)
class StoreConfig:
    """Where the store lives: its SQLAlchemy URL and the workspace for original files."""

    url: str
    workspace: Path

    @classmethod
    def from_config(cls, cfg: Config | None = None) -> StoreConfig:
        cfg = cfg or get_config()
        workspace = Path(cfg.workspace).resolve()
        url = cfg.database_url or f"sqlite:///{workspace / SQLITE_NAME}"
        return cls(url=url, workspace=workspace)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def display_url(self) -> str:
        """The URL without a password (for messages and ``/health``)."""
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)


_ENGINES: dict[tuple[str, bool, int], sa.Engine] = {}


def engine(store: StoreConfig, write: bool = False) -> sa.Engine:
    """The process's engine for ``store`` (``write``: transactions take the write lock)."""
    key = (store.url, write, os.getpid())
    if key not in _ENGINES:
        _ENGINES[key] = _make_engine(store, write)
    return _ENGINES[key]


def _make_engine(store: StoreConfig, write: bool) -> sa.Engine:
    if not store.is_sqlite:
        return sa.create_engine(store.url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    store.workspace.mkdir(parents=True, exist_ok=True)
    eng = sa.create_engine(store.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(eng, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at checkpoints, never corrupt
        cur.close()

    @event.listens_for(eng, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return eng


def dispose_all() -> None:
    """Close every engine of this process (tests, and before a fork)."""
    for eng in _ENGINES.values():
        eng.dispose()
    _ENGINES.clear()


# -- migrations ---------------------------------------------------------------------------


def _alembic_config(connection: sa.Connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration's revision. Read from the files' ``revision = "..."`` and
    ``down_revision`` lines, so a serving process never imports Alembic (~15 MB per
    gunicorn worker) just to compare two strings; ``tests/store`` checks it against
    Alembic's own answer."""
    revisions: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("[0-9]*.py"):
        text = path.read_text(encoding="utf-8")
        rev = re.search(r'^revision = "([^"]+)"', text, re.M)
        down = re.search(r'^down_revision = (?:"([^"]+)"|None)', text, re.M)
        if rev and down:
            revisions[rev.group(1)] = down.group(1)
    parents = {d for d in revisions.values() if d}
    heads = sorted(set(revisions) - parents)
    if len(heads) != 1:
        raise StoreError(f"the migrations have {len(heads)} heads ({heads}): expected one")
    return heads[0]


def current_revision(store: StoreConfig) -> str | None:
    """The store's migration revision (Alembic's ``alembic_version`` table); None when the
    store has no tables yet."""
    with engine(store).connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(sa.text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def upgrade(
    store: StoreConfig, revision: str = "head", only_if_new: bool = False
) -> tuple[str | None, str]:
    """Bring the store's schema to ``revision`` (default: the newest); returns (before, after).

    Runs under the write lock (SQLite ``BEGIN IMMEDIATE``, a PostgreSQL advisory lock), so
    two processes starting on a new store do not both create it. ``only_if_new``: do
    nothing unless the store has no schema yet.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine(store, write=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7170450)")  # any fixed key
        before = MigrationContext.configure(conn).get_current_revision()
        if not (only_if_new and before is not None):
            command.upgrade(_alembic_config(conn), revision)
    return before, current_revision(store) or ""


def ensure_ready(store: StoreConfig) -> None:
    """Create a new store (first use); refuse, with the command to run, an outdated one.

    A store made by an earlier release is upgraded only when someone asks
    (``python -m app db upgrade``), so that it can be backed up first.
    """
    try:
        rev = current_revision(store)
    except sa.exc.OperationalError as exc:
        raise StoreError(f"cannot open the store at {store.display_url()}: {exc.orig}") from exc
    head = head_revision()
    if rev is None:
        _, rev = upgrade(store, only_if_new=True)
    if rev != head:
        raise StoreError(
            f"the store at {store.display_url()} is at schema revision {rev}, this release "
            f"needs {head}: back it up, then run `python -m app db upgrade`"
        )
