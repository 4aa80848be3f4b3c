"""PlaceMatcher on the real gazetteer (the bundle's copy if built, else the shared source)."""

from __future__ import annotations

import doctest
from pathlib import Path

import pandas as pd
import pytest

import app.normalise.places as places_module
from app.normalise.places import DEFAULT_THRESHOLD, PlaceMatch, PlaceMatcher, level_hint

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER_PATHS = (
    ROOT / "data" / "tables" / "gazetteer.csv",
    Path("/work/shared/data/gazetteer/syr_pcode_gazetteer_adm1-3.csv"),
)


def gazetteer_path() -> Path:
    """The bundle's gazetteer when it has been built, else the shared source file."""
    for path in GAZETTEER_PATHS:
        if path.exists():
            return path
    pytest.skip(f"no gazetteer at any of {[str(p) for p in GAZETTEER_PATHS]}")


@pytest.fixture(scope="module")
def matcher() -> PlaceMatcher:
    return PlaceMatcher.from_csv(gazetteer_path())


# --- Real names -> real P-codes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "level", "parent", "pcode", "method"),
    [
        ("Idleb", 1, None, "SY07", "alias"),  # "Idleb" spells the same Arabic name, إدلب
        ("Idlib", 1, None, "SY07", "name_en"),
        ("إدلب", 1, None, "SY07", "name_ar"),
        ("محافظة إدلب", None, None, "SY07", "name_ar"),  # "محافظة" sets level 1
        ("Idleb governorate", None, None, "SY07", "alias"),
        ("Aleppo", None, None, "SY02", "name_en"),
        ("حلب", None, None, "SY02", "name_ar"),
        ("Dana", 3, None, "SY070301", "name_en"),
        ("Dana", None, None, "SY070301", "name_en"),
        ("الدانا", None, None, "SY070301", "name_ar"),
        ("Ariha", 3, None, "SY070500", "name_en"),
        ("Ariha", 2, "SY07", "SY0705", "name_en"),
        ("Ariha district", None, None, "SY0705", "name_en"),  # level word in the text
        ("Ariha (sub-district of origin)", None, None, "SY070500", "name_en"),
        ("Maarat al-Numan", 2, None, "SY0702", "alias"),
        ("Maarat al-Numan", 3, None, "SY070200", "alias"),
        ("Ma'arrat An Nu'man", 3, None, "SY070200", "name_en"),
        ("Maarrat al-Nu'man District", None, None, "SY0702", "name_en"),
        ("Jebel Saman", 2, None, "SY0200", "alias"),  # OCHA spelling of "Mount Simeon"
        ("Mount Simeon", 2, None, "SY0200", "name_en"),
        ("Harim", 2, None, "SY0703", "alias"),
        ("Azaz (sub-district of arrival)", None, None, "SY020400", "name_en"),
        ("Saraqeb", None, None, "SY070003", "fuzzy"),  # gazetteer: Saraqab / Saraqib
        ("Saraqeb (Saraqib city and countryside)", 3, None, "SY070003", "fuzzy"),
        ("Suran", None, "SY05", "SY050101", "name_en"),  # the Hama one
        ("Suran", None, "SY0204", "SY020405", "name_en"),  # the Aleppo one
        ("SY070301", None, None, "SY070301", "pcode"),
        ("sy070301", None, None, "SY070301", "pcode"),
        ("Dana sub-district (SY070301)", None, None, "SY070301", "pcode"),
        ("Dana sub-district (SY070301)", 3, "SY07", "SY070301", "pcode"),
    ],
)
def test_match_real_names(
    matcher: PlaceMatcher, name: str, level: int | None, parent: str | None, pcode: str, method: str
) -> None:
    m = matcher.match(name, level=level, parent=parent)
    assert (m.status, m.pcode, m.method) == ("matched", pcode, method), m
    assert m.candidates == (pcode,)
    assert m.query == name
    assert m.level == len(pcode) // 2 - 1


