"""Regional time series: metric x area (any admin level) x date, provenance kept row by row."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from app.queries.derived import memo, rows_for_metrics, taken_from
from app.vocab import METRICS

#: Rows carried on a parent P-code that must not be added to it (notes in the source file).
NOT_SUMMABLE_NOTE = r"(?i)do not sum|community-level"


def area_at_level(pcodes: pd.Series, level: int) -> pd.Series:
    """The ancestor P-code at ``level`` (P-codes nest by prefix: SY07 > SY0705 > SY070500)."""
    width = {0: 2, 1: 4, 2: 6, 3: 8}[level]
    pc = pcodes.fillna("").astype(str)
    cut = pc.str[:width].astype(object)
    return cut.where(pc.str.len() >= width, None)


_LEVEL_OF_WIDTH = {2: 0, 4: 1, 6: 2, 8: 3}


def pcode_level(pcodes: pd.Series) -> pd.Series:
    """Admin level of each P-code by its length (NaN for none or another length).

    Performance: the few rows of a view in plain Python (pandas' string methods cost about
    a millisecond a call whatever the size); a large table (an export) with pandas."""
    if len(pcodes) > 5_000:
        return pcodes.fillna("").str.len().map(_LEVEL_OF_WIDTH).astype(float)
    levels = [
        _LEVEL_OF_WIDTH.get(len(p), np.nan) if isinstance(p, str) else np.nan for p in pcodes
    ]
    return pd.Series(levels, index=pcodes.index, dtype=float)


def pcode_level_of(rows: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.Series:
    """:func:`pcode_level` of ``rows["area_pcode"]``; by position in the levels of
    ``table``'s rows, found once per table, when ``rows`` were taken from it
    (:func:`app.queries.derived.taken_from`): 11 ms a new state of the killed metrics
    over a million events, by string lengths."""
    if table is None or not taken_from(table, rows):
        return pcode_level(rows["area_pcode"])
    out = pcode_levels(table)[rows.index.to_numpy()].astype(float)
    out[out < 0] = np.nan
    return pd.Series(out, index=rows.index)


def pcode_levels(table: pd.DataFrame) -> np.ndarray:
    """Each row's P-code level in ``table``, -1 for none, found once per table."""
    return memo(table, "pcode_levels", _level_codes)


