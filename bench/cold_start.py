"""Cold start (process start to the first 200 on ``/``) and resident memory after a page load.

    .venv/bin/python bench/cold_start.py [--runs 3] [--workspace PATH] [--json PATH]

For the development server (``python -m app serve``) and production (``serve --prod``:
gunicorn, ``--preload``, workers forked from the master) this starts the process ``--runs``
times on a free loopback port and polls ``GET /`` every 20 ms until it answers 200.
After the last start of each kind, headless Chromium loads the overview (every graph drawn,
no callback pending), and the resident memory of each process is read from ``/proc``:
VmRSS, and for gunicorn also the proportional set size summed over master and workers
(shared copy-on-write pages counted once). The bundle is the real ``data/``; the store is
the configured workspace's, or ``--workspace``'s.

Budgets: cold start <= 3 s; resident memory <= 250 MB (per process).
The operating system's file cache is warm after the first run: the median is what a
restart costs, the first run what a fresh boot comes closer to.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from _common import (
    PY,
    ROOT,
    SERVERS,
    Report,
    command_line,
    free_port,
    launch_chromium,
    median,
    parser,
    pss_kb,
    rss_kb,
    tree_pids,
    wait_for_dash,
)

START_BUDGET_S = 3.0
RSS_BUDGET_MB = 250


def start(
    kind: str, timeout: float = 60, workspace: str | None = None
) -> tuple[subprocess.Popen, str, float]:
    """Start a server; (process, base URL, seconds until GET / answered 200)."""
    port = free_port()
    cmd = [a.replace("{port}", str(port)) for a in SERVERS[kind]]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if workspace:
        env["NWS_WORKSPACE"] = str(Path(workspace).resolve())
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as resp:
                if resp.status == 200:
                    return proc, url, time.perf_counter() - t0
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.02)
    stop(proc)
    raise SystemExit(f"{' '.join(cmd)} did not answer within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, 15)
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(15)
        except ProcessLookupError:
            pass


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workspace", help="the servers' workspace (NWS_WORKSPACE), e.g. one with "
                    "a million events from bench/add_events.py --workspace")  # fmt: skip
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    report = Report("cold_start", command_line())
    assert PY  # the servers run with the project's interpreter
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for kind in ("dev", "prod"):
                times = []
                for i in range(args.runs):
                    proc, url, secs = start(kind, workspace=args.workspace)
                    times.append(secs)
                    print(f"  {kind:<5} run {i + 1}: first 200 on / after {secs:.2f} s")
                    if i < args.runs - 1:
                        stop(proc)
                        continue
                    try:
                        context = browser.new_context(viewport={"width": 1400, "height": 1000})
                        page = context.new_page()
                        page.goto(url + "/", wait_until="load", timeout=60_000)
                        wait_for_dash(page, timeout=60_000)
                        context.close()
                        time.sleep(0.5)
                        pids = tree_pids(proc.pid)
                        rss = {pid: rss_kb(pid) / 1024 for pid in pids}
                        pss = sum(pss_kb(pid) for pid in pids) / 1024
                    finally:
                        stop(proc)
                    label = "dev server" if kind == "dev" else "--prod (gunicorn)"
                    t = median(times)
                    report.add(
                        f"{label}: cold start, median of {len(times)}",
                        t,
                        "s",
                        f"<= {START_BUDGET_S:g} s",
                        t <= START_BUDGET_S,
                        f"first run {times[0]:.2f} s",
                    )
                    biggest = max(rss.values())
                    note = (
                        (
                            f"{len(pids)} processes: "
                            + ", ".join(f"{v:.0f}" for v in rss.values())
                            + f" MB RSS; PSS total {pss:.0f} MB"
                        )
                        if len(pids) > 1
                        else ""
                    )
                    report.add(
                        f"{label}: resident memory after a page load (largest process)",
                        biggest,
                        "MB",
                        f"<= {RSS_BUDGET_MB} MB",
                        biggest <= RSS_BUDGET_MB,
                        note,
                    )
                    report.details[kind] = {"start_s": times, "rss_mb": rss, "pss_total_mb": pss}
        finally:
            browser.close()
    report.print()
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