@pytest.mark.parametrize(
    ("name", "level", "parent", "candidates", "method"),
    [
        ("Ariha", None, None, ("SY0705", "SY070500"), "name_en"),
        ("Ariha", None, "SY07", ("SY0705", "SY070500"), "name_en"),
        ("Idlib", None, None, ("SY07", "SY0700"), "name_en"),
        ("إدلب", None, None, ("SY07", "SY0700"), "name_ar"),
        ("Maarat al-Numan", None, None, ("SY0702", "SY070200"), "alias"),
        ("Ma'arrat An Nu'man", None, None, ("SY0702", "SY070200"), "name_en"),
        ("Suran", None, None, ("SY020405", "SY050101"), "name_en"),  # Aleppo and Hama
        ("Jisr ash-Shughour", None, None, ("SY0704", "SY070400"), "fuzzy"),
        ("SY0705 or SY070500", None, None, ("SY0705", "SY070500"), "pcode"),
    ],
)
def test_match_ambiguous(
    matcher: PlaceMatcher,
    name: str,
    level: int | None,
    parent: str | None,
    candidates: tuple[str, ...],
    method: str,
) -> None:
    m = matcher.match(name, level=level, parent=parent)
    assert (m.status, m.pcode, m.name_en, m.level, m.method) == (
        "ambiguous",
        None,
        None,
        None,
        method,
    ), m
    assert m.candidates == candidates


@pytest.mark.parametrize(
    ("name", "level", "parent"),
    [
        ("Atlantis", None, None),
        ("", None, None),
        ("   ", None, None),
        ("northern Aleppo governorate", None, None),  # a region, not an area
        ("NW Syria", None, None),
        ("Dana", 2, None),  # no district called Dana
        ("Dana district", None, None),  # the text says district: no sub-district fallback
        ("Ariha", 3, "SY02"),  # no Ariha in Aleppo governorate
        ("Idleb", None, "SY02"),
        ("SY0705", 3, None),  # the P-code is a district
        ("SY079999", None, None),  # not in the gazetteer
        ("Saraqeb", None, "SY02"),
        ("Idleb", 2, "SY0705"),
    ],
)
def test_match_unmatched(
    matcher: PlaceMatcher, name: str, level: int | None, parent: str | None
) -> None:
    m = matcher.match(name, level=level, parent=parent)
    assert (m.status, m.pcode, m.method, m.candidates) == ("unmatched", None, None, ()), m
    assert 0 <= m.score < DEFAULT_THRESHOLD


def test_fuzzy_reports_its_score(matcher: PlaceMatcher) -> None:
    m = matcher.match("Saraqeb")
    assert m == PlaceMatch(
        "Saraqeb", "SY070003", "Saraqab", 3, "fuzzy", 85.71, "matched", ("SY070003",)
    )


def test_exact_tiers_score_100(matcher: PlaceMatcher) -> None:
    assert matcher.match("Dana", level=3).score == 100.0
    assert matcher.match("Ariha").score == 100.0


def test_unmatched_score_is_the_best_seen_below_threshold(matcher: PlaceMatcher) -> None:
    m = matcher.match("Atlantis")
    assert 50 < m.score < DEFAULT_THRESHOLD


def test_threshold_is_configurable() -> None:
    strict = PlaceMatcher.from_csv(gazetteer_path(), threshold=90)
    loose = PlaceMatcher.from_csv(gazetteer_path(), threshold=75)
    assert strict.match("Saraqeb").status == "unmatched"
    assert loose.match("Idleb", level=3).pcode == "SY070000"
    assert loose.match("Khan Sheikhoun").pcode == "SY070201"  # 81.5 vs "khan shaykun"


def test_level_restricts_every_tier(matcher: PlaceMatcher) -> None:
    for level in (1, 2, 3):
        for name in ("Idlib", "Ariha", "Aleppo", "Dana", "Saraqeb", "Harem"):
            m = matcher.match(name, level=level)
            assert (
                m.status == "unmatched"
                or m.level == level
                or all(len(c) == 2 * level + 2 for c in m.candidates)
            )


def test_every_gazetteer_pcode_matches_itself(matcher: PlaceMatcher) -> None:
    gaz = pd.read_csv(gazetteer_path(), dtype=str, keep_default_na=False)
    for row in gaz.itertuples():
        assert matcher.match(row.pcode).pcode == row.pcode
        m = matcher.match(row.name_en, level=int(row.level), parent=row.pcode[:-2] or None)
        assert row.pcode in m.candidates, (row.pcode, row.name_en, m)


