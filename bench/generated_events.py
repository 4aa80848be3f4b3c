"""GENERATED conflict events in the UCDP GED CSV layout, for benchmarks and load tests.

NOT REAL DATA. Every row is made up by :func:`write_generated_ucdp` from a seeded random
generator: event ids from 900,000,000 up (no real UCDP id is that large), coordinates
jittered around the bundle's sub-district centroids (so they fall in the north-west), dates
2016-2019, deaths drawn from a skewed distribution, and the text columns say "GENERATED".
The file name the benchmarks give it starts with ``generated_`` and the dataset name they
pass to ``add --publisher`` says "GENERATED".

Run on its own: ``python bench/generated_events.py OUT.csv N`` writes N rows.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
#: The real file's header (UCDP GED 19.1), so the loader reads a generated file as it reads UCDP's.
HEADER = ["id", "year", "active_year", "type_of_violence", "conflict_new_id", "conflict_name", "dyad_new_id", "dyad_name", "side_a_new_id", "side_a", "side_b_new_id", "gwnob", "side_b", "number_of_sources", "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "low", "best", "high"]
FIRST_ID = 900_000_000


def _centroids() -> pd.DataFrame:
    areas = pd.read_csv(ROOT / "data" / "tables" / "areas.csv", dtype={"pcode": str})
    return areas[areas["level"] == 3][["pcode", "centroid_lat", "centroid_lon"]]


def write_generated_ucdp(path: Path, n: int, seed: int = 20191130, first_id: int = FIRST_ID) -> Path:
    """Write ``n`` GENERATED events to ``path`` (see module doc); returns ``path``."""
    rng = np.random.default_rng(seed)
    c = _centroids()
    pick = rng.integers(0, len(c), n)
    lat = c["centroid_lat"].to_numpy()[pick] + rng.normal(0, 0.005, n)
    lon = c["centroid_lon"].to_numpy()[pick] + rng.normal(0, 0.005, n)
    start = np.datetime64("2016-01-01") + rng.integers(0, 1430, n).astype("timedelta64[D]")
    days = pd.to_datetime(start).strftime("%Y-%m-%d").to_numpy()
    best = rng.geometric(0.35, n) - 1
    low = np.maximum(best - rng.integers(0, 2, n), 0)
    high = best + rng.integers(0, 3, n)
    civilians = np.minimum(best, rng.integers(0, 3, n))
    prec = rng.choice([1, 1, 1, 2, 2, 3, 4, 6], n)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(n):
            day = days[i]
            w.writerow([
                first_id + i, day[:4], 1, 1, 299, "GENERATED conflict", 11973, "GENERATED dyad",
                118, "GENERATED side A", 4456, "", "GENERATED side B", 1, "GENERATED source",
                "GENERATED", day, "GENERATED headline", "GENERATED", prec[i], "GENERATED place",
                "GENERATED Governorate", "GENERATED district", f"{lat[i]:.6f}", f"{lon[i]:.6f}",
                f"POINT ({lon[i]:.6f} {lat[i]:.6f})", 0, "Syria", 652, "Middle East", 1, 1, day,
                day, 0, 0, civilians[i], best[i] - civilians[i], low[i], best[i], high[i],
            ])  # fmt: skip
    return path


if __name__ == "__main__":
    out, count = Path(sys.argv[1]), int(sys.argv[2])
    write_generated_ucdp(out, count)
    print(f"{out}: {count:,} GENERATED events (UCDP GED layout; not real data)")
