"""Canonical tables to database rows and back, fast enough for a million events.

Writing: a DataFrame becomes tuples of plain Python values (dates as ``YYYY-MM-DD`` text,
missing as None) and is inserted in chunks inside the caller's transaction: SQLite through
the driver's ``executemany``, PostgreSQL through ``COPY`` (psycopg), both far faster than
one statement per row and still all or nothing.

Reading: the rows of a query become a DataFrame with the dtypes the bundle reader gives the
same columns (``app.bundle.store.read_figures_csv``), so views cannot tell the two apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import sqlalchemy as sa

from app.tables.compact import DISTINCT, compact_column, compact_concat, is_category, is_text

CHUNK = 50_000
#: Rows fetched per step when reading (:func:`read_frame`).
READ_CHUNK = 10_000
DATE_COLUMNS = frozenset({"period_start", "period_end", "published_date", "date", "date_end"})
FLOAT_COLUMNS = frozenset({"value", "low", "high", "lat", "lon", "fatalities", "fatalities_low",
                           "fatalities_high", "civilians"})  # fmt: skip
INT_COLUMNS = frozenset({"source_row", "precision", "level", "batch_id", "seq"})


def _plain(name: str, series: pd.Series) -> list:
    """One column as a list of plain Python values with None for missing.

    Vectorised per column (a day is formatted once per distinct day, not once per cell): a
    million events are 19 million values, and per-value Python work is most of an ``add``'s
    insert time.
    """
    if name in DATE_COLUMNS:
        codes, days = pd.factorize(pd.to_datetime(series, errors="coerce"))
        text = np.append(days.strftime("%Y-%m-%d").to_numpy(dtype=object), None)
        return text[codes].tolist()  # code -1 (missing) takes the None at the end
    if name in FLOAT_COLUMNS:
        values = pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
        return _with_none(values.astype(object), np.isnan(values))
    if name in INT_COLUMNS:
        if pd.api.types.is_integer_dtype(series.dtype) and not series.hasnans:
            return series.to_numpy(dtype=np.int64).tolist()
        missing = series.isna().to_numpy()
        return [None if m else int(v) for v, m in zip(series.tolist(), missing, strict=True)]
    values = series.to_numpy(dtype=object)
    return _with_none(values, pd.isna(values))


def _with_none(values: np.ndarray, missing: np.ndarray) -> list:
    """``values`` (an object array) as a list, None where ``missing``."""
    if missing.any():
        values = values.copy()
        values[missing] = None
    return values.tolist()


def insert_frame(
    conn: sa.Connection, table: sa.Table, frame: pd.DataFrame, fixed: dict[str, object]
) -> int:
    """Insert every row of ``frame`` (its columns named as ``table``'s) with the ``fixed``
    values (e.g. the batch id) and ``seq`` = position; returns the number of rows.

    Converted and sent a chunk at a time: a million rows as Python tuples at once would
    hold about a gigabyte of small objects."""
    n = len(frame)
    if n == 0:
        return 0
    names = [c.name for c in table.columns if c.name in frame.columns or c.name in fixed
             or c.name == "seq"]  # fmt: skip
    chunks = (_chunk(frame, names, fixed, start, min(start + CHUNK, n))
              for start in range(0, n, CHUNK))  # fmt: skip
    if conn.dialect.name == "postgresql":
        _copy(conn, table.name, names, (row for rows in chunks for row in rows))
    else:
        marks = ", ".join("?" for _ in names)
        sql = f'INSERT INTO {table.name} ({", ".join(names)}) VALUES ({marks})'
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for rows in chunks:
            cursor.executemany(sql, rows)
        cursor.close()
    return n


def _chunk(
    frame: pd.DataFrame, names: Sequence[str], fixed: dict[str, object], start: int, stop: int
) -> Iterable[tuple]:
    """Rows ``start:stop`` of ``frame`` as tuples in the order of ``names``."""
    part = frame.iloc[start:stop]
    columns: list[Iterable] = []
    for name in names:
        if name == "seq":
            columns.append(range(start + 1, stop + 1))
        elif name in fixed:
            columns.append(itertools.repeat(fixed[name], stop - start))
        else:
            columns.append(_plain(name, part[name]))
    return zip(*columns)  # noqa: B905  (repeat() is endless; the others are stop - start long)


def _copy(conn: sa.Connection, table: str, names: Sequence[str], rows: Iterable[tuple]) -> None:
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f'COPY {table} ({", ".join(names)}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
    cursor.close()


def read_frame(
    conn: sa.Connection, select: sa.Select, columns: Sequence[str], compact: bool = False
) -> pd.DataFrame:
    """The rows of ``select`` as a DataFrame with canonical dtypes (see module doc).

    Fetched and converted :data:`READ_CHUNK` rows at a time: tens of thousands of aggregates
    as one list of tuples would be a million small Python objects alive at once, and a
    server process would keep the memory they took. Each chunk is kept as columns, and the
    chunks of a column are joined and dropped one column at a time, so the rows are held
    about once while they are joined (a million stored figures: twice, before).

    ``compact``: text columns as :mod:`app.tables.compact` holds them (what the views'
    tables keep), each chunk's made compact as it is read: a million stored figures' text
    never exists in full (the read peaked at 705 MB with it, held as Arrow text)."""
    result = conn.execute(select)
    parts: dict[str, list[pd.Series]] = {name: [] for name in columns}
    while data := result.fetchmany(READ_CHUNK):
        raw = list(zip(*data, strict=True))
        del data
        for name, values in zip(columns, raw, strict=True):
            col = _column(name, list(values))
            if compact and name not in DISTINCT and is_text(col):
                col = compact_column(col)
            parts[name].append(col)
        del raw
    if not columns or not parts[columns[0]]:
        empty = {name: _column(name, []) for name in columns}
        return pd.DataFrame(empty, columns=list(columns))
    return _concat(parts, compact)


def _concat(parts: dict[str, list[pd.Series]], compact: bool = False) -> pd.DataFrame:
    """Chunks (columns, each a list of parts) into one frame, a column at a time, each
    column's parts dropped once joined; a column gets the dtype one read of all its values
    would give (e.g. ``Int64`` if any chunk had a missing value, Arrow strings only if none
    had); ``compact``: text columns joined by :func:`app.tables.compact.compact_concat`."""
    names = list(parts)
    out = {}
    for name in names:
        values = parts.pop(name)
        if len(values) == 1:
            out[name] = values[0]
        elif compact and name not in DISTINCT and all(is_text(v) or is_category(v) for v in values):
            out[name] = compact_concat(values)
        elif len({str(v.dtype) for v in values}) == 1:
            out[name] = pd.concat(values, ignore_index=True)
        else:  # mixed (missing in some chunks only): as one read would type them
            out[name] = _column(name, [None if pd.isna(v) else v for s in values for v in s])
        del values
    return pd.DataFrame(out, columns=names, copy=False)  # the columns as they are: no copy


def _column(name: str, values: list) -> pd.Series:
    if name in DATE_COLUMNS:  # SQLite gives text, PostgreSQL datetime.date
        text = [v if v is None or isinstance(v, str) else v.isoformat() for v in values]
        days = pd.to_datetime(pd.Series(text, dtype=object), format="%Y-%m-%d")
        return days.astype("datetime64[us]")
    if name in FLOAT_COLUMNS:
        return pd.Series(values, dtype="float64")
    if name in INT_COLUMNS:
        return pd.Series(values, dtype="Int64" if None in values else "int64")
    series = pd.Series(values, dtype=object)
    if series.isna().any() or not len(series):
        return series
    return series.astype(pd.StringDtype("pyarrow", na_value=np.nan))
