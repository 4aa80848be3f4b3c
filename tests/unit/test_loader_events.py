"""ACLED and UCDP GED exports -> canonical events, P-coded by a spatial join."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from app.loaders import load
from app.loaders.context import LoadContext
from app.tables.schemas import EVENT_COLUMNS, Events

_OUTSIDE = "expected a point inside the bundled sub-districts (governorates SY02, SY05, SY06, SY07)"
_COUNT = "expected a count such as 948000, 948,000, 948 000, 1.12 million or 344K"


def test_acled_events(load_fixture) -> None:
    result = load_fixture("madeup_acled_5_events.csv")
    assert (result.format, result.table_name, result.problems) == ("csv:acled", "events", [])
    table = Events.validate(result.table)
    assert list(table.columns[: len(EVENT_COLUMNS)]) == EVENT_COLUMNS
    assert table[
        ["event_id", "adm3_pcode", "adm2_pcode", "adm1_pcode", "fatalities"]
    ].values.tolist() == [
        ["SYR900001", "SY070301", "SY0703", "SY07", 2],
        ["SYR900002", "SY070302", "SY0703", "SY07", 0],
        ["SYR900003", "SY070003", "SY0700", "SY07", 5],
        ["SYR900004", "SY070500", "SY0705", "SY07", 1],
        ["SYR900005", "SY020400", "SY0204", "SY02", 0],
    ]
    assert table["date"].tolist() == [pd.Timestamp(2020, 2, d) for d in range(15, 20)]
    assert set(table["source_dataset"]) == {"ACLED"}
    assert table["source_row"].tolist() == [2, 3, 4, 5, 6]


def test_acled_invalid(load_fixture, lines) -> None:
    result = load_fixture("madeup_acled_invalid.csv")
    assert lines(result) == [
        "3:event_date: 31 February 2020: February 2020 has 29 days; expected a date that exists",
        "4:latitude: 'north'; expected decimal degrees from -90 to 90, such as 35.93",
        f"5:fatalities: 'two' is not a number; {_COUNT}",
        "6:fatalities: '1.5'; expected a whole number of deaths",
        f"7:latitude,longitude: [unmatched] 1 event is outside the dashboard's areas (row 7); {_OUTSIDE}",
        "8:event_id_cnty: event id 'SYR900101' repeats an earlier row; expected each event once",
    ]
    assert (result.rows_read, result.accepted, result.rejected, result.unmatched) == (7, 1, 5, 1)


def test_ucdp_events(load_fixture) -> None:
    result = load_fixture("madeup_ucdp_ged_4_events.csv")
    assert (result.format, result.problems) == ("csv:ucdp-ged", [])
    table = result.table
    assert table[
        ["event_id", "adm3_pcode", "fatalities", "fatalities_low", "fatalities_high", "event_type"]
    ].values.tolist() == [
        ["990001", "SY070301", 4, 4.0, 6.0, "state-based conflict"],
        ["990002", "SY070003", 2, 1.0, 3.0, "one-sided violence"],
        ["990003", "SY070500", 0, 0.0, 1.0, "non-state conflict"],
        ["990004", "SY020400", 1, 1.0, 1.0, "state-based conflict"],
    ]
    assert table["date_end"].tolist()[2] == pd.Timestamp(2020, 2, 18)


def test_ucdp_invalid(load_fixture, lines) -> None:
    result = load_fixture("madeup_ucdp_ged_invalid.csv")
    assert lines(result) == [
        "3:date_start: empty; expected the date of the event",
        "4:longitude: '200'; expected decimal degrees from -180 to 180, such as 35.93",
        f"5:low: 'four' is not a number; {_COUNT}",
        f"6:latitude,longitude: [unmatched] 1 event is outside the dashboard's areas (row 6); {_OUTSIDE}",
    ]
    assert (result.rows_read, result.accepted, result.rejected, result.unmatched) == (5, 1, 3, 1)


def test_without_boundaries_every_event_is_unmatched(fixtures: Path, ctx: LoadContext) -> None:
    bare = LoadContext(ctx.gazetteer, ctx.regions, ctx.aliases, boundaries_dir=None)
    result = load(fixtures / "madeup_acled_5_events.csv", bare)
    assert (result.unmatched, [p.row for p in result.problems]) == (5, [0])


def test_100k_events_load_in_seconds(tmp_path: Path, ctx: LoadContext) -> None:
    """Vectorised: 100,000 made-up events (1% with a bad latitude) in a few seconds."""
    n = 100_000
    rng = np.random.default_rng(1)
    lat = np.round(35.6 + rng.random(n) * 0.9, 4).astype(str).astype(object)
    lat[::100] = "x"
    frame = pd.DataFrame(
        {
            "event_id_cnty": [f"SYR{i}" for i in range(n)],
            "event_date": "15 February 2020",
            "event_type": "Battles",
            "latitude": lat,
            "longitude": np.round(36.3 + rng.random(n) * 1.0, 4),
            "fatalities": rng.integers(0, 5, n),
            "notes": "Made-up event (not real data), with a comma",
        }
    )
    path = tmp_path / "madeup_acled_100k.csv"
    frame.to_csv(path, index=False)
    start = time.process_time()
    result = load(path, ctx)
    elapsed = time.process_time() - start
    assert result.rows_read == n and result.rejected == n // 100
    assert result.accepted + result.unmatched == n - n // 100
    assert elapsed < 15, f"{elapsed:.1f} s of CPU for 100k rows"


@pytest.mark.parametrize("date", ["2020-02-15", "15 February 2020", "15/02/2020", "٢٠٢٠-٠٢-١٥"])
def test_acled_date_forms(tmp_path: Path, ctx: LoadContext, date: str) -> None:
    path = tmp_path / "madeup_acled_dates.csv"
    path.write_text(
        f"event_id_cnty,event_date,latitude,longitude,fatalities\nSYR1,{date},36.2378,36.7629,1\n",
        encoding="utf-8",
    )
    result = load(path, ctx)
    assert result.problems == [] and result.table["date"].iloc[0] == pd.Timestamp(2020, 2, 15)


def test_ucdp_quirks_are_reported_and_accounted(load_fixture, lines) -> None:
    """best outside low-high (kept, widened), an end before the start (rejected), a bad
    precision code (rejected), a country-wide event (kept, level 0) and events outside the
    dashboard's areas summed up per governorate or foreign country (unmatched)."""
    result = load_fixture("madeup_ucdp_ged_quirks.csv")
    assert lines(result) == [
        "3:best: [warning] best 5 is below low 7; range taken as 5-9; expected low <= best <= "
        "high (the event is kept)",
        "4:best: [warning] best 3 is above high 2; range taken as 1-3; expected low <= best <= "
        "high (the event is kept)",
        "5:where_prec: [warning] 1 event (2 deaths, best estimate) is not located to a "
        "governorate or finer (where_prec 5-7: a wider region, the country or international "
        "waters; row 5); expected where_prec 1-4 to count an event in an area: kept as events, "
        "counted in no governorate, district or sub-district figure",
        "6:date_end: the event ends on 2020-02-14, before it starts (date_start on 2020-02-18); "
        "expected an end date on or after the start date",
        "7:latitude,longitude: [unmatched] 3 events in Homs Governorate are outside the "
        f"dashboard's areas (rows 7-8, 11); {_OUTSIDE}",
        "9:latitude,longitude: [unmatched] 1 event in Daraa Governorate is outside the "
        f"dashboard's areas (row 9); {_OUTSIDE}",
        "10:latitude,longitude: [unmatched] 1 event in Turkey is outside the dashboard's areas "
        f"(row 10); {_OUTSIDE}",
        "12:where_prec: '8'; expected a location precision code from 1 to 7",
    ]
    assert (result.rows_read, result.accepted, result.rejected, result.unmatched) == (11, 4, 2, 5)
    table = Events.validate(result.table)
    assert list(table.columns[: len(EVENT_COLUMNS)]) == EVENT_COLUMNS
    assert table[
        ["event_id", "adm3_pcode", "precision", "level", "fatalities", "fatalities_low",
         "fatalities_high", "civilians", "source_row"]
    ].values.tolist() == [
        ["990201", "SY070301", 1, 3, 4, 4.0, 6.0, 3.0, 2],
        ["990202", "SY070500", 3, 2, 5, 5.0, 9.0, 0.0, 3],
        ["990203", "SY070003", 4, 1, 3, 1.0, 3.0, 1.0, 4],
        ["990204", "SY020400", 6, 0, 2, 2.0, 2.0, 0.0, 5],
    ]  # fmt: skip
    assert table["date_end"].tolist() == [pd.Timestamp(2020, 2, d) for d in (15, 17, 16, 17)]


