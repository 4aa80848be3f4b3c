"""Text columns of a figures table held compactly: a code per cell, or a shared object.

A million stored figures held their publisher, document, metric, area and file names as
one 8-byte pointer per cell (112 MB in every server process for 14 columns), or as every
cell's bytes for the columns that stayed Arrow text (185 MB), for a few hundred distinct
values. The values the views read are unchanged by either form below:

- a column **without a missing cell** becomes a :class:`pandas.Categorical` (a 1- or
  2-byte code per cell). Its categories are **sorted** (code point order, as pandas sorts
  text), so sorting by the column, by its codes or through Arrow gives the text's order;
- a column **with a missing cell** keeps one Python object per distinct text, shared by
  every cell that holds it (8 bytes a cell), and None where a cell is missing: a
  categorical would give NaN there, and the views test cells with ``is None`` and ``or``.

``figure_id`` (a distinct value per row) is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

#: Columns kept as they are: one distinct value per row (sharing saves nothing).
DISTINCT = frozenset({"figure_id"})


def is_text(col: pd.Series) -> bool:
    return col.dtype == object or isinstance(col.dtype, pd.StringDtype)


def is_category(col: pd.Series) -> bool:
    return isinstance(col.dtype, pd.CategoricalDtype)


def compact_column(col: pd.Series) -> pd.Series:
    """``col`` (text) as a sorted categorical when no cell is missing, else as shared
    objects with None for missing; a mostly distinct column is returned as it is."""
    return compact_concat([col], index=col.index, name=col.name)


def compact_concat(parts: list[pd.Series], index: pd.Index | None = None,
                   name: object = None) -> pd.Series:  # fmt: skip
    """The text columns ``parts`` one after the other, made compact as :func:`compact_column`
    says, without a Python object per cell on the way: each part is factorized on its own
    (Arrow text stays Arrow text) and only the codes are joined. Concatenating an Arrow
    text column with a categorical one would make a string object per cell: a million
    stored figures took 1.3 GB at start-up that way."""
    total = sum(len(p) for p in parts)
    found = [pd.factorize(p, use_na_sentinel=True) for p in parts]
    distinct = sorted({v for _, uniques in found for v in uniques})
    if len(distinct) > total // 2:  # mostly distinct: nothing to share
        joined = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        return joined.set_axis(index) if index is not None else joined
    values = pd.Index(distinct, dtype=object)
    codes = np.concatenate(
        [np.append(values.get_indexer(pd.Index(u, dtype=object)), -1)[c] for c, u in found]
        or [np.zeros(0, dtype=np.intp)]
    )  # -1 (missing) picks the appended -1
    index = pd.RangeIndex(total) if index is None else index
    if (codes >= 0).all():
        dtype = pd.CategoricalDtype(values)
        return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype), index=index, name=name)
    shared = np.full(total, None, dtype=object)
    seen = codes >= 0
    shared[seen] = values.to_numpy()[codes[seen]]
    return pd.Series(shared, index=index, name=name, dtype=object)


def compact_text(figures: pd.DataFrame) -> pd.DataFrame:
    """``figures`` with every repeating text column made compact (in place)."""
    for name in figures.columns:
        col = figures[name]
        if name in DISTINCT or not is_text(col):
            continue
        figures[name] = compact_column(col)
    return figures


def concat_compact(frames: list[pd.DataFrame], consume: list[bool] | None = None) -> pd.DataFrame:
    """``pd.concat(frames, ignore_index=True)`` with the text columns made compact on the
    way (:func:`compact_concat`); the other columns as ``pd.concat`` types them.

    ``consume``: per frame, whether its columns are dropped from it once joined (the frame
    is emptied; with one column per block, as :mod:`app.store.rows` reads them, each
    column's memory goes back as the next is joined)."""
    keep = [len(f) > 0 for f in frames]
    if not any(keep):
        keep = [True] + [False] * (len(frames) - 1)
    consume = [c and k for c, k in zip(consume or [False] * len(frames), keep, strict=True)]
    chosen = [f for f, k in zip(frames, keep, strict=True) if k]
    columns = list(chosen[0].columns)
    out = {}
    for name in columns:
        parts = [f[name] for f in chosen]
        text = [is_text(p) or is_category(p) for p in parts]
        if name not in DISTINCT and all(text):
            out[name] = compact_concat(parts)
        else:
            out[name] = pd.concat(parts, ignore_index=True)
        del parts
        for f, eat in zip(frames, consume, strict=True):
            if eat:
                del f[name]
    return pd.DataFrame(out, columns=columns, copy=False)  # the joined columns as they are


def sort_codes(col: pd.Series) -> np.ndarray | None:
    """For a categorical column, integer keys that sort as its text does (Arrow cannot sort
    dictionary columns); None for any other column."""
    if not isinstance(col.dtype, pd.CategoricalDtype):
        return None
    codes = col.cat.codes.to_numpy()
    return np.where(codes < 0, len(col.cat.categories), codes).astype(np.int32)


#: Rows factorized at once by :func:`codes_of` (its hash table is sized to the rows given).
_CODES_CHUNK = 1 << 16


def codes_of(col: pd.Series) -> np.ndarray:
    """Codes (int32) of ``col``'s values, equal values alike, -1 for every missing value
    (None, NaN, NaT), as ``pd.factorize(col, use_na_sentinel=True)`` groups them (a
    categorical's own codes are given, numbered as its categories)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.cat.codes.to_numpy().astype(np.int32)
    return codes_and_uniques(col)[0]


def codes_and_uniques(col: pd.Series) -> tuple[np.ndarray, list]:
    """``pd.factorize(col, use_na_sentinel=True)``: (codes as int32, the distinct values in
    order of first appearance).

    Memory: ``pd.factorize`` sizes its hash table to the rows, 32 MB for a million rows
    of a few hundred distinct values; here the table is sized to a chunk of rows and the
    distinct values of the chunks are matched in a dict."""
    if len(col) <= _CODES_CHUNK:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        return codes.astype(np.int32), list(uniques)
    out = np.empty(len(col), dtype=np.int32)
    seen: dict[object, int] = {}
    values: list = []
    for i in range(0, len(col), _CODES_CHUNK):
        codes, uniques = pd.factorize(col.iloc[i : i + _CODES_CHUNK], use_na_sentinel=True)
        if len(seen) + len(uniques) > 1 << 20:  # nearly a value per row: one table after all
            codes, uniques = pd.factorize(col, use_na_sentinel=True)
            return codes.astype(np.int32), list(uniques)
        known = []
        for u in uniques:
            k = _key(u)
            if k not in seen:
                seen[k] = len(values)
                values.append(u)
            known.append(seen[k])
        out[i : i + len(codes)] = np.asarray([*known, -1], dtype=np.int32)[codes]
    return out, values


def _key(value: object) -> object:
    """A dict key that is equal where ``pd.factorize`` finds values equal (-0.0 and 0.0)."""
    return value + 0.0 if isinstance(value, float) else value


#: :func:`fold_codes` renumbers its key before it would reach this.
_KEY_LIMIT = 1 << 62


def fold_codes(codes: Iterable[np.ndarray]) -> np.ndarray:
    """One int64 key per row for the tuple of ``codes`` (each -1 for missing, as
    :func:`codes_of` gives them): equal tuples, equal keys; the keys are not dense.

    Folded one column at a time (given a generator, one column's codes are alive beside
    the key) and renumbered by sorting only before the key would overflow."""
    key: np.ndarray | None = None
    span = 1  # key < span
    for c in codes:
        if key is None:
            key = np.zeros(len(c), dtype=np.int64)
        radix = int(c.max(initial=-1)) + 2
        if span * radix >= _KEY_LIMIT:
            key, span = _renumbered(key)
        key *= radix
        key += c
        key += 1
        span *= radix
    assert key is not None, "no codes to fold"
    return key


def _renumbered(key: np.ndarray) -> tuple[np.ndarray, int]:
    """(dense codes of ``key`` in key order, how many), by sorting (a hash table of a
    million distinct keys peaked at 59 MB)."""
    order = np.argsort(key, kind="stable")
    new = np.empty(len(key), dtype=bool)
    new[:1] = True
    sorted_key = key[order]
    np.not_equal(sorted_key[1:], sorted_key[:-1], out=new[1:])
    del sorted_key
    rank = np.cumsum(new, dtype=np.int64) - 1
    key[order] = rank
    return key, int(rank[-1]) + 1 if len(rank) else 1


def small_positions(positions: np.ndarray) -> np.ndarray:
    """Row positions kept with a table as int32 when they fit (half the memory of a
    million int64)."""
    fits = positions.max(initial=0) < 1 << 31
    return positions.astype(np.int32) if fits else positions
