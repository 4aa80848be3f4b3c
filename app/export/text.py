"""Cell text for the exports, and the formula-injection rule (OWASP "CSV Injection").

A spreadsheet opening a CSV runs any cell that starts with ``=``, ``+``, ``-`` or ``@`` as
a formula (``=HYPERLINK(...)`` phones home, DDE payloads start programs), and some also
do for a leading tab or carriage return. Publishers, documents and notes are typed in by
people and loaded from user files, so every TEXT cell that starts with one of those
characters is written with a single quote in front (``'=HYPERLINK(...)``), as OWASP
recommends; the quote makes the spreadsheet show the cell as text.

The rule is by column type, never by content:

- NUMBER and INTEGER columns (value, low, high, source_row) are written as numbers and
  never escaped: ``-5`` in a number column stays ``-5`` and still adds up;
- TEXT columns are always escaped, even when the text looks like a number: ``-5`` in a
  text column is written ``'-5``. A text column holds names and notes, not quantities,
  and a "number-looking" test is how real payloads (``-2+3+cmd|' /C calc'!A0``) get past;
- DATE and BOOLEAN cells are written by us (``2020-02-16``, ``true``) and need nothing.

The escape is visible to anyone reading the file as data. ``app.loaders.load`` of the
dashboard's own export layout (:func:`restore`) takes it off again, so an export loads back
as it was written; a hand-made CSV keeps its text as written. (A text that itself starts
with ``'`` and then a trigger, ``'=x``, is written as is and reads back as ``=x``.)
No figure in the bundle has such a cell, so the bundle round-trips unchanged.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from app.export.columns import ColumnType

#: First characters that make a spreadsheet treat a cell as a formula (OWASP's list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-5"), neutralise("OCHA")
    ('\\'=HYPERLINK("http://x")', "'-5", 'OCHA')
    """
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


#: A neutralised cell: the quote the export added, then a trigger.
NEUTRALISED = r"^'[=+\-@\t\r]"


def restore(text: str) -> str:
    """The text an export cell was made from: :func:`neutralise` undone.

    >>> restore("'=HYPERLINK(1)"), restore("'-5"), restore("'quoted'"), restore("OCHA")
    ('=HYPERLINK(1)', '-5', "'quoted'", 'OCHA')
    """
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_TRIGGERS else text


def is_missing(value: Any) -> bool:
    """None, NaN, NaT and pandas' NA all mean an empty cell (fast: called once per cell)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float):
        return value != value  # NaN
    return False


def number_text(value: float) -> str:
    """Whole numbers without ``.0`` (as the bundle writes them), others in shortest form.

    >>> number_text(70000.0), number_text(4.5), number_text(-5.0)
    ('70000', '4.5', '-5')
    """
    v = float(value)
    if math.isfinite(v) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def cell_text(value: Any, kind: ColumnType) -> str:
    """The text of one cell as the CSV writes it (neutralised when it is TEXT)."""
    if is_missing(value):
        return ""
    if kind is ColumnType.NUMBER:
        return number_text(value)
    if kind is ColumnType.INTEGER:
        return str(int(value))
    if kind is ColumnType.DATE:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind is ColumnType.BOOLEAN:
        return "true" if value else "false"
    return neutralise(str(value))
