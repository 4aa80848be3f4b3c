"""Idle and slow (slowloris) connections against ``serve --prod`` with no proxy in front.

Opens ``--idle`` TCP connections that send nothing and ``--slow`` connections that send a
request's headers one byte every ``--drip`` seconds and never finish them, keeps that many
open (a connection the server closes is opened again, as an attacker's tool would), and
meanwhile times ``GET /`` on a fresh connection every second. Prints the timings and how
many hostile connections were open at each one.

    .venv/bin/python bench/hostile_conns.py                 # starts serve --prod itself
    .venv/bin/python bench/hostile_conns.py --url http://127.0.0.1:8050   # a running server

Issue 16, point 6: with 200 idle or slow connections open, ``/`` answers within 1 s.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SLOW_REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\nX-a: " + b"b" * 4000


class Hostile:
    """``idle`` silent sockets and ``slow`` dribbling ones to ``host:port``, kept open."""

    def __init__(self, host: str, port: int, idle: int, slow: int, drip: float) -> None:
        self.addr = (host, port)
        self.idle, self.slow, self.drip = idle, slow, drip
        self.socks: list[tuple[socket.socket | None, str, int]] = []
        self.reopened = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _open(self) -> socket.socket | None:
        s = socket.socket()
        s.settimeout(5)
        try:
            s.connect(self.addr)
        except OSError:
            s.close()
            return None
        s.setblocking(False)
        return s

    def open_count(self) -> int:
        return sum(1 for s, _, _ in self.socks if s is not None)

    def __enter__(self) -> Hostile:
        self.socks = [(self._open(), "idle", 0) for _ in range(self.idle)]
        self.socks += [(self._open(), "slow", 0) for _ in range(self.slow)]
        self._thread.start()
        return self

    def _run(self) -> None:
        """Every ``drip`` seconds: one more byte on each slow socket; reopen closed ones."""
        while not self._stop.wait(self.drip):
            for i, (s, kind, sent) in enumerate(self.socks):
                if s is not None:
                    try:  # a closed peer shows as readable EOF or a failed send
                        if s.recv(1) == b"":
                            raise OSError("closed")
                    except BlockingIOError:
                        pass
                    except OSError:
                        s.close()
                        s = None
                if s is None:
                    self.reopened += 1
                    s, sent = self._open(), 0
                if s is not None and kind == "slow":
                    try:
                        s.send(
                            SLOW_REQUEST[sent % len(SLOW_REQUEST) : sent % len(SLOW_REQUEST) + 1]
                        )
                        sent += 1
                    except OSError:
                        s.close()
                        s = None
                self.socks[i] = (s, kind, sent)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)
        for s, _, _ in self.socks:
            if s is not None:
                s.close()


def time_get(url: str, timeout: float = 15.0) -> tuple[float, int]:
    """Seconds for ``GET url`` on a new connection, and its status (0: no answer)."""
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            resp.read()
            status = resp.status
    except Exception:  # a timeout or a reset is the figure reported
        status = 0
    return time.perf_counter() - t0, status


def measure(url: str, idle: int, slow: int, drip: float, seconds: float) -> dict[str, object]:
    """Timings of ``GET url`` while the hostile connections are open."""
    parts = urlsplit(url)
    before = [time_get(url)[0] for _ in range(3)]
    times, statuses, open_counts = [], [], []
    with Hostile(parts.hostname or "127.0.0.1", parts.port or 80, idle, slow, drip) as h:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            open_counts.append(h.open_count())
            took, status = time_get(url)
            times.append(took)
            statuses.append(status)
            time.sleep(max(0.0, 1.0 - took))
        reopened = h.reopened
    return {
        "idle": idle,
        "slow": slow,
        "quiet_median_s": statistics.median(before),
        "n": len(times),
        "ok": sum(1 for s in statuses if s == 200),
        "median_s": statistics.median(times),
        "max_s": max(times),
        "over_1s": sum(1 for t in times if t > 1.0),
        "open_min": min(open_counts),
        "reopened": reopened,
    }


@contextlib.contextmanager
def server(env: dict[str, str]) -> Iterator[str]:
    sys.path.insert(0, str(ROOT / "tests"))
    from e2e.harness import ServerProcess, free_port

    port = free_port()
    proc = ServerProcess(
        [sys.executable, "-m", "app", "serve", "--prod", "--port", str(port)],
        port,
        env={**env, "NWS_HOST": "127.0.0.1"},
        ready_path="/health",
        timeout=120,
    )
    with proc:
        yield proc.base_url


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", help="a running server (default: start serve --prod on a free port)")
    p.add_argument("--idle", type=int, default=200)
    p.add_argument("--slow", type=int, default=200)
    p.add_argument("--drip", type=float, default=2.0, help="seconds between a slow socket's bytes")
    p.add_argument("--seconds", type=float, default=20.0, help="how long to time GET / per case")
    p.add_argument("--workers", default=os.environ.get("NWS_WORKERS", "3"))
    args = p.parse_args()
    cases = [(args.idle, 0), (0, args.slow), (args.idle, args.slow)]
    with contextlib.ExitStack() as stack:
        base = args.url or stack.enter_context(server({"NWS_WORKERS": args.workers}))
        print(f"target {base}  load average {os.getloadavg()[0]:.2f}")
        for idle, slow in cases:
            r = measure(base.rstrip("/") + "/", idle, slow, args.drip, args.seconds)
            print(
                f"idle={r['idle']:>3} slow={r['slow']:>3}: GET / {r['ok']}/{r['n']} ok, "
                f"median {r['median_s']:.3f} s, max {r['max_s']:.3f} s, {r['over_1s']} over 1 s "
                f"(quiet {r['quiet_median_s']:.3f} s; hostile open >= {r['open_min']}, "
                f"reopened {r['reopened']})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
