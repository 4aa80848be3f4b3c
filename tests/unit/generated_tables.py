"""GENERATED figure tables for tests that need many rows with ties: a few nested places and
regions, a few dates and values, publishers "MADE-UP ..." among real names. Not real data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.tables.schemas import FIGURE_COLUMNS

PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]
#: Places chosen to nest (governorate > district > sub-districts) plus regions, nationwide too.
PCODES = ["SY07", "SY0703", "SY070300", "SY070301", "SY070302", "SY0704", "SY070400", "SY02"]
REGIONS = ["nw_syria", "syria", "idleb_enclave", "idlib_and_aleppo", "no_such_region"]
METRICS = [
    "idps_displaced_since",
    "idp_arrivals",
    "idp_displacements",
    "idp_departures",
    "civilians_killed",
    "idps_present",
    "people_at_risk",
]
PUBLISHERS = ["OCHA", "OCHA / IDP Task Force", "MADE-UP agency", "MADE-UP other", "SOHR"]
NOTES = [None, "", "COMMUNITY-level figure: do not sum", "MADE-UP note"]


def generated_figures(n: int, seed: int) -> pd.DataFrame:
    """``n`` GENERATED figure rows crowded onto a few places, dates and values (so that groups
    are large and ties frequent)."""
    rng = np.random.default_rng(seed)
    metric = rng.choice(METRICS, n, p=[0.3, 0.2, 0.15, 0.1, 0.1, 0.1, 0.05])
    kinds = {
        "idps_displaced_since": "cumulative",
        "idps_present": "stock",
        "people_at_risk": "projection",
    }
    start = pd.Timestamp("2019-12-01") + pd.to_timedelta(10 * rng.integers(0, 4, n), unit="D")
    end = start + pd.to_timedelta(rng.choice([0, 6, 9, 19, 29], n), unit="D")
    value = rng.choice([100.0, 150.0, 200.0, 250.0, 960.0, 1000.0, 1500.0, 12.5, 0.0], n)
    spread = rng.choice([0.0, 0.05, 0.1], n)
    on_region = rng.random(n) < 0.25
    df = pd.DataFrame(
        {
            "figure_id": [f"gen{i:06d}" for i in rng.permutation(n)],
            "metric": metric,
            "kind": [kinds.get(m, "flow") for m in metric],
            "metric_as_written": metric,
            "sector": np.where(rng.random(n) < 0.05, "Shelter", None),
            "value": value,
            "qualifier": rng.choice([None, "more than", "about", None], n),
            "low": value * (1 - spread),
            "high": value * (1 + spread),
            "period_start": np.where(rng.random(n) < 0.15, pd.NaT, start),
            "period_end": np.where(rng.random(n) < 0.05, pd.NaT, end),
            "area_pcode": np.where(on_region, None, rng.choice(PCODES, n)),
            "region": np.where(on_region, rng.choice(REGIONS, n), None),
            "area_as_written": rng.choice(["Dana", "Idleb", None, "NW"], n),
            "publisher": rng.choice(PUBLISHERS, n),
            "document": rng.choice(["Generated doc A", "Generated doc B", "Generated doc C"], n),
            "url": None,
            "published_date": end,
            "note": rng.choice(np.array(NOTES, dtype=object), n),
            "source_file": "generated_figures.csv",
            "source_row": np.arange(2, n + 2),
        }
    )
    for c in ("period_start", "period_end", "published_date"):
        df[c] = pd.to_datetime(df[c])
    return df[FIGURE_COLUMNS]
