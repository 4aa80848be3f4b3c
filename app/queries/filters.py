"""Selecting figures: by metric, area, publisher, dates, and as known on a given day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.queries.derived import positions_for_metrics


@dataclass(frozen=True)
class FigureFilter:
    """The filters a view or an export applies; every field optional."""

    metrics: tuple[str, ...] = ()
    pcodes: tuple[str, ...] = ()  # an area and everything inside it
    publishers: tuple[str, ...] = ()
    start: pd.Timestamp | None = None  # figures whose period ends on/after start
    end: pd.Timestamp | None = None  # ... and starts on/before end
    as_of: pd.Timestamp | None = None  # only what was published by then (see known_on)
    include_regions: bool = True


def known_date(figures: pd.DataFrame) -> pd.Series:
    """The day a figure became known: its published date, else (documented rule) its period end.

    A figure without a published date is taken as known no earlier than the end of its
    period, so an "as known on" view never shows a count before the period it counts ended.
    A figure with neither date is never shown in an as-of view.
    """
    return figures["published_date"].fillna(figures["period_end"])


def known_on(figures: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
    if as_of is None:
        return figures
    return figures[known_date(figures) <= as_of]


def within_pcodes(figures: pd.DataFrame, pcodes: Iterable[str], regions: pd.DataFrame | None = None
                  ) -> pd.Series:
    """Figures for the areas (or inside them, by P-code prefix), plus regions that cover them."""
    pcodes = tuple(pcodes)
    pc = figures["area_pcode"].fillna("")
    mask = pd.Series(False, index=figures.index)
    for p in pcodes:
        mask |= pc.str.startswith(p) & (pc != "")
    return mask


def apply(figures: pd.DataFrame, f: FigureFilter) -> pd.DataFrame:
    """The rows of ``figures`` that pass every filter of ``f``, in table order (the rows
    at :func:`positions`; ``figures`` itself when every row passes)."""
    pos = positions(figures, f)
    if pos is None:
        return figures
    return figures.iloc[pos]


def positions(figures: pd.DataFrame, f: FigureFilter) -> np.ndarray | None:
    """Positions, ascending, of the rows of ``figures`` that pass every filter of ``f``;
    None when every row passes.

    Performance: the metrics are taken first, by positions found once per table
    (:func:`app.queries.derived.metric_positions`); every other filter is a mask over
    those rows of the columns it reads, and the caller takes the rows once, with the
    columns it needs (taking every column of the killed metrics' 67,000 rows twice was
    15 ms a new state). The filters are row-wise, so applying them together or one after
    another gives the same rows.
    """
    pos = positions_for_metrics(figures, f.metrics) if f.metrics else None
    needed = _columns_read(f)
    if not needed:
        return pos
    dates = {c: _days(figures, c, pos) for c in ("published_date", "period_start", "period_end")
             if c in needed}  # fmt: skip
    n = len(figures) if pos is None else len(pos)
    keep = np.ones(n, dtype=bool)
    if f.as_of is not None:  # known_date: published, else the period's end; NaT never known
        published, end = dates["published_date"], dates["period_end"]
        keep &= np.where(np.isnat(published), end, published) <= np.datetime64(f.as_of)
    if f.publishers or f.pcodes:
        out = figures[[c for c in needed if c not in dates]]
        out = out if pos is None else out.iloc[pos]
        if f.publishers:
            keep &= out["publisher"].isin(f.publishers).to_numpy()
        if f.pcodes:
            mask = within_pcodes(out, f.pcodes)
            if f.include_regions:
                mask |= out["region"].notna()
            keep &= mask.to_numpy()
    if f.start is not None:
        end = dates["period_end"]
        keep &= np.isnat(end) | (end >= np.datetime64(f.start))
    if f.end is not None:
        begin = dates["period_start"]
        begin = np.where(np.isnat(begin), dates["period_end"], begin)
        keep &= np.isnat(begin) | (begin <= np.datetime64(f.end))
    if pos is None:
        return None if keep.all() else np.flatnonzero(keep)
    return pos if keep.all() else pos[keep]


def _days(figures: pd.DataFrame, column: str, pos: np.ndarray | None) -> np.ndarray:
    """The column's dates at ``pos`` as numpy datetimes (a hand-made frame's Python dates
    converted)."""
    col = figures[column]
    values = (col if col.dtype.kind == "M" else pd.to_datetime(col)).to_numpy()  # no copy
    return values if pos is None else values[pos]


def _columns_read(f: FigureFilter) -> list[str]:
    """The columns the filters of ``f`` other than the metrics read."""
    needed: list[str] = []
    if f.as_of is not None:
        needed += ["published_date", "period_end"]
    if f.publishers:
        needed.append("publisher")
    if f.pcodes:
        needed += ["area_pcode", "region"] if f.include_regions else ["area_pcode"]
    if f.start is not None:
        needed.append("period_end")
    if f.end is not None:
        needed += ["period_start", "period_end"]
    return list(dict.fromkeys(needed))
