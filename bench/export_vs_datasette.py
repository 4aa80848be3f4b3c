"""CSV export of a generated 1,000,000-row figures table: the app against Datasette.

    .venv/bin/python bench/export_vs_datasette.py [--rows 10000,1000000] [--runs 2]
                                                   [--app-timeout 300] [--store] [--json PATH]

For each size in ``--rows`` (the budget is read at the largest; the smaller ones show growth):

1. Makes a temporary bundle: a copy of ``data/`` whose ``tables/figures.csv`` is replaced by
   that many GENERATED canonical figure rows (seeded; metrics, kinds, P-codes and
   publishers drawn from the real vocabulary and areas; ``source_file`` is
   ``generated_figures.csv``), and a SQLite database ``generated_figures.db`` with the same
   rows in a table ``figures`` (what Datasette serves).
2. Starts the app (``python -m app serve --prod`` with ``NWS_DATA_DIR`` pointing at the
   temporary bundle) and Datasette (``datasette serve -i generated_figures.db``, immutable,
   ``max_csv_mb 0`` so the stream is not cut) on loopback, one at a time.
3. Downloads ``/export/figures.csv`` (every figure) from the app and
   ``/generated_figures/figures.csv?_stream=on&_size=max`` from Datasette, ``--runs`` times
   each, alternating, uncompressed (``Accept-Encoding: identity``, so the figure is the
   server's work, not the compressor's), while sampling the resident memory of the server's
   process tree every 20 ms. An app export that fails (HTTP error, reset, or longer than
   ``--app-timeout``) is reported with the tail of the server's log.

A download must hold every row (the app: the generated rows plus the bundle's 2,200 HNO
baseline rows); fewer is a failure, since a worker killed mid-stream has already sent its
200. ``--client-rate 3`` reads at 3 MB/s, so the export outlasts gunicorn's ``--timeout``.

``--store``: the generated rows are not a bundle but one batch added to a new workspace
store (``python -m app add generated_figures.csv``, timed); the app serves the real
``data/`` bundle and that store (``NWS_WORKSPACE``), so its export holds the generated rows
and the bundle's figures. Datasette serves the same generated rows as before. The issue's
budget for this case: the app's peak RSS <= 300 MB at no fewer rows/s than Datasette.

Prints rows per second (rows / time from request to last byte; best run) and the peak
resident memory of the serving processes. Budget: the app's rows/s >= Datasette's.
The app's export also computes what Datasette's plain table dump does not: admin columns
and, per row, the flags of the consistency checks (app.queries.checks) over the table.
"""

from __future__ import annotations

import csv
import http.client
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
from _common import (
    PY,
    ROOT,
    MemorySampler,
    Report,
    command_line,
    parser,
    rss_kb,
    server,
    tree_pids,
)

CHUNK = 1 << 16
#: ``--store``: the issue's budget for the app's peak resident memory during the export.
STORE_RSS_BUDGET_MB = 300


