"""The canonical figures CSV: the bundle's own file loads back exactly as the store reads it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from app.bundle.store import read_figures_csv
from app.loaders import load
from app.loaders.canonical import is_canonical_header
from app.tables.schemas import FIGURE_COLUMNS, Figures

DATA = Path(__file__).parents[2] / "data" / "tables"


@pytest.mark.parametrize("name", ["figures.csv", "hno2019_baseline.csv"])
def test_round_trip_of_the_bundle(name: str, ctx) -> None:
    result = load(DATA / name, ctx)
    assert (result.format, result.table_name) == ("csv:canonical-figures", "figures")
    assert result.problems == [] and result.rows_read == result.accepted > 0
    pd.testing.assert_frame_equal(result.table, read_figures_csv(DATA / name))
    Figures.validate(result.table)


def test_hashtag_row_of_the_export_is_skipped(load_fixture, fixtures: Path) -> None:
    plain = load_fixture("canonical_figures_sample.csv")
    tagged = load_fixture("canonical_figures_sample_hxl.csv")
    assert tagged.format == "csv:canonical-figures" and tagged.problems == []
    pd.testing.assert_frame_equal(tagged.table, plain.table)
    pd.testing.assert_frame_equal(
        plain.table, read_figures_csv(fixtures / "canonical_figures_sample.csv")
    )


def test_header_must_match_exactly() -> None:
    assert is_canonical_header([c.upper() for c in FIGURE_COLUMNS])
    assert not is_canonical_header(FIGURE_COLUMNS[:-1])
    assert not is_canonical_header(["metric", "value"])


def test_invalid_canonical_rows(load_fixture, lines) -> None:
    result = load_fixture("madeup_canonical_invalid.csv")
    place = "expected a P-code in the gazetteer or a region in regions.csv"
    assert lines(result) == [
        "3:metric: 'idps_teleported' is not in the vocabulary; expected one of idps_displaced_since, "
        "idp_displacements, idp_arrivals, idp_departures, idps_present, idps_in_camps, "
        "civilians_killed, civilians_injured, people_killed, people_injured, people_at_risk, "
        "people_moving_claimed, people_in_need, severity, population, other",
        "4:kind: kind 'stock' for metric idp_arrivals; expected the kind the vocabulary gives the "
        "metric ('flow')",
        "5:low: low 50000, value 46480, high 46480; expected low <= value <= high",
        "6:period_end: 2019-02-30: February 2019 has 28 days; expected a date that exists",
        f"7:area_pcode: [unmatched] P-code 'SY999999' is not in the gazetteer; {place}",
        f"8:area_pcode: [unmatched] region 'atlantis' is not in regions.csv; {place}",
        "9:figure_id: figure id 'fmadeup00001' repeats an earlier row; expected a unique figure id",
    ]
    assert (result.rows_read, result.accepted, result.rejected, result.unmatched) == (8, 1, 5, 2)
