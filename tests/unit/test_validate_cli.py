"""``python -m app validate``: exact report lines, exit codes 0/1/2, --json, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import validate

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT / "tests" / "corpus"
SHARED = ROOT.parent / "shared" / "data"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", "validate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_clean_file_prints_its_summary_and_exits_0() -> None:
    proc = cli("tests/fixtures/madeup_acled_5_events.csv")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == (
        "tests/fixtures/madeup_acled_5_events.csv: csv:acled (events): 5 rows "
        "read, 5 accepted, 0 rejected, 0 unmatched, 0 warnings\n"
    )


def test_warnings_alone_keep_exit_0() -> None:
    proc = cli("tests/fixtures/madeup_adm3_codab_fields_split_and_bowtie.geojson")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "madeup_adm3_codab_fields_split_and_bowtie.geojson:2:geometry: [warning] P-code SY070302 "
        "is split into 2 parts (features 2, 4); expected one feature per P-code; the parts were "
        "merged into one area",
        "madeup_adm3_codab_fields_split_and_bowtie.geojson:3:geometry: [warning] feature 3 "
        "(SY070305): invalid geometry (Self-intersection[36.5 36.02]); expected valid rings; "
        "repaired with shapely.make_valid, check the shape",
        "tests/fixtures/madeup_adm3_codab_fields_split_and_bowtie.geojson: geojson (areas): 4 rows "
        "read, 4 accepted, 0 rejected, 0 unmatched, 2 warnings",
    ]


def test_problems_missing_files_and_directories_exit_1() -> None:
    proc = cli(
        "tests/fixtures/madeup_ucdp_ged_invalid.csv", "tests/fixtures/nope.csv", "tests/fixtures"
    )
    assert (proc.returncode, proc.stderr) == (1, "")
    assert proc.stdout.splitlines() == [
        "madeup_ucdp_ged_invalid.csv:3:date_start: empty; expected the date of the event",
        "madeup_ucdp_ged_invalid.csv:4:longitude: '200'; expected decimal degrees from -180 to "
        "180, such as 35.93",
        "madeup_ucdp_ged_invalid.csv:5:low: 'four' is not a number; expected a count such as "
        "948000, 948,000, 948 000, 1.12 million or 344K",
        "madeup_ucdp_ged_invalid.csv:6:latitude,longitude: [unmatched] 1 event is outside the "
        "dashboard's areas (row 6); expected a point inside the bundled sub-districts "
        "(governorates SY02, SY05, SY06, SY07)",
        "tests/fixtures/madeup_ucdp_ged_invalid.csv: csv:ucdp-ged (events): 5 rows read, "
        "1 accepted, 3 rejected, 1 unmatched, 0 warnings",
        "nope.csv:0:: file not found; expected a path to a readable file",
        "tests/fixtures/nope.csv: unknown: 0 rows read, 0 accepted, 0 rejected, 0 unmatched, "
        "0 warnings",
        "fixtures:0:: a directory; expected a file (name the files inside it)",
        "tests/fixtures: unknown: 0 rows read, 0 accepted, 0 rejected, 0 unmatched, 0 warnings",
    ]


@pytest.mark.parametrize("args", [[], ["--json"], ["--bogus", "x.csv"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    proc = cli(*args)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("usage: python -m app")


def test_json_report() -> None:
    proc = cli(
        "--json",
        "tests/fixtures/madeup_hxl_figures.csv",
        "tests/fixtures/madeup_hxl_no_value_column.csv",
    )
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert set(doc) == {"files", "clean"} and doc["clean"] is False
    good, bad = doc["files"]
    assert good == {
        "file": "tests/fixtures/madeup_hxl_figures.csv",
        "format": "csv:hxl",
        "table": "figures",
        "rows_read": 4,
        "accepted": 4,
        "rejected": 0,
        "unmatched": 0,
        "warnings": 0,
        "clean": True,
        "problems": [],
    }
    assert bad["clean"] is False
    assert bad["problems"] == [
        {
            "file": "madeup_hxl_no_value_column.csv",
            "row": 0,
            "column": "",
            "found": "no value column among the hashtags #date #adm3+code #meta+source",
            "expected": "expected a value tag such as #affected+idps, #affected+killed, #inneed, "
            "#population or #indicator+value",
            "severity": "error",
        }
    ]


def test_summaries_of_the_real_files() -> None:
    """The three hand-transcribed figures files and the raw HNO microsite file are clean."""
    files = [
        *sorted((SHARED / "figures").glob("*.csv")),
        SHARED / "raw" / "ocha-hno-microsite" / "hno_2019_en.json",
    ]
    proc = cli(*map(str, files))
    assert proc.returncode == 0
    summaries = [
        line.split(": ", 1)[1] for line in proc.stdout.splitlines() if line.startswith(str(SHARED))
    ]
    assert summaries == [
        "csv:dated-figures (figures): 12 rows read, 12 accepted, 0 rejected, 0 unmatched, 1 warnings",
        "csv:dated-figures (figures): 26 rows read, 26 accepted, 0 rejected, 0 unmatched, 1 warnings",
        "csv:dated-figures (figures): 46 rows read, 46 accepted, 0 rejected, 0 unmatched, 5 warnings",
        "geojson (areas): 278 rows read, 278 accepted, 0 rejected, 0 unmatched, 12 warnings",
    ]


def test_the_guard_turns_a_crash_into_a_problem(monkeypatch, capsys, tmp_path: Path) -> None:
    import app.loaders

    def crash(path, ctx=None):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(app.loaders, "load", crash)
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n")
    assert validate.run([str(path)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "x.csv:0:: internal error while reading: ZeroDivisionError: boom; expected no internal "
        "error; please report it with the file"
    )


def _corpus() -> list[Path]:
    files = [p for p in [*FIXTURES.iterdir(), *CORPUS.iterdir()] if p.suffix != ".py"]
    files += sorted((SHARED / "figures").glob("*.csv"))
    files += sorted((SHARED / "raw" / "ocha-hno-microsite").glob("*.json"))
    files += [
        SHARED / "gazetteer" / "syr_pcode_gazetteer_adm1-3.csv",
        ROOT / "data" / "tables" / "figures.csv",
        *sorted((ROOT / "data" / "boundaries").glob("*")),
    ]
    return sorted(files)


def test_the_guard_never_triggers_on_the_corpus(capsys) -> None:
    paths = [str(p) for p in _corpus()]
    validate.run(paths, as_json=True)
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["files"]) == len(paths) > 50
    for file_doc in doc["files"]:
        assert file_doc["rows_read"] == (
            file_doc["accepted"] + file_doc["rejected"] + file_doc["unmatched"]
        )
        assert not [p for p in file_doc["problems"] if "internal error" in p["found"]], file_doc[
            "file"
        ]


HEAVY = ("geopandas", "pandera", "pyogrio", "openpyxl", "shapely")


@pytest.mark.parametrize(
    ("path", "imported"),
    [
        ("tests/fixtures/nope.csv", []),  # starting up and reporting costs no heavy import
        # figures need the pandera schemas (and pandera imports geopandas to check dtypes),
        # but no file reader of another format
        ("tests/fixtures/madeup_hxl_figures.csv", ["geopandas", "pandera", "shapely"]),
    ],
)
def test_heavy_modules_are_imported_only_when_needed(path: str, imported: list[str]) -> None:
    code = (
        "import sys; from app.validate import run; "
        f"run([{path!r}]); "
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.stdout.splitlines()[-1] == repr(imported)
