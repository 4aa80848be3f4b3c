"""Dates as written in reports and sheets -> naive, day-precision ``pandas.Timestamp``.

Only explicit patterns are read; nothing is handed to a general date guesser, because
guessers silently read "03/04/2020" as 4 March in one file and 3 April in the next.

**Rule for numeric dates:** ``DD/MM/YYYY`` (also with "-" or "."), day first, as OCHA and
other UN documents for Syria write them. "03/04/2020" is 3 April 2020. A month-first date
such as "02/26/2020" is an error (there is no month 26), never swapped.

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

import pandas as pd

MIN_YEAR, MAX_YEAR = 1990, 2100


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


def parse_date(text: str | dt.date) -> pd.Timestamp:
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
        day, month = int(m.group(1)), int(m.group(3))
        if month > 12 and day <= 12:
            raise DateError(
                f"{raw}: month {month} does not exist; numeric dates are read day first, "
                "and this looks month first (US style)",
                "DD/MM/YYYY, or an unambiguous form such as 2020-02-26 or 26 Feb 2020",
            )
        return _day(int(m.group(4)), month, day, raw)
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
