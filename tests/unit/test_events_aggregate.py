"""app.events: supersession of events between files, weekly sums nested by precision.
Every event here is made up (``madeup_``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app.events import Provenance, current_events, event_figures
from app.tables.columns import EVENT_COLUMNS, FIGURE_COLUMNS
from app.tables.schemas import Figures

PROV = {
    "b1": Provenance("UCDP GED (made up)", "madeup_ged_a.csv", "", pd.Timestamp("2020-01-10")),
    "b2": Provenance("UCDP GED (made up)", "madeup_ged_b.csv", "https://example.org/b", None),
    "acled": Provenance("ACLED (made up)", "madeup_acled.csv"),
}


def madeup_event(
    event_id: str,
    day: str,
    adm3: str,
    level: int,
    best: int,
    low: float | None = None,
    high: float | None = None,
    civilians: float | None = 0.0,
    batch: str = "b1",
    dataset: str = "UCDP GED",
    row: int = 2,
) -> dict:
    return {
        "event_id": event_id,
        "date": pd.Timestamp(day),
        "lat": 36.0,
        "lon": 36.6,
        "adm1_pcode": adm3[:4],
        "adm2_pcode": adm3[:6],
        "adm3_pcode": adm3,
        "fatalities": best,
        "event_type": "state-based conflict",
        "source_dataset": dataset,
        "source_row": row,
        "date_end": pd.Timestamp(day),
        "precision": {3: 1, 2: 3, 1: 4, 0: 6}[level],
        "level": level,
        "fatalities_low": float(best if low is None else low),
        "fatalities_high": float(best if high is None else high),
        "civilians": np.nan if civilians is None else civilians,
        "batch": batch,
    }


@pytest.fixture
def madeup_events() -> pd.DataFrame:
    """One week (Mon 12 - Sun 18 Aug 2019) in Idleb and one event the week after."""
    return pd.DataFrame(
        [
            madeup_event("1", "2019-08-12", "SY070301", 3, 4, 3, 6, civilians=2, row=5),
            madeup_event("2", "2019-08-18", "SY070302", 3, 1, 1, 2, civilians=1, row=3),
            madeup_event("3", "2019-08-14", "SY070500", 2, 10, 8, 12, civilians=None, row=9),
            madeup_event("4", "2019-08-13", "SY070200", 1, 7, 7, 7, civilians=7, row=4),
            madeup_event("5", "2019-08-15", "SY070301", 0, 100, 90, 110, row=2),
            madeup_event("6", "2019-08-19", "SY070301", 3, 5, 5, 5, civilians=0, row=11),
        ]
    )


def _values(figures: pd.DataFrame, metric: str) -> dict[tuple[str, str], tuple]:
    f = figures[figures["metric"] == metric]
    return {
        (r.area_pcode, r.period_start.strftime("%Y-%m-%d")): (r.value, r.low, r.high, r.source_row)
        for r in f.itertuples()
    }


def test_people_killed_nested_by_precision(madeup_events: pd.DataFrame) -> None:
    figures = event_figures(madeup_events, PROV)
    assert _values(figures, "people_killed") == {
        # sub-districts: the precise events only
        ("SY070301", "2019-08-12"): (4.0, 3.0, 6.0, 5),
        ("SY070302", "2019-08-12"): (1.0, 1.0, 2.0, 3),
        ("SY070301", "2019-08-19"): (5.0, 5.0, 5.0, 11),
        # districts: + the district-level event 3 (Ariha)
        ("SY0703", "2019-08-12"): (5.0, 4.0, 8.0, 3),
        ("SY0705", "2019-08-12"): (10.0, 8.0, 12.0, 9),
        ("SY0703", "2019-08-19"): (5.0, 5.0, 5.0, 11),
        # governorate: + the governorate-level event 4; never the country-wide event 5
        ("SY07", "2019-08-12"): (22.0, 19.0, 27.0, 3),
        ("SY07", "2019-08-19"): (5.0, 5.0, 5.0, 11),
    }


def test_civilians_only_from_events_that_count_them(madeup_events: pd.DataFrame) -> None:
    figures = event_figures(madeup_events, PROV)
    assert _values(figures, "civilians_killed") == {
        ("SY070301", "2019-08-12"): (2.0, 2.0, 2.0, 5),
        ("SY070302", "2019-08-12"): (1.0, 1.0, 1.0, 3),
        ("SY070301", "2019-08-19"): (0.0, 0.0, 0.0, 11),
        ("SY0703", "2019-08-12"): (3.0, 3.0, 3.0, 3),
        ("SY0703", "2019-08-19"): (0.0, 0.0, 0.0, 11),
        ("SY07", "2019-08-12"): (10.0, 10.0, 10.0, 3),  # event 3 has no civilian count
        ("SY07", "2019-08-19"): (0.0, 0.0, 0.0, 11),
    }
    sy07 = figures[(figures["metric"] == "civilians_killed") & (figures["area_pcode"] == "SY07")]
    assert sy07["note"].iloc[0] == (
        "Sum of 3 events of UCDP GED located to the governorate or finer "
        "(civilian deaths as the dataset counts them)"
    )


def test_level_zero_counts_nowhere_and_empty_weeks_have_no_row(
    madeup_events: pd.DataFrame,
) -> None:
    only_country = madeup_events[madeup_events["level"] == 0]
    figures = event_figures(only_country, PROV)
    assert len(figures) == 0 and list(figures.columns) == FIGURE_COLUMNS
    figures = event_figures(madeup_events, PROV)
    # no figure for the week of 5 Aug nor 26 Aug: no event then, never a made-up 0
    assert set(figures["period_start"].dt.strftime("%Y-%m-%d")) == {"2019-08-12", "2019-08-19"}


def test_sub_areas_never_exceed_their_parent(madeup_events: pd.DataFrame) -> None:
    f = event_figures(madeup_events, PROV)
    f = f[f["metric"] == "people_killed"].set_index(["area_pcode", "period_start"])["value"]
    week = pd.Timestamp("2019-08-12")
    assert f[("SY070301", week)] + f[("SY070302", week)] <= f[("SY0703", week)]
    assert f[("SY0703", week)] + f[("SY0705", week)] <= f[("SY07", week)]


def test_figure_rows_carry_provenance_and_the_store_dtypes(madeup_events: pd.DataFrame) -> None:
    figures = event_figures(madeup_events, PROV)
    Figures.validate(figures)
    assert list(figures.columns) == FIGURE_COLUMNS
    r = figures[(figures["area_pcode"] == "SY0703") & (figures["metric"] == "people_killed")]
    r = r.iloc[0]
    assert (r.kind, r.metric_as_written, r.qualifier, r.sector, r.region) == (
        "flow", "people_killed", None, None, None,
    )  # fmt: skip
    assert (r.period_start, r.period_end) == (
        pd.Timestamp("2019-08-12"),
        pd.Timestamp("2019-08-18"),
    )
    assert (r.publisher, r.document, r.url, r.source_file) == (
        "UCDP GED (made up)", "madeup_ged_a.csv", None, "madeup_ged_a.csv",
    )  # fmt: skip
    assert r.published_date == pd.Timestamp("2020-01-10") and r.area_as_written == "SY0703"
    assert r.note == (
        "Sum of 2 events of UCDP GED located to the district or finer "
        "(best estimate; range from the dataset's low and high)"
    )
    assert str(figures["period_start"].dtype) == "datetime64[us]"
    assert str(figures["value"].dtype) == "float64" and str(figures["source_row"].dtype) == "int64"
    again = event_figures(madeup_events.iloc[::-1], PROV)  # same ids whatever the row order
    assert again["figure_id"].tolist() == figures["figure_id"].tolist()
    assert figures["figure_id"].is_unique


def test_acled_has_no_civilians_and_its_own_publisher() -> None:
    events = pd.DataFrame(
        [madeup_event("SYR1", "2020-02-15", "SY070301", 3, 2, civilians=None, batch="acled",
                      dataset="ACLED")]
    )  # fmt: skip
    figures = event_figures(events, PROV)
    assert set(figures["metric"]) == {"people_killed"}
    assert set(figures["publisher"]) == {"ACLED (made up)"} and len(figures) == 3


def test_a_batch_without_provenance_is_an_error(madeup_events: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="b1"):
        event_figures(madeup_events, {})


def test_a_later_file_supersedes_the_rows_it_shares() -> None:
    first = pd.DataFrame(
        [
            madeup_event("1", "2019-08-12", "SY070301", 3, 4, batch="b1"),
            madeup_event("2", "2019-08-13", "SY070301", 3, 6, batch="b1"),
            madeup_event("SYR1", "2019-08-13", "SY070301", 3, 9, batch="b1", dataset="ACLED"),
        ]
    )
    second = pd.DataFrame(
        [
            madeup_event("2", "2019-08-13", "SY070301", 3, 3, batch="b2"),  # revised down
            madeup_event("3", "2019-08-14", "SY070301", 3, 1, batch="b2"),
            madeup_event("1", "2019-08-12", "SY070301", 3, 5, batch="b2", dataset="ACLED"),
        ]
    )
    third = pd.DataFrame([madeup_event("2", "2019-08-13", "SY070301", 3, 2, batch="b3")])
    rows, superseded = current_events([first, second, third])
    assert superseded == [0, 1, 1]  # "1" of ACLED is not UCDP's "1": a different event
    assert rows[["source_dataset", "event_id", "batch", "fatalities"]].values.tolist() == [
        ["UCDP GED", "1", "b1", 4],
        ["ACLED", "SYR1", "b1", 9],
        ["UCDP GED", "3", "b2", 1],
        ["ACLED", "1", "b2", 5],
        ["UCDP GED", "2", "b3", 2],
    ]
    empty, none = current_events([])
    assert (len(empty), none) == (0, []) and set(EVENT_COLUMNS) <= set(empty.columns)


def test_a_million_events_are_all_counted() -> None:
    """(How long it takes is bench/add_events.py's business, not a unit test's.)"""
    n = 1_000_000
    rng = np.random.default_rng(7)
    adm3 = np.array(["SY070301", "SY070302", "SY070500", "SY070200", "SY020400", "SY050101"])
    pick = adm3[rng.integers(0, len(adm3), n)]
    best = rng.integers(0, 20, n).astype(float)
    level = rng.choice([3, 3, 3, 2, 1, 0], n)
    events = pd.DataFrame(
        {
            "event_id": np.arange(n).astype(str),
            "date": pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 1400, n), "D"),
            "adm1_pcode": pd.Series(pick).str[:4],
            "adm2_pcode": pd.Series(pick).str[:6],
            "adm3_pcode": pick,
            "fatalities": best.astype(int),
            "source_dataset": "UCDP GED",
            "source_row": np.arange(2, n + 2),
            "level": level,
            "fatalities_low": best,
            "fatalities_high": best + 1,
            "civilians": np.where(rng.random(n) < 0.5, np.nan, 1.0),
            "batch": "b1",
        }
    )
    figures = event_figures(events, PROV)
    sy07 = figures[(figures["area_pcode"] == "SY07") & (figures["metric"] == "people_killed")]
    counted = events[(events["adm1_pcode"] == "SY07") & (events["level"] >= 1)]
    assert sy07["value"].sum() == counted["fatalities"].sum()