def generate_figures(n: int, data_dir: Path, seed: int = 20200216) -> pd.DataFrame:
    """``n`` canonical figure rows, generated (valid against the figures schema's rules)."""
    from app.tables.schemas import FIGURE_COLUMNS
    from app.vocab import METRICS

    rng = np.random.default_rng(seed)
    areas = pd.read_csv(data_dir / "tables" / "areas.csv", dtype=str, keep_default_na=False)
    areas = areas[areas["level"].isin(["1", "2", "3"])]
    metric_ids = [m for m in METRICS if m not in {"people_in_need", "severity"}]
    kinds = {m: METRICS[m].kind.value for m in metric_ids}
    publishers = [
        "OCHA / IDP Task Force",
        "OHCHR",
        "HNAP",
        "REACH",
        "UNHCR",
        "WFP",
        "SNHR",
        "SOHR",
        "Generated publisher A",
        "Generated publisher B",
    ]
    m = rng.integers(0, len(metric_ids), n)
    a = rng.integers(0, len(areas), n)
    start = pd.Timestamp("2019-12-01") + pd.to_timedelta(rng.integers(0, 100, n), unit="D")
    end = start + pd.to_timedelta(rng.integers(0, 30, n), unit="D")
    published = end + pd.to_timedelta(rng.integers(1, 20, n), unit="D")
    value = rng.integers(0, 50_000, n).astype(float)
    metric = np.array(metric_ids, dtype=object)[m]
    ids = np.char.add("gen", np.char.zfill(np.arange(n).astype(str), 8))
    df = pd.DataFrame(
        {
            "figure_id": ids,
            "metric": metric,
            "kind": pd.Series(metric).map(kinds).to_numpy(),
            "metric_as_written": metric,
            "sector": "",
            "value": value,
            "qualifier": "",
            "low": value,
            "high": value,
            "period_start": start.strftime("%Y-%m-%d"),
            "period_end": end.strftime("%Y-%m-%d"),
            "area_pcode": areas["pcode"].to_numpy()[a],
            "region": "",
            "area_as_written": areas["name_en"].to_numpy()[a],
            "publisher": np.array(publishers, dtype=object)[rng.integers(0, len(publishers), n)],
            "document": np.char.add(
                "Generated situation report #", rng.integers(1, 400, n).astype(str)
            ),
            "url": "",
            "published_date": published.strftime("%Y-%m-%d"),
            "note": "",
            "source_file": "generated_figures.csv",
            "source_row": np.arange(2, n + 2),
        }
    )
    return df[FIGURE_COLUMNS]


