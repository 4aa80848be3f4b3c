#!/usr/bin/env python3
"""Load test: N simulated users on the production server, on loopback, for a bounded time.

    .venv/bin/python bench/loadtest.py [--users 50] [--duration 60] [--think 1.0]

It starts ``python -m app serve --prod --port <free port>`` (gunicorn, the configured
workers) in its own process group, waits for ``/health``, runs the users, prints errors and
latency percentiles (p50/p95/p99 per step and overall), and stops the server, also on
Ctrl-C or an error. Every user stops by itself at ``--duration``; a request that hangs
gives up after ``--timeout``; the whole run is bounded by duration + timeout + start-up.
Only loopback is ever targeted (``--base-url`` must be 127.0.0.1, localhost or [::1]).

One user does what a reader of the dashboard does, as the browser does it on the wire
(payloads are built from the app's own ``/_dash-dependencies`` and page, see
``bench/dashproto.py``, so they match what the Dash renderer sends):

1. ``GET /`` (overview HTML), ``GET /_dash-layout``, ``GET /_dash-dependencies``;
2. the page callback for ``/`` (Dash pages renders the overview), then the callbacks the
   renderer fires once the page is in (the download links');
3. a filter change (a random metric): the state callback, then every callback that
   listens to the view state (cards, map, time series, download links), in parallel as
   the browser fires them;
4. a click on the map (a random Syrian area): selected in the browser (a clientside
   callback), then the state callback and its listeners again;
5. a click on one of the page's "Download CSV" links (``/export/figures.csv?...`` as the
   download-links callback wrote it);
6. an embed view (``GET /embed/<view>?<query>`` and its page callback, what an iframe in a
   report does).

Between steps a user waits ``--think`` seconds on average (uniform 0.5x-1.5x), like a
reader looking at the screen; ``--think 0`` is a stress test, not a model of readers.
The report ends with the CPU time the server (gunicorn's master and workers) and this
client used, and their share of the machine: on a shared machine the rest went to other
processes, which the latencies then include. Exit status: 0 when there were no errors and
the overall p95 is within ``--p95-ms``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dashproto

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
UPDATE = "/_dash-update-component"
#: What a browser sends; responses are compressed by flask-compress as they would be.
HEADERS = {"Accept-Encoding": "gzip, deflate, br", "User-Agent": "nws-loadtest/1"}
EMBED_VIEWS = ("map", "card", "timeseries", "sources")


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def production_server(
    port: int,
    workers: int | None,
    log: Path,
    timeout: float = 90,
) -> Iterator[tuple[str, int]]:
    """``python -m app serve --prod`` on 127.0.0.1:port until the block ends (then stopped);
    yields its base URL and the pid of gunicorn's master."""
    env = {**os.environ, "NWS_HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1"}
    if workers:
        env["NWS_WORKERS"] = str(workers)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--prod", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}; see {log}")
            with contextlib.suppress(OSError):
                status, _ = request(base, "GET", "/health", timeout=5)
                if status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not answer /health in {timeout}s; see {log}")
            time.sleep(0.2)
        yield base, proc.pid  # execv keeps the pid: it is gunicorn's master
    finally:
        stop_group(proc)


