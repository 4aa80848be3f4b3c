#!/usr/bin/env python3
"""Cluster benchmark and fault test: two replicas behind nginx on one PostgreSQL and one Redis.

    .venv/bin/python bench/cluster.py [--quick] [--users 50] [--duration 60] [--json PATH]

Everything runs on loopback and is started here, in temporary folders: a throwaway
PostgreSQL cluster (Debian's, as the ``postgres`` user when run as root), ``redis-server``,
two ``python -m app serve --prod`` replicas (``NWS_WORKERS=2`` each, same database, Redis and
workspace) and Debian's nginx with the configuration of ``docs/deploy.md``. Then:

1. the load test of ``bench/loadtest.py`` (its users, imported, not copied) through nginx,
   printed beside the same load test against one ``serve --prod`` on SQLite, run first in
   the same process (the single-server peer);
2. an import through replica A (``python -m app add``), and how long until replica B's
   ``/health`` serves the new store version;
3. replica A's gunicorn (master and workers) killed with SIGKILL in the middle of a load run:
   failed requests before, in flight at, and after the kill;
4. ``pg_ctl restart -m fast`` in the middle of a load run: responses by status during the
   outage and after it, whether any 5xx body holds a traceback, whether the app recovered
   without being restarted; then PostgreSQL stopped for 10 s, past the app's 5 s grace
   (``app.store.live.STALE_GRACE_SECONDS``): every failure during it must be a clear 503;
5. everything started is stopped, also on Ctrl-C or an error (try/finally).

``--quick`` shortens each load run to about 15 s (a smoke run, not the figures to quote).
Exit status 0 when every budget is met.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import loadtest
from _common import PY, ROOT, Report, ServerProcess, command_line, free_port, parser

PG_ROOT = Path("/usr/lib/postgresql")
SAMPLE = ROOT / "tests" / "fixtures" / "canonical_figures_sample.csv"
DEPLOY = ROOT / "docs" / "deploy.md"
P95_MS = 300.0
VISIBLE_S = 5.0


# --- processes --------------------------------------------------------------------------------


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Postgres:
    """A throwaway PostgreSQL cluster in its own temporary folder (recipe of
    ``tests/store/conftest.py``), listening on 127.0.0.1 only."""

    def __init__(self) -> None:
        versions = sorted(PG_ROOT.glob("*/bin/pg_ctl"))
        if not versions:
            raise SystemExit("PostgreSQL is not installed: apt-get install -y postgresql")
        self.bin = versions[-1].parent
        self.folder = Path(tempfile.mkdtemp(prefix="nws-cluster-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = free_port()
        self.started = False
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")

    def _ctl(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), *args]),
            check=True, capture_output=True, timeout=timeout,
        )  # fmt: skip

    def start(self) -> str:
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        subprocess.run(_as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-A",
                                     "trust", "-U", "postgres", "-E", "UTF8"]),
                       check=True, capture_output=True, env=env, timeout=120)  # fmt: skip
        self.started = True
        self._start()
        import psycopg

        server = f"postgresql://postgres@127.0.0.1:{self.port}"
        with psycopg.connect(server + "/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE nws")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/nws"

    def _start(self) -> None:
        self._ctl("-l", str(self.log), "-o",
                  f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off -c max_connections=200", "-w", "start")  # fmt: skip

    def restart(self) -> None:
        """``pg_ctl restart -m fast``: every connection is cut, the server comes back."""
        self._ctl("-l", str(self.log), "-m", "fast", "-w", "restart")

    def down_for(self, seconds: float) -> None:
        """``pg_ctl stop -m fast``, ``seconds`` with no database, then start again."""
        self._ctl("-m", "fast", "-w", "stop")
        time.sleep(seconds)
        self._start()

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                self._ctl("-m", "immediate", "stop", timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


def _wait(what: str, ready: Callable[[], bool], proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up within {timeout:.0f} s")
        time.sleep(0.1)


def _redis_ready(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    exe = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    try:
        _wait("redis-server", lambda: _redis_ready(port), proc, 20)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        loadtest.stop_group(proc)


#: With --retry-callbacks: nginx may resend a Dash callback (a POST that only reads) to the other
#: replica when the first one dies while answering it. Not in docs/deploy.md (yet).
RETRY_CALLBACKS = """
    location = /_dash-update-component {
        proxy_pass http://nws_replicas;
        proxy_next_upstream error timeout http_502 non_idempotent;
    }
