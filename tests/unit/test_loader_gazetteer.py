"""The P-code gazetteer layout: the real file loads whole; each defect rejects its row."""

from __future__ import annotations

from pathlib import Path

from app.loaders import load

GAZETTEER = (
    Path(__file__).parents[3] / "shared" / "data" / "gazetteer" / "syr_pcode_gazetteer_adm1-3.csv"
)


def test_real_gazetteer_loads_whole(ctx) -> None:
    result = load(GAZETTEER, ctx)
    assert result.format == "csv:gazetteer" and result.problems == []
    assert (result.rows_read, result.accepted) == (348, 348)
    assert result.table["level"].value_counts().to_dict() == {3: 272, 2: 62, 1: 14}
    assert result.table["centroid_lat"].dtype == float


def test_sample_slice(load_fixture) -> None:
    result = load_fixture("gazetteer_sample_harim.csv")
    assert (result.rows_read, result.accepted, result.problems) == (8, 8, [])


def test_invalid_gazetteer_rows(load_fixture, lines) -> None:
    result = load_fixture("madeup_gazetteer_invalid.csv")
    assert lines(result) == [
        "5:level: '4'; expected 0, 1, 2 or 3",
        "6:pcode: 'SY0703' at level 3; expected a P-code as long as its level: SY (0), SY07 (1), "
        "SY0705 (2), SY070500 (3)",
        "6:pcode: P-code 'SY0703' repeats an earlier row; expected each P-code once",
        "6:parent_pcode: 'SY0703' for SY0703; expected the P-code's own prefix ('SY07')",
        "7:parent_pcode: 'SY0705' for SY070303; expected the P-code's own prefix ('SY0703')",
        "8:pcode: P-code 'SY070301' repeats an earlier row; expected each P-code once",
        "9:name_en: empty; expected the English name",
        "10:centroid_lat: '61.0'; expected a number from 32 to 38",
    ]
    assert (result.rows_read, result.accepted, result.rejected) == (9, 3, 6)
    assert result.table["pcode"].tolist() == ["SY07", "SY0703", "SY070301"]
