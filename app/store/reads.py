"""The store's readers: its version, its batches, and the figures in force.

Plain functions over the schema (STYLE: queries as functions, SQL in one layer). Figures are
returned in the canonical columns and dtypes, so :mod:`app.store.live` can put them beside
the bundle's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from app.store import schema
from app.store.engine import StoreConfig
from app.store.rows import read_frame
from app.tables.columns import FIGURE_COLUMNS
from app.tables.compact import concat_compact


@dataclass(frozen=True)
class StoreState:
    version: int
    events_materialised: bool


def state(conn: sa.Connection) -> StoreState:
    row = conn.execute(
        sa.select(schema.state.c.version, schema.state.c.events_materialised)
    ).one()
    return StoreState(int(row[0]), bool(row[1]))


def version(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(schema.state.c.version)).scalar_one())


BATCH_FIELDS = ["id", "file_name", "sha256", "size_bytes", "format", "table_name", "rows_read",
                "accepted", "rejected", "unmatched", "warnings", "superseded", "added_by",
                "added_at", "note", "publisher", "published", "status", "status_why",
                "status_by", "status_at"]  # fmt: skip


def batches(conn: sa.Connection, status: str | None = None) -> list[dict]:
    """Every batch (oldest first), without its report; ``status`` to keep one status."""
    b = schema.batches
    query = sa.select(*[b.c[f] for f in BATCH_FIELDS]).order_by(b.c.id)
    if status:
        query = query.where(b.c.status == status)
    return [dict(r) for r in conn.execute(query).mappings()]


def all_batches(store: StoreConfig) -> list[dict]:
    """Every batch of ``store`` (made on first use), oldest first: what ``imports``, the
    editors' page and ``GET /api/imports`` list."""
    from app.store.engine import engine, ensure_ready

    ensure_ready(store)
    with engine(store).connect() as conn:
        return batches(conn)


def batch_report(conn: sa.Connection, batch_id: int) -> dict | None:
    text = conn.execute(
        sa.select(schema.batches.c.report).where(schema.batches.c.id == batch_id)
    ).scalar_one_or_none()
    return None if text is None else json.loads(text)


def active_figures(conn: sa.Connection) -> pd.DataFrame:
    """Figures of the active batches, in the order added, with a ``batch_id`` column."""
    f, b = schema.figures, schema.batches
    columns = ["batch_id", *FIGURE_COLUMNS]
    query = (
        sa.select(*[f.c[c] for c in columns])
        .join(b, b.c.id == f.c.batch_id)
        .where(b.c.status == "active")
        .order_by(f.c.batch_id, f.c.seq)
    )
    return read_frame(conn, query, columns, compact=True)


def event_figures(conn: sa.Connection) -> pd.DataFrame:
    """The materialised weekly aggregates of the events in force (``batch_id`` NULL: the
    bundle's events)."""
    e = schema.event_figures
    columns = ["batch_id", *FIGURE_COLUMNS]
    query = sa.select(*[e.c[c] for c in columns]).order_by(e.c.batch_id, e.c.seq)
    frame = read_frame(conn, query.where(e.c.batch_id.is_not(None)), columns, compact=True)
    bundle = read_frame(conn, query.where(e.c.batch_id.is_(None)), columns, compact=True)
    return concat_compact([bundle, frame]) if len(bundle) else frame
