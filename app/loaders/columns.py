"""Whole columns of string cells -> numbers and dates, fast, with every bad cell explained.

Loaders of big files (a million ACLED events) cannot call a normaliser per cell. Each
function here converts a column with one vectorised pandas call for the common form, then
hands only the cells that failed (each distinct text once) to the project's normalisers
(:func:`~app.normalise.numbers.parse_number`, :func:`~app.normalise.dates.parse_date`), which
read the rest ("948,000", Arabic-Indic digits, 03/04/2020) or say why they cannot.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from app.loaders.report import LoadResult, Severity
from app.normalise.dates import DateError, parse_date
from app.normalise.numbers import NumberError, parse_number


def _fallback(cells: pd.Series, failed: np.ndarray, parse: Callable[[str], object],
              errors: type[ValueError]) -> tuple[dict[str, object], dict[str, str]]:
    """Parse each distinct failed text once: (text -> value, text -> error message)."""
    good: dict[str, object] = {}
    bad: dict[str, str] = {}
    for text in pd.unique(cells[failed]):
        try:
            good[text] = parse(text)
        except errors as exc:
            bad[text] = str(exc)
    return good, bad


def to_numbers(cells: pd.Series, allow_negative: bool = False,
               ) -> tuple[pd.Series, pd.Series]:
    """(floats, error message or "" per cell); an empty cell is NaN with no error.

    >>> values, errors = to_numbers(pd.Series(["12", "948,000", "٣", "n/a", ""]))
    >>> values.tolist(), errors.astype(bool).tolist()
    ([12.0, 948000.0, 3.0, nan, nan], [False, False, False, True, False])
    """
    cells = cells.astype(str).str.strip()
    values = pd.to_numeric(cells, errors="coerce").astype(float)
    finite = np.isfinite(values.to_numpy())
    failed = (~finite | (values.to_numpy() < 0)) & (cells != "").to_numpy()
    errors = pd.Series("", index=cells.index, dtype=object)
    if failed.any():
        good, bad = _fallback(cells, failed,
                              lambda t: parse_number(t, allow_negative=allow_negative), NumberError)
        texts = cells[failed]
        values[failed] = texts.map(lambda t: good.get(t, np.nan)).astype(float)
        errors[failed] = texts.map(lambda t: bad.get(t, ""))
    return values, errors


def to_dates(cells: pd.Series, fast_formats: tuple[str, ...] = ("%Y-%m-%d",),
             ) -> tuple[pd.Series, pd.Series]:
    """(timestamps, error message or "" per cell); an empty cell is NaT with no error.

    ``fast_formats`` are tried as whole columns first (ACLED's "15 February 2020" is
    ``"%d %B %Y"``); the rest goes through :func:`parse_date` (day first, as OCHA writes).
    """
    cells = cells.astype(str).str.strip()
    values = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[ns]")
    todo = (cells != "").to_numpy().copy()
    for fmt in fast_formats:
        if not todo.any():
            break
        parsed = pd.to_datetime(cells[todo], format=fmt, errors="coerce")
        ok = parsed.notna().to_numpy()
        idx = np.flatnonzero(todo)[ok]
        values.iloc[idx] = parsed[ok].to_numpy()
        todo[idx] = False
    errors = pd.Series("", index=cells.index, dtype=object)
    if todo.any():
        good, bad = _fallback(cells, todo, parse_date, DateError)
        texts = cells[todo]
        values[todo] = texts.map(lambda t: good.get(t, pd.NaT)).astype("datetime64[ns]")
        errors[todo] = texts.map(lambda t: bad.get(t, ""))
    return values, errors


def report(result: LoadResult, rows: np.ndarray, mask: np.ndarray | pd.Series, column: str,
           found: pd.Series | str, expected: pd.Series | str,
           severity: Severity = "error") -> None:
    """One problem per row where ``mask`` holds (messages per row, or one text for all)."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return
    idx = np.flatnonzero(mask)
    founds = found.to_numpy()[idx] if isinstance(found, pd.Series) else [found] * len(idx)
    expects = expected.to_numpy()[idx] if isinstance(expected, pd.Series) else [expected] * len(idx)
    for i, f, e in zip(idx, founds, expects, strict=True):
        result.add(int(rows[i]), column, str(f), str(e), severity)


def split_message(message: str) -> tuple[str, str]:
    """A normaliser's "found; expected ..." message -> (found, expected)."""
    found, _, expected = message.partition("; ")
    return found, expected


def report_errors(result: LoadResult, rows: np.ndarray, errors: pd.Series, column: str) -> None:
    """One problem per non-empty message of :func:`to_numbers` / :func:`to_dates`."""
    mask = (errors != "").to_numpy()
    if mask.any():
        parts = errors[mask].map(split_message)
        for i, (found, expected) in zip(np.flatnonzero(mask), parts, strict=True):
            result.add(int(rows[i]), column, found, expected)
