"""Shared helpers for the bench scripts: servers as real processes, memory of a process tree,
headless Chromium with the offline flags, and a uniform way to print and save figures.

Every bench script is a plain program (``.venv/bin/python bench/<name>.py``). It prints a
table of figures; ``--json PATH`` also writes them for ``bench/run_all.py``. Servers are
started on free loopback ports through the end-to-end harness (``tests/e2e/harness.py``) and
stopped (their whole process group) when the script ends, whatever happens.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e.harness import (  # noqa: E402  (needs ROOT on sys.path)
    CHROME_ARGS,
    CHROMIUM,
    ServerProcess,
    free_port,
    wait_for_dash,
)

__all__ = [
    "CHROME_ARGS",
    "CHROMIUM",
    "PY",
    "ROOT",
    "Figure",
    "MemorySampler",
    "Report",
    "ServerProcess",
    "free_port",
    "launch_chromium",
    "memory_mb",
    "pss_kb",
    "rss_kb",
    "server",
    "tree_memory_text",
    "tree_pids",
    "wait_for_dash",
]

#: The project's interpreter (servers run with it even if a bench is started with another).
PY = (
    str(ROOT / ".venv" / "bin" / "python")
    if (ROOT / ".venv" / "bin" / "python").exists()
    else sys.executable
)

#: Server commands by kind; ``{port}`` is filled in.
SERVERS: dict[str, list[str]] = {
    "dev": [PY, "-m", "app", "serve", "--port", "{port}"],
    "prod": [PY, "-m", "app", "serve", "--prod", "--port", "{port}"],
    "minimal": [PY, str(ROOT / "bench" / "peers" / "minimal_app.py"), "--port", "{port}"],
}


@contextlib.contextmanager
def server(
    kind: str,
    env: Mapping[str, str] | None = None,
    ready_path: str = "/",
    timeout: float = 90,
    args: Sequence[str] | None = None,
) -> Iterator[ServerProcess]:
    """Start a server (``dev``, ``prod``, ``minimal`` or explicit ``args``) on a free port.

    Yields the :class:`ServerProcess` (``.base_url``, ``.proc.pid``) once ``ready_path``
    answers 200; stops its process group (gunicorn workers included) on exit.
    """
    port = free_port()
    cmd = [a.replace("{port}", str(port)) for a in (args or SERVERS[kind])]
    proc = ServerProcess(cmd, port, env=env, ready_path=ready_path, timeout=timeout)
    try:
        proc.start()
        yield proc
    finally:
        proc.close()


# ---------------------------------------------------------------------------- memory


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def tree_pids(pid: int) -> list[int]:
    """``pid`` and all its descendants (gunicorn master + workers)."""
    kids = _children()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _status_kb(pid: int, key: str, path: str = "status") -> int:
    try:
        with open(f"/proc/{pid}/{path}", encoding="utf-8") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pid: int) -> int:
    """Resident set size of one process (VmRSS), KiB."""
    return _status_kb(pid, "VmRSS")


def pss_kb(pid: int) -> int:
    """Proportional set size (shared pages split between sharers), KiB: sums over workers."""
    return _status_kb(pid, "Pss", "smaps_rollup")


def memory_mb(pid: int) -> dict[str, float]:
    """One process's memory from ``/proc`` in MB: ``rss`` (VmRSS: every page it has mapped
    and resident, pages shared with gunicorn's master included), ``hwm`` (VmHWM, the peak
    of ``rss``), ``anon`` (RssAnon: heap, not files), ``pss`` (shared pages split between
    the processes sharing them) and ``private`` (pages no other process maps)."""
    out = {"rss": _status_kb(pid, "VmRSS"), "hwm": _status_kb(pid, "VmHWM"),
           "anon": _status_kb(pid, "RssAnon"), "pss": pss_kb(pid),
           "private": _status_kb(pid, "Private_Dirty", "smaps_rollup")
           + _status_kb(pid, "Private_Clean", "smaps_rollup")}  # fmt: skip
    return {k: v / 1024 for k, v in out.items()}


def tree_memory_text(root: int) -> tuple[str, dict[int, dict[str, float]]]:
    """A line on the memory of gunicorn's master ``root`` and each worker, and the figures."""
    mem = {pid: memory_mb(pid) for pid in tree_pids(root)}
    parts = [
        f"{'master' if pid == root else 'worker'} {pid}: RSS {m['rss']:.0f} (peak {m['hwm']:.0f}, "
        f"private {m['private']:.0f}, PSS {m['pss']:.0f})"
        for pid, m in mem.items()
    ]
    return "; ".join(parts) + " MB", mem


class MemorySampler:
    """Samples the RSS of a process tree every ``interval`` s in a thread; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_total_kb = 0  # sum of RSS over the tree
        self.peak_single_kb = 0  # largest single process
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            sizes = [rss_kb(p) for p in tree_pids(self.pid)]
            if sizes:
                self.peak_total_kb = max(self.peak_total_kb, sum(sizes))
                self.peak_single_kb = max(self.peak_single_kb, max(sizes))
                self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


# ---------------------------------------------------------------------------- browser


def launch_chromium(playwright: Any) -> Any:
    """Debian's headless Chromium with the offline flags of the end-to-end harness."""
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROME_ARGS, headless=True
    )


# ---------------------------------------------------------------------------- reporting


@dataclass
class Figure:
    """One measured figure, with its budget when there is one."""

    name: str
    value: float | None
    unit: str
    budget: str = ""  # e.g. "<= 1.0 MB"; empty: no budget
    ok: bool | None = None  # None: no budget
    note: str = ""

    def text(self) -> str:
        if self.value is None:
            return "n/a"
        v = self.value
        if self.unit in {"B", "bytes"}:
            return f"{v:,.0f} B"
        if abs(v) >= 100:
            return f"{v:,.0f} {self.unit}"
        return f"{v:.3g} {self.unit}" if abs(v) < 10 else f"{v:.1f} {self.unit}"


@dataclass
class Report:
    """Figures of one bench run, printed as a table and optionally written as JSON."""

    bench: str
    command: str
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def add(
        self,
        name: str,
        value: float | None,
        unit: str,
        budget: str = "",
        ok: bool | None = None,
        note: str = "",
    ) -> Figure:
        fig = Figure(name, value, unit, budget, ok, note)
        self.figures.append(fig)
        return fig

    def print(self) -> None:
        rows = [
            (
                f.name,
                f.text(),
                f.budget or "-",
                "-" if f.ok is None else ("ok" if f.ok else "OVER"),
                f.note,
            )
            for f in self.figures
        ]
        head = ("figure", "value", "budget", "met", "note")
        widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(5)]
        load = os.getloadavg()
        self.details.setdefault("loadavg_at_end", load)
        print(
            f"\n== {self.bench}  ({self.command})  [load average {load[0]:.1f} {load[1]:.1f} "
            f"{load[2]:.1f} on {os.cpu_count()} CPUs: other processes skew timings]"
        )
        for r in [head, tuple("-" * w for w in widths), *rows]:
            print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())

    def save(self, path: str | None) -> None:
        if path:
            Path(path).write_text(json.dumps(asdict(self), indent=1, default=str), encoding="utf-8")


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    return p


def command_line() -> str:
    rel = os.path.relpath(sys.argv[0], ROOT)
    return " ".join([".venv/bin/python", rel, *sys.argv[1:]]).split(" --json")[0]


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def percentile(xs: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``xs``."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))
    return s[k]


def mb(n: float) -> float:
    return n / 1_000_000


def now() -> float:
    return time.perf_counter()