def test_acled_defaults_for_the_new_columns(load_fixture) -> None:
    """ACLED: no end date, no range, no civilians; geo_precision 1 -> sub-district."""
    table = load_fixture("madeup_acled_5_events.csv").table
    assert (table["date_end"] == table["date"]).all()
    assert table["precision"].tolist() == [1] * 5 and table["level"].tolist() == [3] * 5
    assert table["fatalities_low"].tolist() == [2.0, 0.0, 5.0, 1.0, 0.0]
    assert table["fatalities_high"].tolist() == [2.0, 0.0, 5.0, 1.0, 0.0]
    assert table["civilians"].isna().all()


@pytest.mark.parametrize(
    ("geo_precision", "level", "problem"),
    [
        ("1", 3, None),
        ("2", 3, None),
        ("3", 2, None),
        ("4", None, "2:geo_precision: '4'; expected a location precision code from 1 to 3"),
        ("", None, "2:geo_precision: ''; expected a location precision code from 1 to 3"),
    ],
)
def test_acled_geo_precision_sets_the_level(
    tmp_path: Path,
    ctx: LoadContext,
    lines,
    geo_precision: str,
    level: int | None,
    problem: str | None,
) -> None:
    path = tmp_path / "madeup_acled_precision.csv"
    path.write_text(
        "event_id_cnty,event_date,latitude,longitude,geo_precision,fatalities\n"
        f"SYR1,2020-02-15,36.2378,36.7629,{geo_precision},1\n",
        encoding="utf-8",
    )
    result = load(path, ctx)
    if problem is None:
        assert result.problems == [] and result.table["level"].tolist() == [level]
    else:
        assert lines(result) == [problem] and result.rejected == 1


def test_ucdp_without_optional_columns_takes_the_defaults(tmp_path: Path, ctx: LoadContext) -> None:
    path = tmp_path / "madeup_ucdp_minimal.csv"
    path.write_text(
        "id,date_start,latitude,longitude,best\n990301,2020-02-15,36.2378,36.7629,3\n",
        encoding="utf-8",
    )
    result = load(path, ctx)
    assert result.problems == []
    row = result.table.iloc[0]
    assert (row["date_end"], row["precision"], row["level"]) == (pd.Timestamp(2020, 2, 15), 1, 3)
    assert (row["fatalities_low"], row["fatalities_high"]) == (3.0, 3.0)
    assert pd.isna(row["civilians"])
