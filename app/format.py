"""Text formatting of figures for people: numbers, qualifiers, ranges, dates and periods.

One place so that cards, map hovers, chart hovers and the sources page say a figure the
same way ("more than 800,000 (800,000–880,000)"), and tests can pin the exact wording.
Pure functions; no Dash, no data access.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

import pandas as pd

EN_DASH = "–"


def is_missing(value: Any) -> bool:
    """True for None, NaN and NaT (pandas hands us all three for an empty cell)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value: float | int | None, decimals: int = 0) -> str:
    """Thousands separators, no spurious decimals; missing -> "no data" (never 0).

    >>> number(248842.0)
    '248,842'
    >>> number(4.5, 1)
    '4.5'
    >>> number(None)
    'no data'
    """
    if is_missing(value):
        return "no data"
    v = float(value)  # type: ignore[arg-type]
    if decimals == 0 or v.is_integer():
        return f"{round(v):,}"
    return f"{v:,.{decimals}f}"


def qualifier_text(qualifier: Any) -> str:
    """The qualifier as it should precede a number ("" when exact or missing).

    Chart labels ("chart label \"344K\"") are reported as "read from a chart label".
    """
    if is_missing(qualifier):
        return ""
    q = str(qualifier).strip()
    if q.lower().startswith("chart label"):
        return ""
    if q == "sum of figures":
        return ""
    return q


def value_with_qualifier(value: Any, qualifier: Any, unit: str = "") -> str:
    """ "more than 800,000" / "248,842" / "some 2,000,000 people".

    >>> value_with_qualifier(800000, "more than")
    'more than 800,000'
    >>> value_with_qualifier(248842, None)
    '248,842'
    """
    q = qualifier_text(qualifier)
    text = number(value)
    if text == "no data":
        return text
    out = f"{q} {text}" if q else text
    return f"{out} {unit}".rstrip() if unit else out


def value_range(low: Any, high: Any) -> str:
    """ "800,000–880,000", or "" when the range is a single number or unknown."""
    if is_missing(low) or is_missing(high):
        return ""
    if math.isclose(float(low), float(high)):
        return ""
    return f"{number(low)}{EN_DASH}{number(high)}"


def figure_text(value: Any, qualifier: Any, low: Any, high: Any) -> str:
    """Value, qualifier and range together: "more than 800,000 (800,000–880,000)".

    >>> figure_text(800000, "more than", 800000, 880000)
    'more than 800,000 (800,000–880,000)'
    >>> figure_text(299, None, 299, 299)
    '299'
    """
    main = value_with_qualifier(value, qualifier)
    rng = value_range(low, high)
    return f"{main} ({rng})" if rng else main


def day(value: Any) -> str:
    """ "5 Mar 2020"; "" when missing.

    >>> day(pd.Timestamp("2020-03-05"))
    '5 Mar 2020'
    """
    if is_missing(value):
        return ""
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts.strftime('%b %Y')}"


def iso(value: date | datetime | pd.Timestamp | None) -> str:
    """ISO date (YYYY-MM-DD) or ""."""
    if is_missing(value):
        return ""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def period(start: Any, end: Any) -> str:
    """How a figure's period reads: "Feb 2020", "1 Dec 2019 – 12 Feb 2020", "as of 16 Feb 2020".

    A whole calendar month is written as the month; a missing start (a stock, or a source
    that did not say since when) reads "as of <end>"; a missing end reads "from <start>".

    >>> period(pd.Timestamp("2020-02-01"), pd.Timestamp("2020-02-29"))
    'Feb 2020'
    >>> period(None, pd.Timestamp("2020-02-16"))
    'as of 16 Feb 2020'
    """
    s_missing, e_missing = is_missing(start), is_missing(end)
    if s_missing and e_missing:
        return "undated"
    if s_missing:
        return f"as of {day(end)}"
    if e_missing:
        return f"from {day(start)} (end not stated)"
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if s == e:
        return day(s)
    if s.day == 1 and (e + pd.Timedelta(days=1)).day == 1 and s.to_period("M") == e.to_period("M"):
        return s.strftime("%b %Y")
    return f"{day(s)} {EN_DASH} {day(e)}"


def short_name(name: str, limit: int = 40) -> str:
    """A publisher or area name short enough for a legend; the full name stays in hovers.

    Parenthesised asides go ("REACH (citing HNAP ...)" -> "REACH"), then the rest is cut.

    >>> short_name("News article of 16 Feb 2020 (outlet not recorded)")
    'News article of 16 Feb 2020'
    >>> short_name("OCHA / IDP (Whole of Syria) Task Force")
    'OCHA / IDP Task Force'
    """
    p = re.sub(r"\s*\([^)]*\)", "", str(name)).strip() or str(name).strip()
    p = re.sub(r"\s{2,}", " ", p)
    return p if len(p) <= limit else p[: limit - 1].rstrip() + "…"
