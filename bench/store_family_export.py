"""Experiment for issue 12 point 7: what a store-backed export would cost in memory.

    .venv/bin/python bench/store_family_export.py [--rows 1000000 | --workspace PATH] [--json PATH]

Today every server process holds every stored figure (the views read them), which puts the
process at about 355 MB before an export of a million stored figures starts (the budget is
300 MB; ``bench/export_vs_datasette.py --store``). This script measures the alternative
that ``docs/performance.md`` sketches: a process that holds the bundle only, and exports
the stored figures **a family of metrics at a time, read from the store** (the consistency
checks never compare two families), with the app's own export code (marks, flags, CSV).

1. ``--rows N`` (default 1,000,000): N GENERATED figures (``export_vs_datasette``'s
   generator) added as one batch to a new temporary workspace with ``python -m app add``;
   or ``--workspace PATH``: a workspace that already holds stored figures.
2. A fresh interpreter (so that its memory is its own) creates the app on an *empty*
   workspace (the bundle only: the floor), then for each family reads that family's active
   figures from the store at PATH, composes them with the bundle (``store.live.compose``),
   builds the export table (``export.rows.export_table``) and writes its CSV to nowhere.
   It prints the resident memory before and the peak during each family
   (``/proc/self/clear_refs`` resets the peak), and rows per second over all families.

Each family's export repeats the bundle's own figures (about 14,000 rows), and the rows are
in order within a family only: this is a measurement of memory, not a finished export.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import PY, ROOT, Report, command_line, parser

#: The displacement flows and the running total they add to: the checks' one family of
#: several metrics (app.queries.checks.spec.FLOW_TO_CUMULATIVE).
FLOWS = ("idps_displaced_since", "idp_displacements", "idp_arrivals", "idp_departures")


def _status() -> dict[str, int]:
    out = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, value = line.split(":", 1)
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) // 1024
    return out


def measure(store_workspace: Path, empty_workspace: Path) -> list[dict]:
    """In this process (a fresh one): the floor, then each family's export."""
    os.environ["NWS_WORKSPACE"] = str(empty_workspace)
    os.environ["NWS_CACHE_DIR"] = str(empty_workspace / "cache")
    import sqlalchemy as sa

    from app.bundle.store import release_freed_memory
    from app.config import get_config
    from app.export import params as ep
    from app.export import rows as er
    from app.export.csv_writer import csv_bytes
    from app.store import schema
    from app.store.engine import StoreConfig, engine
    from app.store.live import compose, tables
    from app.store.rows import read_frame
    from app.tables.columns import FIGURE_COLUMNS
    from app.web.server import create_app

    create_app()
    release_freed_memory()
    floor = _status()["VmRSS"]
    store = StoreConfig(
        url=f"sqlite:///{store_workspace / 'store.sqlite3'}", workspace=store_workspace
    )
    bundle = tables()
    p = ep.parse_export_params(
        {}, ep.Endpoint.FIGURES, ep.Choices(pcodes=frozenset(), publishers=frozenset())
    )
    priority = er.priority_list(get_config().publisher_priority)
    f, b = schema.figures, schema.batches
    with engine(store).connect() as conn:
        metrics = [r[0] for r in conn.execute(sa.select(f.c.metric).distinct())]
    families = [FLOWS] + [(m,) for m in sorted(metrics) if m not in FLOWS]
    columns = ["batch_id", *FIGURE_COLUMNS]
    out = [{"family": "(floor: the app on the bundle only)", "peak_mb": floor, "before_mb": floor}]
    t0 = time.perf_counter()
    for family in families:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        before = _status()["VmRSS"]
        query = (
            sa.select(*[f.c[c] for c in columns])
            .join(b, b.c.id == f.c.batch_id)
            .where(b.c.status == "active", f.c.metric.in_(family))
            .order_by(f.c.batch_id, f.c.seq)
        )
        with engine(store).connect() as conn:
            stored = read_frame(conn, query, columns, compact=True)
        n_stored = len(stored)
        composed = compose(bundle, stored, None, consume=True)
        del stored
        table = er.export_table(composed, p, priority)
        size = sum(len(chunk) for chunk in csv_bytes(table))
        rows = len(table)
        del table, composed
        release_freed_memory()
        out.append({"family": "+".join(family), "stored": n_stored, "rows": rows,
                    "bytes": size, "before_mb": before, "peak_mb": _status()["VmHWM"]})  # fmt: skip
    seconds = time.perf_counter() - t0
    out.append({"family": "(all)", "rows": sum(r.get("rows", 0) for r in out), "seconds": seconds})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="generated figures to store")
    ap.add_argument("--workspace", type=Path, help="a workspace that already holds figures")
    ap.add_argument("--measure", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:  # the child: print one line per family, tab-separated
        for r in measure(*args.measure):
            print("\t".join(f"{k}={v}" for k, v in r.items()), flush=True)
        return 0
    report = Report("store_family_export", command_line())
    with tempfile.TemporaryDirectory(prefix="nws-family-export-") as tmp_name:
        tmp = Path(tmp_name)
        workspace = args.workspace
        if workspace is None:
            from export_vs_datasette import add_to_store, make_bundle

            bundle, _db = make_bundle(args.rows, tmp)
            env, _rows = add_to_store(bundle, tmp)
            workspace = Path(env["NWS_WORKSPACE"])
        empty = tmp / "empty_workspace"
        proc = subprocess.run(
            [PY, __file__, "--measure", str(workspace.resolve()), str(empty)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
            return 1
        lines = [line for line in proc.stdout.splitlines() if "=" in line]
        rows = [dict(kv.split("=", 1) for kv in line.split("\t")) for line in lines]
    floor = float(rows[0]["peak_mb"])
    families = [r for r in rows[1:] if "stored" in r]
    total = rows[-1]
    report.add("process on the bundle only (floor)", floor, "MB")
    for r in families:
        report.add(
            f"family {r['family'][:48]}: {int(r['stored']):,} stored figures; peak",
            float(r["peak_mb"]),
            "MB",
            note=f"{float(r['peak_mb']) - float(r['before_mb']):.0f} MB above its start",
        )
    largest = max(families, key=lambda r: int(r["stored"]))
    report.add(
        "largest family's peak, from the floor (budget 300 MB)",
        float(largest["peak_mb"]),
        "MB",
        budget="<= 300 MB",
        ok=float(largest["peak_mb"]) <= 300,
    )
    report.add(
        "rows per second over all families",
        int(total["rows"]) / float(total["seconds"]),
        "rows/s",
    )
    report.print()
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
