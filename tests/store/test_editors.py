"""``python -m app editor ...`` on real stores (SQLite and PostgreSQL): accounts, tokens,
the audit record and sign-in throttling read back from it."""

from __future__ import annotations

import subprocess
import sys

import sqlalchemy as sa

from app.auth import accounts, audit, throttle, tokens
from app.store import schema
from app.store.engine import StoreConfig, engine

from .conftest import cli_env

PASSWORD = "correct horse battery"


def editor(store: StoreConfig, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", "editor", *args], input=stdin,
                          capture_output=True, text=True, env=cli_env(store), timeout=120)  # fmt: skip


def test_editor_commands(store: StoreConfig) -> None:
    out = editor(store, "add", "Amal Haddad", stdin=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    assert editor(store, "add", "Amal Haddad", stdin=PASSWORD + "\n").returncode == 1
    short = editor(store, "add", "bob", stdin="short\n")
    assert short.returncode == 1
    assert "the password has 5 characters; expected at least 12" in short.stderr
    bad = editor(store, "add", "../etc", stdin=PASSWORD + "\n")
    assert bad.returncode == 1 and "cannot be an editor's name" in bad.stderr

    with engine(store).connect() as conn:
        row = conn.execute(sa.select(schema.editors)).mappings().one()
    assert row["name"] == "Amal Haddad" and row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]
    assert accounts.check_password(store, "Amal Haddad", PASSWORD).name == "Amal Haddad"
    assert accounts.check_password(store, "Amal Haddad", PASSWORD + "!") is None
    assert accounts.check_password(store, "nobody", PASSWORD) is None

    first = editor(store, "token", "Amal Haddad")
    assert first.returncode == 0 and "shown only now" in first.stderr
    token = first.stdout.strip()
    assert first.stdout == token + "\n" and tokens.looks_like_token(token)  # alone on its line
    second = editor(store, "token", "Amal Haddad").stdout.strip()
    with engine(store).connect() as conn:
        stored = set(conn.execute(sa.select(schema.editor_tokens.c.token_hash)).scalars())
    assert stored == {tokens.token_hash(token), tokens.token_hash(second)}  # hashes only
    assert accounts.editor_for_token(store, token).name == "Amal Haddad"
    assert accounts.editor_for_token(store, token + "x") is None

    listed = editor(store, "list").stdout
    assert "Amal Haddad" in listed and token[:10] + "..." in listed and token not in listed
    revoked = editor(store, "revoke", "Amal Haddad")
    assert revoked.stdout.strip() == "2 token(s) of Amal Haddad revoked"
    assert accounts.editor_for_token(store, token) is None
    assert accounts.editor_for_token(store, second) is None

    assert editor(store, "remove", "Amal Haddad").returncode == 0
    assert editor(store, "list").stdout.startswith("no editors yet")
    assert editor(store, "remove", "Amal Haddad").returncode == 1
    with engine(store).connect() as conn:
        actions = list(conn.execute(sa.select(schema.audit.c.action, schema.audit.c.via)
                                    .order_by(schema.audit.c.id)))  # fmt: skip
    assert actions == [("editor-add", "cli"), ("token-new", "cli"), ("token-new", "cli"),
                       ("token-revoke", "cli"), ("editor-remove", "cli")]  # fmt: skip


def test_throttle_counts_failures_from_the_audit(store: StoreConfig) -> None:
    accounts.add_editor(store, "amal", PASSWORD)
    for _ in range(throttle.ACCOUNT_LIMIT - 1):
        audit.record(store, "signin-failed", editor="amal", address="10.0.0.1", via="web")
    assert throttle.check(store, "amal", "10.0.0.9").allowed
    audit.record(store, "signin-failed", editor="amal", address="10.0.0.2", via="web")
    verdict = throttle.check(store, "amal", "10.0.0.9")  # per account, whatever the address
    assert not verdict.allowed and 890 <= verdict.retry_after <= 900
    assert verdict.why == "5 failed sign-ins for this account within 15 minutes"
    assert throttle.check(store, "other", "10.0.0.9").allowed
    for i in range(throttle.ADDRESS_LIMIT):
        audit.record(store, "signin-failed", editor=f"guess{i}", address="10.0.0.7", via="web")
    by_address = throttle.check(store, "someone-new", "10.0.0.7")
    assert not by_address.allowed
    assert by_address.why == "20 failed sign-ins from this address within 15 minutes"
