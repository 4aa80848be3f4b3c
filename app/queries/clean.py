"""Two cleaning steps every view needs before it draws or adds up figures.

1. The same figure transcribed twice (OCHA's 20 Feb Dana figure sits in both the national
   and the sub-national file) must count once.
2. A figure for a smaller place carried on its parent's P-code (HNAP's "Sarmada community,
   Dana sub-district") is not the parent's figure: drawing it as Dana's value, or adding it
   to Dana's, would be wrong. The source note says so ("COMMUNITY-level ... do not sum").
"""

from __future__ import annotations

import pandas as pd

#: Same pattern as app.queries.timeseries uses for rows it must not add up.
SUB_AREA_NOTE = r"(?i)do not sum|community-level"

_IDENTITY = [
    "metric",
    "sector",
    "value",
    "qualifier",
    "period_start",
    "period_end",
    "area_pcode",
    "region",
    "publisher",
    "document",
]


def drop_duplicates(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct published figure; of duplicates, keep the one with a note
    (then the smallest figure id). Rows keep their order and index.

    Two rows are the same figure when every column of ``_IDENTITY`` is equal, missing
    values (None, NaN, NaT) equal to each other. Performance: no row is turned into text;
    the few rows a view starts from are compared in plain Python, larger tables column by
    column (``DataFrame.duplicated``); only rows that have a twin are ordered.
    """
    if figures.empty:
        return figures
    if len(figures) <= _SMALL:
        return _drop_duplicates_small(figures)
    twins = figures.duplicated(subset=_IDENTITY, keep=False).to_numpy()
    if not twins.any():
        return figures
    dup = figures[twins]
    has_note = dup["note"].fillna("").str.len() > 0
    ordered = dup.assign(_no_note=~has_note).sort_values(["_no_note", "figure_id"], kind="stable")
    first = ordered.index[~ordered.duplicated(subset=_IDENTITY, keep="first").to_numpy()]
    kept = figures.index[~twins].append(first)
    return figures[figures.index.isin(kept)]


#: Up to this many rows, :func:`drop_duplicates` compares rows in Python.
_SMALL = 300


def _missing(v: object) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and v != v)


def _drop_duplicates_small(figures: pd.DataFrame) -> pd.DataFrame:
    columns = [figures[c].tolist() for c in _IDENTITY]
    groups: dict[tuple, list[int]] = {}
    for i, row in enumerate(zip(*columns, strict=True)):
        groups.setdefault(tuple(None if _missing(v) else v for v in row), []).append(i)
    if len(groups) == len(figures):
        return figures
    notes = figures["note"].tolist()
    ids = figures["figure_id"].tolist()
    drop = []
    for rows in groups.values():
        if len(rows) > 1:  # keep the first by (no note, figure id); rows tie-break in order
            keep = min(rows, key=lambda i: (not (isinstance(notes[i], str) and notes[i]), ids[i]))
            drop += [i for i in rows if i != keep]
    index = figures.index
    kept = index.delete(sorted(drop))
    return figures[index.isin(kept)]


#: Figure ids of weekly sums of conflict events start with this (``app.events.aggregate``);
#: ids of published figures start with "f" (``app.loaders.figure_rows.figure_id``).
EVENT_SUM_ID_PREFIX = "e"


def is_event_sum(figures: pd.DataFrame) -> pd.Series:
    """Rows that are weekly sums of conflict events (UCDP, ACLED), not a published count:
    shown everywhere, but never a card's headline (a week of one dataset is not the
    offensive's toll) and on the cards only for the north-west's governorates."""
    ids = figures["figure_id"].astype(str)
    note = figures["note"].fillna("").astype(str)
    return ids.str.startswith(EVENT_SUM_ID_PREFIX) & note.str.startswith("Sum of ")


def is_sub_area_row(figures: pd.DataFrame) -> pd.Series:
    """Rows that describe a place inside the area their P-code names (see module doc)."""
    return figures["note"].fillna("").str.contains(SUB_AREA_NOTE, regex=True)


def for_areas(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures fit to stand for the area their P-code names: deduplicated, no sub-area rows."""
    out = drop_duplicates(figures)
    return out[~is_sub_area_row(out)]
