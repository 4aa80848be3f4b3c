"""Conflict events at scale: generated UCDP GED tables through the project's events loader,
then aggregated to admin 2 x week.

    .venv/bin/python bench/events_scale.py [--sizes 100000,1000000,2000000] [--json PATH]

For each size, a GENERATED UCDP-GED-like CSV (``generated_ucdp_ged_<n>.csv`` in a
temporary folder: UCDP's column names, random points inside the bounding box of the
bundle's sub-districts, dates 1 Dec 2019 - 31 Mar 2020, seeded) is read with
``app.loaders.load`` (format sniffing, ``app.loaders.ucdp``, vectorised checks, the spatial
join to sub-districts with geopandas, pandera validation). Points of the box that fall
outside the sub-districts are reported as unmatched, as they would be in a real file.

Printed per size, so growth is visible:
- load: the whole ``load()`` call, and within it the spatial join alone
  (``app.loaders.events._join`` on the same points, timed separately);
- aggregation of n canonical events (the matched ones, drawn with replacement up to n) to
  admin 2 x ISO week (events and fatalities):
  with pandas (``aggregate_pandas``) and with DuckDB (``aggregate_duckdb``) when installed.
Budget: 2M events aggregated to admin 2 x week within 1 s (the aggregation step).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import ROOT, Report, command_line, parser

BUDGET_S = 1.0
TYPES = np.array(["1", "2", "3"])


def bbox() -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of the bundle's sub-districts."""
    doc = json.loads((ROOT / "data" / "boundaries" / "syr_adm3_nw.geojson").read_text("utf-8"))
    xs: list[float] = []
    ys: list[float] = []

    def walk(c: object) -> None:
        if isinstance(c, list) and c and isinstance(c[0], int | float):
            xs.append(float(c[0]))
            ys.append(float(c[1]))
        elif isinstance(c, list):
            for x in c:
                walk(x)

    for f in doc["features"]:
        walk(f["geometry"]["coordinates"])
    return min(xs), min(ys), max(xs), max(ys)


def generate_ucdp(n: int, path: Path, seed: int = 2020) -> None:
    """A UCDP GED-like CSV of ``n`` generated events."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = bbox()
    day = pd.Timestamp("2019-12-01") + pd.to_timedelta(rng.integers(0, 122, n), unit="D")
    best = rng.poisson(1.2, n)
    df = pd.DataFrame(
        {
            "id": np.arange(1_000_000_000, 1_000_000_000 + n),
            "year": day.year,
            "type_of_violence": TYPES[rng.integers(0, 3, n)],
            "conflict_name": "Syria: generated",
            "country": "Syria",
            "where_coordinates": "generated point",
            "latitude": np.round(rng.uniform(y0, y1, n), 4),
            "longitude": np.round(rng.uniform(x0, x1, n), 4),
            "date_start": day.strftime("%Y-%m-%d"),
            "date_end": day.strftime("%Y-%m-%d"),
            "best": best,
            "low": best,
            "high": best + rng.integers(0, 3, n),
        }
    )
    df.to_csv(path, index=False)


def week_start(dates: pd.Series) -> np.ndarray:
    """Monday of each date's ISO week, as datetime64[D] (1 Jan 1970 was a Thursday)."""
    days = dates.to_numpy("datetime64[D]").astype(np.int64)
    return (days - (days + 3) % 7).astype("datetime64[D]")


def aggregate_pandas(events: pd.DataFrame) -> pd.DataFrame:
    """Events and fatalities per admin 2 area and ISO week (Monday), with pandas."""
    codes, uniques = pd.factorize(events["adm2_pcode"], sort=True)
    frame = pd.DataFrame(
        {
            "area": codes,
            "week": week_start(events["date"]),
            "fatalities": events["fatalities"].to_numpy(),
        }
    )
    out = (
        frame.groupby(["area", "week"], sort=True)
        .agg(events=("fatalities", "size"), fatalities=("fatalities", "sum"))
        .reset_index()
    )
    out.insert(0, "adm2_pcode", np.asarray(uniques, dtype=object)[out.pop("area").to_numpy()])
    return out


