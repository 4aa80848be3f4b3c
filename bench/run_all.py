"""Run every bench script and print one summary table of figures against budgets.

    .venv/bin/python bench/run_all.py [--only wire_bytes,callbacks] [--quick] [--json PATH]

``cluster`` (PostgreSQL, Redis, two replicas, nginx, faults) runs in a full run only; ``--quick``
leaves it out unless it is named in ``--only``.

Each bench runs as its own process (``.venv/bin/python bench/<name>.py --json <tmp>``) with a
time limit, one after the other (they share two cores: running them together would measure
the contention). ``--quick`` passes smaller settings (fewer runs, 200,000 generated export
rows, events up to 1M) for a smoke run; its figures are not the ones to quote.
The ``*_store`` benches run the same scripts against a workspace store holding the million
GENERATED events that ``add_events`` adds (run first whenever one of them is asked for). A bench that
fails or times out is reported as such and the others still run. Exit code 0 when every
bench ran, 1 otherwise (a budget that is not met is a figure, not an error).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import PY, ROOT, parser

STORE = ["--workspace", "{store}"]
CHANGES = ["--changes", "40", "--passes", "3"]
QUICK_CHANGES = ["--changes", "10", "--passes", "2"]
KILLED = ["--metrics", "civilians_killed,people_killed"]
#: name -> (time limit in seconds, full arguments, --quick arguments)
BENCHES: dict[str, tuple[int, list[str], list[str]]] = {
    "wire_bytes": (600, [], []),
    "first_draw": (1200, ["--runs", "5"], ["--runs", "2"]),
    "callbacks": (900, ["--changes", "40", "--passes", "3"], ["--changes", "10", "--passes", "2"]),
    "export_vs_datasette": (
        2400,
        ["--rows", "10000,1000000", "--runs", "2"],
        ["--rows", "10000,200000", "--runs", "1"],
    ),
    "cold_start": (600, ["--runs", "3"], ["--runs", "1"]),
    "events_scale": (1800, ["--sizes", "100000,1000000,2000000"], ["--sizes", "100000,1000000"]),
    # the workspace store: {store} is the million-event workspace add_events keeps
    "add_events": (2400, [*STORE], ["--rows", "200000", *STORE]),
    "wire_bytes_store": (600, [*STORE], [*STORE]),
    "callbacks_store": (900, [*CHANGES, *STORE], [*QUICK_CHANGES, *STORE]),
    "callbacks_store_killed": (900, [*CHANGES, *STORE, *KILLED], [*QUICK_CHANGES, *STORE, *KILLED]),
    "cold_start_store": (600, ["--runs", "3", *STORE], ["--runs", "1", *STORE]),
    "export_vs_datasette_store": (
        2400,
        ["--store", "--rows", "1000000", "--runs", "1"],
        ["--store", "--rows", "200000", "--runs", "1"],
    ),
    # experiment: a store-backed export's memory, a family of metrics at a time
    "store_family_export": (1800, ["--rows", "1000000"], ["--rows", "200000"]),
    # PostgreSQL, Redis, two replicas and nginx, with faults (~6 min; its --quick ~3 min)
    "cluster": (1500, [], ["--quick"]),
}
#: Slow benches that --quick leaves out unless named in --only.
QUICK_SKIPS = frozenset({"cluster"})
#: Benches that are another's script with other arguments: name -> script.
SCRIPT = {name: name.split("_store")[0] for name in BENCHES}


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated bench names")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or [
        n for n in BENCHES if not (args.quick and n in QUICK_SKIPS)
    ]
    unknown = set(names) - set(BENCHES)
    if unknown:
        raise SystemExit(f"unknown bench(es): {', '.join(sorted(unknown))}")

    reports: list[dict] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nws-bench-") as tmp:
        store = str(Path(tmp) / "store-1M-events")  # made by add_events, read by *_store
        if any("{store}" in " ".join(BENCHES[n][1]) for n in names) and "add_events" not in names:
            names.insert(0, "add_events")
        for name in names:
            limit, full, quick = BENCHES[name]
            out = Path(tmp) / f"{name}.json"
            cmd = [
                PY,
                str(ROOT / "bench" / f"{SCRIPT[name]}.py"),
                *(a.replace("{store}", store) for a in (quick if args.quick else full)),
                "--json",
                str(out),
            ]
            print(f"\n### {name}: {' '.join(cmd[1:-2])}", flush=True)
            t0 = time.perf_counter()
            try:
                proc = subprocess.run(cmd, cwd=ROOT, timeout=limit, check=False)
                ok = proc.returncode == 0 and out.exists()
                why = f"exit code {proc.returncode}"
            except subprocess.TimeoutExpired:
                ok, why = False, f"timed out after {limit} s"
            print(f"### {name}: {time.perf_counter() - t0:.0f} s", flush=True)
            if ok:
                rep = json.loads(out.read_text(encoding="utf-8"))
                if name != SCRIPT[name] and not rep["bench"].endswith("_store"):
                    rep["bench"] = name  # the same script against the million-event store
                reports.append(rep)
            else:
                failures.append(f"{name}: {why}")

    print("\n" + "=" * 100 + "\nSUMMARY" + (" (--quick: smoke run)" if args.quick else ""))
    rows = [("bench", "figure", "value", "budget", "met")]
    for rep in reports:
        for f in rep["figures"]:
            if not f["budget"] and f["name"].startswith("  "):
                continue  # per-category detail lines stay in the bench's own output
            value = "n/a" if f["value"] is None else _fmt(f["value"], f["unit"])
            met = "-" if f["ok"] is None else ("ok" if f["ok"] else "OVER")
            rows.append((rep["bench"], f["name"].strip(), value, f["budget"] or "-", met))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for i, r in enumerate(rows):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    for f in failures:
        print(f"! {f}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"reports": reports, "failures": failures}, indent=1), encoding="utf-8"
        )
    return 1 if failures else 0


def _fmt(v: float, unit: str) -> str:
    if unit == "B":
        return f"{v:,.0f} B"
    if abs(v) >= 100:
        return f"{v:,.0f} {unit}"
    return f"{v:.3g} {unit}"


if __name__ == "__main__":
    sys.exit(main())