def _level_codes(table: pd.DataFrame) -> np.ndarray:
    """Each row's P-code level, -1 for none (one byte a row)."""
    return pcode_level(table["area_pcode"]).fillna(-1).to_numpy(dtype=np.int8)


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
    # Performance: the metric's rows by positions found once per table, one mask for the
    # rest; then the rows are grouped in plain Python (a few hundred at most): a pandas
    # groupby on eight mixed keys with named aggregations took 10-20 ms. The sums still go
    # through pandas' grouped sum, so they are the same floats to the last bit.
    df = rows_for_metrics(figures, (metric,))
    keep = df["area_pcode"].notna()
    if sector is not None:
        keep &= df["sector"].fillna("") == sector
    keep &= ~df["note"].fillna("").str.contains(NOT_SUMMABLE_NOTE)
    df = df[keep]
    lvl = pcode_level(df["area_pcode"]).to_numpy()
    # figures at the level itself stay one row each (two figures are never silently added)
    same = np.flatnonzero(lvl == level)
    finer = np.flatnonzero(lvl > level) if m.summable else np.empty(0, dtype=int)
    if not len(same) and not len(finer):
        return _empty()
    width = {0: 2, 1: 4, 2: 6, 3: 8}[level]
    take = np.concatenate([same, finer])
    cols = {c: df[c].to_numpy(dtype=object)[take] for c in _KEYS[1:-1]}
    fids = df["figure_id"].to_numpy(dtype=object)[take]
    pcodes = [str(p) for p in df["area_pcode"].to_numpy(dtype=object)[take]]
    n_same = len(same)
    pcodes = pcodes[:n_same] + [p[:width] for p in pcodes[n_same:]]
    rows_key = [*fids[:n_same], *([""] * len(finer))]
    keys = list(
        zip(pcodes, *(map(_key, cols[c]) for c in _KEYS[1:-1]), rows_key, strict=True)
    )
    groups = sorted(set(keys), key=_sort_key)  # groupby's order: sorted, missing last
    # then the result's order, as a stable sort_values(["pcode", "period_end", "publisher"])
    groups.sort(key=_result_order)
    code_of = {k: i for i, k in enumerate(groups)}
    codes = np.fromiter((code_of[k] for k in keys), dtype=np.int64, count=len(keys))
    sums = (
        # (grouped by an Index: a bare array made pandas format it into a KeyError first)
        df[["value", "low", "high"]].iloc[take].reset_index(drop=True).groupby(pd.Index(codes)).sum()
    )
    ids: list[list[str]] = [[] for _ in groups]
    first_qualifier: list[object] = [None] * len(groups)
    url: list[object] = [None] * len(groups)
    published: list[object] = [pd.NaT] * len(groups)
    qualifiers = df["qualifier"].to_numpy(dtype=object)[take]
    urls = df["url"].to_numpy(dtype=object)[take]
    pub_dates = df["published_date"].to_numpy(dtype=object)[take]
    for code, fid, qualifier, u, pub in zip(codes, fids, qualifiers, urls, pub_dates, strict=True):
        if not ids[code]:
            first_qualifier[code] = qualifier
        ids[code].append(fid)
        if url[code] is None and not _missing(u):
            url[code] = u  # "first": the first URL given, in row order
        if not _missing(pub) and (published[code] is pd.NaT or pub > published[code]):
            published[code] = pub
    out = pd.DataFrame(
        {
            "pcode": pd.Series([g[0] for g in groups]),
            **{
                c: pd.Series([g[i] for g in groups], dtype=df[c].dtype)
                for i, c in enumerate(_KEYS[1:-1], start=1)
            },
            "value": sums["value"].to_numpy(),
            "low": sums["low"].to_numpy(),
            "high": sums["high"].to_numpy(),
            "n_figures": np.array([len(g) for g in ids], dtype=np.int64),
            "figure_ids": pd.Series(["|".join(sorted(g)) for g in ids]),
            "url": pd.Series(url, dtype=object),
            "published_date": pd.Series(published, dtype=df["published_date"].dtype),
            "qualifier": pd.Series(
                [q if len(g) == 1 else "sum of figures" for q, g in zip(first_qualifier, ids, strict=True)]
            ),
        }
    )
    return out


#: What makes one row of :func:`regional_series` (``_row``: the figure id of a figure at
#: the level itself, "" for a sum of finer figures).
_KEYS = ("pcode", "metric", "kind", "period_start", "period_end", "publisher", "document", "_row")


def _missing(v: object) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and v != v)


def _key(v: object) -> object:
    """A cell as a grouping key: every kind of missing value is the same key (None)."""
    return None if _missing(v) else v


def _sort_key(key: tuple) -> tuple:
    return tuple((v is None, "" if v is None else v) for v in key)


def _result_order(key: tuple) -> tuple:
    """pcode, period end, publisher; missing last (as DataFrame.sort_values)."""
    return tuple((key[i] is None, 0 if key[i] is None else key[i]) for i in (0, 4, 5))


_SERIES_COLUMNS = ("pcode", "metric", "kind", "period_start", "period_end", "publisher",
                   "document", "value", "low", "high", "n_figures", "figure_ids", "url",
                   "published_date", "qualifier")


@functools.cache
def _empty_template() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in _SERIES_COLUMNS})


def _empty() -> pd.DataFrame:
    """An empty series table (a copy: callers may add columns; building one costs ~3 ms)."""
    return _empty_template().copy()


def series_for_area(figures: pd.DataFrame, metric: str, pcode: str | None = None,
                    region: str | None = None) -> pd.DataFrame:
    """Every figure for one area or region (no aggregation), oldest first, one series per publisher."""
    df = figures[figures["metric"] == metric]
    if pcode:
        df = df[df["area_pcode"] == pcode]
    if region:
        df = df[df["region"] == region]
    return df.sort_values(["period_end", "publisher"], na_position="last")