def make_bundle(n: int, tmp: Path) -> tuple[Path, Path]:
    """(bundle folder, SQLite file) with ``n`` generated figures."""
    bundle = tmp / "generated_bundle"
    shutil.copytree(ROOT / "data", bundle)
    t0 = time.perf_counter()
    df = generate_figures(n, bundle)
    df.to_csv(bundle / "tables" / "figures.csv", index=False)
    print(
        f"  generated {n:,} figure rows in {time.perf_counter() - t0:.1f} s "
        f"({(bundle / 'tables' / 'figures.csv').stat().st_size / 1e6:.0f} MB CSV)"
    )
    t0 = time.perf_counter()
    db = tmp / "generated_figures.db"
    with sqlite3.connect(db) as conn:
        cols = ", ".join(f'"{c}"' for c in df.columns)
        conn.execute(f"CREATE TABLE figures ({cols})")
        marks = ", ".join("?" for _ in df.columns)
        with open(bundle / "tables" / "figures.csv", newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            next(reader)
            conn.executemany(f"INSERT INTO figures VALUES ({marks})", reader)
    print(f"  SQLite copy for Datasette in {time.perf_counter() - t0:.1f} s")
    return bundle, db


def download(
    url: str, pid: int, timeout: float, expected_rows: int | None = None, rate_mb: float = 0
) -> dict[str, float | str]:
    """Stream ``url``; rows (lines - 1), bytes, seconds, peak RSS of the server's tree.

    A failure (HTTP error, reset, time limit, or fewer rows than ``expected_rows``: a
    worker killed mid-stream has already sent its 200) is returned as ``error`` with what
    was read. ``rate_mb`` > 0 reads no faster than that many MB/s (a slow client: the
    server must keep streaming for as long as the client takes).
    """
    req = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    lines = size = 0
    error = ""
    with MemorySampler(pid) as mem:
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                while chunk := resp.read(CHUNK):
                    size += len(chunk)
                    lines += chunk.count(b"\n")
                    if rate_mb > 0:
                        time.sleep(max(0.0, size / (rate_mb * 1e6) - (time.perf_counter() - t0)))
                    if time.perf_counter() - t0 > timeout:
                        raise TimeoutError(f"still streaming after {timeout:.0f} s")
        except (OSError, http.client.HTTPException) as exc:  # URLError, HTTPError, resets
            error = f"{type(exc).__name__}: {exc}"
        secs = time.perf_counter() - t0
    rows = max(0, lines - 1)
    if not error and expected_rows is not None and rows != expected_rows:
        error = f"incomplete: {rows:,} of {expected_rows:,} rows"
    return {
        "rows": rows,
        "bytes": size,
        "seconds": secs,
        "rows_per_s": rows / secs if not error else 0.0,
        "peak_rss_mb": mem.peak_single_kb / 1024,
        "peak_tree_rss_mb": mem.peak_total_kb / 1024,
        "error": error,
    }


def line(who: str, r: dict) -> str:
    if r["error"]:
        return (
            f"  {who:<10} FAILED after {r['seconds']:.1f} s ({r['rows']:,} rows read): {r['error']}"
        )
    return (
        f"  {who:<10} {r['rows']:>9,} rows {r['seconds']:6.1f} s {r['rows_per_s']:>9,.0f} "
        f"rows/s  peak RSS {r['peak_rss_mb']:.0f} MB"
    )


def add_to_store(bundle: Path, folder: Path) -> tuple[dict[str, str], int]:
    """``--store``: the generated figures added as one batch (``python -m app add``) to a new
    workspace; the app then serves the real ``data/`` bundle and that store. Returns the
    app's environment and the rows its whole export holds (the bundle's figures too)."""
    from app.bundle.store import load_bundle

    source = folder / "generated_figures.csv"
    shutil.move(str(bundle / "tables" / "figures.csv"), source)
    workspace = folder / "workspace"
    t0 = time.perf_counter()
    proc = subprocess.run(
        [PY, "-m", "app", "add", str(source), "--note", "GENERATED figures (bench)"],
        cwd=ROOT, env={**os.environ, "NWS_WORKSPACE": str(workspace)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"app add failed ({proc.returncode}):\n{proc.stdout[-2000:]}")
    print(f"  added to a store as one batch in {time.perf_counter() - t0:.1f} s")
    rows = int(stored_figures(workspace)) + len(load_bundle(ROOT / "data").figures)
    env = {"NWS_WORKSPACE": str(workspace), "NWS_CACHE_DIR": str(folder / "cache")}
    return env, rows


def stored_figures(workspace: Path) -> int:
    """Figures stored in ``workspace``'s SQLite store."""
    with sqlite3.connect(workspace / "store.sqlite3") as conn:
        return conn.execute("SELECT count(*) FROM figures").fetchone()[0]


def measure(
    n: int, tmp: Path, runs: int, app_timeout: float, rate_mb: float = 0, store: bool = False
) -> dict[str, list[dict]]:
    """Both servers on the same generated ``n``-row table, ``runs`` times, alternating."""
    folder = tmp / f"n{n}"
    folder.mkdir()
    bundle, db = make_bundle(n, folder)
    app_env = {"NWS_DATA_DIR": str(bundle), "NWS_CACHE_DIR": str(folder / "cache")}
    if store:
        app_env, app_rows = add_to_store(bundle, folder)
    datasette = [PY, "-m", "datasette", "serve", "-i", str(db), "--host", "127.0.0.1",
                 "--port", "{port}", "--setting", "max_csv_mb", "0",
                 "--setting", "sql_time_limit_ms", "600000"]  # fmt: skip
    ds_url = "/generated_figures/figures.csv?_stream=on&_size=max"
    # the app exports the generated figures, the bundle's HNO baseline rows and its weekly
    # sums of conflict events
    if not store:
        app_rows = n + sum(
            len(pd.read_csv(path, dtype=str, keep_default_na=False))
            for name in ("hno2019_baseline.csv", "event_figures.csv")
            if (path := bundle / "tables" / name).exists()
        )
    out: dict[str, list[dict]] = {"app": [], "datasette": []}
    for _ in range(runs):
        if not any(r["error"] for r in out["app"]):  # the same failure again only costs time
            with server("prod", env=app_env, timeout=300, ready_path="/health") as srv:
                pid = srv.proc.pid  # type: ignore[union-attr]
                url = srv.base_url + "/export/figures.csv"
                # before the request: what the processes hold for the views (the floor)
                before = max(rss_kb(p) for p in tree_pids(pid)) / 1024
                r = download(url, pid, app_timeout, app_rows, rate_mb)
                r["before_rss_mb"] = before
                r["idle_rss_mb"] = rss_kb(pid) / 1024
                out["app"].append(r)
                print(line("app", r), flush=True)
                if r["error"]:
                    print(srv.output_tail(15))
        with server("datasette", args=datasette, timeout=120, ready_path="/-/versions.json") as srv:
            pid = srv.proc.pid  # type: ignore[union-attr]
            r = download(srv.base_url + ds_url, pid, 900, n, rate_mb)
            out["datasette"].append(r)
            print(line("datasette", r), flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument(
        "--rows",
        default="10000,1000000",
        help="comma-separated table sizes (the budget is read at the largest)",
    )
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument(
        "--app-timeout",
        type=float,
        default=300,
        help="seconds the app's export may take before it is counted as failed",
    )
    ap.add_argument(
        "--client-rate",
        type=float,
        default=0,
        help="MB/s the client reads at (0: as fast as it can); e.g. 3 makes a 1M-row export "
        "last longer than gunicorn's worker timeout",
    )
    ap.add_argument(
        "--store",
        action="store_true",
        help="add the generated figures as one batch to a new workspace store (python -m app "
        "add) and export from the real bundle + that store, instead of a generated bundle",
    )
    args = ap.parse_args(argv)
    sizes = [int(x) for x in str(args.rows).split(",") if x]
    report = Report("export_vs_datasette" + ("_store" if args.store else ""), command_line())
    results: dict[int, dict[str, list[dict]]] = {}
    with tempfile.TemporaryDirectory(prefix="nws-bench-export-") as tmp_name:
        for n in sizes:
            print(f"-- {n:,} generated rows")
            results[n] = measure(
                n, Path(tmp_name), args.runs, args.app_timeout, args.client_rate, args.store
            )
    for n, res in results.items():
        ok_runs = {k: [r for r in v if not r["error"]] for k, v in res.items()}
        ds = max(ok_runs["datasette"], key=lambda r: r["rows_per_s"], default=None)
        app = max(ok_runs["app"], key=lambda r: r["rows_per_s"], default=None)
        ds_rate = ds["rows_per_s"] if ds else float("nan")
        is_budget = n == max(sizes)
        where = " (from the store)" if args.store else ""
        if app is None:
            failed = res["app"][0]
            report.add(
                f"{n:,} rows: app CSV export{where}",
                None,
                "rows/s",
                ">= Datasette" if is_budget else "",
                False if is_budget else None,
                f"failed after {failed['seconds']:.0f} s: {failed['error'][:70]}",
            )
        else:
            ratio = app["rows_per_s"] / ds_rate
            report.add(
                f"{n:,} rows: app CSV export{where}",
                app["rows_per_s"],
                "rows/s",
                ">= Datasette" if is_budget else "",
                (ratio >= 1) if is_budget else None,
                f"{ratio:.2f}x Datasette; {app['rows']:,} rows in {app['seconds']:.1f} s",
            )
            peak = app["peak_rss_mb"]
            report.add(
                f"{n:,} rows: app peak RSS during export (largest process){where}",
                peak,
                "MB",
                f"<= {STORE_RSS_BUDGET_MB} MB" if args.store and is_budget else "",
                peak <= STORE_RSS_BUDGET_MB if args.store and is_budget else None,
                f"whole gunicorn tree {app['peak_tree_rss_mb']:.0f} MB",
            )
            report.add(
                f"{n:,} rows: app largest process before the export{where}",
                app["before_rss_mb"],
                "MB",
                note="the tables every worker holds for the views; the export adds "
                f"{peak - app['before_rss_mb']:.0f} MB",
            )
        if ds:
            report.add(
                f"{n:,} rows: Datasette CSV stream",
                ds_rate,
                "rows/s",
                note=f"{ds['rows']:,} rows in {ds['seconds']:.1f} s",
            )
            report.add(f"{n:,} rows: Datasette peak RSS during export", ds["peak_rss_mb"], "MB")
    report.details = {str(n): res for n, res in results.items()}
    report.print()
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
