"""parse_number: every spelling of a count the sources use, and every refusal, side by side."""

from __future__ import annotations

import doctest
import math

import pytest

import app.normalise.numbers as numbers_module
from app.normalise.numbers import NumberError, is_number_like, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("948000", 948_000.0),
        ("948,000", 948_000.0),
        ("948 000", 948_000.0),
        ("948\u00a0000", 948_000.0),  # no-break space as thousands separator
        ("948\u202f000", 948_000.0),  # narrow no-break space (French style)
        ("1,120,000", 1_120_000.0),
        ("1 120 000", 1_120_000.0),
        ("1,000.5", 1000.5),
        ("1.12 million", 1_120_000.0),
        ("2 million", 2_000_000.0),
        ("1.2M", 1_200_000.0),
        ("344K", 344_000.0),
        ("344 k", 344_000.0),
        ("12.5", 12.5),
        ("0", 0.0),
        ("+948000", 948_000.0),
        ("  948,000\u00a0", 948_000.0),
        ("٩٤٨٠٠٠", 948_000.0),  # Arabic-Indic digits
        ("٩٤٨٬٠٠٠", 948_000.0),  # with the Arabic thousands separator
        ("١٢٫٥", 12.5),  # Arabic decimal separator
        ("۹۴۸٬۰۰۰", 948_000.0),  # Persian (Extended Arabic-Indic) digits
        ("٢ مليون", 2_000_000.0),
        ("1.800", 1.8),  # "." is always the decimal point (documented rule)
    ],
)
def test_parse_number_valid(text: str, expected: float) -> None:
    assert parse_number(text) == expected
    assert is_number_like(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty cell"),
        ("   \u00a0", "empty cell"),
        ("n/a", "'n/a' is not a number"),
        ("N/A", "is not a number"),
        ("-", "is not a number"),
        ("1,80", "',' followed by 2 digits in '1,80' is ambiguous"),
        ("1,8000", "',' followed by 4 digits"),
        ("12 34", "a space followed by 2 digits"),
        ("1,120 000", "mixes separators"),
        ("1.120.000", "more than one '.'"),
        ("NaN", "is not a finite number"),
        ("inf", "is not a finite number"),
        ("-Infinity", "is not a finite number"),
        ("more than 800,000", "text around the number"),
        ("1e5", "text around the number"),
        ("12%", "a percentage"),
        ("5 apples", "unknown unit 'apples'"),
    ],
)
def test_parse_number_invalid(text: str, message: str) -> None:
    with pytest.raises(NumberError, match="expected") as info:
        parse_number(text)
    assert message in str(info.value)
    assert not is_number_like(text)


@pytest.mark.parametrize("text", ["-5", "−5", "- 1,200", "-0.5 million"])
def test_negative_refused_for_counts_but_allowed_on_request(text: str) -> None:
    with pytest.raises(NumberError, match="negative value"):
        parse_number(text)
    assert parse_number(text, allow_negative=True) < 0
    assert is_number_like(text)


def test_error_carries_found_and_expected_parts() -> None:
    with pytest.raises(NumberError) as info:
        parse_number("1,80")
    assert info.value.found.startswith("',' followed by 2 digits")
    assert "exactly 3 digits" in info.value.expected
    assert str(info.value) == f"{info.value.found}; expected {info.value.expected}"
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(("value", "expected"), [(948000, 948_000.0), (12.5, 12.5), (0, 0.0)])
def test_numbers_already_parsed(value: float, expected: float) -> None:
    result = parse_number(value)
    assert result == expected
    assert isinstance(result, float)


@pytest.mark.parametrize("value", [math.nan, math.inf, -1, True])
def test_numbers_already_parsed_invalid(value: float) -> None:
    with pytest.raises(NumberError):
        parse_number(value)


def test_scaled_decimals_are_exact() -> None:
    # float(1.12) * 1e6 is 1120000.0000000002; the parser must not leak that into counts.
    assert parse_number("1.12 million") == 1_120_000.0
    assert parse_number("0.3 million") == 300_000.0


def test_doctests() -> None:
    assert doctest.testmod(numbers_module).failed == 0
