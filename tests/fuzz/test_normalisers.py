"""Property tests for the normalisers: whatever a hurried spreadsheet holds, each one either
returns a well-formed value or raises its own documented error, never anything else.

Round trips check that what the normaliser promises to read (948,000; ٩٤٨٬٠٠٠; 26/02/2020)
comes back unchanged, so a refactor that narrows the accepted forms fails here.
"""

from __future__ import annotations

import codecs
import math

import pandas as pd
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from app.normalise.dates import MAX_YEAR, MIN_YEAR, DateError, parse_date
from app.normalise.numbers import NumberError, is_number_like, parse_number
from app.normalise.places import PlaceMatch, PlaceMatcher
from app.normalise.text import (
    DELIMITERS,
    BinaryFileError,
    Decoded,
    EmptyFileError,
    clean_name,
    decode_bytes,
    sniff_delimiter,
)

from .strategies import FUZZ, MESSY_TEXT, PCODE_LIKE

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# --- parse_number ---------------------------------------------------------------------------


@FUZZ
@given(MESSY_TEXT)
@example("1,80")
@example("-0")
@example("1e309")
@example("٩٤٨٬٠٠٠")
@example("0.000000000000000000001 bn")
@example("9" * 400)
def test_parse_number_returns_finite_or_numbererror(text: str) -> None:
    try:
        value = parse_number(text)
    except NumberError as exc:
        assert "; expected " in str(exc) and exc.found
        return
    assert isinstance(value, float) and math.isfinite(value) and value >= 0


@FUZZ
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.booleans()))
def test_parse_number_on_values_from_readers(value: float) -> None:
    try:
        out = parse_number(value, allow_negative=True)
    except NumberError:
        assert isinstance(value, bool) or not math.isfinite(float(value))
        return
    assert out == float(value)


@FUZZ
@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_reads_every_written_form(n: int) -> None:
    forms = [
        str(n),
        f"{n:,}",
        f"{n:,}".replace(",", " "),
        f"{n:,}".replace(",", "٬"),
        str(n).translate(ARABIC_INDIC),
        f"  {n}  ",
        f"+{n}",
    ]
    for form in forms:
        assert parse_number(form) == float(n), form
    assert is_number_like(f"-{n}")


@FUZZ
@given(st.integers(min_value=1, max_value=10**9))
def test_negative_counts_are_refused_unless_allowed(n: int) -> None:
    with pytest.raises(NumberError, match="negative"):
        parse_number(f"-{n}")
    assert parse_number(f"-{n}", allow_negative=True) == -float(n)


# --- parse_date -----------------------------------------------------------------------------


@FUZZ
@given(MESSY_TEXT)
@example("2020-02-30")
@example("31/04/2020")
@example("1820-03-08")
@example("2020-02-26T25:00:00")
@example("٢٦ شباط ٢٠٢٠")
def test_parse_date_returns_a_day_or_dateerror(text: str) -> None:
    try:
        day = parse_date(text)
    except DateError as exc:
        assert "; expected " in str(exc)
        return
    assert isinstance(day, pd.Timestamp) and day == day.normalize() and day.tz is None
    assert MIN_YEAR <= day.year <= MAX_YEAR


@FUZZ
@given(
    st.dates(
        min_value=pd.Timestamp(MIN_YEAR, 1, 1).date(),
        max_value=pd.Timestamp(MAX_YEAR, 12, 31).date(),
    )
)
def test_parse_date_reads_every_written_form(day) -> None:  # type: ignore[no-untyped-def]
    expected = pd.Timestamp(day)
    forms = [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        day.strftime("%d.%m.%Y"),
        day.strftime("%d %b %Y"),
        day.strftime("%d %B %Y"),
        day.strftime("%b %d, %Y"),
        day.isoformat().translate(ARABIC_INDIC),
        day,
        day.isoformat() + "T13:45:00",
    ]
    for form in forms:
        assert parse_date(form) == expected, form


@FUZZ
@given(st.dates().filter(lambda d: not MIN_YEAR <= d.year <= MAX_YEAR))
def test_parse_date_refuses_years_out_of_range(day) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DateError, match="outside"):
        parse_date(day.isoformat() if day.year >= 1000 else day)


# --- decode_bytes ---------------------------------------------------------------------------

#: Text a person could type into a cell: letters (Latin and Arabic), digits, punctuation, spaces.
TYPED = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
    min_size=1,
    max_size=200,
).filter(lambda t: t.strip() != "")


@FUZZ
@given(st.binary(max_size=4096))
@example(b"")
@example(b"\xff\xfe")
@example(b"\xef\xbb\xbf")
@example(b"\x89PNG\r\n\x1a\n")
@example(b"\xff\xfe\x00\xd8")  # UTF-16 BOM then a lone surrogate
def test_decode_bytes_decodes_or_says_why(data: bytes) -> None:
    try:
        decoded = decode_bytes(data)
    except (EmptyFileError, BinaryFileError) as exc:
        assert str(exc)
        return
    assert isinstance(decoded, Decoded) and decoded.text.strip()
    codecs.lookup(decoded.encoding)  # a real codec name