def aggregate_duckdb(events: pd.DataFrame) -> pd.DataFrame:
    """The same with DuckDB, scanning the DataFrame in place."""
    import duckdb

    con = duckdb.connect()
    try:
        con.register("events", events[["adm2_pcode", "date", "fatalities"]])
        return con.execute(
            "SELECT adm2_pcode, date_trunc('week', date)::DATE AS week, "
            "count(*) AS events, sum(fatalities) AS fatalities "
            "FROM events GROUP BY ALL ORDER BY adm2_pcode, week"
        ).df()
    finally:
        con.close()


def timed(fn, *args):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000,2000000")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    from app.loaders import default_context, load
    from app.loaders.events import _join, adm3_polygons

    try:
        import duckdb  # noqa: F401

        has_duckdb = True
    except ImportError:
        has_duckdb = False
    report = Report("events_scale", command_line())
    ctx = default_context()
    polygons = adm3_polygons(ctx)  # read once, as a server would
    rows = []
    print(
        f"  {'events':>10} {'load s':>8} {'join s':>8} {'matched':>10} {'pandas agg s':>13} "
        f"{'duckdb agg s':>13} {'cells':>7}"
    )
    with tempfile.TemporaryDirectory(prefix="nws-bench-events-") as tmp:
        for n in sizes:
            path = Path(tmp) / f"generated_ucdp_ged_{n}.csv"
            generate_ucdp(n, path)
            result, load_s = timed(load, path, ctx)
            events = result.table
            matched = result.accepted
            if events is None or result.format != "csv:ucdp-ged":
                raise SystemExit(
                    f"the loader did not read {path.name} as UCDP GED: "
                    f"{result.format}, {result.problems[:3]}"
                )
            raw = pd.read_csv(path, usecols=["latitude", "longitude"])
            _, join_s = timed(
                _join, raw["latitude"].to_numpy(), raw["longitude"].to_numpy(), polygons
            )
            if len(events) < n:
                # points of the box outside the sub-districts were unmatched: aggregate a
                # table of exactly n canonical events (matched rows drawn with replacement)
                events = events.sample(n, replace=True, random_state=0).reset_index(drop=True)
            timed(aggregate_pandas, events.head(1000))  # warm-up (imports, first-call costs)
            agg, pandas_s = min(
                (timed(aggregate_pandas, events) for _ in range(3)), key=lambda r: r[1]
            )
            duck_s = float("nan")
            if has_duckdb:
                timed(aggregate_duckdb, events.head(1000))
                dagg, duck_s = min(
                    (timed(aggregate_duckdb, events) for _ in range(3)), key=lambda r: r[1]
                )
                assert len(dagg) == len(agg) and int(dagg["events"].sum()) == len(events)
            assert int(agg["events"].sum()) == len(events)
            print(
                f"  {n:>10,} {load_s:>8.1f} {join_s:>8.2f} {matched:>10,} "
                f"{pandas_s:>13.3f} {duck_s:>13.3f} {len(agg):>7,}"
            )
            rows.append(
                {
                    "events": n,
                    "matched": matched,
                    "load_s": load_s,
                    "join_s": join_s,
                    "pandas_agg_s": pandas_s,
                    "duckdb_agg_s": duck_s,
                    "cells": len(agg),
                }
            )
            del events, result, raw
            path.unlink()
    for r in rows:
        label = f"{r['events']:,} events"
        report.add(
            f"{label}: load (sniff, checks, spatial join, validation)",
            r["load_s"],
            "s",
            note=f"spatial join alone {r['join_s']:.2f} s; {r['matched']:,} inside "
            "the sub-districts",
        )
        best = min(r["pandas_agg_s"], r["duckdb_agg_s"]) if has_duckdb else r["pandas_agg_s"]
        is_2m = r["events"] >= 2_000_000
        report.add(
            f"{label}: aggregate to admin 2 x week",
            best,
            "s",
            f"<= {BUDGET_S:g} s" if is_2m else "",
            (best <= BUDGET_S) if is_2m else None,
            f"pandas {r['pandas_agg_s']:.3f} s, DuckDB {r['duckdb_agg_s']:.3f} s; "
            f"{r['cells']:,} area-weeks",
        )
    report.details = {"rows": rows}
    report.print()
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
