"""``load(path)``: which format each input is taken for, and whole-file problems at row 0."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from app.loaders import FORMATS, load, sniff
from app.loaders.source import Source

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.csv", b"metric,value\n", "csv"),
        ("a.txt", b"metric;value\n", "csv"),
        ("noext", b"a\tb\n", "csv"),
        ("a.geojson", b'{"type": "FeatureCollection", "features": []}', "geojson"),
        ("a.dat", b'\xef\xbb\xbf  {"type": "Feature"}', "geojson"),
        ("a.json", b"metric,value\n", "geojson"),
        ("a.xlsx", _zip({"xl/workbook.xml": b"<x/>"}), "xlsx"),
        ("a.bin", _zip({"xl/workbook.xml": b"<x/>"}), "xlsx"),
        ("a.zip", _zip({"dir/areas.shp": b"", "dir/areas.dbf": b""}), "shapefile-zip"),
        ("a.zip", _zip({"notes.txt": b"hello"}), "zip"),
        ("a.gpkg", b"SQLite format 3\x00" + bytes(100), "geopackage"),
        ("a.shp", b"\x00\x00\x27\x0a" + bytes(96), "shapefile"),
        ("a.csv", PNG, "csv"),
    ],
)
def test_sniff_picks_one_format(name: str, data: bytes, expected: str) -> None:
    assert sniff(Source(Path(name), data)).name == expected


def test_dispatch_table_is_documented() -> None:
    names = [f.name for f in FORMATS]
    assert names == ["xlsx", "shapefile-zip", "zip", "geopackage", "shapefile", "geojson", "csv"]
    assert FORMATS[-1].matches(Source(Path("x"), b"\x00")), "text is the catch-all, last"


UNREADABLE = {
    "empty": (b"", "the file is empty (0 bytes)"),
    "whitespace": (b" \r\n\t\n", "the file is only whitespace"),
    "png": (PNG, "the file is a PNG image"),
    "nul": (b"\x00\x01\x02binary\x00", "NUL byte at offset 0: binary data"),
    "zip": (_zip({"notes.txt": b"x"}), "a zip archive holding notes.txt"),
}


@pytest.mark.parametrize("kind", list(UNREADABLE))
@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson", ""])
def test_unreadable_input_is_one_whole_file_problem(
    tmp_path: Path, ctx, kind: str, suffix: str
) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(UNREADABLE[kind][0])
    result = load(path, ctx)
    assert (result.rows_read, result.accepted, result.rejected, result.unmatched) == (0, 0, 0, 0)
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.severity) == (0, "", "error")
    assert problem.expected.startswith("expected ")


@pytest.mark.parametrize("kind", list(UNREADABLE))
def test_unreadable_csv_says_what_it_is(tmp_path: Path, ctx, kind: str) -> None:
    path = tmp_path / "input.csv"
    data, found = UNREADABLE[kind]
    path.write_bytes(data)
    (problem,) = load(path, ctx).problems
    assert problem.found.startswith(found)


def test_missing_file_and_directory(tmp_path: Path, ctx) -> None:
    missing = load(tmp_path / "nope.csv", ctx)
    assert [p.line() for p in missing.problems] == [
        "nope.csv:0:: file not found; expected a path to a readable file"
    ]
    folder = load(tmp_path, ctx)
    assert [p.line() for p in folder.problems] == [
        f"{tmp_path.name}:0:: a directory; expected a file (name the files inside it)"
    ]


def test_unknown_layout_lists_known_layouts_and_headers(load_fixture, tmp_path: Path, ctx) -> None:
    path = tmp_path / "people.csv"
    path.write_text("name,age\nAmal,30\n", encoding="utf-8")
    (problem,) = load(path, ctx).problems
    assert problem.found == "unknown layout: the header has name, age"
    for layout in ("canonical-figures", "hxl", "dated-figures", "acled", "ucdp-ged", "gazetteer"):
        assert layout in problem.expected


def test_default_context_comes_from_the_configured_bundle(tmp_path: Path) -> None:
    from app.config import override

    with override(data_dir=tmp_path):  # an empty bundle: no gazetteer, so nothing matches
        result = load(Path(__file__).parents[1] / "fixtures" / "madeup_hxl_figures.csv")
    assert result.unmatched == result.rows_read == 4


@pytest.mark.parametrize(
    "module",
    ["boundaries", "columns", "gazetteer", "table", "xlsx"],
)
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"app.loaders.{module}"))
    assert result.failed == 0 and result.attempted > 0
