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
    values (None, NaN, NaT) equal to each other. Performance: compared column by column
    (``DataFrame.duplicated``), and only rows that have a twin are ordered; no row is
    turned into text.
    """
    if figures.empty:
        return figures
    twins = figures.duplicated(subset=_IDENTITY, keep=False).to_numpy()
    if not twins.any():
        return figures
    dup = figures[twins]
    has_note = dup["note"].fillna("").str.len() > 0
    ordered = dup.assign(_no_note=~has_note).sort_values(["_no_note", "figure_id"], kind="stable")
    first = ordered.index[~ordered.duplicated(subset=_IDENTITY, keep="first").to_numpy()]
    kept = figures.index[~twins].append(first)
    return figures[figures.index.isin(kept)]


def is_sub_area_row(figures: pd.DataFrame) -> pd.Series:
    """Rows that describe a place inside the area their P-code names (see module doc)."""
    return figures["note"].fillna("").str.contains(SUB_AREA_NOTE, regex=True)


def for_areas(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures fit to stand for the area their P-code names: deduplicated, no sub-area rows."""
    out = drop_duplicates(figures)
    return out[~is_sub_area_row(out)]
