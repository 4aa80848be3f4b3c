"""``read_figures_csv`` (Arrow's reader) gives exactly the frame pandas' reader gave: same
values, dtypes (Arrow strings, or objects with None where a column has empty cells) and
errors on cells that are not numbers or days. Files: the REAL bundle tables, the canonical
fixture, a GENERATED table, and MADE-UP files with the awkward cells a hand can type."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from generated_tables import generated_figures

from app.bundle.store import read_figures_csv, release_freed_memory
from app.tables.columns import FIGURE_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
DATES = ["period_start", "period_end", "published_date"]


def pandas_reader(path: Path) -> pd.DataFrame:
    """The reader it replaced (app/bundle/store.py as of commit ae67a90): the oracle."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df = df.replace({"": None})
    for c in ("value", "low", "high"):
        df[c] = df[c].astype(float)
    for c in DATES:
        df[c] = pd.to_datetime(df[c], format="%Y-%m-%d")
    df["source_row"] = df["source_row"].astype(int)
    return df[FIGURE_COLUMNS]


def _same(path: Path) -> pd.DataFrame:
    got, want = read_figures_csv(path), pandas_reader(path)
    pd.testing.assert_frame_equal(got, want)
    for c in FIGURE_COLUMNS:  # None stays None, not NaN, in object columns
        if want[c].dtype == object:
            assert [type(v) for v in got[c]] == [type(v) for v in want[c]], c
    return got


@pytest.mark.parametrize(
    "name", ["data/tables/figures.csv", "data/tables/hno2019_baseline.csv",
             "tests/fixtures/canonical_figures_sample.csv"],
)  # fmt: skip
def test_real_files(name: str) -> None:
    _same(ROOT / name)


def _write(df: pd.DataFrame, path: Path, bom: bool = False, extra: bool = False) -> Path:
    out = df.copy()
    for c in DATES:
        out[c] = pd.to_datetime(out[c]).dt.strftime("%Y-%m-%d")
    if extra:  # the export's columns around the canonical ones
        out.insert(0, "ADM1_PCODE", "SY07")
        out["flags"] = "published_twice (note, with madeup1)"
    out.to_csv(path, index=False, encoding="utf-8-sig" if bom else "utf-8")
    return path


def test_generated_table(tmp_path: Path) -> None:
    _same(_write(generated_figures(2000, 5), tmp_path / "generated.csv"))


def test_made_up_awkward_cells(tmp_path: Path) -> None:
    df = generated_figures(6, 6)
    df["note"] = ["line one\nline two", 'a "quoted" word', "إدلب, ريف", "", None, "=1+1"]
    df["url"] = None  # a column with no value at all
    df["publisher"] = "MADE-UP, with a comma"
    got = _same(_write(df, tmp_path / "madeup.csv", bom=True, extra=True))
    assert got.loc[0, "note"] == "line one\nline two"
    assert got["url"].tolist() == [None] * 6


@pytest.mark.parametrize(
    ("column", "cell"),
    [("value", "many"), ("period_end", "2020-02-30"), ("period_start", "16/02/2020"),
     ("source_row", ""), ("source_row", "x")],
)  # fmt: skip
def test_a_cell_that_is_not_its_type_stops_the_load(tmp_path: Path, column: str, cell: str):
    path = _write(generated_figures(3, 7), tmp_path / "bad.csv")
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[2][rows[0].index(column)] = cell
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises((TypeError, ValueError)):  # pandas says TypeError for an empty int
        pandas_reader(path)
    with pytest.raises(ValueError):
        read_figures_csv(path)


def test_a_missing_column_stops_the_load(tmp_path: Path) -> None:
    path = _write(generated_figures(3, 8).drop(columns="note"), tmp_path / "short.csv")
    with pytest.raises((KeyError, ValueError)):
        read_figures_csv(path)


def test_release_freed_memory_is_harmless() -> None:
    release_freed_memory()
    release_freed_memory()