@FUZZ
@given(TYPED)
def test_decode_bytes_round_trips_utf8_and_boms(text: str) -> None:
    assert decode_bytes(text.encode("utf-8")).text == text
    bom = decode_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert (bom.text, bom.had_bom) == (text, True)
    utf16 = decode_bytes(text.encode("utf-16"))
    assert (utf16.text, utf16.had_bom) == (text, True)


ARABIC_WORD = st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآ", min_size=2, max_size=10)


@FUZZ
@given(st.lists(ARABIC_WORD, min_size=1, max_size=8))
def test_decode_bytes_reads_windows_1256_arabic(words: list[str]) -> None:
    # Words of two letters or more: decode_bytes accepts the Arabic reading only when Arabic
    # letters stand next to each other, so a file whose only Arabic is one lone letter ("ا ب")
    # is (knowingly) not recognised as Windows-1256.
    text = "area,value\n" + " ".join(words) + ",12\n"
    assert decode_bytes(text.encode("cp1256")).text == text


# --- sniff_delimiter ------------------------------------------------------------------------

CELL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 .-", max_size=12)


@FUZZ
@given(MESSY_TEXT)
def test_sniff_delimiter_always_answers_a_known_delimiter(text: str) -> None:
    assert sniff_delimiter(text) in DELIMITERS


@FUZZ
@given(st.sampled_from(DELIMITERS), st.integers(2, 8), st.integers(1, 15), st.data())
def test_sniff_delimiter_finds_the_one_used(delim: str, width: int, height: int, data) -> None:  # type: ignore[no-untyped-def]
    header = data.draw(st.lists(CELL.filter(str.strip), min_size=width, max_size=width))
    rows = data.draw(
        st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=height, max_size=height)
    )
    text = "\n".join(delim.join(r) for r in [header, *rows]) + "\n"
    assert sniff_delimiter(text) == delim


# --- clean_name -----------------------------------------------------------------------------


@FUZZ
@given(MESSY_TEXT)
@example("ال")
@example("Ma'arrat An Nu'man")
@example("sub-district")
def test_clean_name_is_a_normalised_key(text: str) -> None:
    key = clean_name(text)
    assert isinstance(key, str)
    assert key == key.strip() and "  " not in key
    assert key == key.casefold() or not key.isascii()


@FUZZ
@given(MESSY_TEXT)
def test_clean_name_ignores_case_and_surrounding_space(text: str) -> None:
    assume(text.isascii())
    assert clean_name(f"  {text.upper()}  ") == clean_name(text.lower())


# --- PlaceMatcher.match ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def gazetteer(data_dir) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return pd.read_csv(data_dir / "tables" / "gazetteer.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def matcher(gazetteer: pd.DataFrame) -> PlaceMatcher:
    return PlaceMatcher(gazetteer)


LEVELS = st.sampled_from([None, 0, 1, 2, 3, 4, -1])


@FUZZ
@given(
    name=st.one_of(MESSY_TEXT, PCODE_LIKE),
    level=LEVELS,
    parent=st.one_of(st.none(), PCODE_LIKE, MESSY_TEXT),
)
@example(name="Ariha", level=None, parent=None)
@example(name="SY999999", level=None, parent=None)
@example(name="x" * 100_000, level=None, parent=None)
def test_match_answers_a_consistent_placematch(
    matcher: PlaceMatcher, gazetteer: pd.DataFrame, name: str, level: int | None, parent: str | None
) -> None:
    m = matcher.match(name, level=level, parent=parent)
    assert isinstance(m, PlaceMatch) and m.status in ("matched", "ambiguous", "unmatched")
    known = set(gazetteer["pcode"])
    assert set(m.candidates) <= known
    if m.status == "matched":
        assert m.pcode in known and m.candidates == (m.pcode,)
        assert level is None or m.level == level
        assert 0 < m.score <= 100
    elif m.status == "ambiguous":
        assert m.pcode is None and len(m.candidates) >= 2
    else:
        assert m.pcode is None and m.candidates == ()


def test_every_gazetteer_pcode_and_name_finds_itself(
    matcher: PlaceMatcher, gazetteer: pd.DataFrame
) -> None:
    for row in gazetteer.itertuples():
        assert matcher.match(row.pcode).pcode == row.pcode
        assert matcher.match(row.pcode.lower()).pcode == row.pcode
        by_name = matcher.match(row.name_en, level=int(row.level))
        assert row.pcode in by_name.candidates, (row.name_en, by_name)
