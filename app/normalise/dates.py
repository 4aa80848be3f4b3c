"""Dates as written in reports and sheets -> naive, day-precision ``pandas.Timestamp``.

Only explicit patterns are read; nothing is handed to a general date guesser, because
guessers silently read "03/04/2020" as 4 March in one file and 3 April in the next.

**Rule for numeric dates** (``03/04/2020``, also with "-" or "."): which part is the day is
a property of the file, not of one cell. :func:`settle_order` reads a whole column: a date
whose first part is above 12 (25/03/2020) shows day-first, one whose second part is above
12 (03/26/2020) shows month-first. :func:`parse_date` then takes ``order``: "day-first"
(the default, day first, for callers that know their source writes as OCHA and other UN documents for
Syria do), "month-first", or None when nothing settles it; with None, a date that is a real
day both ways (03/04/2020) is an error naming both readings, never a guess.

Also read: ISO ``YYYY-MM-DD`` (with an optional time, which is dropped: the date is kept as
written, with no time-zone conversion), ``YYYY/MM/DD``, "26 Feb 2020", "26 February 2020",
"Feb 26, 2020", Arabic-Indic digits and Arabic month names (Levantine "شباط" and Egyptian
"فبراير"). Years must lie in 1990-2100. Excel serial numbers are not dates in text: read them
with :func:`from_excel_serial`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

MIN_YEAR, MAX_YEAR = 1990, 2100

DateOrder = Literal["day-first", "month-first"]


class DateError(ValueError):
    """A cell that is not one unambiguous calendar day.

    ``str(error)`` reads "<what was found>; expected <what would be accepted>"; both parts are
    kept as ``found`` and ``expected``.
    """

    def __init__(self, found: str, expected: str = "") -> None:
        expected = expected or "a date such as 2020-02-26, 26/02/2020 or 26 Feb 2020"
        super().__init__(f"{found}; expected {expected}")
        self.found = found
        self.expected = expected


_ENGLISH = [calendar.month_name[i].lower() for i in range(1, 13)]
MONTHS: dict[str, int] = {
    **{name: i for i, name in enumerate(_ENGLISH, 1)},
    **{name[:3]: i for i, name in enumerate(_ENGLISH, 1)},
    "sept": 9,
    # Levantine (Syrian) month names, alef forms unified as in _fold
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6,
    "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الاول": 12,
    # Egyptian / pan-Arab month names
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}  # fmt: skip

_FOLD = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "أ": "ا", "إ": "ا", "آ": "ا", "،": ",", "ـ": None,
        **{chr(c): None for c in range(0x064B, 0x0653)},  # tashkeel
    }
)  # fmt: skip
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_TIME = r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(rf"^(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}$")
_DMY = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$")
_DMY_SHORT = re.compile(r"^\d{1,2}([-/.])\d{1,2}\1\d{2}$")
_D_MON_Y = re.compile(rf"^(\d{{1,2}}){_ORD}[\s-]+({_MONTH})\.?,?[\s-]+(\d{{4}})$", re.I)
_MON_D_Y = re.compile(rf"^({_MONTH})\.?\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})$", re.I)
_MON_Y = re.compile(rf"^({_MONTH})\.?,?\s+(\d{{4}})$", re.I)
_SERIAL = re.compile(r"^\d{4,5}(?:\.\d+)?$")


def _fold(text: str) -> str:
    """Digits to ASCII, Arabic alef forms unified, diacritics and a trailing "م" (AD) removed."""
    folded = " ".join(text.translate(_FOLD).split())
    return re.sub(r"(\d{4})\s*م$", r"\1", folded)


def parse_date(text: str | dt.date, order: DateOrder | None = "day-first") -> pd.Timestamp:
    """Read one date (day precision, no time zone); raise :class:`DateError` rather than guess.

    >>> parse_date("26/02/2020"), parse_date("03/04/2020")
    (Timestamp('2020-02-26 00:00:00'), Timestamp('2020-04-03 00:00:00'))
    >>> parse_date("Feb 26, 2020") == parse_date("٢٦ شباط ٢٠٢٠") == parse_date("2020-02-26T00:00:00")
    True
    >>> parse_date("31/04/2020")
    Traceback (most recent call last):
    ...
    app.normalise.dates.DateError: 31/04/2020: April 2020 has 30 days; expected a date that exists
    """
    if isinstance(text, dt.date):  # already a date (openpyxl, pandas): check the year only
        if pd.isna(text):
            raise DateError("empty cell (NaT)")
        return _day(text.year, text.month, text.day, str(text))
    raw = " ".join(str(text).split())
    s = _fold(raw)
    if not s:
        raise DateError("empty cell")
    if m := _ISO.match(s):
        hour, minute, second = (int(g or 0) for g in m.group(5, 6, 7))
        if hour > 23 or minute > 59 or second > 60:
            raise DateError(f"{raw}: time {m.group(5)}:{m.group(6)} does not exist")
        return _day(int(m.group(1)), int(m.group(3)), int(m.group(4)), raw)
    if m := _DMY.match(s):
        first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        shown = _evidence(first, second)
        if order is None:
            if _ambiguous(first, second, year):
                raise DateError(
                    f"{raw} is {both_readings(first, second, year)}, and nothing in the "
                    "file settles which",
                    "an unambiguous date such as 2020-04-03 or 3 Apr 2020 (or, in the same "
                    "column, a date like 25/03/2020 that shows the convention)",
                )
            order = shown or "day-first"  # equal parts, or the only reading that exists
        if order == "day-first" and shown == "month-first":
            raise DateError(
                f"{raw}: month {second} does not exist; numeric dates are read day first, "
                "and this looks month first (US style)",
                "DD/MM/YYYY, or an unambiguous form such as 2020-02-26 or 26 Feb 2020",
            )
        if order == "month-first" and shown == "day-first":
            raise DateError(
                f"{raw}: month {first} does not exist; numeric dates in this column are read "
                "month first, and this looks day first",
                "MM/DD/YYYY like the rest of the column, or an unambiguous form such as 2020-02-26",
            )
        day, month = (first, second) if order == "day-first" else (second, first)
        return _day(year, month, day, raw)
    if _DMY_SHORT.match(s):
        raise DateError(f"{raw}: two-digit year", "a four-digit year, such as 26/02/2020")
    if m := _D_MON_Y.match(s):
        return _day(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)), raw)
    if m := _MON_D_Y.match(s):
        return _day(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)), raw)
    if _MON_Y.match(s):
        raise DateError(f"{raw}: a month without a day", "a day as well, such as 29 Feb 2020")
    if _SERIAL.match(s):
        raise DateError(
            f"{raw}: a bare number (an Excel serial date?)",
            "a written date; serial numbers are read by from_excel_serial",
        )
    raise DateError(f"{raw!r} is not a date in a known form")


def _evidence(first: int, second: int) -> DateOrder | None:
    """The convention one numeric date shows by itself (None when both parts could be days)."""
    if first > 12 >= second:
        return "day-first"
    if second > 12 >= first:
        return "month-first"
    return None


def _ambiguous(first: int, second: int, year: int) -> bool:
    """Both readings are real, different days (03/04/2020; not 03/03/2020 or 2020 outside range)."""
    return first != second and 1 <= first <= 12 and 1 <= second <= 12


def _long(day: int, month: int, year: int) -> str:
    return f"{day} {calendar.month_name[month]} {year}"


def both_readings(first: int, second: int, year: int) -> str:
    """ "3 April 2020 (day-first) or 4 March 2020 (month-first)" for 03/04/2020."""
    return (
        f"{_long(first, second, year)} (day-first) or {_long(second, first, year)} (month-first)"
    )


def numeric_parts(text: object) -> tuple[int, int, int] | None:
    """(first, second, year) of a numeric date such as 03/04/2020, else None."""
    if not isinstance(text, str):
        return None
    m = _DMY.match(_fold(" ".join(text.split())))
    return (int(m.group(1)), int(m.group(3)), int(m.group(4))) if m else None


@dataclass(frozen=True)
class Settled:
    """What a column of dates says about its day/month order.

    ``order`` is None when nothing settles it, or when the column shows both conventions
    (``conflict``); ``evidence`` is (row, text) of the first date that showed the order kept.
    """

    order: DateOrder | None
    evidence: tuple[int, str] | None = None
    conflict: tuple[tuple[int, str], tuple[int, str]] | None = None

    def ambiguous(self, text: object) -> bool:
        """Whether ``text`` is a numeric date that this settlement had to decide."""
        parts = numeric_parts(text)
        return parts is not None and _ambiguous(*parts)


def settle_order(cells: Iterable[tuple[int, object]]) -> Settled:
    """The day/month order of a column of (row, cell) pairs, from its unambiguous dates.

    >>> settle_order([(2, "03/04/2020"), (3, "25/03/2020")])
    Settled(order='day-first', evidence=(3, '25/03/2020'), conflict=None)
    >>> settle_order([(2, "03/04/2020")]).order is None
    True
    """
    first_seen: dict[DateOrder, tuple[int, str]] = {}
    for row, text in cells:
        parts = numeric_parts(text)
        if parts is None:
            continue
        shown = _evidence(parts[0], parts[1])
        if shown is not None and shown not in first_seen:
            first_seen[shown] = (row, str(text).strip())
    if len(first_seen) == 2:
        return Settled(None, None, (first_seen["day-first"], first_seen["month-first"]))
    if first_seen:
        ((order, evidence),) = first_seen.items()
        return Settled(order, evidence)
    return Settled(None)


def reading(text: object, order: DateOrder) -> str:
    """ "3 April 2020" for ("03/04/2020", "day-first"): the day a convention reads."""
    parts = numeric_parts(text)
    assert parts is not None
    first, second, year = parts
    return _long(first, second, year) if order == "day-first" else _long(second, first, year)


def _day(year: int, month: int, day: int, raw: str) -> pd.Timestamp:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(
            f"{raw}: year {year} is outside {MIN_YEAR}-{MAX_YEAR}",
            f"a year from {MIN_YEAR} to {MAX_YEAR}",
        )
    if not 1 <= month <= 12:
        raise DateError(f"{raw}: month {month} does not exist", "a month from 1 to 12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(
            f"{raw}: {calendar.month_name[month]} {year} has {last} days", "a date that exists"
        )
    return pd.Timestamp(year=year, month=month, day=day)


def from_excel_serial(n: float, date1904: bool = False) -> pd.Timestamp:
    """An Excel serial day number -> the day it stands for (a fraction = time of day, dropped).

    Excel's default (1900) system counts from 1899-12-30 for every date after February
    1900, because Excel treats 1900 as a leap year; Mac workbooks made before 2011 may use the
    1904 system (``date1904=True``). Kept apart from :func:`parse_date` so that a count such
    as 43887 in a text cell is never taken for a date.

    >>> from_excel_serial(43887), from_excel_serial(43887.75), from_excel_serial(42425, date1904=True)
    (Timestamp('2020-02-26 00:00:00'), Timestamp('2020-02-26 00:00:00'), Timestamp('2020-02-26 00:00:00'))
    """
    if isinstance(n, bool) or not isinstance(n, int | float):
        raise DateError(f"{n!r} is not a number", "an Excel serial day number such as 43887")
    if not math.isfinite(n) or n < 1:
        raise DateError(f"{n!r} is not a valid Excel serial", "a positive serial such as 43887")
    epoch = pd.Timestamp(1904, 1, 1) if date1904 else pd.Timestamp(1899, 12, 30)
    day = epoch + pd.Timedelta(days=math.floor(n))
    return _day(day.year, day.month, day.day, f"serial {n!r} ({day.date()})")