def stop_group(proc: subprocess.Popen) -> None:
    """Stop a process started in its own group (gunicorn's master and workers, a server):
    SIGTERM, then SIGKILL after 20 s."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


# --- HTTP -----------------------------------------------------------------------------------


def request(
    base: str, method: str, path: str, body: bytes | None = None, timeout: float = 30
) -> tuple[int, bytes]:
    """One request on a fresh connection (gunicorn's sync workers close after each one);
    the body is read whole, as a browser does, and returned decompressed."""
    status, raw, encoding = _exchange(base, method, path, body, timeout)
    return status, decode(raw, encoding)


def _exchange(
    base: str, method: str, path: str, body: bytes | None, timeout: float
) -> tuple[int, bytes, str]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        headers = dict(HEADERS)
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read(), resp.getheader("Content-Encoding", "")
    finally:
        conn.close()


def decode(raw: bytes, encoding: str) -> bytes:
    """The body as sent before compression (gzip, deflate or brotli)."""
    if encoding == "gzip":
        return gzip.decompress(raw)
    if encoding == "deflate":
        return zlib.decompress(raw)
    if encoding == "br":
        import brotli  # installed with flask-compress

        return brotli.decompress(raw)
    return raw


@dataclass
class Stats:
    """Latencies (ms) per step and the errors seen, shared by all users."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, step: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.latencies[step].append(ms)
            if error:
                self.errors[step].append(error)

    def record_error(self, step: str, error: str) -> None:
        with self.lock:
            self.errors[step].append(error)


class _RunOver(Exception):
    """The run's duration is over: the user leaves at the next pause."""


class User:
    """One simulated reader with its own random choices and its own view of the page."""

    def __init__(
        self,
        base: str,
        app: AppModel,
        stats: Stats,
        rng: random.Random,
        think: float,
        timeout: float,
        pool: ThreadPoolExecutor,
    ) -> None:
        self.base, self.app, self.stats, self.rng = base, app, stats, rng
        self.think, self.timeout, self.pool = think, timeout, pool
        self.deadline = float("inf")

    def call(
        self,
        step: str,
        method: str,
        path: str,
        body: dict | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> bytes | None:
        data = dashproto.dumps(body) if body is not None else None
        start = time.perf_counter()
        error = None
        payload = None
        status, encoding = 0, ""
        try:
            status, payload, encoding = _exchange(self.base, method, path, data, self.timeout)
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc} ({method} {path[:80]})"
        # the clock stops when the last byte has arrived; decompressing is the client's time
        self.stats.record(step, (time.perf_counter() - start) * 1000, None)
        if error is None and payload is not None:
            try:
                payload = decode(payload, encoding)
            except Exception as exc:
                error = f"undecodable {encoding} body ({exc}) from {method} {path[:80]}"
            if error is None and status not in ok:
                error = f"HTTP {status} {method} {path[:80]}: {payload[:200]!r}"
        if error:
            self.stats.record_error(step, error)
            return None
        return payload

    def update(
        self, step: str, cb: dashproto.Callback, values: dict, changed: list[dashproto.Prop]
    ) -> dict:
        """POST one callback; fold its answer into ``values`` (204 = no update)."""
        payload = self.call(step, "POST", UPDATE, cb.body(values, changed), ok=(200, 204))
        if payload:
            try:
                dashproto.apply_response(values, json.loads(payload))
            except ValueError as exc:
                self.stats.record_error(step, f"callback answer is not JSON: {exc}")
        return values

    def fire_listeners(self, step: str, values: dict, changed: dashproto.Prop) -> None:
        """Every callback listening to ``changed``, at once, as the renderer fires them."""
        listeners = [cb for cb in self.app.callbacks if changed in cb.inputs]
        futures = [
            self.pool.submit(
                self.update, f"{step}:{self.app.name(cb)}", cb, dict(values), [changed]
            )
            for cb in listeners
        ]
        for f in futures:
            values.update(f.result())

    def fire_initial(self, step: str, values: dict) -> None:
        """Callbacks without prevent_initial_call whose inputs the new page holds: the
        renderer fires them once the page is in (the download links' callback here)."""
        for cb in self.app.callbacks:
            if (
                not cb.prevent_initial_call
                and cb is not self.app.pages
                and all(p in values or p[0].startswith("{") for p in cb.inputs)
            ):
                self.update(f"{step}:{self.app.name(cb)}", cb, values, list(cb.inputs[-1:]))

    def pause(self) -> None:
        """Think, then stop here if the run is over (a journey is cut, never overruns)."""
        if self.think:
            time.sleep(self.think * self.rng.uniform(0.5, 1.5))
        if time.monotonic() >= self.deadline:
            raise _RunOver

    def journey(self) -> None:
        app, rng = self.app, self.rng
        self.call("GET /", "GET", "/")
        self.call("GET /_dash-layout", "GET", "/_dash-layout")
        self.call("GET /_dash-dependencies", "GET", "/_dash-dependencies")
        values = dict(app.shell)
        values[("_pages_location", "pathname")] = "/"
        values[("_pages_location", "search")] = ""
        self.update("page /", app.pages, values, [("_pages_location", "pathname")])
        self.fire_initial("load", values)
        self.pause()

        metric = rng.choice(app.metrics)
        values[("filters-metric", "value")] = metric
        self.update("filter:state", app.state, values, [("filters-metric", "value")])
        self.fire_listeners("filter", values, ("view-state", "data"))
        self.pause()

        # a click selects the area in the browser (clientside: assets/area_options.js)
        area = rng.choice(app.map_locations)
        current = values.get(("filters-area", "value")) or []
        values[("filters-area", "value")] = [] if current == [area] else [area]
        self.update("click:state", app.state, values, [("filters-area", "value")])
        self.fire_listeners("click", values, ("view-state", "data"))
        self.pause()

        # the reader clicks one of the page's "Download CSV" links (hrefs set by a callback)
        links = sorted(
            v
            for (cid, prop), v in values.items()
            if prop == "href" and '"csv"' in cid and isinstance(v, str) and v
        )
        self.call("GET /export/figures.csv", "GET", rng.choice(links or ["/export/figures.csv"]))
        self.pause()

        query = values.get(("view-state", "data")) or ""

        view = rng.choice(app.embed_views)
        self.call("GET /embed/*", "GET", f"/embed/{view}{query}")
        embed = dict(app.shell)
        embed[("_pages_location", "pathname")] = f"/embed/{view}"
        embed[("_pages_location", "search")] = query
        self.update("page /embed/*", app.pages, embed, [("_pages_location", "pathname")])
        self.pause()

    def run(self, deadline: float) -> None:
        self.deadline = deadline
        while time.monotonic() < deadline:
            try:
                self.journey()
            except _RunOver:
                return
            except Exception as exc:  # a bug in this script must not hide as "no errors"
                self.stats.record("journey", 0.0, f"{type(exc).__name__}: {exc}")
                time.sleep(1)


@dataclass
class AppModel:
    """What every user needs to know about the app, read once before the run."""

    callbacks: list[dashproto.Callback]
    shell: dict
    pages: dashproto.Callback
    state: dashproto.Callback
    metrics: list[str]
    map_locations: list[str]
    embed_views: list[str]

    def name(self, cb: dashproto.Callback) -> str:
        """A short step name for a callback: its first output's component id."""
        first = cb.outputs[0][0]
        return json.loads(first)["type"] if first.startswith("{") else first


def read_app(base: str, timeout: float) -> AppModel:
    """The callbacks, the overview's options and map areas, and the embed views that exist."""
    _, deps = request(base, "GET", "/_dash-dependencies", timeout=timeout)
    callbacks = dashproto.parse_dependencies(json.loads(deps))
    _, layout = request(base, "GET", "/_dash-layout", timeout=timeout)
    shell = dashproto.component_values(json.loads(layout))

    def find(prop: dashproto.Prop, where: str = "inputs") -> dashproto.Callback:
        return next(c for c in callbacks if prop in getattr(c, where))

    pages = find(("_pages_location", "pathname"))
    values = {**shell, ("_pages_location", "pathname"): "/", ("_pages_location", "search"): ""}
    status, body = request(
        base, "POST", UPDATE, dashproto.dumps(pages.body(values)), timeout=timeout
    )
    if status != 200:
        raise RuntimeError(f"the overview page callback answered {status}: {body[:300]!r}")
    dashproto.apply_response(values, json.loads(body))
    figure = values[("map-graph", "figure")]
    locations = sorted(
        {
            loc
            for trace in figure["data"]
            for loc in trace.get("locations") or []
            if isinstance(loc, str) and loc.startswith("SY")
        }
    )
    embeds = [
        v for v in EMBED_VIEWS if request(base, "GET", f"/embed/{v}", timeout=timeout)[0] == 200
    ]
    return AppModel(
        callbacks=callbacks,
        shell=shell,
        pages=pages,
        state=find(("filters-metric", "value")),
        metrics=[o["value"] for o in values[("filters-metric", "options")]],
        map_locations=locations,
        embed_views=embeds,
    )


# --- report ---------------------------------------------------------------------------------


def percentile(sorted_ms: list[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_ms:
        return float("nan")
    rank = max(1, round(q / 100 * len(sorted_ms) + 0.5 - 1e-9))
    return sorted_ms[min(rank, len(sorted_ms)) - 1]


def report(stats: Stats, elapsed: float, users: int) -> dict[str, Any]:
    rows = []
    everything: list[float] = []
    for step, ms in stats.latencies.items():
        ms = sorted(ms)
        everything += ms
        rows.append(
            {
                "step": step,
                "n": len(ms),
                "errors": len(stats.errors.get(step, [])),
                "p50": percentile(ms, 50),
                "p95": percentile(ms, 95),
                "p99": percentile(ms, 99),
                "max": ms[-1],
            }
        )
    everything.sort()
    errors = sum(len(e) for e in stats.errors.values())
    overall = {
        "step": "OVERALL",
        "n": len(everything),
        "errors": errors,
        "p50": percentile(everything, 50),
        "p95": percentile(everything, 95),
        "p99": percentile(everything, 99),
        "max": everything[-1] if everything else 0,
    }
    width = max([len(r["step"]) for r in rows] + [8])
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nmachine: {os.cpu_count()} CPUs, load average now {load} (1, 5, 15 min)")
    print(
        f"\n{users} users, {elapsed:.0f} s, {len(everything)} requests "
        f"({len(everything) / elapsed:.1f}/s), {errors} errors\n"
    )
    print(
        f"{'step':<{width}}  {'n':>6} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'max ms':>8}"
    )
    for r in [*rows, overall]:
        print(
            f"{r['step']:<{width}}  {r['n']:>6} {r['errors']:>4} {r['p50']:>8.0f} "
            f"{r['p95']:>8.0f} {r['p99']:>8.0f} {r['max']:>8.0f}"
        )
    for step, errs in stats.errors.items():
        print(f"\nerrors in {step} ({len(errs)}), first ones:")
        for e in list(dict.fromkeys(errs))[:5]:
            print("  " + e)
    return {
        "users": users,
        "seconds": elapsed,
        "steps": rows,
        "overall": overall,
        "loadavg_after": os.getloadavg(),
        "errors": {k: list(dict.fromkeys(v))[:20] for k, v in stats.errors.items()},
    }


# --- main -----------------------------------------------------------------------------------


def process_tree_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by ``root`` and its live children (Linux
    ``/proc``): gunicorn's master and its workers."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(stat.parent.name) == root or int(fields[1]) == root:
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / os.sysconf("SC_CLK_TCK")


def run(base: str, args: argparse.Namespace, server_pid: int | None = None) -> dict[str, Any]:
    app = read_app(base, args.timeout)
    if args.areas:
        app.map_locations = app.map_locations[: args.areas]
    print(
        f"{len(app.callbacks)} server callbacks, {len(app.metrics)} metrics, "
        f"{len(app.map_locations)} clickable areas, embed views: {', '.join(app.embed_views)}"
    )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average before {load} (1, 5, 15 min)")
    stats = Stats()
    server_cpu = process_tree_cpu(server_pid) if server_pid else 0.0
    client_cpu = sum(os.times()[:2])
    start = time.monotonic()
    deadline = start + args.duration
    master = random.Random(args.seed)
    threads = []
    with ThreadPoolExecutor(max_workers=args.users * 4) as pool:
        for i in range(args.users):
            user = User(
                base, app, stats, random.Random(master.random()), args.think, args.timeout, pool
            )
            t = threading.Thread(target=user.run, args=(deadline,), name=f"user-{i}", daemon=True)
            t.start()
            threads.append(t)
            time.sleep(args.ramp / args.users)  # users arrive over the ramp-up, not at once
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()) + 2 * args.timeout)
    elapsed = time.monotonic() - start
    result = report(stats, elapsed, args.users)
    client_cpu = sum(os.times()[:2]) - client_cpu
    requests = max(1, result["overall"]["n"])
    if server_pid:
        # How much of the machine the test itself had: the rest went to other processes.
        server_cpu = process_tree_cpu(server_pid) - server_cpu
        share = (server_cpu + client_cpu) / (elapsed * (os.cpu_count() or 1))
        print(
            f"server CPU {server_cpu:.1f} s ({1000 * server_cpu / requests:.0f} ms per request), "
            f"client CPU {client_cpu:.1f} s: together {100 * share:.0f}% of the machine's "
            f"{os.cpu_count()} CPUs for {elapsed:.0f} s"
        )
        result["server_cpu_s"] = server_cpu
        # issue 16, point 6: <= 250 MB per worker after the load test
        from _common import tree_memory_text

        text, mem = tree_memory_text(server_pid)
        workers = [m["rss"] for pid, m in mem.items() if pid != server_pid]
        print(f"memory after the run: {text}")
        print(f"largest worker RSS {max(workers, default=0):.0f} MB (budget <= 250 MB)")
        result["memory_mb"] = {str(k): v for k, v in mem.items()}
    result["client_cpu_s"] = client_cpu
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--duration", type=float, default=60, help="seconds (default 60)")
    p.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean pause between steps in seconds (0 = stress test)",
    )
    p.add_argument("--ramp", type=float, default=5, help="seconds over which users arrive")
    p.add_argument("--timeout", type=float, default=30, help="per-request timeout, seconds")
    p.add_argument("--workers", type=int, default=None, help="NWS_WORKERS for the server")
    p.add_argument(
        "--base-url",
        default=None,
        help="test a server already running on loopback instead of starting one",
    )
    p.add_argument(
        "--areas",
        type=int,
        default=0,
        help="click only the first N map areas (0 = any): a few views, mostly cached",
    )
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--p95-ms", type=float, default=300, help="goal for the overall p95")
    p.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = p.parse_args(argv)

    if args.base_url:
        host = urlsplit(args.base_url).hostname or ""
        if host not in LOOPBACK:
            p.error(f"--base-url must be on loopback (127.0.0.1, localhost, [::1]), not {host}")
        result = run(args.base_url.rstrip("/"), args)
    else:
        log = Path(tempfile.gettempdir()) / f"nws-loadtest-server-{os.getpid()}.log"
        port = free_port()
        print(f"starting `python -m app serve --prod --port {port}` (log: {log})")
        with production_server(port, args.workers, log) as (base, pid):
            result = run(base, args, pid)
        print(f"server stopped; its log: {log}")
    result["args"] = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    ok = result["overall"]["errors"] == 0 and result["overall"]["p95"] <= args.p95_ms
    print(f"\nGOAL 0 errors and p95 <= {args.p95_ms:.0f} ms: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
