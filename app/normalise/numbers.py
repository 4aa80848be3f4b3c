"""Counts as people write them -> ``float``, refusing anything that would need a guess.

Situation reports and hand-made sheets write 948,000 as "948,000", "948 000", "948000",
"0.948 million" or "٩٤٨٬٠٠٠", and chart labels as "344K". All of these are accepted. What is
refused, with a :class:`NumberError` that says what was found and what was expected, is what
could be read two ways or is not a count at all: "1,80" (a decimal comma, or a thousands
group missing a digit?), "n/a", "NaN", "inf", and negative values unless the caller allows
them. A "." is always the decimal point, as in the English-language sources.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

#: Arabic-Indic and Persian (Extended Arabic-Indic) digits, Arabic thousands separator and
#: decimal point, the minus sign, and the spaces used as thousands separators.
_TRANSLATE = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "٬": ",",
        "٫": ".",
        "−": "-",
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space (French thousands)
        "\u2009": " ",  # thin space
        "\u2007": " ",  # figure space
    }
)
_SCALES: dict[str, int] = {
    "k": 1_000,
    "thousand": 1_000,
    "ألف": 1_000,
    "الف": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "مليون": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_SHAPE = re.compile(r"^([+-]?)\s*([0-9][0-9., ]*)\s*([^\W\d_]*)$")
_PLAIN = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:(?P<sep>[, ])[0-9]{3})(?:(?P=sep)[0-9]{3})*(?:\.[0-9]+)?$")
_NOT_FINITE = {"nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}
_EXPECTED = "a count such as 948000, 948,000, 948 000, 1.12 million or 344K"


class NumberError(ValueError):
    """A cell that is not an unambiguous number.

    ``str(error)`` reads "<what was found>; expected <what would be accepted>", and both
    parts are kept as ``found`` and ``expected`` for reports that place them separately.
    """

    def __init__(self, found: str, expected: str = _EXPECTED) -> None:
        super().__init__(f"{found}; expected {expected}")
        self.found = found
        self.expected = expected


def parse_number(text: str | float, allow_negative: bool = False) -> float:
    """Read one number as written in a source; raise :class:`NumberError` rather than guess.

    Counts cannot be negative, so negatives are refused unless ``allow_negative`` (for
    changes or balances). Numbers already parsed by a reader (int, float) are checked the
    same way and returned as float.

    >>> parse_number("948,000"), parse_number("948 000"), parse_number("٩٤٨٬٠٠٠")
    (948000.0, 948000.0, 948000.0)
    >>> parse_number("1.12 million"), parse_number("344K"), parse_number(" +12.5 ")
    (1120000.0, 344000.0, 12.5)
    >>> parse_number("1,80")
    Traceback (most recent call last):
    ...
    app.normalise.numbers.NumberError: ',' followed by 2 digits in '1,80' is ambiguous (decimal comma, or a thousands group missing a digit?); expected thousands groups of exactly 3 digits (1,800) and '.' for decimals (1.8)
    """
    if isinstance(text, bool):
        raise NumberError(f"a true/false value ({text})")
    if isinstance(text, int | float):
        return _checked(float(text), repr(text), allow_negative)
    raw = text
    s = " ".join(str(text).translate(_TRANSLATE).split())
    if not s:
        raise NumberError("empty cell")
    if s.lower() in _NOT_FINITE:
        raise NumberError(f"{raw.strip()!r} is not a finite number")
    if s.endswith("%"):
        raise NumberError(f"a percentage {raw.strip()!r}", "a count, not a share")
    shape = _SHAPE.match(s)
    if not shape and re.search(r"[0-9]", s):
        raise NumberError(
            f"text around the number in {raw.strip()!r}",
            "the number alone; a qualifier such as 'more than' goes in its own column",
        )
    if not shape:
        raise NumberError(f"{raw.strip()!r} is not a number")
    sign, body, unit = shape.group(1), shape.group(2).strip(), shape.group(3).lower()
    if unit and unit not in _SCALES:
        raise NumberError(
            f"unknown unit {shape.group(3)!r} in {raw.strip()!r}",
            f"{_EXPECTED} (units: k, thousand, m, million, bn)",
        )
    value = Decimal(_digits(body, raw.strip())) * _SCALES.get(unit, 1)
    return _checked(float(-value if sign == "-" else value), repr(raw.strip()), allow_negative)


def _digits(body: str, raw: str) -> str:
    """The digits of ``body`` with thousands separators removed, or NumberError."""
    if _PLAIN.match(body):
        return body
    if _GROUPED.match(body):
        return body.replace(",", "").replace(" ", "")
    if body.count(".") > 1:
        raise NumberError(
            f"more than one '.' in {raw!r}",
            "'.' only as the decimal point, and ',' or a space between thousands",
        )
    bad = re.search(r"[, ]([0-9]*)", body.split(".")[0])
    if bad and len(bad.group(1)) != 3:
        sep, other = (
            ("a space", "two numbers") if bad.group(0)[0] == " " else ("','", "decimal comma")
        )
        raise NumberError(
            f"{sep} followed by {len(bad.group(1))} digits in {raw!r} is ambiguous "
            f"({other}, or a thousands group missing a digit?)",
            "thousands groups of exactly 3 digits (1,800) and '.' for decimals (1.8)",
        )
    raise NumberError(
        f"{raw!r} mixes separators or puts them out of place",
        "one thousands separator used throughout, such as 1,120,000 or 1 120 000",
    )


def _checked(value: float, shown: str, allow_negative: bool) -> float:
    if not math.isfinite(value):
        raise NumberError(f"{shown} is not a finite number")
    if value < 0 and not allow_negative:
        raise NumberError(f"negative value {shown}", "a count of zero or more")
    return value


def is_number_like(text: str | float) -> bool:
    """Whether :func:`parse_number` would read ``text`` (negatives included).

    >>> is_number_like("1.2M"), is_number_like("-5"), is_number_like("n/a"), is_number_like("1,80")
    (True, True, False, False)
    """
    try:
        parse_number(text, allow_negative=True)
    except NumberError:
        return False
    return True
