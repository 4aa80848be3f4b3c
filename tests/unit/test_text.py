"""decode_bytes, sniff_delimiter and clean_name on the inputs the field actually produces."""

from __future__ import annotations

import codecs
import doctest

import pytest
from rapidfuzz import fuzz

import app.normalise.text as text_module
from app.normalise.text import (
    BinaryFileError,
    Decoded,
    EmptyFileError,
    clean_name,
    decode_bytes,
    sniff_delimiter,
)

ARABIC_CSV = "الاسم,العدد\nإدلب,948000\nحلب,344000\n"
MIXED_CSV = "name,name_ar\nIdlib,إدلب\nAleppo,حلب\nDana,الدانا\n"


# --- decode_bytes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("إدلب".encode("cp1256"), Decoded("إدلب", "cp1256", False)),
        ("محافظة إدلب".encode("cp1256"), Decoded("محافظة إدلب", "cp1256", False)),
        (ARABIC_CSV.encode("cp1256"), Decoded(ARABIC_CSV, "cp1256", False)),
        # charset-normalizer alone reads this one as Mac-Latin2 ("ŇŌŠ»" for إدلب)
        (MIXED_CSV.encode("cp1256"), Decoded(MIXED_CSV, "cp1256", False)),
        (MIXED_CSV.encode("utf-8"), Decoded(MIXED_CSV, "utf-8", False)),
        (codecs.BOM_UTF8 + MIXED_CSV.encode("utf-8"), Decoded(MIXED_CSV, "utf-8", True)),
        (
            codecs.BOM_UTF16_LE + MIXED_CSV.encode("utf-16-le"),
            Decoded(MIXED_CSV, "utf-16-le", True),
        ),
        (
            codecs.BOM_UTF16_BE + MIXED_CSV.encode("utf-16-be"),
            Decoded(MIXED_CSV, "utf-16-be", True),
        ),
        (MIXED_CSV.encode("utf-16"), Decoded(MIXED_CSV, "utf-16-le", True)),  # Python's own BOM
        (b"name,value\r\nDana,1\r\n", Decoded("name,value\r\nDana,1\r\n", "utf-8", False)),
    ],
)
def test_decode_bytes(data: bytes, expected: Decoded) -> None:
    assert decode_bytes(data) == expected


@pytest.mark.parametrize(
    "text",
    ["Café,Zürich,Genève\n1,2,3\n", "Straße,Größe,Mädchen\nBerlin,groß,Bär\n"],
)
def test_decode_bytes_latin_text_is_not_taken_for_arabic(text: str) -> None:
    decoded = decode_bytes(text.encode("cp1252"))
    assert decoded.text == text
    assert decoded.encoding != "cp1256"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a zip archive"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "OLE2"),
        ("name,value\n".encode("utf-16-le"), "NUL byte at offset 1"),  # UTF-16 without BOM
        (bytes(range(1, 8)) * 20 + b"abc", "control bytes"),
    ],
)
def test_decode_bytes_binary(data: bytes, message: str) -> None:
    with pytest.raises(BinaryFileError, match="expected") as info:
        decode_bytes(data)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n\n", "\u00a0\n".encode()]
)
def test_decode_bytes_empty(data: bytes) -> None:
    with pytest.raises(EmptyFileError, match="expected a header row"):
        decode_bytes(data)


def test_decode_bytes_allows_a_stray_control_character() -> None:
    data = b"name,value\n" + b"Dana,1\n" * 200 + b"Salqin,\x0c2\n"
    assert decode_bytes(data).encoding == "utf-8"


def test_errors_are_value_errors() -> None:
    assert issubclass(BinaryFileError, ValueError)
    assert issubclass(EmptyFileError, ValueError)


# --- sniff_delimiter --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name,value\nDana,248842\nSalqin,95268\n", ","),
        ("name;value\nDana;248842\nSalqin;95268\n", ";"),
        ("name;value\nDana;1,5\nSalqin;2,25\n", ";"),  # decimal commas do not count
        ("name\tvalue\tnote\nDana\t1\ta, b\n", "\t"),
        ("name|value\nDana|1\n", "|"),
        ('area,value\n"Dana, Harem district",1\n"Salqin; Idlib",2\n', ","),  # quoted
        ('area,note\n"multi\nline, note",1\nDana,2\n', ","),  # newline inside quotes
        ("name,value\r\nDana,1\r\n", ","),
        ("a;b;c\n1;2;3\n4;5;6\n", ";"),
        ("single column\nDana\n", ","),  # nothing to choose: default
        ("", ","),
        ("a,b;c\n1,2;3\n", ","),  # both consistent, same width: "," preferred
        ("a;b;c,d\n1;2;3,4\n5;6;7,8\n", ";"),  # ";" gives more columns
        ("a,b,c\n1,2,3\n4,5\n", ","),  # a short row: "," still agrees on most rows
    ],
)
def test_sniff_delimiter(text: str, expected: str) -> None:
    assert sniff_delimiter(text) == expected


# --- clean_name -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Idlib", "idlib"),
        ("  IDLIB  ", "idlib"),
        ("Idlib Governorate", "idlib"),
        ("Harem District", "harem"),
        ("Dana sub-district", "dana"),
        ("Dana Subdistrict", "dana"),
        ("Dana nahya", "dana"),
        ("Ma'arrat An Nu'man", "maarrat numan"),
        ("Maarat al-Numan", "maarat numan"),
        ("Maarrat al-Nu'man", "maarrat numan"),
        ("Ma`arrat an Nu`man", "maarrat numan"),
        ("Ma‘arrat an Nu‘man", "maarrat numan"),
        ("mʿrt alnʿman", "mrt alnman"),  # "al" glued to the word is not an article
        ("Jisr-Ash-Shugur", "jisr shugur"),
        ("Tall Ed-daman", "tall daman"),
        ("Deir ez-Zor", "deir zor"),
        ("Abu_Qalqal", "abu qalqal"),
        ("Nāḩiyat Markaz ‘Afrīn", "markaz afrin"),
        ("Kobanê", "kobane"),
        ("Al", "al"),  # a lone article is a name, not a prefix
        ("District", "district"),  # a lone level word is kept too
        ("إدلب", "ادلب"),
        ("إِدْلِب", "ادلب"),  # tashkeel removed
        ("إدلـــب", "ادلب"),  # tatweel removed
        ("محافظة إدلب", "ادلب"),
        ("منطقة أريحا", "اريحا"),
        ("ناحية الدانا", "دانا"),
        ("آذار", "اذار"),
        ("حماة", "حماه"),  # ta marbuta -> ha
        ("مصطفى", "مصطفي"),  # alef maqsura -> ya
        ("الباب", "باب"),
        ("عين العرب", "عين عرب"),
    ],
)
def test_clean_name(name: str, expected: str) -> None:
    assert clean_name(name) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ma'arrat An Nu'man", "Maarat al-Numan"),
        ("Jisr al-Shughur", "Jisr-Ash-Shugur"),
        ("Saraqeb", "Saraqib"),
    ],
)
def test_spelling_variants_fuzzy_match_well(a: str, b: str) -> None:
    assert fuzz.token_sort_ratio(clean_name(a), clean_name(b)) >= 85


def test_idleb_and_idlib_stay_distinct_but_close() -> None:
    a, b = clean_name("Idleb"), clean_name("Idlib")
    assert a != b
    assert 75 <= fuzz.ratio(a, b) < 85  # below the matcher's fuzzy threshold on purpose


def test_doctests() -> None:
    assert doctest.testmod(text_module).failed == 0
