"""Text as an XLSX cell holds it: OOXML's ``_xHHHH_`` escape (ECMA-376 Part 1, ST_Xstring).

XML turns a bare carriage return into a line feed when the file is read back (end-of-line
normalisation), so a spreadsheet stores it as ``_x000D_``; Excel and LibreOffice write and
read every control character that way, and write a literal ``_xHHHH_`` in the text with its
underscore escaped (``_x005F_x000D_``). openpyxl does neither for cell values: the export
escapes (:func:`escape`) and the XLSX loader unescapes (:func:`unescape`), so a note
holding ``\\r`` or the text ``_x000D_`` loads back from our own export as it was written.
"""

from __future__ import annotations

import re

#: A literal escape sequence in the text: its underscore is escaped first.
_LITERAL = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape(text: str) -> str:
    """``text`` as a cell stores it: carriage returns and literal ``_xHHHH_`` escaped.

    >>> escape("a\\rb"), escape("_x000D_")
    ('a_x000D_b', '_x005F_x000D_')
    """
    if "_" in text:
        text = _LITERAL.sub("_x005F_", text)
    return text.replace("\r", "_x000D_") if "\r" in text else text


def unescape(text: str) -> str:
    """A cell's stored text as written (:func:`escape` undone, as a spreadsheet reads it).

    >>> unescape("a_x000D_b"), unescape("_x005F_x000D_"), unescape("_x0009_")
    ('a\\rb', '_x000D_', '\\t')
    """
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
