"""One entry point for reading any supported file: ``load(path) -> LoadResult``.

Like geopandas' engine table (``io/file.py``) and libhxl's ``make_input``, :func:`load`
reads the bytes once, asks each entry of :data:`FORMATS` in turn whether the file is its
format (cheap tests on the first bytes and the name, :mod:`app.loaders.sniff`) and hands it
to that format's loader. Tabular formats (CSV, XLSX) then pick a layout by their header
(:mod:`app.loaders.layouts`). Loaders are imported when first used, so ``validate`` on a
CSV never imports geopandas.

Bad input never raises: an unreadable, empty, binary or unrecognised file is a whole-file
problem at row 0, and every row read is accepted, rejected or unmatched.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.loaders.context import LoadContext
from app.loaders.report import LoadError, LoadResult, Problem
from app.loaders.sniff import (
    is_geopackage,
    is_json,
    is_shapefile,
    is_text,
    is_xlsx,
    is_zip,
    is_zipped_shapefile,
    zip_names,
)
from app.loaders.source import Source

__all__ = [
    "FORMATS",
    "Format",
    "LoadContext",
    "LoadError",
    "LoadResult",
    "Problem",
    "default_context",
    "load",
]

FormatLoader = Callable[..., None]
_BLANK = re.compile(rb"[ \t\r\n\x0b\x0c]*")


@dataclass(frozen=True)
class Format:
    """A file format: how to recognise it and which loader reads it (``"module:function"``)."""

    name: str
    description: str
    matches: Callable[[Source], bool]
    loader: str
    options: dict[str, str] = field(default_factory=dict)

    def load(self, source: Source, result: LoadResult, ctx: LoadContext) -> None:
        module, _, function = self.loader.partition(":")
        fn: FormatLoader = getattr(importlib.import_module(module), function)
        fn(source, result, ctx, **self.options)


def reject_zip(source: Source, result: LoadResult, ctx: LoadContext) -> None:
    """A zip archive that holds neither a workbook nor a Shapefile."""
    del ctx
    names = ", ".join(zip_names(source)[:20]) or "no readable members"
    result.add(
        0,
        "",
        f"a zip archive holding {names}",
        "expected an .xlsx workbook or a zip holding a Shapefile (.shp with .shx, .dbf, .prj)",
    )


#: First match wins: containers recognised by content first, plain text last.
FORMATS: list[Format] = [
    Format("xlsx", "Excel workbook", is_xlsx, "app.loaders.xlsx:load_xlsx"),
    Format(
        "shapefile-zip",
        "zipped Shapefile",
        is_zipped_shapefile,
        "app.loaders.boundaries:load_boundaries",
        {"kind": "shapefile-zip"},
    ),
    Format("zip", "other zip archive", is_zip, "app.loaders:reject_zip"),
    Format(
        "geopackage",
        "GeoPackage",
        is_geopackage,
        "app.loaders.boundaries:load_boundaries",
        {"kind": "geopackage"},
    ),
    Format(
        "shapefile",
        "Shapefile (.shp)",
        is_shapefile,
        "app.loaders.boundaries:load_boundaries",
        {"kind": "shapefile"},
    ),
    Format(
        "geojson", "GeoJSON", is_json, "app.loaders.boundaries:load_boundaries", {"kind": "geojson"}
    ),
    Format(
        "csv",
        "delimited text (CSV, semicolon, tab)",
        is_text,
        "app.loaders.delimited:load_delimited",
    ),
]


def default_context() -> LoadContext:
    """Gazetteer, regions, aliases and boundaries of the configured bundle (``data/``)."""
    from app.config import get_config

    data_dir = Path(get_config().data_dir)
    return LoadContext.from_dir(data_dir / "tables", data_dir / "boundaries")


def _read_bytes(path: Path, result: LoadResult) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        result.add(0, "", "file not found", "expected a path to a readable file")
    except IsADirectoryError:
        result.add(0, "", "a directory", "expected a file (name the files inside it)")
    except PermissionError:
        result.add(0, "", "permission denied", "expected a file this user may read")
    except OSError as exc:
        result.add(0, "", f"cannot be read ({exc.strerror or exc})", "expected a readable file")
    return None


def sniff(source: Source) -> Format:
    return next(f for f in FORMATS if f.matches(source))


def load(path: str | Path, ctx: LoadContext | None = None) -> LoadResult:
    """Read ``path`` whatever its format; every problem is in the returned result."""
    path = Path(path)
    result = LoadResult(path=str(path), format="unknown")
    data = _read_bytes(path, result)
    if data is None:
        return result
    if _BLANK.fullmatch(data):
        what = "empty (0 bytes)" if not data else "only whitespace"
        result.add(0, "", f"the file is {what}", "expected a header row and data rows")
        return result
    source = Source(path, data)
    fmt = sniff(source)
    result.format = fmt.name
    fmt.load(source, result, ctx if ctx is not None else default_context())
    result.problems.sort(key=lambda p: p.row)
    result.check_accounting()
    return result