def test_cache_returns_the_callers_query(matcher: PlaceMatcher) -> None:
    a = matcher.match("Maarat al-Numan", level=2)
    b = matcher.match("  MAARAT  AL NUMAN ", level=2)
    assert (a.pcode, b.pcode) == ("SY0702", "SY0702")
    assert (a.query, b.query) == ("Maarat al-Numan", "  MAARAT  AL NUMAN ")


def test_repeated_queries_are_answered_from_the_cache(matcher: PlaceMatcher) -> None:
    """Speed lives in bench/; here only that a repeated query reuses the first answer."""
    first = matcher.match("Saraqeb", level=3)
    hits = matcher._match_key.cache_info().hits
    assert matcher.match("saraqeb", level=3) == first.__class__(**{**first.__dict__, "query": "saraqeb"})
    assert matcher._match_key.cache_info().hits == hits + 1


# --- A small hand-made gazetteer: the rules themselves ----------------------------------


@pytest.fixture
def tiny() -> PlaceMatcher:
    return PlaceMatcher(
        pd.DataFrame(
            {
                "pcode": ["SY07", "SY0705", "SY070500", "SY0703", "SY070301"],
                "level": ["1", "2", "3", "2", "3"],  # as read with dtype=str
                "name_en": ["Idlib", "Ariha", "Ariha", "Harem", "Dana"],
                "name_ar": ["إدلب", "أريحا", "مركز أريحا", "حارم", None],
                "aliases_en": ["", "Ariha District", "", "Harim", "Al-Dana|Dana city"],
            }
        )
    )


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    [
        ("SY0703", {}, ("matched", "SY0703", "pcode")),
        ("Harem", {}, ("matched", "SY0703", "name_en")),
        ("حارم", {}, ("matched", "SY0703", "name_ar")),
        ("Harim", {}, ("matched", "SY0703", "alias")),
        ("Al-Dana", {}, ("matched", "SY070301", "name_en")),  # clean_name drops "al-"
        ("Dana City", {}, ("matched", "SY070301", "alias")),
        ("Haremm", {}, ("matched", "SY0703", "fuzzy")),
        ("Ariha", {}, ("ambiguous", None, "name_en")),
        ("Ariha", {"level": 2}, ("matched", "SY0705", "name_en")),
        ("Ariha", {"parent": "sy0705"}, ("matched", "SY070500", "name_en")),
        ("Ariha", {"parent": "SY070500"}, ("unmatched", None, None)),  # strict descendants
        ("أريحا", {}, ("matched", "SY0705", "name_ar")),
        ("SY0705", {"level": 2}, ("matched", "SY0705", "pcode")),
        ("SY0705", {"level": 3}, ("unmatched", None, None)),
        ("SY9999", {}, ("unmatched", None, None)),
    ],
)
def test_rules_on_a_tiny_gazetteer(
    tiny: PlaceMatcher,
    name: str,
    kwargs: dict[str, object],
    expected: tuple[str, str | None, str | None],
) -> None:
    m = tiny.match(name, **kwargs)  # type: ignore[arg-type]
    assert (m.status, m.pcode, m.method) == expected, m


def test_gazetteer_without_optional_columns() -> None:
    m = PlaceMatcher(pd.DataFrame({"pcode": ["SY07", "SY0705"], "name_en": ["Idlib", "Ariha"]}))
    assert m.match("Ariha").level == 2  # level from the P-code length
    assert m.match("Idlib").pcode == "SY07"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Idleb governorate", 1),
        ("Idlib Province", 1),
        ("محافظة إدلب", 1),
        ("Harem district", 2),
        ("منطقة حارم", 2),
        ("Dana sub-district", 3),
        ("Dana subdistrict", 3),
        ("Dana Sub District", 3),
        ("ناحية الدانا", 3),
        ("Nahiyat Dana", 3),
        ("Dana (sub-district of arrival)", 3),
        ("Dana sub-district, Harem district", 3),  # the first level word wins
        ("Dana", None),
        ("Districts of NW Syria", 2),
        ("NW Syria", None),
    ],
)
def test_level_hint(text: str, level: int | None) -> None:
    assert level_hint(text) == level


def test_doctests() -> None:
    assert doctest.testmod(places_module).failed == 0
