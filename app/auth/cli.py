"""``python -m app editor add | remove | list | token | revoke``: editor accounts from a terminal.

Passwords are read from standard input (asked twice, hidden, on a terminal; the first line
otherwise, so a script can pipe one in), never from the command line where ``ps`` and the
shell history would show it. ``editor token NAME`` prints the new token alone on its line,
once: only its hash is stored. An editor may hold several tokens (one per script);
``editor revoke NAME`` revokes all of them. Exit codes as ``add``: 0 done, 1 refused, 2 usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from app.store.engine import StoreConfig, StoreError


def add_parser(sub: Any) -> None:
    e = sub.add_parser("editor", help="editor accounts and API tokens (/data, /api/imports)")
    esub = e.add_subparsers(dest="editor_command", required=True)
    a = esub.add_parser("add", help="add an editor; the password is read from standard input")
    a.add_argument("name", metavar="NAME")
    r = esub.add_parser("remove", help="remove an editor and their tokens (the audit keeps the name)")
    r.add_argument("name", metavar="NAME")
    esub.add_parser("list", help="list the editors, their active tokens and last sign-in")
    t = esub.add_parser("token", help="print a new API token for NAME, once (only its hash is kept)")
    t.add_argument("name", metavar="NAME")
    v = esub.add_parser("revoke", help="revoke every API token of NAME")
    v.add_argument("name", metavar="NAME")


def _read_password(name: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(f"Password for {name}: ")
        second = getpass.getpass("Again: ")
        if first != second:
            raise StoreError("the two passwords differ; nothing was changed")
        return first
    line = sys.stdin.readline()
    return line.removesuffix("\n").removesuffix("\r")


def run(args: argparse.Namespace) -> int:
    from app.auth import accounts, audit
    from app.config import ConfigError

    command = args.editor_command
    try:
        store = StoreConfig.from_config()
        if command == "list":
            return _list(accounts.list_editors(store))
        name = accounts.check_name(args.name)
        if command == "add":
            accounts.add_editor(store, name, _read_password(name))
            audit.record(store, "editor-add", editor=name, address=None, via="cli")
            print(f"editor {name} added; they sign in at /data"
                  " (the server needs NWS_SECRET_KEY: see README, Editors and the API)")
        elif command == "remove":
            accounts.remove_editor(store, name)
            audit.record(store, "editor-remove", editor=name, address=None, via="cli")
            print(f"editor {name} removed, with their tokens")
        elif command == "token":
            token = accounts.issue_token(store, name)
            audit.record(store, "token-new", editor=name, address=None, via="cli",
                         detail=token[:10])
            print(token)  # alone on its line: `TOKEN=$(python -m app editor token NAME)`
            print(f"a new API token for {name}, shown only now; keep it secret",
                  file=sys.stderr)
        else:
            n = accounts.revoke_tokens(store, name)
            audit.record(store, "token-revoke", editor=name, address=None, via="cli",
                         detail=f"{n} token(s)")
            print(f"{n} token(s) of {name} revoked")
        return 0
    except (StoreError, ConfigError) as exc:
        print(f"python -m app editor {command}: {exc}", file=sys.stderr)
        return 1


def _list(rows: list[dict]) -> int:
    if not rows:
        print("no editors yet: python -m app editor add NAME")
        return 0
    for r in rows:
        last = r["last_signin"].strftime("%Y-%m-%d %H:%M UTC") if r["last_signin"] else "never"
        tokens = ", ".join(f"{p}..." for p in r["tokens"]) or "none"
        print(f"{r['name']}  added {r['created_at']:%Y-%m-%d}  last sign-in {last}  "
              f"tokens: {tokens}")
    return 0