"""


def nginx_conf(prefix: Path, ports: list[int], front: int, retry: bool = False) -> Path:
    """The documented nginx block (docs/deploy.md) with the replicas' and front's ports, as
    ``tests/serve/test_nginx_front.py`` runs it."""
    import re

    match = re.search(r"```nginx\n(.*?)```", DEPLOY.read_text(encoding="utf-8"), re.S)
    if not match:
        raise SystemExit("docs/deploy.md has no nginx block")
    block = (match.group(1).replace("127.0.0.1:8051", f"127.0.0.1:{ports[0]}")
             .replace("127.0.0.1:8052", f"127.0.0.1:{ports[1]}")
             .replace("listen 8080;", f"listen 127.0.0.1:{front};"))  # fmt: skip
    if retry:
        block = block.replace(
            "    location / {", RETRY_CALLBACKS.lstrip("\n") + "\n    location / {"
        )
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        "events { worker_connections 2048; }\n"
        f"http {{\n access_log off;\n client_body_temp_path {prefix}/body;\n"
        f" proxy_temp_path {prefix}/proxy;\n fastcgi_temp_path {prefix}/fcgi;\n"
        f" uwsgi_temp_path {prefix}/uwsgi;\n scgi_temp_path {prefix}/scgi;\n"
        f"{block}\n}}\n",
        encoding="utf-8",
    )
    return conf


@contextlib.contextmanager
def nginx(prefix: Path, ports: list[int], retry: bool = False) -> Iterator[str]:
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(exe).exists():
        raise SystemExit("nginx is not installed: apt-get install -y nginx")
    prefix.mkdir()
    front = free_port()
    conf = nginx_conf(prefix, ports, front, retry)
    check = subprocess.run([exe, "-t", "-c", str(conf), "-p", str(prefix)],
                           capture_output=True, text=True)  # fmt: skip
    if check.returncode:
        raise RuntimeError(f"nginx -t: {check.stderr}")
    proc = subprocess.Popen([exe, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{front}"
    try:
        _wait("nginx", lambda: get(base, "/health")[0] == 200, proc, 30)
        yield base
    finally:
        loadtest.stop_group(proc)


def replica(port: int, env: dict[str, str]) -> ServerProcess:
    """``serve --prod`` on 127.0.0.1:port (own process group: its pid is gunicorn's master)."""
    proc = ServerProcess([PY, "-m", "app", "serve", "--prod", "--port", str(port)], port,
                         env=env, ready_path="/health", timeout=240)  # fmt: skip
    proc.start()
    return proc


def get(base: str, path: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        return loadtest.request(base, "GET", path, timeout=timeout)
    except (OSError, http.client.HTTPException):
        return 0, b""


def health(base: str) -> dict[str, Any]:
    status, body = get(base, "/health", timeout=5)
    try:
        return {"http": status, **json.loads(body)}
    except ValueError:
        return {"http": status}


# --- load with a clock --------------------------------------------------------------------------


@dataclass
class TimedStats(loadtest.Stats):
    """The load test's statistics plus when each request started and ended, and its error."""

    done: list[tuple[float, float]] = field(default_factory=list)  # (start, end)
    failed: list[tuple[float, float, str]] = field(default_factory=list)  # (start, end, error)
    _last: threading.local = field(default_factory=threading.local)

    def record(self, step: str, ms: float, error: str | None) -> None:
        super().record(step, ms, error)
        end = time.monotonic()
        self._last.span = (end - ms / 1000, end)
        with self.lock:
            self.done.append(self._last.span)
            if error:
                self.failed.append((*self._last.span, error))

    def record_error(self, step: str, error: str) -> None:
        super().record_error(step, error)
        start, end = getattr(self._last, "span", (time.monotonic(),) * 2)
        with self.lock:
            self.failed.append((start, end, error))


def drive(base: str, app: loadtest.AppModel, args: argparse.Namespace, duration: float,
          stats: TimedStats, fault: Callable[[], None], at: float) -> float:  # fmt: skip
    """Run the load test's users for ``duration`` s; call ``fault()`` at ``at`` s in."""
    start = time.monotonic()
    deadline = start + duration
    master = random.Random(args.seed)
    threads = []
    with ThreadPoolExecutor(max_workers=args.users * 4) as pool:
        for i in range(args.users):
            user = loadtest.User(base, app, stats, random.Random(master.random()), args.think,
                                 args.timeout, pool)  # fmt: skip
            t = threading.Thread(target=user.run, args=(deadline,), name=f"user-{i}", daemon=True)
            t.start()
            threads.append(t)
            time.sleep(args.ramp / args.users)
        time.sleep(max(0.0, start + at - time.monotonic()))
        fault()
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()) + 2 * args.timeout)
    return time.monotonic() - start


