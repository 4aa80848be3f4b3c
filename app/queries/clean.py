"""Two cleaning steps every view needs before it draws or adds up figures.

1. The same figure transcribed twice (OCHA's 20 Feb Dana figure sits in both the national
   and the sub-national file) must count once.
2. A figure for a smaller place carried on its parent's P-code (HNAP's "Sarmada community,
   Dana sub-district") is not the parent's figure: drawing it as Dana's value, or adding it
   to Dana's, would be wrong. The source note says so ("COMMUNITY-level ... do not sum").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.queries.derived import memo, taken_from
from app.tables.compact import codes_and_uniques, codes_of, fold_codes

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
    if figures.empty or len(figures) <= _SMALL:
        return figures if figures.empty else _drop_duplicates_small(figures)
    dropped = duplicate_mask(figures)
    return figures[~dropped] if dropped.any() else figures


def duplicate_mask(figures: pd.DataFrame) -> np.ndarray:
    """True for each row :func:`drop_duplicates` drops (a second transcription of a figure
    another row gives), without building the kept rows: an export marks a million rows
    ``duplicate`` and must not copy the table to do it."""
    if len(figures) <= _SMALL:
        rows = figures.set_axis(pd.RangeIndex(len(figures)))
        kept = _drop_duplicates_small(rows) if len(rows) else rows
        return ~np.isin(np.arange(len(figures)), kept.index.to_numpy())
    key = identity_codes(figures)
    twins = _repeated(key)
    dropped = np.zeros(len(figures), dtype=bool)
    if not len(twins):
        return dropped
    has_note = figures["note"].iloc[twins].fillna("").astype(str).str.len().to_numpy() > 0
    ids = figures["figure_id"].iloc[twins].to_numpy(dtype=object)
    # of each figure's rows: the first with a note, then by figure id, then in table order
    order = np.lexsort((np.arange(len(twins)), pd.factorize(ids, sort=True)[0], ~has_note))
    first = ~pd.Series(key[twins][order]).duplicated(keep="first").to_numpy()
    dropped[twins] = True
    dropped[twins[order[first]]] = False
    return dropped


def identity_codes(figures: pd.DataFrame) -> np.ndarray:
    """One integer per row, equal for rows that are the same figure (every ``_IDENTITY``
    column equal, missing equal to missing: what ``DataFrame.duplicated`` compares).

    Memory: the columns' codes (:func:`~app.tables.compact.codes_of`: a categorical's own,
    others factorized a chunk at a time) are folded into one key a column at a time
    (:func:`~app.tables.compact.fold_codes`). ``DataFrame.duplicated`` over ten columns of
    a million rows peaked at 213 MB, a factorization per column at 72 MB."""
    return fold_codes(codes_of(figures[name]) for name in _IDENTITY)


def _repeated(key: np.ndarray) -> np.ndarray:
    """Positions, ascending, of the rows whose key another row has too (by sorting: a hash
    table of a million keys is 32 MB)."""
    order = np.argsort(key, kind="stable")
    same = key[order]
    same = same[1:] == same[:-1]
    twice = np.zeros(len(key), dtype=bool)
    twice[1:] |= same
    twice[:-1] |= same
    return np.sort(order[twice])


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


def event_sum_rows(table: pd.DataFrame) -> np.ndarray:
    """:func:`is_event_sum` of every row of a table, found once per table."""
    return memo(table, "event_sum_rows", lambda t: is_event_sum(t).to_numpy(dtype=bool))


def is_sub_area_row(figures: pd.DataFrame) -> pd.Series:
    """Rows that describe a place inside the area their P-code names (see module doc)."""
    if len(figures) <= 4 * _SMALL:
        return figures["note"].fillna("").str.contains(SUB_AREA_NOTE, regex=True)
    codes, notes = codes_and_uniques(figures["note"])
    if len(notes) * 4 > len(figures):  # notes mostly distinct
        return figures["note"].fillna("").str.contains(SUB_AREA_NOTE, regex=True)
    hit = pd.Series(notes, dtype=object).str.contains(SUB_AREA_NOTE, regex=True).to_numpy(bool)
    return pd.Series(np.append(hit, False)[codes], index=figures.index)  # missing: -1, False


def for_areas(figures: pd.DataFrame, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures fit to stand for the area their P-code names: deduplicated, no sub-area rows.

    ``table``: the canonical table ``figures`` was taken from (by ``iloc``, so its index
    holds positions in ``table``). Its marks are then found once per table
    (:func:`area_marks`) and only rows that have a twin somewhere in it are compared: a
    new state of the killed metrics over a million events compared 67,000 rows (30 ms)
    where a handful can be twins. The same rows either way."""
    marks = area_marks(table) if table is not None and taken_from(table, figures) else None
    if marks is None:
        out = drop_duplicates(figures)
        return out[~is_sub_area_row(out)]
    at = figures.index.to_numpy()
    keep = ~marks.sub_area[at]
    twins = np.flatnonzero(marks.twin[at] & keep)
    if len(twins):
        dropped = duplicate_mask(figures.iloc[twins])
        keep[twins[dropped]] = False
    return figures if keep.all() else figures[keep]


def drop_duplicates_at(table: pd.DataFrame, at: np.ndarray) -> np.ndarray:
    """:func:`drop_duplicates` of the rows of ``table`` at positions ``at`` (ascending,
    ``table`` with the default index), as the positions kept: only rows with a twin
    somewhere in the table (:func:`area_marks`) are compared."""
    twins = np.flatnonzero(area_marks(table).twin[at])
    if not len(twins):
        return at
    dropped = duplicate_mask(table.iloc[at[twins]])
    return at[np.isin(np.arange(len(at)), twins[dropped], invert=True)]


def for_areas_at(table: pd.DataFrame, at: np.ndarray) -> np.ndarray:
    """:func:`for_areas` of the rows of ``table`` at positions ``at`` (ascending, ``table``
    with the default index), as the positions kept: the caller takes the rows once."""
    return drop_duplicates_at(table, at[~area_marks(table).sub_area[at]])


class AreaMarks:
    """Per row of a canonical table: ``twin``, another row is the same figure (so one of
    them may be dropped as a duplicate); ``sub_area``, :func:`is_sub_area_row`."""

    def __init__(self, table: pd.DataFrame) -> None:
        twin = np.zeros(len(table), dtype=bool)
        if len(table):
            twin[_repeated(identity_codes(table))] = True
        self.twin = twin
        self.sub_area = is_sub_area_row(table).to_numpy(dtype=bool)


def area_marks(table: pd.DataFrame) -> AreaMarks:
    """:class:`AreaMarks` of ``table``, once per table (2 bytes a row)."""
    return memo(table, "area_marks", AreaMarks)
