"""Editor accounts and their API tokens, in the store.

Names are how editors appear in the audit and as a batch's ``added_by``; removing an
account deletes its password hash and tokens, while the audit keeps the name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa

from app.auth import passwords, tokens
from app.auth.audit import as_utc, now
from app.store import schema
from app.store.engine import StoreConfig, StoreError, engine, ensure_ready

#: Letters (any script), digits, space and ``. _ @ -``; 1-64 characters.
_NAME = re.compile(r"^[\w .@-]{1,64}$")


@dataclass(frozen=True)
class Editor:
    id: int
    name: str


def check_name(name: str) -> str:
    """The name, trimmed; StoreError saying what is allowed when it cannot be one."""
    name = name.strip()
    if not _NAME.match(name) or name != " ".join(name.split()):
        raise StoreError(
            f"{name!r} cannot be an editor's name: expected 1-64 letters, digits, single "
            "spaces, '.', '_', '@' or '-'"
        )
    return name


def _find(conn: sa.Connection, name: str) -> sa.RowMapping | None:
    e = schema.editors
    return conn.execute(sa.select(e).where(e.c.name == name)).mappings().first()


def add_editor(store: StoreConfig, name: str, password: str) -> Editor:
    name = check_name(name)
    problem = passwords.policy_problem(password)
    if problem:
        raise StoreError(problem)
    ensure_ready(store)
    digest = passwords.hash_password(password)
    with engine(store, write=True).begin() as conn:
        if _find(conn, name) is not None:
            raise StoreError(f"there is already an editor {name!r} (editor list shows them)")
        new_id = conn.execute(
            sa.insert(schema.editors)
            .values(name=name, password_hash=digest, created_at=now())
            .returning(schema.editors.c.id)
        ).scalar_one()
    return Editor(int(new_id), name)


def remove_editor(store: StoreConfig, name: str) -> None:
    ensure_ready(store)
    with engine(store, write=True).begin() as conn:
        row = _find(conn, name.strip())
        if row is None:
            raise StoreError(f"there is no editor {name.strip()!r} (editor list shows them)")
        t = schema.editor_tokens
        conn.execute(sa.delete(t).where(t.c.editor_id == row["id"]))
        conn.execute(sa.delete(schema.editors).where(schema.editors.c.id == row["id"]))


def list_editors(store: StoreConfig) -> list[dict]:
    """Every editor: name, created, active tokens (their prefixes), last sign-in."""
    ensure_ready(store)
    e, t, a = schema.editors, schema.editor_tokens, schema.audit
    with engine(store).connect() as conn:
        rows = [dict(r) for r in conn.execute(sa.select(e.c.id, e.c.name, e.c.created_at)
                                              .order_by(e.c.name)).mappings()]  # fmt: skip
        for row in rows:
            row["created_at"] = as_utc(row["created_at"])
            row["tokens"] = list(conn.execute(
                sa.select(t.c.prefix).where(t.c.editor_id == row["id"], t.c.revoked_at.is_(None))
                .order_by(t.c.id)).scalars())  # fmt: skip
            last = conn.execute(sa.select(sa.func.max(a.c.at)).where(
                a.c.action == "signin", a.c.editor == row["name"])).scalar()  # fmt: skip
            row["last_signin"] = as_utc(last) if last else None
    return rows


def count_editors(store: StoreConfig) -> int:
    with engine(store).connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(schema.editors)).scalar())


def exists(store: StoreConfig, name: str) -> bool:
    with engine(store).connect() as conn:
        return _find(conn, name) is not None


def check_password(store: StoreConfig, name: str, password: str) -> Editor | None:
    """The editor when ``password`` is theirs, else None (same cost for unknown names).

    A hash made with weaker parameters than today's is replaced on a successful sign-in.
    """
    with engine(store).connect() as conn:
        row = _find(conn, name)
    if row is None:
        passwords.burn_time(password)
        return None
    if not passwords.verify(row["password_hash"], password):
        return None
    if passwords.needs_rehash(row["password_hash"]):
        with engine(store, write=True).begin() as conn:
            conn.execute(sa.update(schema.editors).where(schema.editors.c.id == row["id"])
                         .values(password_hash=passwords.hash_password(password)))  # fmt: skip
    return Editor(int(row["id"]), row["name"])


def issue_token(store: StoreConfig, name: str) -> str:
    """A new token for ``name`` (earlier ones stay valid until ``revoke_tokens``)."""
    ensure_ready(store)
    token = tokens.new_token()
    with engine(store, write=True).begin() as conn:
        row = _find(conn, name.strip())
        if row is None:
            raise StoreError(f"there is no editor {name.strip()!r} (editor list shows them)")
        conn.execute(sa.insert(schema.editor_tokens).values(
            editor_id=row["id"], token_hash=tokens.token_hash(token),
            prefix=token[: tokens.SHOWN], created_at=now()))  # fmt: skip
    return token


def revoke_tokens(store: StoreConfig, name: str) -> int:
    """Revoke every active token of ``name``; how many were revoked."""
    ensure_ready(store)
    t = schema.editor_tokens
    with engine(store, write=True).begin() as conn:
        row = _find(conn, name.strip())
        if row is None:
            raise StoreError(f"there is no editor {name.strip()!r} (editor list shows them)")
        done = conn.execute(sa.update(t).where(t.c.editor_id == row["id"],
                                               t.c.revoked_at.is_(None))
                            .values(revoked_at=now()))  # fmt: skip
    return int(done.rowcount or 0)


def editor_for_token(store: StoreConfig, token: str) -> Editor | None:
    """The editor a valid, unrevoked token belongs to; None otherwise."""
    if not tokens.looks_like_token(token):
        return None
    t, e = schema.editor_tokens, schema.editors
    digest = tokens.token_hash(token)
    with engine(store).connect() as conn:
        row = conn.execute(
            sa.select(e.c.id, e.c.name, t.c.id.label("token_id"), t.c.last_used_at)
            .join(e, e.c.id == t.c.editor_id)
            .where(t.c.token_hash == digest, t.c.revoked_at.is_(None))
        ).mappings().first()
    if row is None:
        return None
    when = now()
    last = row["last_used_at"]
    if last is None or when - as_utc(last) > dt.timedelta(minutes=1):  # not a write per call
        with engine(store, write=True).begin() as conn:
            conn.execute(sa.update(t).where(t.c.id == row["token_id"]).values(last_used_at=when))
    return Editor(int(row["id"]), row["name"])
