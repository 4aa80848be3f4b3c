"""Command line: ``python -m app validate | serve | add | imports | retract | restore | db``.

Exit codes: 0 clean, 1 problems found, 2 usage error (argparse's convention).
"""

from __future__ import annotations

import argparse
import os
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m app", description="NW Syria displacement dashboard")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="load files and report every problem, row by row")
    v.add_argument("paths", nargs="+", metavar="PATH")
    v.add_argument("--json", action="store_true", help="print a machine-readable report")
    s = sub.add_parser("serve", help="start the dashboard on the bundled data")
    s.add_argument("--host", default=None, help="interface to bind (default 127.0.0.1, env NWS_HOST)")
    s.add_argument("--port", type=int, default=None, help="port (default 8050, env NWS_PORT)")
    s.add_argument("--prod", action="store_true", help="run gunicorn with several workers")
    from app.store.cli import add_parsers

    add_parsers(sub)  # add, imports, retract, restore, db
    from app.auth.cli import add_parser as add_editor_parser

    add_editor_parser(sub)  # editor add | remove | list | token | revoke
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "validate":
        from app.validate import run

        return run(args.paths, as_json=args.json)
    if args.command == "editor":
        from app.auth.cli import run as run_editor

        return run_editor(args)
    if args.command != "serve":
        from app.store.cli import run as run_store

        return run_store(args)
    return serve(args.host, args.port, args.prod)


def serve(host: str | None, port: int | None, prod: bool) -> int:
    from app.config import ConfigError, from_env

    try:
        cfg = from_env()
        if prod:  # checked here so a bad value is one line, not a traceback from gunicorn
            from app.web.headers import parse_origins

            parse_origins(cfg.embed_origins)
            from app.web.editing import check_secret

            check_secret(cfg)  # editors in the store need NWS_SECRET_KEY
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    host = host or cfg.host
    port = port or cfg.port
    from app.web.headers import parse_origins

    try:
        parse_origins(cfg.embed_origins)  # fail here, before gunicorn's workers would
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    from app.store.engine import StoreConfig, StoreError, ensure_ready

    try:  # a new store is made now; an outdated or unreachable one stops here, in one line
        ensure_ready(StoreConfig.from_config(cfg))
    except StoreError as exc:
        print(f"store error: {exc}", file=sys.stderr)
        return 2
    if prod:
        # `python -m gunicorn` with this interpreter: never another gunicorn found on PATH.
        # --no-control-socket: gunicorn 27 otherwise opens ~/.gunicorn/gunicorn.ctl, one path
        # shared (and taken over) by every gunicorn of the same user; we do not use it.
        # gthread: a sync worker streaming a long export sends no heartbeat and is killed
        # after --timeout, cutting the download short behind a 200 already sent.
        argv = [sys.executable, "-m", "gunicorn", "--workers", str(cfg.workers),
                "--worker-class", "gthread", "--threads", str(cfg.threads),
                "--bind", f"{host}:{port}", "--access-logfile", "-", "--timeout", "60",
                "--no-control-socket", "--preload", "app.web.wsgi:server"]
        os.execv(argv[0], argv)
    from app.web.server import create_app

    try:
        app = create_app()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    print(f"Dashboard on http://{host}:{port}/ (development server; use --prod for gunicorn)")
    app.run(host=host, port=port, debug=False)
    return 0
