"""One input file as every loader sees it: its path, its bytes (read once) and its name.

:func:`app.loaders.load` reads the bytes once and hands the same :class:`Source` to the
format sniffers and then to one loader, so no loader opens the file again (except the
Shapefile reader, which needs the ``.dbf``/``.shx``/``.prj`` next to the ``.shp``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Bytes that may surround the content of a text file without being content.
WHITESPACE = b" \t\r\n\x0b\x0c"


@dataclass(frozen=True)
class Source:
    path: Path
    data: bytes

    @property
    def suffix(self) -> str:
        """Lower-case extension with its dot (``.csv``), or ``""``."""
        return self.path.suffix.lower()

    @property
    def head(self) -> bytes:
        """The first bytes after any UTF-8 BOM and leading whitespace (for sniffing)."""
        return self.data[:65536].removeprefix(b"\xef\xbb\xbf").lstrip(WHITESPACE)[:4096]
