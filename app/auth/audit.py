"""The audit record: every sign-in, failed sign-in, upload, accept, discard, retraction,
restoration and account change, with who, when, from which address and which way in.

Written in its own short transaction (never inside a batch's), so a failed sign-in is
recorded even when nothing else happens. Throttling reads failed sign-ins back from here,
so every server process (each gunicorn worker) sees the same count.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.store import schema
from app.store.engine import StoreConfig, engine

#: The actions written, and what each means (shown on ``/data/audit``).
ACTIONS = {
    "signin": "signed in",
    "signin-failed": "failed sign-in",
    "signin-throttled": "sign-in refused (too many failures)",
    "signout": "signed out",
    "upload": "uploaded a file (pending)",
    "accept": "accepted an upload as a batch",
    "accept-already": "accepted an upload already stored",
    "accept-nothing": "accept refused: nothing could be stored",
    "discard": "discarded an upload",
    "retract": "retracted a batch",
    "restore": "restored a batch",
    "api-import": "imported a file (API)",
    "api-denied": "API call refused (token missing, wrong or revoked)",
    "original": "downloaded an original file",
    "editor-add": "editor account added",
    "editor-remove": "editor account removed",
    "token-new": "API token issued",
    "token-revoke": "API tokens revoked",
}


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back (stored as UTC); PostgreSQL aware ones."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def record(store: StoreConfig, action: str, *, editor: str | None, address: str | None,
           via: str, batch_id: int | None = None, detail: str | None = None) -> None:  # fmt: skip
    """Append one entry (its own transaction)."""
    with engine(store, write=True).begin() as conn:
        conn.execute(
            sa.insert(schema.audit).values(
                at=now(), action=action, editor=editor, address=address, via=via,
                batch_id=batch_id, detail=(detail or None) and detail[:2000],
            )
        )  # fmt: skip


def entries(conn: sa.Connection, limit: int = 500) -> list[dict]:
    """The newest ``limit`` entries, newest first."""
    a = schema.audit
    rows = conn.execute(sa.select(a).order_by(a.c.id.desc()).limit(limit)).mappings()
    return [dict(r) | {"at": as_utc(r["at"]), "what": ACTIONS.get(r["action"], r["action"])}
            for r in rows]  # fmt: skip


def failure_times(conn: sa.Connection, since: dt.datetime, *, editor: str | None = None,
                  address: str | None = None) -> list[dt.datetime]:  # fmt: skip
    """Times of failed sign-ins since ``since`` for one account or one address."""
    a = schema.audit
    query = sa.select(a.c.at).where(a.c.action == "signin-failed", a.c.at >= since)
    if editor is not None:
        query = query.where(a.c.editor == editor)
    if address is not None:
        query = query.where(a.c.address == address)
    return sorted(as_utc(t) for t in conn.execute(query).scalars())
