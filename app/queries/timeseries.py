"""Regional time series: metric x area (any admin level) x date, provenance kept row by row."""

from __future__ import annotations

import pandas as pd

from app.vocab import METRICS

#: Rows carried on a parent P-code that must not be added to it (notes in the source file).
_NOT_SUMMABLE_NOTE = r"(?i)do not sum|community-level"


def area_at_level(pcodes: pd.Series, level: int) -> pd.Series:
    """The ancestor P-code at ``level`` (P-codes nest by prefix: SY07 > SY0705 > SY070500)."""
    width = {0: 2, 1: 4, 2: 6, 3: 8}[level]
    pc = pcodes.fillna("").astype(str)
    cut = pc.str[:width].astype(object)
    return cut.where(pc.str.len() >= width, None)


def pcode_level(pcodes: pd.Series) -> pd.Series:
    return pcodes.fillna("").str.len().map({2: 0, 4: 1, 6: 2, 8: 3})


def regional_series(figures: pd.DataFrame, metric: str, level: int,
                    sector: str | None = None) -> pd.DataFrame:
    """One row per (area at ``level``, period, publisher, document): the figures behind it summed.

    Figures finer than ``level`` are added up to their ancestor only when the metric is
    summable; figures coarser than ``level`` cannot be split and are left out (the caller
    reports them). Sub-area figures carried on their parent's P-code (a community's count on
    its sub-district, marked "do not sum" in the source) do not describe the area and are left
    out of area series altogether; they stay in the figure lists.
    Returns columns: pcode, metric, kind, period_start, period_end, publisher, document,
    url, published_date, value, low, high, n_figures, figure_ids, qualifier.
    """
    m = METRICS[metric]
    df = figures[(figures["metric"] == metric) & figures["area_pcode"].notna()]
    if sector is not None:
        df = df[df["sector"].fillna("") == sector]
    df = df[~df["note"].fillna("").str.contains(_NOT_SUMMABLE_NOTE)]
    lvl = pcode_level(df["area_pcode"])
    # figures at the level itself stay one row each (two figures are never silently added)
    same = df[lvl == level].assign(pcode=lambda d: d["area_pcode"], _row=lambda d: d["figure_id"])
    finer = df[lvl > level]
    if m.summable:
        finer = finer.assign(pcode=area_at_level(finer["area_pcode"], level), _row="")
    else:
        finer = finer.iloc[0:0].assign(pcode=pd.Series(dtype=str), _row="")
    rows = pd.concat([same, finer], ignore_index=True)
    if rows.empty:
        return _empty()
    keys = ["pcode", "metric", "kind", "period_start", "period_end", "publisher", "document", "_row"]
    agg = (
        rows.groupby(keys, dropna=False, sort=True)
        .agg(value=("value", "sum"), low=("low", "sum"), high=("high", "sum"),
             n_figures=("figure_id", "size"), figure_ids=("figure_id", lambda s: "|".join(sorted(s))),
             url=("url", "first"), published_date=("published_date", "max"),
             qualifier=("qualifier", lambda s: s.iloc[0] if len(s) == 1 else "sum of figures"))
        .reset_index()
        .drop(columns="_row")
    )
    return agg.sort_values(["pcode", "period_end", "publisher"]).reset_index(drop=True)


def _empty() -> pd.DataFrame:
    cols = ["pcode", "metric", "kind", "period_start", "period_end", "publisher", "document",
            "value", "low", "high", "n_figures", "figure_ids", "url", "published_date", "qualifier"]
    return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})


def series_for_area(figures: pd.DataFrame, metric: str, pcode: str | None = None,
                    region: str | None = None) -> pd.DataFrame:
    """Every figure for one area or region (no aggregation), oldest first, one series per publisher."""
    df = figures[figures["metric"] == metric]
    if pcode:
        df = df[df["area_pcode"] == pcode]
    if region:
        df = df[df["region"] == region]
    return df.sort_values(["period_end", "publisher"], na_position="last")
