"""Cheap tests on a file's first bytes and name: which format is it?

Like libhxl's ``make_input``, content wins over the extension where the content is
unambiguous (a zip, an SQLite database, a JSON object); the extension decides only for
Shapefiles, whose ``.shp`` needs its sibling files anyway.
"""

from __future__ import annotations

import io
import zipfile

from app.loaders.source import Source

ZIP_MAGIC = b"PK\x03\x04"
SQLITE_MAGIC = b"SQLite format 3\x00"
#: A .shp file starts with the big-endian file code 9994.
SHAPEFILE_MAGIC = b"\x00\x00\x27\x0a"


def zip_names(source: Source) -> list[str]:
    """Member names of a zip archive ([] if ``source`` is not a readable zip)."""
    if not source.data.startswith(ZIP_MAGIC):
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as z:
            return z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return []


def is_xlsx(source: Source) -> bool:
    return "xl/workbook.xml" in zip_names(source)


def is_zipped_shapefile(source: Source) -> bool:
    return any(name.lower().endswith(".shp") for name in zip_names(source))


def is_zip(source: Source) -> bool:
    return source.data.startswith(ZIP_MAGIC)


def is_geopackage(source: Source) -> bool:
    return source.data.startswith(SQLITE_MAGIC)


def is_shapefile(source: Source) -> bool:
    return source.suffix == ".shp" or source.data.startswith(SHAPEFILE_MAGIC)


def is_json(source: Source) -> bool:
    return source.head[:1] == b"{" or source.suffix in (".geojson", ".json")


def is_text(source: Source) -> bool:
    del source
    return True
