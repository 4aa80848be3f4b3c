"""The store's writers: add a file as a batch, retract a batch, restore it.

Each change is one transaction that first raises the store's version (``store_state``):
that update takes the write lock (SQLite ``BEGIN IMMEDIATE``; PostgreSQL the row lock), so
concurrent writers queue and each sees the others' work, and readers see a change whole
or not at all. A process killed in the middle leaves the store as it was: the transaction
is rolled back by the database, and the original file, written first under its hash, is
then simply unreferenced.

A batch of events also recomputes the weekly aggregates of the events in force (the
bundle's and every active batch's, the latest batch winning for an event id) in the same
transaction (:mod:`app.store.event_figures`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd
import sqlalchemy as sa

from app.loaders import LoadResult
from app.loaders.report import Problem
from app.store import originals, schema
from app.store.engine import StoreConfig, StoreError, engine, ensure_ready
from app.store.rows import insert_frame

Status = Literal["stored", "already", "nothing", "dry-run"]
#: What the store takes; other tables (boundaries, gazetteer) belong to the bundle.
STORABLE = ("figures", "events")


@dataclass
class AddOutcome:
    """What ``add`` did with one file."""

    path: str
    status: Status
    result: LoadResult | None = None
    batch_id: int | None = None
    #: the batch that already holds the same bytes (status "already")
    existing: int | None = None
    superseded: int = 0
    sha256: str = ""
    messages: list[str] = field(default_factory=list)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _bump(conn: sa.Connection) -> int:
    """Raise the version (taking the write lock first) and return the new one."""
    conn.execute(
        sa.update(schema.state)
        .where(schema.state.c.id == 1)
        .values(version=schema.state.c.version + 1, changed_at=now())
    )
    return int(conn.execute(sa.select(schema.state.c.version)).scalar_one())


def _existing(conn: sa.Connection, digest: str) -> int | None:
    row = conn.execute(
        sa.select(schema.batches.c.id).where(schema.batches.c.sha256 == digest)
    ).first()
    return int(row[0]) if row else None


def report_json(result: LoadResult) -> str:
    """The loader's whole report (every problem: rejected and unmatched rows included)."""
    return json.dumps(
        {"summary": result.summary(), "problems": [p.as_dict() for p in result.problems]},
        ensure_ascii=False,
    )


def report_problems(text: str) -> list[Problem]:
    return [Problem(**p) for p in json.loads(text)["problems"]]


def _prepare_figures(table: pd.DataFrame, published: dt.date | None) -> pd.DataFrame:
    """``--published`` dates the figures whose source gave no publication date."""
    if published is None:
        return table
    out = table.copy()
    out["published_date"] = out["published_date"].fillna(pd.Timestamp(published))
    return out


def add_file(
    store: StoreConfig,
    path: str | Path,
    *,
    by: str,
    note: str | None = None,
    publisher: str | None = None,
    published: dt.date | None = None,
    dry_run: bool = False,
) -> AddOutcome:
    """Validate ``path`` (``app.loaders.load``) and store its accepted rows as one batch."""
    path = Path(path)
    ensure_ready(store)
    try:
        data = path.read_bytes()
    except OSError:
        data = None  # load() below reports why, as validate does
    digest = originals.sha256(data) if data is not None else ""
    if data is not None:
        with engine(store).connect() as conn:
            found = _existing(conn, digest)
        if found is not None:
            return AddOutcome(str(path), "already", existing=found, sha256=digest)
    from app.validate import load_guarded  # an unforeseen loader error is a report line

    result = load_guarded(str(path))
    out = AddOutcome(str(path), "nothing", result=result, sha256=digest)
    if data is None or result.table is None or result.accepted == 0:
        out.messages.append("nothing to store: no row was accepted")
        return out
    if result.table_name not in STORABLE:
        out.messages.append(
            f"nothing to store: this file holds {result.table_name}, which come with the "
            "bundle (scripts/build_bundle.py); the workspace takes figures and events"
        )
        return out
    if dry_run:
        out.status = "dry-run"
        return out
    table = result.table
    if result.table_name == "figures":
        table = _prepare_figures(table, published)
    originals.keep(store.workspace, data, digest)
    try:
        batch_id = _store_batch(store, path, data, digest, result, table, by=by, note=note,
                                publisher=publisher, published=published, out=out)  # fmt: skip
    except _AlreadyStored as already:
        return AddOutcome(str(path), "already", existing=already.batch_id, sha256=digest)
    from app.store import notify

    notify.changed()  # after the commit: replicas look at the store on their next request
    out.status, out.batch_id = "stored", batch_id
    return out


