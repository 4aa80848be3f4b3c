"""A sheet of string cells with its spreadsheet row numbers: what CSV and XLSX readers produce.

Every tabular format (CSV in any encoding or delimiter, XLSX) is first turned into a
:class:`Table`, so the layouts (dated figures, HXL, ACLED, ...) are recognised and loaded the
same way whatever the container. A Table keeps, for each data row, the row number a
spreadsheet user sees (header = 1), the rows that had the wrong number of cells (rejected
before any layout sees them) and the HXL hashtag row when there is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: One HXL hashtag with optional attributes: ``#affected+idps``, ``#adm1 +code``.
HASHTAG = re.compile(r"^\s*#[A-Za-z][A-Za-z0-9_]*(\s*\+\s*[A-Za-z][A-Za-z0-9_]*)*\s*$")


def is_hashtag_row(cells: list[str]) -> bool:
    """Every non-empty cell is an HXL hashtag, and there is at least one (libhxl's rule)."""
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(HASHTAG.match(c) for c in filled)


def unique_header(cells: list[str]) -> list[str]:
    """Header cells stripped; empty ones named ``column N``; repeats suffixed ``(2)``, ``(3)``.

    >>> unique_header(["a", " b ", "", "a"])
    ['a', 'b', 'column 3', 'a (2)']
    >>> unique_header(["a (2)", "a", "a"])
    ['a (2)', 'a', 'a (3)']
    """
    out: list[str] = []
    used: set[str] = set()
    for i, cell in enumerate(cells):
        base = name = cell.strip() or f"column {i + 1}"
        n = 1
        while name in used:
            n += 1
            name = f"{base} ({n})"
        used.add(name)
        out.append(name)
    return out


@dataclass
class Table:
    """String cells under a header, with the spreadsheet row number of every data row."""

    header: list[str]
    frame: pd.DataFrame
    rows: np.ndarray
    #: (row number, cells found) for rows whose cell count differs from the header's.
    bad_rows: list[tuple[int, int]] = field(default_factory=list)
    #: The HXL hashtag row (one tag or "" per column) when the file has one.
    hashtags: list[str] | None = None
    #: Its row number (1 when the hashtags are the header itself).
    hashtag_row: int = 0

    def by_lower_name(self) -> tuple[pd.DataFrame, dict[str, str]]:
        """The frame with lower-case column names, and lower-case name -> header as written.

        Layouts are matched case-insensitively; "ID" and "id" in one header stay two columns.
        """
        lower = unique_header([h.lower() for h in self.header])
        return self.frame.set_axis(lower, axis=1), dict(zip(lower, self.header, strict=True))

    @property
    def first_row(self) -> int:
        return int(self.rows[0]) if len(self.rows) else 2

    @classmethod
    def build(
        cls, grid: pd.DataFrame, rows: np.ndarray, bad_rows: list[tuple[int, int]] | None = None
    ) -> Table:
        """From a grid of strings whose first row is the header, dropping blank rows.

        A row of empty cells carries nothing and is not counted as read; an HXL hashtag row
        in the header's place or just under it is taken out of the data and kept aside.
        """
        header_cells = [str(c) for c in grid.iloc[0]]
        header_row = int(rows[0])
        data = grid.iloc[1:]
        rows = rows[1:]
        hashtags, hashtag_row = None, 0
        if is_hashtag_row(header_cells):
            hashtags, hashtag_row = header_cells, header_row
        elif len(data) and is_hashtag_row([str(c) for c in data.iloc[0]]):
            hashtags, hashtag_row = [str(c) for c in data.iloc[0]], int(rows[0])
            data, rows = data.iloc[1:], rows[1:]
        header = unique_header(header_cells)
        data = data.set_axis(header, axis=1)
        filled = _filled_rows(data)
        # all rows filled (the usual case): no boolean take, which would copy every column
        data = (data if filled.all() else data[filled]).reset_index(drop=True)
        return cls(
            header, data, np.asarray(rows)[filled], list(bad_rows or []), hashtags, hashtag_row
        )


def _filled_rows(data: pd.DataFrame) -> np.ndarray:
    """Rows with at least one non-empty cell, column by column (usually the first settles it)."""
    filled = np.zeros(len(data), dtype=bool)
    for column in range(data.shape[1]):
        if filled.all():
            break
        filled |= (data.iloc[:, column] != "").to_numpy(dtype=bool)
    return filled