def status_of(error: str) -> str:
    """``HTTP 503 GET /`` -> ``503``; a connection error -> its exception's name."""
    if error.startswith("HTTP "):
        return error.split()[1]
    return error.split(":")[0]


class Prober:
    """Asks a few pages every 0.1 s and keeps each answer's status, time and whether a 5xx
    body shows a traceback (the load test keeps only the first 200 bytes of a body)."""

    PATHS = ("/health", "/", "/export/figures.csv?metric=civilians_killed")

    def __init__(self, bases: list[str]) -> None:
        self.bases = bases
        self.seen: list[tuple[float, str, str, int, bool]] = []  # (t, base, path, status, tb)
        self.samples: dict[int, str] = {}  # one body per 5xx status, to show what readers get
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for base in self.bases:
                for path in self.PATHS:
                    status, body = get(base, path, timeout=10)
                    tb = status >= 500 and (b"Traceback" in body or b'File "' in body)
                    if status >= 500:
                        text = body[:300].decode("utf-8", "replace")
                        self.samples.setdefault(status, f"{path}: {text}")
                    self.seen.append((time.monotonic(), base, path, status, tb))
            self._stop.wait(0.1)

    def __enter__(self) -> Prober:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(30)


# --- the phases ---------------------------------------------------------------------------------


def load_args(users: int, duration: float, seed: int) -> argparse.Namespace:
    return argparse.Namespace(users=users, duration=duration, think=1.0, ramp=5.0, timeout=30.0,
                              areas=0, seed=seed)  # fmt: skip


def phase_load(rep: Report, single: dict, cluster: dict) -> None:
    print("\n   load test              requests  errors   p50 ms   p95 ms   p99 ms")
    for name, res in (("single server (SQLite)", single), ("cluster (nginx, 2x2)", cluster)):
        o = res["overall"]
        print(f"   {name:<22} {o['n']:>8} {o['errors']:>7} {o['p50']:>8.0f} {o['p95']:>8.0f} "
              f"{o['p99']:>8.0f}")  # fmt: skip
    for name, res in (("single", single), ("cluster", cluster)):
        o = res["overall"]
        budget = name == "cluster"
        rep.add(f"{name}: requests", o["n"], "req", note=f"{res['seconds']:.0f} s")
        rep.add(
            f"{name}: errors",
            o["errors"],
            "err",
            "== 0" if budget else "",
            o["errors"] == 0 if budget else None,
        )
        rep.add(f"{name}: p50", o["p50"], "ms")
        rep.add(
            f"{name}: p95",
            o["p95"],
            "ms",
            f"<= {P95_MS:.0f} ms" if budget else "",
            o["p95"] <= P95_MS if budget else None,
        )
        rep.add(f"{name}: p99", o["p99"], "ms")


