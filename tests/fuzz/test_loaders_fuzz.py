"""Property tests for every format loader through ``app.loaders.load``: well-formed files of
each layout whose cells are anything a hurried hand types.

Arbitrary bytes rarely get past the format sniffers (``tests/unit/test_validate_fuzz.py``
covers them), so here the container is right (CSV in several encodings and delimiters,
XLSX, GeoJSON) and the layout is recognised (dated figures, canonical figures, HXL, ACLED,
UCDP GED, gazetteer, boundaries), and the cells are hostile. Whatever they hold:

- ``load`` answers (no exception, no "internal error" problem);
- every data row written is read: rows read = rows written (blank rows aside) =
  accepted + rejected + unmatched, so nothing is lost (HXL counts figures: a row gives one
  per filled value column, and one rejected figure when it has none);
- every rejected or unmatched row is named in a problem on its own row number;
- the table returned has exactly the accepted rows.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.loaders import LoadResult, default_context, load

from .strategies import FUZZ, MESSY_TEXT

# Cells are one line each (row numbers stay line numbers) and never start with "#" (a row
# of hashtags is an HXL row by libhxl's rule, not data).
_TEXT = st.one_of(MESSY_TEXT, st.text(max_size=20)).map(
    lambda t: t.replace("\n", " ").replace("\r", " ").lstrip("#")
)
DATE = st.one_of(
    st.dates().map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["2020-02-30", "31/04/2020", "1820-03-08", "03/04/2020", "", "Feb 2020"]),
    _TEXT,
)
NUMBER = st.one_of(
    st.integers(min_value=-5, max_value=10**9).map(str),
    st.sampled_from(["948,000", "1,80", "n/a", "-1", "٢٤٨٨٤٢", "1.2 million", "", "1e9"]),
    _TEXT,
)
PCODE = st.one_of(
    st.sampled_from(["SY070301", "SY0703", "SY07", "SY999999", "sy070302", "", "SY07030"]),
    _TEXT,
)
PLACE = st.one_of(st.sampled_from(["Dana", "Ariha", "Atlantis", "Saraqeb", "إدلب", ""]), _TEXT)
METRIC = st.one_of(
    st.sampled_from(["idps_present", "idp_arrivals", "civilians_killed", "other_x", ""]), _TEXT
)
QUALIFIER = st.one_of(st.sampled_from(["", "some", "more than", "at least", "roughly-ish"]), _TEXT)
LAT = st.one_of(st.floats(-100, 100, allow_nan=False).map(str), _TEXT)

#: layout name -> (header, HXL hashtags or None, {column: cell strategy}); unnamed: text.
LAYOUTS: dict[str, tuple[list[str], list[str] | None, dict[str, st.SearchStrategy[str]]]] = {
    "dated-figures": (
        [
            "period_start",
            "period_end",
            "published_date",
            "metric",
            "value",
            "qualifier",
            "area_name_as_written",
            "pcode",
            "pcode_level",
            "publisher",
            "document",
            "url",
            "note",
        ],
        None,
        {
            "period_start": DATE,
            "period_end": DATE,
            "published_date": DATE,
            "metric": METRIC,
            "value": NUMBER,
            "qualifier": QUALIFIER,
            "area_name_as_written": PLACE,
            "pcode": PCODE,
            "pcode_level": st.sampled_from(["", "1", "2", "3", "9", "x"]),
        },
    ),
    "hxl": (
        ["Date", "P-code", "Place", "IDPs", "Killed", "Source"],
        ["#date", "#adm3+code", "#adm3+name", "#affected+idps", "#affected+killed", "#meta+source"],
        {"Date": DATE, "P-code": PCODE, "Place": PLACE, "IDPs": NUMBER, "Killed": NUMBER},
    ),
    "acled": (
        [
            "event_id_cnty",
            "event_date",
            "event_type",
            "location",
            "latitude",
            "longitude",
            "fatalities",
        ],
        None,
        {"event_date": DATE, "latitude": LAT, "longitude": LAT, "fatalities": NUMBER},
    ),
    "ucdp-ged": (
        [
            "id",
            "date_start",
            "date_end",
            "latitude",
            "longitude",
            "best",
            "low",
            "high",
            "type_of_violence",
        ],
        None,
        {
            "date_start": DATE,
            "date_end": DATE,
            "latitude": LAT,
            "longitude": LAT,
            "best": NUMBER,
            "low": NUMBER,
            "high": NUMBER,
            "type_of_violence": st.sampled_from(["1", "2", "3", "4", ""]),
        },
    ),
    "gazetteer": (
        ["level", "pcode", "name_en", "parent_pcode"],
        None,
        {
            "level": st.sampled_from(["1", "2", "3", "0", "x", ""]),
            "pcode": PCODE,
            "parent_pcode": PCODE,
        },
    ),
}


@pytest.fixture(scope="module")
def ctx() -> Any:
    return default_context()


def _rows(draw: st.DrawFn, layout: str) -> list[list[str]]:
    header, _, cells = LAYOUTS[layout]
    n = draw(st.integers(min_value=1, max_value=6))
    return [[draw(cells.get(c, _TEXT)) for c in header] for _ in range(n)]


@st.composite
def delimited_file(draw: st.DrawFn) -> tuple[str, bytes, int, str]:
    """(layout, file bytes, non-blank data rows, suffix) for a CSV-like file."""
    layout = draw(st.sampled_from(sorted(LAYOUTS)))
    header, tags, _ = LAYOUTS[layout]
    rows = _rows(draw, layout)
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    if tags:
        writer.writerow(tags)
    writer.writerows(rows)
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    filled = sum(any(c != "" for c in r) for r in rows)
    return layout, text.encode(encoding, errors="replace"), filled, ".csv"


@st.composite
def xlsx_file(draw: st.DrawFn) -> tuple[str, bytes, int, str]:
    from openpyxl import Workbook

    layout = draw(st.sampled_from(sorted(LAYOUTS)))
    header, tags, _ = LAYOUTS[layout]
    rows = _rows(draw, layout)
    wb = Workbook()
    ws = wb.active
    for line in [header, *([tags] if tags else []), *rows]:
        # what a person types into Excel: no control characters (Excel refuses them too)
        ws.append([_excel_text(c) or None for c in line])
    buf = io.BytesIO()
    wb.save(buf)
    filled = sum(any(_excel_text(c) for c in r) for r in rows)
    return layout, buf.getvalue(), filled, ".xlsx"


def _excel_text(cell: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", cell)


def _check(result: LoadResult, written: int, layout: str) -> None:
    assert not any("internal error" in p.found for p in result.problems), result.problems
    assert result.rows_read == result.accepted + result.rejected + result.unmatched
    whole_file = [p for p in result.problems if p.row == 0 and p.severity == "error"]
    if not whole_file:
        assert result.format.endswith(layout), (result.format, result.problems[:3])
        if layout == "hxl":  # one figure per filled value column (a row with none: one)
            assert written <= result.rows_read <= 2 * written, result.summary()
        else:
            assert result.rows_read == written, result.summary()
        flagged = {p.row for p in result.problems if p.severity in ("error", "unmatched")}
        flagged -= {0, 1}  # whole-file and header problems name no data row
        bad = result.rejected + result.unmatched
        # each rejected or unmatched row is named on its own row (HXL: per row, not figure)
        assert len(flagged) >= (min(bad, 1) if layout == "hxl" else bad), result.problems
    if result.table is not None:
        assert len(result.table) == result.accepted


@FUZZ
@given(st.one_of(delimited_file(), xlsx_file()))
def test_every_layout_accounts_for_every_row(
    ctx: Any, tmp_path_factory: pytest.TempPathFactory, case: tuple[str, bytes, int, str]
) -> None:
    layout, data, written, suffix = case
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    _check(load(path, ctx), written, layout)


# --- boundaries (GeoJSON) -------------------------------------------------------------------

COORD = st.one_of(
    st.tuples(st.floats(35.5, 37.5), st.floats(35.5, 36.8)),
    st.tuples(st.floats(-1e7, 1e7), st.floats(-1e7, 1e7)),
).map(list)
RING = st.lists(COORD, min_size=0, max_size=6).map(lambda r: [*r, r[0]] if r else r)
GEOMETRY = st.one_of(
    st.none(),
    st.builds(lambda r: {"type": "Polygon", "coordinates": [r]}, RING),
    st.builds(lambda r: {"type": "MultiPolygon", "coordinates": [[r]]}, RING),
    st.builds(lambda c: {"type": "Point", "coordinates": c}, COORD),
    st.builds(lambda c: {"type": "LineString", "coordinates": [c, c]}, COORD),
)
PROPERTIES = st.fixed_dictionaries(
    {"ADM3_PCODE": PCODE},
    optional={"ADM3_EN": PLACE, "ADM2_PCODE": PCODE, "ADM1_PCODE": PCODE, "note": _TEXT},
)


@FUZZ
@given(
    st.lists(
        st.builds(
            lambda p, g: {"type": "Feature", "properties": p, "geometry": g}, PROPERTIES, GEOMETRY
        ),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from([None, "EPSG:4326", "EPSG:3857", "urn:ogc:def:crs:OGC:1.3:CRS84"]),
)
def test_boundary_files_account_for_every_feature(
    ctx: Any, tmp_path_factory: pytest.TempPathFactory, features: list[dict], crs: str | None
) -> None:
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path: Path = tmp_path_factory.mktemp("fuzz") / "input.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = load(path, ctx)
    assert not any("internal error" in p.found for p in result.problems), result.problems
    assert result.rows_read == result.accepted + result.rejected + result.unmatched
    if not any(p.row == 0 and p.severity == "error" for p in result.problems):
        assert result.rows_read == len(features), result.summary()
    if result.table is not None:
        # features sharing a P-code are merged into one area, with a warning that says so
        merged = any("merged" in p.expected for p in result.problems)
        assert len(result.table) == result.accepted or (
            merged and len(result.table) < result.accepted
        )
