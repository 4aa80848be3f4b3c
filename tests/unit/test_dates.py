"""parse_date / from_excel_serial: explicit patterns, day-first numeric dates, clear refusals."""

from __future__ import annotations

import datetime as dt
import doctest
import math

import pandas as pd
import pytest

import app.normalise.dates as dates_module
from app.normalise.dates import DateError, from_excel_serial, parse_date

FEB_26 = pd.Timestamp(2020, 2, 26)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-02-26", FEB_26),
        ("2020-02-26T00:00:00", FEB_26),
        ("2020-02-26T18:30:00+03:00", FEB_26),  # date as written; no time-zone conversion
        ("2020-02-26 18:30", FEB_26),
        ("2020/02/26", FEB_26),
        ("26/02/2020", FEB_26),
        ("26-02-2020", FEB_26),
        ("26.02.2020", FEB_26),
        ("03/04/2020", pd.Timestamp(2020, 4, 3)),  # ambiguous: day first, by rule
        ("3/4/2020", pd.Timestamp(2020, 4, 3)),
        ("26 Feb 2020", FEB_26),
        ("26 Feb. 2020", FEB_26),
        ("26-Feb-2020", FEB_26),
        ("26 February 2020", FEB_26),
        ("26th February 2020", FEB_26),
        ("Feb 26, 2020", FEB_26),
        ("February 26 2020", FEB_26),
        ("  26  FEBRUARY  2020 ", FEB_26),
        ("Sept 3, 2019", pd.Timestamp(2019, 9, 3)),
        ("٢٦/٠٢/٢٠٢٠", FEB_26),  # Arabic-Indic digits
        ("۲۶/۰۲/۲۰۲۰", FEB_26),  # Persian digits
        ("٢٦ شباط ٢٠٢٠", FEB_26),  # Levantine month name
        ("26 شباط 2020م", FEB_26),  # trailing "م" (AD)
        ("26 فبراير 2020", FEB_26),  # Egyptian month name
        ("1 كانون الثاني 2020", pd.Timestamp(2020, 1, 1)),
        ("1 تشرين الأول 2019", pd.Timestamp(2019, 10, 1)),
        ("29/02/2020", pd.Timestamp(2020, 2, 29)),  # leap day
        ("1990-01-01", pd.Timestamp(1990, 1, 1)),
        ("2100-12-31", pd.Timestamp(2100, 12, 31)),
    ],
)
def test_parse_date_valid(text: str, expected: pd.Timestamp) -> None:
    result = parse_date(text)
    assert result == expected
    assert result.tz is None
    assert result == result.normalize()  # day precision


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty cell"),
        ("   ", "empty cell"),
        ("2020-02-30", "February 2020 has 29 days"),
        ("31/04/2020", "April 2020 has 30 days"),
        ("29 Feb 2019", "February 2019 has 28 days"),
        ("2020-13-01", "month 13 does not exist"),
        ("02/26/2020", "looks month first"),  # US order: refused, never swapped
        ("26/02/20", "two-digit year"),
        ("1989-12-31", "year 1989 is outside 1990-2100"),
        ("01/01/2101", "year 2101 is outside 1990-2100"),
        ("Feb 2020", "a month without a day"),
        ("43887", "Excel serial"),
        ("2020-02-26T25:00", "time 25:00 does not exist"),
        ("yesterday", "'yesterday' is not a date"),
        ("26 Fbr 2020", "is not a date"),
        ("mid-February 2020", "is not a date"),
    ],
)
def test_parse_date_invalid(text: str, message: str) -> None:
    with pytest.raises(DateError, match="expected") as info:
        parse_date(text)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2020, 2, 26), FEB_26),
        (dt.datetime(2020, 2, 26, 18, 30), FEB_26),
        (pd.Timestamp("2020-02-26 18:30"), FEB_26),
    ],
)
def test_parse_date_accepts_date_objects(value: dt.date, expected: pd.Timestamp) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [pd.NaT, dt.date(1985, 1, 1)])
def test_parse_date_rejects_bad_date_objects(value: dt.date) -> None:
    with pytest.raises(DateError):
        parse_date(value)


@pytest.mark.parametrize(
    ("serial", "date1904", "expected"),
    [
        (43887, False, FEB_26),
        (43887.75, False, FEB_26),  # the fraction is the time of day
        (43831, False, pd.Timestamp(2020, 1, 1)),
        (42425, True, FEB_26),
        (73415, False, pd.Timestamp(2100, 12, 31)),
    ],
)
def test_from_excel_serial(serial: float, date1904: bool, expected: pd.Timestamp) -> None:
    assert from_excel_serial(serial, date1904=date1904) == expected


@pytest.mark.parametrize(
    ("serial", "message"),
    [
        (0, "not a valid Excel serial"),
        (-5, "not a valid Excel serial"),
        (math.nan, "not a valid Excel serial"),
        (True, "not a number"),
        ("43887", "not a number"),
        (60, "year 1900 is outside"),
        (73416, "year 2101 is outside"),
    ],
)
def test_from_excel_serial_invalid(serial: float, message: str) -> None:
    with pytest.raises(DateError) as info:
        from_excel_serial(serial)
    assert message in str(info.value)


def test_docstring_states_the_day_first_rule() -> None:
    assert "day first" in (dates_module.__doc__ or "")
    assert parse_date("03/04/2020").month == 4


def test_doctests() -> None:
    assert doctest.testmod(dates_module).failed == 0