class _AlreadyStored(Exception):
    def __init__(self, batch_id: int):
        self.batch_id = batch_id


def _store_batch(store: StoreConfig, path: Path, data: bytes, digest: str, result: LoadResult,
                 table: pd.DataFrame, *, by: str, note: str | None, publisher: str | None,
                 published: dt.date | None, out: AddOutcome) -> int:  # fmt: skip
    """One transaction: the batch row, its rows, the event aggregates, the log."""
    from app.store import event_figures

    with engine(store, write=True).begin() as conn:
        _bump(conn)
        found = _existing(conn, digest)  # added by another process since we looked
        if found is not None:
            raise _AlreadyStored(found)  # rolls the transaction back
        when = now()
        batch_id = conn.execute(
            sa.insert(schema.batches)
            .values(
                file_name=path.name,
                sha256=digest,
                size_bytes=len(data),
                format=result.format,
                table_name=result.table_name,
                rows_read=result.rows_read,
                accepted=result.accepted,
                rejected=result.rejected,
                unmatched=result.unmatched,
                warnings=result.warnings,
                added_by=by,
                added_at=when,
                note=note,
                publisher=publisher,
                published=published,
                status="active",
                report=report_json(result),
            )
            .returning(schema.batches.c.id)
        ).scalar_one()
        if result.table_name == "figures":
            insert_frame(conn, schema.figures, table, {"batch_id": batch_id})
        else:
            events = table.rename(columns={"source_dataset": "dataset"})
            insert_frame(conn, schema.events, events, {"batch_id": batch_id})
            new = (int(batch_id), table)
            superseded = event_figures.materialise(conn, store, new).get(batch_id, 0)
            conn.execute(
                sa.update(schema.batches)
                .where(schema.batches.c.id == batch_id)
                .values(superseded=superseded)
            )
            out.superseded = superseded
        _log(conn, batch_id, "add", by, note, when)
    return int(batch_id)


def _log(conn: sa.Connection, batch_id: int, action: str, by: str, why: str | None,
         when: dt.datetime | None = None) -> None:  # fmt: skip
    conn.execute(
        sa.insert(schema.batch_log).values(
            batch_id=batch_id, action=action, by=by, at=when or now(), why=why
        )
    )


def _set_status(store: StoreConfig, batch_id: int, status: str, by: str, why: str | None) -> dict:
    ensure_ready(store)
    from app.store import event_figures

    with engine(store, write=True).begin() as conn:
        _bump(conn)
        row = conn.execute(
            sa.select(schema.batches).where(schema.batches.c.id == batch_id)
        ).mappings().first()
        if row is None:
            raise StoreError(f"there is no batch {batch_id} (python -m app imports lists them)")
        if row["status"] == status:
            word = "retracted" if status == "retracted" else "active"
            raise StoreError(f"batch {batch_id} is already {word}")
        conn.execute(
            sa.update(schema.batches)
            .where(schema.batches.c.id == batch_id)
            .values(status=status, status_why=why, status_by=by, status_at=now())
        )
        if row["table_name"] == "events":
            event_figures.materialise(conn, store)
        _log(conn, batch_id, "retract" if status == "retracted" else "restore", by, why)
    from app.store import notify

    notify.changed()
    return dict(row) | {"status": status, "status_why": why}


def retract(store: StoreConfig, batch_id: int, *, why: str, by: str) -> dict:
    """Hide a batch from every view, export and embed; nothing is deleted."""
    if not why.strip():
        raise StoreError("say why the batch is retracted (--why TEXT): readers see the reason")
    return _set_status(store, batch_id, "retracted", by, why.strip())


def restore(store: StoreConfig, batch_id: int, *, by: str) -> dict:
    """Bring a retracted batch back."""
    return _set_status(store, batch_id, "active", by, None)
