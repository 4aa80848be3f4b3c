"""Command line: ``python -m app validate | serve | add | imports | retract | restore | db``.

Exit codes: 0 clean, 1 problems found, 2 usage error (argparse's convention).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.config import Config

#: Connections one gevent worker holds at once (gunicorn's default): idle and slow ones
#: cost a greenlet and a file descriptor each (raise LimitNOFILE above workers x this).
WORKER_CONNECTIONS = 1000


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
    from app.i18n.cli import add_parser as add_i18n_parser

    add_i18n_parser(sub)  # i18n compile | check | stubs
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from app.config import ConfigError, check_paths, from_env

    try:  # every command reads the settings: a bad one is one line and exit 2, never a traceback
        check_paths(from_env())
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "validate":
        from app.validate import run

        return run(args.paths, as_json=args.json)
    if args.command == "i18n":
        from app.i18n.cli import run as run_i18n

        return run_i18n(args)
    if args.command == "editor":
        from app.auth.cli import run as run_editor

        return run_editor(args)
    if args.command != "serve":
        from app.store.cli import run as run_store

        return run_store(args)
    return serve(args.host, args.port, args.prod)


def serve(host: str | None, port: int | None, prod: bool) -> int:
    from app.config import ConfigError, from_env
    from app.config_bounds import BOUNDS

    try:
        cfg = from_env()  # every setting type-checked and bounded (app.config_bounds)
        if host is not None:
            BOUNDS["host"].check("--host", host)
        if port is not None:
            BOUNDS["port"].check("--port", port)
        from app.web.editing import check_secret

        check_secret(cfg)  # editors in the store need NWS_SECRET_KEY
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    host = cfg.host if host is None else host
    port = cfg.port if port is None else port
    from app.store.engine import StoreConfig, StoreError, ensure_ready

    try:  # a new store is made now; an outdated or unreachable one stops here, in one line
        ensure_ready(StoreConfig.from_config(cfg))
    except StoreError as exc:
        print(f"store error: {exc}", file=sys.stderr)
        return 2
    if prod:
        os.execv(sys.executable, gunicorn_argv(cfg, host, port))
    from app.web.server import create_app

    try:
        app = create_app()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    print(f"Dashboard on http://{host}:{port}/ (development server; use --prod for gunicorn)")
    app.run(host=host, port=port, debug=False)
    return 0


def gunicorn_argv(cfg: Config, host: str, port: int) -> list[str]:
    """The command ``serve --prod`` becomes (docs/deploy.md, "The server").

    - ``gevent`` (the default): each connection is a greenlet, so idle and slow clients
      (slowloris) cost a few kilobytes each, never a thread; gunicorn drops a connection
      whose request headers are not complete within its keepalive (2 s). gevent's
      monkey-patching runs first, in the master, before the app is preloaded
      (:mod:`app.web.gunicorn_gevent`), so every lock, pool and socket the app makes is
      gevent's.
    - ``gthread``: ``NWS_THREADS`` threads per worker; fine behind nginx, which holds slow
      clients itself, but a client dribbling its headers holds a thread.

    Both stream a long export while the worker keeps answering gunicorn's heartbeat (a sync
    worker would be killed after --timeout, cutting the download short behind a 200).
    ``--no-control-socket``: gunicorn 27 otherwise opens ~/.gunicorn/gunicorn.ctl, one path
    shared (and taken over) by every gunicorn of the same user; we do not use it.
    """
    if cfg.worker_class == "gevent":
        launcher = ["-m", "app.web.gunicorn_gevent", "--worker-class", "gevent",
                    "--worker-connections", str(WORKER_CONNECTIONS)]  # fmt: skip
    else:  # `python -m gunicorn` with this interpreter: never another gunicorn found on PATH
        launcher = ["-m", "gunicorn", "--worker-class", "gthread", "--threads", str(cfg.threads)]
    bind = f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"
    return [sys.executable, *launcher, "--workers", str(cfg.workers), "--bind", bind,
            "--access-logfile", "-", "--timeout", "60", "--no-control-socket",
            "--preload", "app.web.wsgi:server"]  # fmt: skip
