"""``python -m app add | imports | retract | restore | db upgrade``: the workspace from a terminal.

Exit codes follow ``validate``: 0 done, 1 a file had nothing that could be stored (or the
change could not be made), 2 a usage error. Messages name the file, the batch and what to
do; the store's own errors never reach the user as a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from typing import Any

from app.store.engine import StoreConfig, StoreError


def add_parsers(sub: Any) -> None:
    a = sub.add_parser("add", help="validate files and store each one's accepted rows as a batch")
    a.add_argument("paths", nargs="+", metavar="PATH")
    a.add_argument("--by", default=None, help="who adds it (default: the user name)")
    a.add_argument("--note", default=None, help="a note kept with the batch")
    a.add_argument("--publisher", default=None,
                   help="the dataset's name for an event file (UCDP files carry no release name)")
    a.add_argument("--published", default=None, metavar="YYYY-MM-DD", type=_day,
                   help="release date of an event file; publication date of figures that lack one")
    a.add_argument("--dry-run", action="store_true", help="validate and say what would be stored")
    a.add_argument("--json", action="store_true", help="print a machine-readable report")
    i = sub.add_parser("imports", help="list the batches in the store")
    i.add_argument("--json", action="store_true", help="print JSON")
    r = sub.add_parser("retract", help="hide a batch from every view (nothing is deleted)")
    r.add_argument("batch", type=int, metavar="BATCH")
    r.add_argument("--why", required=True, help="the reason, shown on /sources")
    r.add_argument("--by", default=None, help="who retracts it (default: the user name)")
    s = sub.add_parser("restore", help="bring a retracted batch back")
    s.add_argument("batch", type=int, metavar="BATCH")
    s.add_argument("--by", default=None, help="who restores it (default: the user name)")
    d = sub.add_parser("db", help="the store's schema")
    dsub = d.add_subparsers(dest="db_command", required=True)
    dsub.add_parser("upgrade", help="migrate the store to this release's schema")
    dsub.add_parser("current", help="print the store's schema revision")
    b = dsub.add_parser("backup", help="write the store and its original files to one .tar")
    b.add_argument("path", metavar="PATH", help="the backup file to write (never overwritten)")
    b.add_argument("--originals-only", action="store_true",
                   help="only the original files (a PostgreSQL store is backed up by pg_dump)")
    rs = dsub.add_parser("restore", help="restore a backup into the configured workspace")
    rs.add_argument("path", metavar="PATH")
    rs.add_argument("--replace", action="store_true",
                    help="replace a store that already holds batches (back it up first)")


def _user(by: str | None) -> str:
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "unknown")


def _day(text: str) -> dt.date:
    """``--published``: a real day (argparse turns the error into exit 2 with usage)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a day as YYYY-MM-DD") from None


def run(args: argparse.Namespace) -> int:
    from app.config import ConfigError

    try:
        store = StoreConfig.from_config()
        if args.command == "add":
            return _add(store, args)
        if args.command == "imports":
            return _imports(store, as_json=args.json)
        if args.command == "retract":
            from app.store.batches import retract

            b = retract(store, args.batch, why=args.why, by=_user(args.by))
            print(f"batch {args.batch} ({b['file_name']}) retracted: {args.why}")
            return 0
        if args.command == "restore":
            from app.store.batches import restore

            b = restore(store, args.batch, by=_user(args.by))
            print(f"batch {args.batch} ({b['file_name']}) restored")
            return 0
        return _db(store, args)
    except (StoreError, ConfigError) as exc:
        print(f"python -m app {args.command}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # the database itself: unreachable, disk full ...
        import sqlalchemy as sa

        if isinstance(exc, sa.exc.SQLAlchemyError):
            print(f"python -m app {args.command}: the store failed: {exc}", file=sys.stderr)
            return 1
        raise


def _add(store: StoreConfig, args: argparse.Namespace) -> int:
    from app.store.batches import add_file
    from app.validate import summary_line

    published = args.published
    code = 0
    reports = []
    for path in args.paths:
        out = add_file(store, path, by=_user(args.by), note=args.note, publisher=args.publisher,
                       published=published, dry_run=args.dry_run)  # fmt: skip
        if out.result is not None and not args.json:
            for p in out.result.problems:
                print(p.line())
            print(summary_line(out.result))
        if out.status == "stored":
            line = f"{path}: stored as batch {out.batch_id}"
            if out.superseded:
                line += f" (superseded {out.superseded:,} events of the bundle or earlier batches)"
        elif out.status == "already":
            line = f"{path}: already stored as batch {out.existing} (same sha256); nothing stored"
        elif out.status == "dry-run":
            line = f"{path}: dry run: would store {out.result.accepted:,} rows; nothing stored"
        else:
            line = f"{path}: " + "; ".join(out.messages)
            code = 1
        reports.append({
            "file": str(path), "status": out.status, "batch": out.batch_id,
            "existing_batch": out.existing, "sha256": out.sha256,
            "superseded": out.superseded, "messages": out.messages,
            "summary": out.result.summary() if out.result else None,
            "problems": [p.as_dict() for p in out.result.problems] if out.result else [],
        })  # fmt: skip
        if not args.json:
            print(line)
    if args.json:
        print(json.dumps({"files": reports}, ensure_ascii=False, indent=2, default=str))
    return code


def _imports(store: StoreConfig, as_json: bool) -> int:
    from app.store import reads

    rows = reads.all_batches(store)
    if as_json:
        print(json.dumps({"batches": rows}, ensure_ascii=False, indent=2, default=str))
        return 0
    if not rows:
        print("no batches yet: add a file with `python -m app add PATH`")
        return 0
    head = ("id", "file", "sha256", "read", "accepted", "rejected", "unmatched", "by", "when",
            "status")  # fmt: skip
    table = [head] + [
        (str(r["id"]), r["file_name"], r["sha256"][:12], f"{r['rows_read']:,}",
         f"{r['accepted']:,}", f"{r['rejected']:,}", f"{r['unmatched']:,}", r["added_by"],
         _when(r["added_at"]),
         r["status"] + (f" ({r['status_why']})" if r["status"] == "retracted" else ""))
        for r in rows
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def _when(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)[:16]


def _db(store: StoreConfig, args: argparse.Namespace) -> int:
    from app.store.engine import current_revision, head_revision, upgrade

    command = args.db_command
    if command in ("backup", "restore"):
        from app.store import backup

        if command == "backup":
            s = backup.backup(store, args.path, originals_only=args.originals_only)
            print(f"{s.path}: {s.batches} batch(es) and {s.originals} original file(s), "
                  f"{s.bytes:,} bytes")  # fmt: skip
        else:
            s = backup.restore(store, args.path, replace=args.replace)
            print(f"restored {s.batches} batch(es) and {s.originals} original file(s) into "
                  f"{store.workspace}")  # fmt: skip
        return 0

    if command == "current":
        print(f"{store.display_url()}: revision {current_revision(store) or 'none'} "
              f"(this release: {head_revision()})")  # fmt: skip
        return 0
    before, after = upgrade(store)
    if before == after:
        print(f"{store.display_url()}: already at revision {after}")
    else:
        print(f"{store.display_url()}: upgraded from {before or 'an empty store'} to {after}")
    return 0
