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
_REQUIRED_TEXT = (
    "figure_id",
    "metric",
    "kind",
    "metric_as_written",
    "publisher",
    "document",
    "source_file",
)


def is_canonical_header(header: list[str]) -> bool:
    """The header is :data:`~app.tables.schemas.FIGURE_COLUMNS` (case and spaces aside), in
    order, alone or with the export's extra columns around it (``ADM1_PCODE`` ... before,
    ``duplicate``, ``sub_area``, ``flags`` after): those are derived from the canonical
    columns by :mod:`app.export`, so reading them back loses nothing."""
    names = [h.strip().lower() for h in header]
    if "figure_id" not in names:  # cheap test first: avoids importing pandera for other files
        return False
    from app.export.columns import ADM_COLUMNS, FLAG_COLUMNS
    from app.tables.schemas import FIGURE_COLUMNS

    extras = {c.lower() for c in ADM_COLUMNS + FLAG_COLUMNS}
    return [n for n in names if n not in extras] == FIGURE_COLUMNS


def is_export_header(header: list[str]) -> bool:
    """The dashboard's own export layout: the canonical columns with every export column
    around them (ADM columns before, flags after), as :mod:`app.export` writes them."""
    from app.export.columns import EXPORT_COLUMNS

    return [h.strip().lower() for h in header] == [c.lower() for c in EXPORT_COLUMNS]


def _restore_neutralised(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells as the export was given them: the ``'`` it put before a formula opener
    (``'=HYPERLINK(...)``, README "Formula injection") taken off again. Only for the export
    layout, whose writer added it: a hand-made canonical CSV keeps its text as written."""
    from app.export.columns import ColumnType, column_type
    from app.export.text import NEUTRALISED

    out = df.copy()
    for c in out.columns:
        if column_type(c) is ColumnType.TEXT:
            marked = out[c].str.match(NEUTRALISED)
            if marked.any():
                out.loc[marked, c] = out.loc[marked, c].str[1:]
    return out


def load_canonical(table: Table, result: LoadResult, ctx: LoadContext) -> pd.DataFrame:
    from app.tables.schemas import FIGURE_COLUMNS, PCODE_RE
    from app.vocab import METRICS

    result.table_name = "figures"
    by_name = {h.strip().lower(): h for h in table.header}
    written = {c: by_name[c] for c in FIGURE_COLUMNS}  # export extras are left out
    df = table.frame[list(written.values())].set_axis(FIGURE_COLUMNS, axis=1).astype(str)
    if is_export_header(table.header):
        df = _restore_neutralised(df)
    rows = table.rows
    result.rows_read += len(df)
    rejected = np.zeros(len(df), dtype=bool)

    def fail(
        mask: np.ndarray | pd.Series,
        column: str,
        found: columns.Messages,
        expected: columns.Messages,
    ) -> None:
        nonlocal rejected
        mask = np.asarray(mask, dtype=bool)
        columns.report(result, rows, mask, written[column], found, expected)
        rejected |= mask

    for c in _REQUIRED_TEXT:
        fail(
            df[c].str.strip() == "",
            c,
            "empty",
            f"expected a {c.replace('_', ' ')} (this column is required)",
        )
    numbers = {}
    for c in _NUMBERS:
        numbers[c], errors = columns.to_numbers(df[c])
        fail(df[c].str.strip() == "", c, "empty", "expected a number of zero or more")
        columns.report_errors(result, rows, errors, written[c])
        rejected |= (errors != "").to_numpy()
    value, low, high = (numbers[c].to_numpy() for c in _NUMBERS)
    with np.errstate(invalid="ignore"):
        fail(
            ~((low <= value) & (value <= high)) & ~np.isnan(value + low + high),
            "low",
            columns.fmt(
                "low {lo}, value {v}, high {hi}", lo=df["low"], v=df["value"], hi=df["high"]
            ),
            "expected low <= value <= high",
        )
    dates = {}
    for c in _DATES:
        dates[c], errors = columns.to_dates(df[c])
        columns.report_errors(result, rows, errors, written[c])
        rejected |= (errors != "").to_numpy()
    fail(
        dates["period_start"] > dates["period_end"],
        "period_start",
        columns.fmt(
            "period start {s} is after period end {e}", s=df["period_start"], e=df["period_end"]
        ),
        "expected a period that starts on or before it ends",
    )
    known = df["metric"].isin(list(METRICS))
    fail(
        ~known & (df["metric"] != ""),
        "metric",
        columns.fmt("'{m}' is not in the vocabulary", m=df["metric"]),
        f"expected one of {', '.join(METRICS)}",
    )
    kind = df["metric"].map(lambda m: METRICS[m].kind.value if m in METRICS else "")
    fail(
        known & (df["kind"] != kind),
        "kind",
        columns.fmt("kind '{k}' for metric {m}", k=df["kind"], m=df["metric"]),
        columns.fmt("expected the kind the vocabulary gives the metric ('{k}')", k=kind),
    )
    row_numbers, errors = columns.to_numbers(df["source_row"])
    fail(
        (errors != "") | (row_numbers < 1) | (row_numbers % 1 != 0),
        "source_row",
        columns.fmt("'{r}'", r=df["source_row"]),
        "expected a row number of 1 or more",
    )
    duplicated = df["figure_id"].duplicated() & (df["figure_id"] != "")
    fail(
        duplicated,
        "figure_id",
        columns.fmt("figure id '{f}' repeats an earlier row", f=df["figure_id"]),
        "expected a unique figure id",
    )

    # A url that cannot be a link: kept as text (never linked by the UI), said as a warning.
    from app.loaders.figure_rows import URL_EXPECTED
    from app.normalise.urls import url_problem

    url = df["url"]
    not_links = [u for u in pd.unique(url) if url_problem(u) is not None]  # each text once
    bad_url = url.isin(not_links).to_numpy() if not_links else np.zeros(len(url), dtype=bool)
    columns.report(
        result,
        rows,
        bad_url,
        written["url"],
        lambda idx: [str(url_problem(url.iloc[i])) for i in idx],
        URL_EXPECTED,
        "warning",
    )

    # Where the figure applies: a known P-code or a region in regions.csv, else unmatched.
    pcode, region = df["area_pcode"].str.strip(), df["region"].str.strip()
    fail(
        (pcode != "") & ~pcode.str.match(PCODE_RE),
        "area_pcode",
        columns.fmt("'{p}'", p=pcode),
        "expected a Syrian P-code such as SY07 or SY070301",
    )
    regions = set(ctx.regions["region"]) if "region" in ctx.regions else set()
    unknown_pcode = (pcode != "") & ~pcode.isin(ctx.known_pcodes)
    unknown_region = (region != "") & ~region.isin(regions)
    unmatched = (
        unknown_pcode | unknown_region | ((pcode == "") & (region == ""))
    ).to_numpy() & ~rejected

    def where(idx: np.ndarray) -> list[str]:
        return [
            f"P-code '{pcode.iloc[i]}' is not in the gazetteer"
            if unknown_pcode.iloc[i]
            else f"region '{region.iloc[i]}' is not in regions.csv"
            if unknown_region.iloc[i]
            else "no area_pcode and no region"
            for i in idx
        ]

    columns.report(
        result,
        rows,
        unmatched,
        written["area_pcode"],
        where,
        "expected a P-code in the gazetteer or a region in regions.csv",
        "unmatched",
    )
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
