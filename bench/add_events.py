"""``python -m app add`` of an event file into a fresh workspace, against sqlite-utils.

    .venv/bin/python bench/add_events.py [--rows 1000000] [--runs 1] [--workspace PATH]
                                         [--real PATH] [--json PATH]

1. Writes ``--rows`` GENERATED (not real) events in the UCDP GED layout
   (``bench/generated_events.py``) to ``generated_ucdp_events.csv`` in a temporary folder.
2. Times, as whole processes, one after the other (A B A B, ``--runs`` pairs):
   A ``python -m app add FILE --publisher "GENERATED ..."`` into a new, empty workspace
   (``NWS_WORKSPACE``): decode, parse, check every cell, place every point in a sub-district,
   insert the events and recompute the weekly aggregates, all in one transaction;
   B ``sqlite-utils insert DB events FILE --csv`` into a new SQLite file: a plain load of the
   same rows with no check at all (the peer; it stores every column as text).
   Wall time and peak resident memory come from the kernel's accounting of each child
   (``wait4``), so imports and start-up count too.
3. The same for the real UCDP GED file (``--real``, default
   ``../shared/data/events/ucdp_ged_syria_652.1601.1911.csv``) with its publisher and date.

Budgets: the generated million <= 30 s; the real file <= 5 s (on 2 cores). The ratio app /
sqlite-utils is the figure that holds when the machine's speed drifts.

``--workspace PATH`` keeps the last million-event workspace there (it must not exist yet)
for the benches that measure the server with a big store (``bench/wire_bytes.py``,
``bench/callbacks.py``, ``bench/cold_start.py`` take ``--workspace PATH``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import PY, ROOT, Report, command_line, median, parser

SQLITE_UTILS = str(Path(PY).parent / "sqlite-utils")
REAL = ROOT.parent / "shared" / "data" / "events" / "ucdp_ged_syria_652.1601.1911.csv"
REAL_ARGS = ["--publisher", "UCDP GED Syria 652.1601.1911", "--published", "2020-01-10"]
GENERATED_ARGS = ["--publisher", "GENERATED UCDP-layout events (not real data)"]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds (user + system), peak resident MB, last output line) of one
    child process. On a shared machine the CPU time says what the wall time would be idle."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    out = proc.stdout.read() if proc.stdout else b""  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = out.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text[-2000:]}")
    last = text.strip().splitlines()[-1] if text.strip() else ""
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, last


def app_add(path: Path, workspace: Path, extra: list[str]) -> tuple[float, float, float, str]:
    return timed([PY, "-m", "app", "add", str(path), *extra], {"NWS_WORKSPACE": str(workspace)})


def peer_insert(path: Path, db: Path) -> tuple[float, float, float, str]:
    return timed([SQLITE_UTILS, "insert", str(db), "events", str(path), "--csv"])


def compare(
    rep: Report, label: str, path: Path, extra: list[str], runs: int, budget_s: float,
    tmp: Path, keep: Path | None = None,
) -> None:  # fmt: skip
    """A B A B ...: the app's add and the peer's insert of ``path``; figures into ``rep``."""
    app_s, app_cpu, app_mb, peer_s, peer_cpu, peer_mb, ratios = [], [], [], [], [], [], []
    for run in range(runs):
        ws = tmp / f"ws-{label}-{run}"
        wall, cpu, peak, last = app_add(path, ws, extra)
        print(f"  {label} run {run + 1}: app add {wall:.1f} s (CPU {cpu:.1f} s), "
              f"peak {peak:,.0f} MB ({last})")  # fmt: skip
        db = tmp / f"peer-{label}-{run}.db"
        p_wall, p_cpu, p_peak, _ = peer_insert(path, db)
        print(f"  {label} run {run + 1}: sqlite-utils insert {p_wall:.1f} s (CPU {p_cpu:.1f} s), "
              f"peak {p_peak:,.0f} MB")  # fmt: skip
        app_s.append(wall)
        app_cpu.append(cpu)
        app_mb.append(peak)
        peer_s.append(p_wall)
        peer_cpu.append(p_cpu)
        peer_mb.append(p_peak)
        ratios.append(wall / p_wall)
        db.unlink(missing_ok=True)
        if keep is not None and run == runs - 1:
            shutil.move(str(ws), keep)
            print(f"  kept the workspace of the last run: {keep}")
        else:
            shutil.rmtree(ws, ignore_errors=True)
    med = median(app_s)
    rep.add(f"add {label}: wall", med, "s", f"<= {budget_s:g} s", med <= budget_s,
            f"median of {runs}; min {min(app_s):.1f} s; CPU {median(app_cpu):.1f} s")  # fmt: skip
    rep.add(f"add {label}: peak RSS", max(app_mb), "MB", note="largest of the runs")
    rep.add(f"  sqlite-utils insert {label}: wall", median(peer_s), "s",
            note=f"peer: plain load, no checks; CPU {median(peer_cpu):.1f} s")  # fmt: skip
    rep.add(f"  sqlite-utils insert {label}: peak RSS", max(peer_mb), "MB")
    rep.add(f"add / sqlite-utils {label}", median(ratios), "x",
            note="median of the pairwise ratios")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="GENERATED events to add")
    ap.add_argument(
        "--runs", type=int, default=1, help="A/B pairs per file (the peer takes minutes)"
    )
    ap.add_argument("--workspace", type=Path, help="keep the million-event workspace here")
    ap.add_argument("--real", type=Path, default=REAL, help="the real UCDP GED file")
    args = ap.parse_args(argv)
    keep = args.workspace.resolve() if args.workspace else None
    if keep is not None and keep.exists():
        raise SystemExit(f"--workspace {keep} exists: give a new folder (the add needs it empty)")
    sys.path.insert(0, str(ROOT / "bench"))
    from generated_events import write_generated_ucdp

    rep = Report("add_events", command_line())
    with tempfile.TemporaryDirectory(prefix="nws-add-") as tmp_name:
        tmp = Path(tmp_name)
        if args.real.is_file():
            print(f"real file: {args.real.name} ({args.real.stat().st_size / 1e6:.1f} MB)")
            compare(rep, "real UCDP file", args.real, REAL_ARGS, args.runs, 5, tmp)
        else:
            rep.add("add real UCDP file: wall", None, "s", "<= 5 s", None, f"{args.real} missing")
        path = tmp / "generated_ucdp_events.csv"
        t0 = time.perf_counter()
        write_generated_ucdp(path, args.rows)
        size = path.stat().st_size / 1e6
        print(f"{args.rows:,} GENERATED events: {size:.0f} MB in {time.perf_counter() - t0:.1f} s")
        label = f"{args.rows:,} GENERATED events"
        compare(rep, label, path, GENERATED_ARGS, args.runs, 30, tmp, keep)
    rep.details["rows"] = args.rows
    rep.print()
    rep.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
