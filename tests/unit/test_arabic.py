"""Arabic folding for search and matching: values on real names, and properties (hypothesis)."""

from __future__ import annotations

import doctest
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import app.normalise.arabic as arabic_module
from app.normalise.arabic import arabic_key, fold_arabic, has_arabic, strip_article
from app.normalise.text import clean_name

ROOT = Path(__file__).resolve().parents[2]
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"


def test_doctests() -> None:
    assert doctest.testmod(arabic_module).failed == 0


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("ادلب", "إدلب"),  # SY07, hamza below
        ("اعزاز", "أعزاز"),  # SY0204, hamza above
        ("اريحا", "أريحا"),  # SY0705
        ("ابو الظهور", "أبو الظهور"),  # SY070001
        ("معره النعمان", "معرة النعمان"),  # SY0702: haa for taa marbuta
        ("داره عزه", "دارة عزة"),  # SY020004
        ("حماه", "حماة"),  # SY05
        ("اللاذقيه", "اللاذقية"),  # SY06
        ("سَرَاقِب", "سراقب"),  # SY070003 with harakat
        ("جسر الشُّغُور", "جسر الشغور"),  # shadda and damma
        ("خان شيـــخون", "خان شيخون"),  # tatweel
        ("السويدا", "السويداء"),  # SY13: final hamza left out
        ("ٱلدانا", "الدانا"),  # alef wasla
        ("  مركز   إدلب ", "مركز إدلب"),  # spaces
    ],
)
def test_spellings_people_type_fold_to_the_gazetteer_name(typed: str, written: str) -> None:
    assert fold_arabic(typed) == fold_arabic(written)
    assert clean_name(typed) == clean_name(written)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("إِدْلِب", "ادلب"),
        ("آمنة", "امنه"),
        ("مؤتة", "موته"),  # ؤ -> و
        ("الرائي", "الرايي"),  # ئ -> ي
        ("مصطفى", "مصطفي"),  # alef maqsura -> yaa
        ("کردی", "كردي"),  # Persian kaf and yeh
        ("٢٠٢٠/٠٣/٠٨", "2020/03/08"),  # Arabic-Indic digits
        ("۱۲۳", "123"),  # Eastern Arabic-Indic digits
        ("Dana 12", "Dana 12"),  # Latin passes through
    ],
)
def test_fold_values(text: str, folded: str) -> None:
    assert fold_arabic(text) == folded


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("الدانا", "دانا"),
        ("دانا", "دانا"),
        ("مركز الأتارب", "مركز اتارب"),
        ("الباب", "باب"),
        ("إلياس", "الياس"),  # hamza-alef + lam is not the article
        ("ال", "ال"),
        ("الله", "الله"),
        ("الحاضر", "حاضر"),
    ],
)
def test_article(text: str, key: str) -> None:
    assert arabic_key(text) == key


def test_strip_article_needs_two_letters_after_it() -> None:
    assert strip_article("الب") == "الب"
    assert strip_article("البب") == "بب"


def test_has_arabic() -> None:
    assert has_arabic("Idlib · إدلب") and not has_arabic("Idlib SY07 ١")


def _gazetteer() -> pd.DataFrame:
    for path in (ROOT / "data/tables/gazetteer.csv",
                 Path("/work/shared/data/gazetteer/syr_pcode_gazetteer_adm1-3.csv")):
        if path.exists():
            return pd.read_csv(path, dtype=str, keep_default_na=False)
    pytest.skip("no gazetteer")


def test_no_false_matches_between_distinct_arabic_names_of_the_gazetteer() -> None:
    """Folding merges no two different Arabic names: names that fold together were the same
    name already without hamza/diacritics (so they belong to one place, or to an admin area and
    its namesake at another level)."""
    gaz = _gazetteer()
    by_key: dict[str, set[str]] = {}
    for name in gaz["name_ar"]:
        by_key.setdefault(clean_name(name), set()).add(name)
    merged = {k: v for k, v in by_key.items() if len(v) > 1}
    # Only spellings that differ by hamza or taa marbuta alone are merged.
    for names in merged.values():
        bare = {n.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ة", "ه") for n in names}
        assert len(bare) == 1, names


arabic_letters = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآٱؤئءةى")), min_size=1, max_size=12)
marks = st.text(alphabet=st.sampled_from(list(HARAKAT + "\u0640")), max_size=3)


@given(arabic_letters)
def test_fold_is_idempotent(word: str) -> None:
    assert fold_arabic(fold_arabic(word)) == fold_arabic(word)


@given(st.lists(st.tuples(st.sampled_from(list("ابتدرسلمنوي")), marks), min_size=1, max_size=10))
def test_diacritics_and_tatweel_never_change_the_fold(pairs: list[tuple[str, str]]) -> None:
    plain = "".join(letter for letter, _ in pairs)
    marked = "".join(letter + m for letter, m in pairs)
    assert fold_arabic(marked) == fold_arabic(plain)


@given(arabic_letters, st.sampled_from(["أ", "إ", "آ", "ٱ", "ا"]))
def test_every_alef_form_folds_the_same(word: str, alef: str) -> None:
    assert fold_arabic(alef + word) == fold_arabic("ا" + word)


@given(arabic_letters)
def test_fold_output_has_no_hamza_seat_or_marks(word: str) -> None:
    folded = fold_arabic(word)
    assert not set(folded) & set("أإآٱؤئءةى" + HARAKAT + "\u0640")
