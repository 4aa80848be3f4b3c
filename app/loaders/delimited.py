"""Delimited text (CSV, semicolon, tab) in any encoding -> :class:`~app.loaders.table.Table`.

Hand-made files arrive as UTF-8 with or without a BOM, UTF-16 or Windows-1256, with
commas, semicolons or tabs; exports can have a million rows. Bytes are decoded by
:func:`app.normalise.text.decode_bytes`, the delimiter chosen by ``sniff_delimiter``, and
the cells parsed by pyarrow's CSV reader (single-threaded so it reports the row number of
every row with the wrong number of cells; ~10x faster than the ``csv`` module on big files).
Every cell stays a string: the layout loaders decide what is a number or a date.
"""

from __future__ import annotations

import numpy as np

from app.loaders.context import LoadContext
from app.loaders.layouts import load_table
from app.loaders.report import LoadResult
from app.loaders.source import WHITESPACE, Source
from app.loaders.table import Table
from app.normalise.text import BinaryFileError, EmptyFileError, decode_bytes, sniff_delimiter

#: pyarrow block size: a row longer than this cannot be parsed (16 MB is far beyond any sheet).
BLOCK_SIZE = 1 << 24


def _skip_blank_lines(data: bytes) -> tuple[bytes, int]:
    """``data`` without its leading blank lines, and how many there were."""
    skipped = 0
    while True:
        end = data.find(b"\n")
        if end < 0 or data[:end].strip(WHITESPACE):
            return data, skipped
        data = data[end + 1 :]
        skipped += 1


def read_delimited(source: Source, result: LoadResult) -> Table | None:
    """The table in ``source``, or None after reporting a whole-file problem in ``result``."""
    try:
        decoded = decode_bytes(source.data)
    except (EmptyFileError, BinaryFileError) as exc:
        found, _, expected = str(exc).partition("; ")
        result.add(0, "", found, expected or "expected a text file such as CSV")
        return None
    delimiter = sniff_delimiter(decoded.text)
    if decoded.encoding == "utf-8":
        utf8 = source.data[3:] if decoded.had_bom else source.data
    else:
        utf8 = decoded.text.encode("utf-8")
    del decoded  # a million-row file: its text is as large as the file; the parse needs bytes
    utf8, skipped = _skip_blank_lines(utf8)
    first_line = utf8[: utf8.find(b"\n")] if b"\n" in utf8 else utf8
    return _parse(utf8, delimiter, first_line.count(delimiter.encode()) + 1, skipped, result)


def _parse(
    utf8: bytes, delimiter: str, width: int, skipped: int, result: LoadResult
) -> Table | None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    bad: list[tuple[int, int]] = []

    def on_bad_row(row: pacsv.InvalidRow) -> str:
        bad.append((row.number or 0, row.actual_columns))
        return "skip"

    # The first line's delimiter count bounds the width (quoted delimiters only add to it);
    # the margin covers a header with quoted line breaks. Unused names are ignored.
    names = [f"f{i}" for i in range(width + 256)]
    try:
        arrow = pacsv.read_csv(
            pa.py_buffer(utf8),
            read_options=pacsv.ReadOptions(
                autogenerate_column_names=True, use_threads=False, block_size=BLOCK_SIZE
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_bad_row,
            ),
            convert_options=pacsv.ConvertOptions(
                # large_string is what pandas' Arrow strings hold: to_pandas() then shares the
                # buffers instead of copying every cell (1M UCDP rows: 0.8 s and ~0.5 GB less)
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError) as exc:
        result.add(
            0,
            "",
            f"the file cannot be parsed as delimited text ({exc})",
            "expected a CSV file with one record per line and quoted fields closed",
        )
        return None
    if any(number == 1 for number, _ in bad) or arrow.num_rows == 0:
        result.add(
            1,
            "",
            "the header row cannot be read",
            "expected a header row of column names, with quoted fields closed",
        )
        return None
    grid = arrow.to_pandas()
    total = arrow.num_rows + len(bad)
    bad_numbers = {number for number, _ in bad}
    if bad_numbers:
        rows = np.array([n for n in range(1, total + 1) if n not in bad_numbers])
    else:
        rows = np.arange(1, total + 1)
    return Table.build(grid, rows + skipped, [(number + skipped, found) for number, found in bad])


def load_delimited(source: Source, result: LoadResult, ctx: LoadContext) -> None:
    """CSV-like ``source`` -> its layout's loader (see :mod:`app.loaders.layouts`)."""
    table = read_delimited(source, result)
    if table is not None:
        load_table(table, "csv", result, ctx)
        del table
        _release_arrow_memory()


def _release_arrow_memory() -> None:
    """Hand the parsed cells' memory back to the system now that the layout loader is done.

    Arrow's allocator keeps freed blocks for reuse; after a million-row file that is some
    700 MB the rest of an ``add`` (the insert, the aggregates) would otherwise hold.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