def phase_import(rep: Report, a_env: dict[str, str], b_base: str) -> None:
    before = health(b_base)
    old = before.get("store_version")
    seen: dict[str, float] = {}
    stop = threading.Event()

    def poll() -> None:
        streak = 0
        while not stop.is_set():
            h = health(b_base)
            now = time.monotonic()
            new = h.get("store_version")
            if new is not None and new != old:
                seen.setdefault("store", now)
                if h.get("serving_version") == new:
                    seen.setdefault("serving", now)
                    streak += 1
                    if streak >= 6:  # several answers in a row: both of B's workers serve it
                        seen.setdefault("serving_all", now)
                        return
                else:
                    streak = 0
            time.sleep(0.02)

    poller = threading.Thread(target=poll, daemon=True)
    t0 = time.monotonic()
    poller.start()
    proc = subprocess.run([PY, "-m", "app", "add", str(SAMPLE), "--note", "cluster bench"],
                          cwd=ROOT, env=a_env, capture_output=True, text=True, timeout=300)  # fmt: skip
    t_exit = time.monotonic()
    if proc.returncode:
        stop.set()
        print(
            f"   `app add` failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        )
        rep.add(
            "import via A: seen on B",
            None,
            "s",
            f"<= {VISIBLE_S:.0f} s",
            False,
            f"`app add` exit {proc.returncode}",
        )
        return
    poller.join(t_exit - t0 + 30)
    stop.set()
    after = health(b_base)
    print(
        f"   store version on B: {old} -> {after.get('store_version')}; `app add` took "
        f"{t_exit - t0:.1f} s"
    )
    serving = seen.get("serving_all", seen.get("serving"))
    lag = None if serving is None else max(0.0, serving - t_exit)
    rep.add("import via A: add took", t_exit - t0, "s", note="python -m app add, start to exit")
    rep.add(
        "import via A: B serves it at",
        None if serving is None else serving - t0,
        "s",
        note="from the start of `add` (the commit is somewhere inside it)",
    )
    rep.add("import via A: seen on B", lag, "s", f"<= {VISIBLE_S:.0f} s",
            lag is not None and lag <= VISIBLE_S,
            "B's /health serving_version = new store version, after `add` exited")  # fmt: skip


def phase_kill(rep: Report, base: str, app: loadtest.AppModel, args: argparse.Namespace,
               duration: float, victim: ServerProcess, errlog: Path | None = None) -> float:  # fmt: skip
    stats = TimedStats()
    when: dict[str, float] = {}

    def kill() -> None:
        assert victim.proc is not None
        when["kill"] = time.monotonic()
        os.killpg(victim.proc.pid, signal.SIGKILL)  # master and workers, no goodbye
        victim.proc.wait(10)
        deadline = time.monotonic() + 10
        with contextlib.suppress(ProcessLookupError):  # until no process of the group is left
            while time.monotonic() < deadline:
                os.killpg(victim.proc.pid, 0)
                time.sleep(0.005)
        when["dead"] = time.monotonic()
        print(f"   replica A (pid {victim.proc.pid}) killed at {when['kill'] - t0:.1f} s")

    t0 = time.monotonic()
    elapsed = drive(base, app, args, duration, stats, kill, duration / 2)
    k, dead = when["kill"], when["dead"]
    before = [f for f in stats.failed if f[1] < k]
    inflight = [f for f in stats.failed if f[0] < k <= f[1]]
    dying = [f for f in stats.failed if k <= f[0] < dead]
    after = [f for f in stats.failed if f[0] >= dead]
    n_after = sum(1 for s, _ in stats.done if s >= dead)
    print(
        f"   {len(stats.done)} requests in {elapsed:.0f} s; A's processes gone "
        f"{dead - k:.3f} s after the SIGKILL; failed: {len(before)} before the kill, "
        f"{len(inflight)} in flight at the kill, {len(dying)} started while A was dying, "
        f"{len(after)} of {n_after} started after A was gone"
    )
    for f in (inflight + dying + after)[:8]:
        print(f"     started {f[0] - k:+.3f} s, ended {f[1] - k:+.3f} s from the kill: {f[2][:90]}")
    if errlog and errlog.exists():
        lines = [x for x in errlog.read_text(errors="replace").splitlines() if "upstream" in x]
        print(f"   nginx error log: {len(lines)} upstream lines; first ones:")
        for x in lines[:4]:
            print("     " + x[:200])
    rep.add("kill A: failed before", len(before), "err", "== 0", not before)
    rep.add(
        "kill A: failed in flight",
        len(inflight) + len(dying),
        "err",
        note=f"sent to A before its processes were gone ({dead - k:.2f} s after SIGKILL)",
    )
    rep.add("kill A: failed after", len(after), "err", "== 0", not after,
            f"of {n_after} started after A was gone")  # fmt: skip
    return k


def phase_pg_restart(rep: Report, base: str, replicas: list[str], app: loadtest.AppModel,
                     args: argparse.Namespace, duration: float, pg: Postgres,
                     down_s: float = 0.0) -> None:  # fmt: skip
    """``down_s`` 0: ``pg_ctl restart`` (a blip: readers are served the last version read);
    else PostgreSQL stopped for ``down_s`` s, longer than the app's grace
    (app.store.live.STALE_GRACE_SECONDS): readers then get a clear 503, never a traceback."""
    stats = TimedStats()
    when: dict[str, float] = {}
    label = "pg restart" if not down_s else f"pg down {down_s:.0f} s"

    def restart() -> None:
        when["start"] = time.monotonic()
        if down_s:
            pg.down_for(down_s)
        else:
            pg.restart()
        when["end"] = time.monotonic()
        print(f"   PostgreSQL {'stopped and started' if down_s else 'restarted (-m fast)'}: "
              f"{when['end'] - when['start']:.1f} s without it")  # fmt: skip

    if down_s:  # long enough for answers after the outage too (a --quick run is 15 s)
        duration = max(duration, 4 * down_s)
    with Prober([base, *replicas]) as prober:
        elapsed = drive(base, app, args, duration, stats, restart, duration / 2)
    r0, r1 = when["start"], when["end"]
    if down_s:  # each process notices the store is back at its next once-a-second check
        r1 += 1.5
    n_during = sum(1 for s, e in stats.done if e >= r0 and s <= r1)
    n_after = sum(1 for s, _ in stats.done if s > r1)
    fail_during = [f for f in stats.failed if f[1] >= r0 and f[0] <= r1]
    fail_after = [f for f in stats.failed if f[0] > r1]
    during = Counter(status_of(f[2]) for f in fail_during)
    during["ok"] = n_during - len(fail_during)
    afterc = Counter(status_of(f[2]) for f in fail_after)
    afterc["ok"] = n_after - len(fail_after)
    probe_during = Counter(str(p[3]) for p in prober.seen if r0 <= p[0] <= r1 + 0.5)
    probe_after = Counter(str(p[3]) for p in prober.seen if p[0] > r1 + 0.5)
    tracebacks = sum(p[4] for p in prober.seen) + sum(
        1 for f in stats.failed if f[2].startswith("HTTP 5") and "Traceback" in f[2]
    )
    end_health = {b: health(b)["http"] for b in replicas}
    # recovered: answers succeed after the restart, none says the store is unavailable, and
    # both replicas' /health is 200 again, with no replica restarted
    unavailable = afterc.get("503", 0) + probe_after.get("503", 0)
    recovered = afterc["ok"] > 0 and not unavailable and all(v == 200 for v in end_health.values())
    print(f"   load test: {len(stats.done)} requests in {elapsed:.0f} s")
    print(f"   during the outage: {dict(during)}; after it: {dict(afterc)}")
    print(
        f"   prober (health, /, CSV; nginx and each replica) during: {dict(probe_during)}, "
        f"after: {dict(probe_after)}"
    )
    print(f"   5xx answers with a traceback: {tracebacks}; /health after: {end_health}")
    for status, text in prober.samples.items():
        print(f"   a {status} answer: {' '.join(text.split())[:200]}")
    for f in (fail_during + fail_after)[:5]:
        print(f"     started {f[0] - r1:+.3f} s from the restart's end: {f[2][:100]}")
    rep.add(f"{label}: outage", r1 - r0, "s",
            note="pg_ctl stop, sleep, start" if down_s else "pg_ctl restart -m fast -w")  # fmt: skip
    rep.add(
        f"{label}: probes during",
        sum(probe_during.values()),
        "req",
        note=" ".join(f"{k}:{v}" for k, v in sorted(probe_during.items())),
    )
    rep.add(
        f"{label}: answers during",
        n_during,
        "req",
        note=" ".join(f"{k}:{v}" for k, v in sorted(during.items())),
    )
    if down_s:  # past the grace every failure must be a clear 503
        other = sum(v for k, v in during.items() if k not in ("ok", "503"))
        rep.add(f"{label}: failures other than 503 during", other, "req", "== 0", other == 0,
                f"{during.get('503', 0)} clear 503s")  # fmt: skip
    rep.add(
        f"{label}: failed after",
        len(fail_after),
        "err",
        "== 0",
        not fail_after,
        f"of {n_after} started after the restart",
    )
    rep.add(f"{label}: 5xx with traceback", tracebacks, "resp", "== 0", tracebacks == 0)
    rep.add(
        f"{label}: recovered",
        float(recovered),
        "bool",
        "== 1",
        recovered,
        f"{unavailable} answers 503 after; both /health 200; no replica restarted",
    )


# --- main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="load runs of about 15 s (smoke run)")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--duration", type=float, default=None, help="seconds per load run (60)")
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument(
        "--retry-callbacks",
        action="store_true",
        help="let nginx resend a callback POST to the other replica (not in docs/deploy.md)",
    )
    args = ap.parse_args(argv)
    duration = args.duration or (15.0 if args.quick else 60.0)
    largs = load_args(args.users, duration, args.seed)
    rep = Report("cluster", command_line())
    rep.details["users"] = args.users
    rep.details["duration_s"] = duration
    rep.details["retry_callbacks"] = args.retry_callbacks

    tmp = Path(tempfile.mkdtemp(prefix="nws-cluster-"))
    pg = Postgres()
    started: list[ServerProcess] = []
    try:
        # the peer: the same load test against one serve --prod on SQLite, same run
        print("== single server: serve --prod on SQLite")
        single_env = {"NWS_HOST": "127.0.0.1", "NWS_DATABASE_URL": "", "NWS_REDIS_URL": "",
                      "NWS_WORKSPACE": str(tmp / "single-workspace")}  # fmt: skip
        one = replica(free_port(), single_env)
        started.append(one)
        assert one.proc is not None
        single = loadtest.run(one.base_url, largs, one.proc.pid)
        one.close()
        started.remove(one)

        print("\n== cluster: PostgreSQL, Redis, 2 replicas x 2 workers, nginx")
        db_url = pg.start()
        with redis_server(tmp) as redis_url:
            env = {"NWS_HOST": "127.0.0.1", "NWS_WORKERS": "2", "NWS_PROXIES": "1",
                   "NWS_DATABASE_URL": db_url, "NWS_REDIS_URL": redis_url,
                   "NWS_WORKSPACE": str(tmp / "workspace")}  # fmt: skip
            ports = [free_port(), free_port()]
            a = replica(ports[0], env)
            started.append(a)
            b = replica(ports[1], env)
            started.append(b)
            with nginx(tmp / "nginx", ports, args.retry_callbacks) as front:
                print(f"   nginx {front} -> A {a.base_url}, B {b.base_url}; store {db_url}")
                same = (
                    get(a.base_url, "/_dash-dependencies")[1]
                    == get(b.base_url, "/_dash-dependencies")[1]
                )
                rep.details["replicas_same_callbacks"] = same
                if not same:  # the tree changed between the two starts (others at work)
                    print("   WARNING: A and B serve different callbacks: callback 400s follow")
                cluster = loadtest.run(front, largs)
                phase_load(rep, single, cluster)

                print("\n== import through replica A, watched on replica B")
                phase_import(rep, {**os.environ, **env}, b.base_url)

                print("\n== replica A killed (SIGKILL) in the middle of a load run")
                app = loadtest.read_app(front, largs.timeout)
                phase_kill(rep, front, app, largs, duration, a, tmp / "nginx" / "error.log")
                a.close()
                started.remove(a)
                a = replica(ports[0], env)  # back for the next phase (nginx retries it later)
                started.append(a)

                print("\n== PostgreSQL restarted in the middle of a load run")
                phase_pg_restart(rep, front, [a.base_url, b.base_url], app, largs, duration, pg)

                print("\n== PostgreSQL down for 10 s (past the app's 5 s grace) in a load run")
                phase_pg_restart(rep, front, [a.base_url, b.base_url], app, largs, duration, pg,
                                 down_s=10.0)  # fmt: skip
    finally:
        for proc in started:
            with contextlib.suppress(Exception):
                proc.close()
        pg.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    rep.print()
    rep.save(args.json)
    return 0 if all(f.ok is not False for f in rep.figures) else 1


if __name__ == "__main__":
    sys.exit(main())
