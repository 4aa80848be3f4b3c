"""The project's own canonical figures CSV (``data/tables/figures.csv`` and the export).

Its rows are already normalised, so nothing is re-derived: each cell is checked and
converted exactly as :func:`app.bundle.store.read_figures_csv` converts it, which makes
``load(figures.csv)`` give back the bundle's table unchanged (a test asserts it). A file
edited by hand is checked column by column (numbers, dates, metric and kind, ranges,
P-codes and regions) and then against the :class:`~app.tables.schemas.Figures` contract.
The export's optional HXL hashtag row is taken out by :class:`~app.loaders.table.Table`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.loaders import columns
from app.loaders.context import LoadContext
from app.loaders.report import LoadResult
from app.loaders.table import Table

_NUMBERS = ("value", "low", "high")
_DATES = ("period_start", "period_end", "published_date")
_REQUIRED_TEXT = ("figure_id", "metric", "kind", "metric_as_written", "publisher", "document",
                  "source_file")


def is_canonical_header(header: list[str]) -> bool:
    """The header is exactly :data:`~app.tables.schemas.FIGURE_COLUMNS` (case and spaces aside)."""
    names = [h.strip().lower() for h in header]
    if names[:1] != ["figure_id"]:  # cheap test first: avoids importing pandera for other files
        return False
    from app.tables.schemas import FIGURE_COLUMNS

    return names == FIGURE_COLUMNS


def load_canonical(table: Table, result: LoadResult, ctx: LoadContext) -> pd.DataFrame:
    from app.tables.schemas import FIGURE_COLUMNS, PCODE_RE
    from app.vocab import METRICS

    result.table_name = "figures"
    written = dict(zip(FIGURE_COLUMNS, table.header, strict=True))
    df = table.frame.set_axis(FIGURE_COLUMNS, axis=1).astype(str)
    rows = table.rows
    result.rows_read += len(df)
    rejected = np.zeros(len(df), dtype=bool)

    def fail(mask: np.ndarray | pd.Series, column: str, found: pd.Series | str,
             expected: str) -> None:
        nonlocal rejected
        mask = np.asarray(mask, dtype=bool)
        columns.report(result, rows, mask, written[column], found, expected)
        rejected |= mask

    for c in _REQUIRED_TEXT:
        fail(df[c].str.strip() == "", c, "empty", f"a {c.replace('_', ' ')} (this column is required)")
    numbers = {}
    for c in _NUMBERS:
        numbers[c], errors = columns.to_numbers(df[c])
        fail(df[c].str.strip() == "", c, "empty", "a number of zero or more")
        columns.report_errors(result, rows, errors, written[c])
        rejected |= (errors != "").to_numpy()
    value, low, high = (numbers[c].to_numpy() for c in _NUMBERS)
    with np.errstate(invalid="ignore"):
        fail(~((low <= value) & (value <= high)) & ~np.isnan(value + low + high), "low",
             "low " + df["low"] + ", value " + df["value"] + ", high " + df["high"],
             "low <= value <= high")
    dates = {}
    for c in _DATES:
        dates[c], errors = columns.to_dates(df[c])
        columns.report_errors(result, rows, errors, written[c])
        rejected |= (errors != "").to_numpy()
    fail(dates["period_start"] > dates["period_end"], "period_start",
         "period start " + df["period_start"] + " is after period end " + df["period_end"],
         "a period that starts on or before it ends")
    known = df["metric"].isin(list(METRICS))
    fail(~known & (df["metric"] != ""), "metric", "'" + df["metric"] + "' is not in the vocabulary",
         f"one of {', '.join(METRICS)}")
    kind = df["metric"].map(lambda m: METRICS[m].kind.value if m in METRICS else "")
    fail(known & (df["kind"] != kind), "kind", "kind '" + df["kind"] + "' for metric " + df["metric"],
         "the kind the vocabulary gives the metric ('" + kind + "')")
    row_numbers, errors = columns.to_numbers(df["source_row"])
    fail((errors != "") | (row_numbers < 1) | (row_numbers % 1 != 0), "source_row",
         "'" + df["source_row"] + "'", "a row number of 1 or more")
    duplicated = df["figure_id"].duplicated() & (df["figure_id"] != "")
    fail(duplicated, "figure_id", "figure id '" + df["figure_id"] + "' repeats an earlier row",
         "a unique figure id")

    # Where the figure applies: a known P-code or a region in regions.csv, else unmatched.
    pcode, region = df["area_pcode"].str.strip(), df["region"].str.strip()
    fail((pcode != "") & ~pcode.str.match(PCODE_RE), "area_pcode", "'" + pcode + "'",
         "a Syrian P-code such as SY07 or SY070301")
    regions = set(ctx.regions["region"]) if "region" in ctx.regions else set()
    unknown_pcode = (pcode != "") & ~pcode.isin(ctx.known_pcodes)
    unknown_region = (region != "") & ~region.isin(regions)
    unmatched = ((unknown_pcode | unknown_region | ((pcode == "") & (region == ""))).to_numpy()
                 & ~rejected)
    found = np.where(unknown_pcode, "P-code '" + pcode + "' is not in the gazetteer",
                     np.where(unknown_region, "region '" + region + "' is not in regions.csv",
                              "no area_pcode and no region"))
    columns.report(result, rows, unmatched, written["area_pcode"], pd.Series(found),
                   "a P-code in the gazetteer or a region in regions.csv", "unmatched")
    result.rejected += int(rejected.sum())
    result.unmatched += int(unmatched.sum())
    keep = ~rejected & ~unmatched
    result.accepted += int(keep.sum())
    out = df[keep].replace({"": None})
    for c in _NUMBERS:
        out[c] = numbers[c][keep]
    for c in _DATES:  # back to ISO text, then the store's own conversion: same dtype, same values
        out[c] = pd.to_datetime(dates[c][keep].dt.strftime("%Y-%m-%d"), format="%Y-%m-%d")
    out["source_row"] = row_numbers[keep].astype(int)
    return out.reset_index(drop=True)[FIGURE_COLUMNS]
