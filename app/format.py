"""Text formatting of figures for people: numbers, qualifiers, ranges, dates and periods.

One place so that cards, map hovers, chart hovers and the sources page say a figure the
same way ("more than 800,000 (800,000–880,000)"), and tests can pin the exact wording.
Pure functions; no Dash, no data access. They answer in the language of the request
(:func:`app.i18n.current`): English as before, or Arabic with numbers and dates formatted by
Babel from CLDR (Syrian Arabic month names; Western digits unless the view asks for
Arabic-Indic ones, see docs/glossary-ar.md), and numbers, ranges and dates isolated from
the Arabic text around them (:func:`isolate`) so that a range never reads backwards.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import date, datetime
from typing import Any

import pandas as pd

from app.i18n import N_, Language, _, current

EN_DASH = "–"
#: Unicode FIRST STRONG ISOLATE / POP DIRECTIONAL ISOLATE: a number, date, P-code or URL
#: inside Arabic text keeps its own direction (a range "800,000–880,000" stays in order).
FSI, PDI = "\u2068", "\u2069"
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

#: Qualifier words as published (app.vocab.QUALIFIER_RULES), for translation.
QUALIFIER_WORDS = {
    w: w
    for w in (
        N_("more than"), N_("over"), N_("in excess of"), N_("upwards of"), N_("at least"),
        N_("a minimum of"), N_("almost"), N_("nearly"), N_("close to"), N_("up to"),
        N_("just under"), N_("some"), N_("about"), N_("around"), N_("approximately"),
        N_("roughly"), N_("circa"), N_("an estimated"), N_("estimated"), N_("estimate"),
        N_("projected"), N_("exact"),
    )
}


def isolate(text: str) -> str:
    """``text`` isolated from the text around it when the interface is right to left.

    >>> isolate("SY070203")
    'SY070203'
    """
    if not text or not current().rtl:
        return text
    return f"{FSI}{text}{PDI}"


def shape_digits(text: str) -> str:
    """Arabic-Indic digits when the view asks for them (``digits=arab``), else unchanged."""
    lang = current()
    if lang.rtl and lang.digits == "arab":
        return text.translate(_ARABIC_INDIC)
    return text


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
        return _("no data")
    v = float(value)  # type: ignore[arg-type]
    lang = current()
    if not lang.rtl:
        if decimals == 0 or v.is_integer():
            return f"{round(v):,}"
        return f"{v:,.{decimals}f}"
    from babel.numbers import format_decimal

    pattern = "#,##0" if decimals == 0 or v.is_integer() else "#,##0." + "0" * decimals
    shown = round(v) if pattern == "#,##0" else v
    text = format_decimal(shown, format=pattern, locale=lang.babel_locale,
                          numbering_system=lang.digits)  # fmt: skip
    return shape_digits(text)


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
    if current().rtl:  # "some / almost": each known word translated, the rest as published
        return " / ".join(
            _(w) if w in QUALIFIER_WORDS else w for w in (p.strip() for p in q.split("/"))
        )
    return q


def value_with_qualifier(value: Any, qualifier: Any, unit: str = "") -> str:
    """ "more than 800,000" / "248,842" / "some 2,000,000 people".

    >>> value_with_qualifier(800000, "more than")
    'more than 800,000'
    >>> value_with_qualifier(248842, None)
    '248,842'
    """
    q = qualifier_text(qualifier)
    if is_missing(value):
        return number(value)
    text = isolate(number(value))
    out = f"{q} {text}" if q else text
    return f"{out} {unit}".rstrip() if unit else out


def compact(value: float) -> str:
    """A label short enough to sit above a chart point: "800K", "1.8K", "299"; in Arabic
    CLDR's own short forms ("800 ألف", "1.8 مليون"), never Latin K and M.

    >>> compact(800000), compact(1800), compact(1_120_000), compact(299)
    ('800K', '1.8K', '1.12M', '299')
    """
    v = float(value)
    if current().rtl:
        from babel.numbers import format_compact_decimal

        lang = current()
        digits = 2 if v >= 1_000_000 else (1 if 1_000 <= v < 10_000 else 0)
        text = format_compact_decimal(v, locale=lang.babel_locale, fraction_digits=digits,
                                      numbering_system=lang.digits)  # fmt: skip
        return shape_digits(text)
    if v >= 1_000_000:
        return f"{v / 1_000_000:.3g}M"
    if v >= 10_000:
        return f"{v / 1_000:.0f}K"
    if v >= 1_000:
        return f"{v / 1_000:.2g}K"
    return f"{v:.0f}"


def axis_number_format() -> str:
    """Plotly ``tickformat`` of value axes: SI ("2M", "500k") in English; full numbers with
    separators in Arabic ("2,000,000"), where Plotly's Latin SI letters would not read."""
    return "," if current().rtl else "~s"


def value_range(low: Any, high: Any) -> str:
    """ "800,000–880,000", or "" when the range is a single number or unknown."""
    if is_missing(low) or is_missing(high):
        return ""
    if math.isclose(float(low), float(high)):
        return ""
    return isolate(f"{number(low)}{EN_DASH}{number(high)}")


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
    return _day(pd.Timestamp(value), current())


@functools.lru_cache(maxsize=1 << 13)
def _day(ts: pd.Timestamp, language: Language) -> str:
    """:func:`day` of a timestamp in ``language`` (the request's), once per distinct pair: a
    chart of weekly counts writes each week's days in several hover lines."""
    if language.rtl:
        return isolate(_babel_date(ts, "d MMMM y"))
    return f"{ts.day} {ts.strftime('%b %Y')}"


def _babel_date(ts: pd.Timestamp, pattern: str) -> str:
    from babel.dates import format_date

    return shape_digits(format_date(ts.date(), pattern, locale=current().babel_locale))


def month(value: Any) -> str:
    """ "Feb 2020" (Arabic: "شباط 2020"); "" when missing."""
    if is_missing(value):
        return ""
    ts = pd.Timestamp(value)
    if current().rtl:
        return isolate(_babel_date(ts, "MMMM y"))
    return ts.strftime("%b %Y")


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
        return _("undated")
    if s_missing:
        return _("as of {date}").format(date=day(end))
    if e_missing:
        return _("from {date} (end not stated)").format(date=day(start))
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if s == e:
        return day(s)
    if s.day == 1 and (e + pd.Timedelta(days=1)).day == 1 and s.to_period("M") == e.to_period("M"):
        return month(s)
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
