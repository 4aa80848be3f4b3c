"""Arabic as people type it -> one spelling, so "ادلب" finds إدلب and "اعزاز" finds أعزاز.

Syrians type place names with or without hamza (أ إ آ or bare ا), with ة or ه at the end, ى
or ي, with or without diacritics, with tatweel (ـ) for width, and with Arabic-Indic digits.
Gazetteers write them one way. :func:`fold_arabic` removes those differences and nothing
else; :func:`arabic_key` also drops the definite article so "الدانا" and "دانا" meet.

What is folded (and why):

- diacritics (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks): optional in
  writing, almost never typed;
- tatweel ``ـ``: a stretching stroke, not a letter;
- alef forms ``أ إ آ ٱ`` -> ``ا``: hamza on alef is often left out;
- ``ؤ`` -> ``و`` and ``ئ`` -> ``ي`` (their seats: what is typed without the hamza), and a
  standalone ``ء`` is dropped (typed without hamza it is simply absent);
- ``ة`` -> ``ه`` and ``ى`` -> ``ي``: interchanged at word ends in everyday writing;
- Persian/Urdu ``ی ک ە`` -> ``ي ك ه`` (keyboards and PDFs produce them);
- Arabic-Indic and Eastern Arabic-Indic digits -> ``0-9``;
- runs of whitespace -> one space; ends trimmed.

The article: ``ال`` (or ``ٱل``) at the start of a word, with at least two letters after it,
is the article and :func:`arabic_key` drops it. It is looked for *before* the alef forms are
folded, because ``إل``/``أل`` at a word start is not the article (إلياس, أللاذقية is not a
spelling anyone uses): folding first would turn إلياس into الياس and then into ياس. The word
الله is never cut.

Pure functions of ``str``; Latin text passes through unchanged except for spacing and digits.
"""

from __future__ import annotations

import re
import unicodedata

#: Harakat and tanwin (064B-0652), superscript alef (0670), Quranic annotation marks
#: (0610-061A, 06D6-06ED) and the hamza marks above / below (0653-0655, as NFD leaves them).
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]")
_TATWEEL = "\u0640"
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",  # alef wasla
        "ٲ": "ا",
        "ٳ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ء": "",  # standalone hamza: absent when typed without hamza
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ې": "ي",
        "ک": "ك",  # Persian keheh
        "ە": "ه",  # Kurdish ae
        "ۀ": "ه",
    }
)
_DIGITS = str.maketrans(
    {**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}}
)
_SPACES = re.compile(r"\s+")
#: The article at a word start: plain alef or alef wasla, then lam (never hamza-alef + lam).
_ARTICLE = re.compile(r"^[اٱ]ل")
_NEVER_CUT = frozenset({"الله"})


def strip_arabic_marks(text: str) -> str:
    """NFC, then diacritics and tatweel removed (letters with hamza kept: that is a later step)."""
    text = unicodedata.normalize("NFC", text)
    return _DIACRITICS.sub("", text).replace(_TATWEEL, "")


def fold_arabic(text: str) -> str:
    """The spelling-free form of Arabic text (see the module doc for what is folded).

    >>> fold_arabic("إِدْلِب"), fold_arabic("أعزاز"), fold_arabic("آ")
    ('ادلب', 'اعزاز', 'ا')
    >>> fold_arabic("معرة  النعمان"), fold_arabic("مصطفى"), fold_arabic("ســرمدا")
    ('معره النعمان', 'مصطفي', 'سرمدا')
    >>> fold_arabic("مؤتة"), fold_arabic("الرائي"), fold_arabic("سماء"), fold_arabic("٢٠٢٠")
    ('موته', 'الرايي', 'سما', '2020')
    """
    text = strip_arabic_marks(text).translate(_LETTERS).translate(_DIGITS)
    return _SPACES.sub(" ", text).strip()


def strip_article(word: str) -> str:
    """``word`` without a leading article ``ال`` (marks already removed, alef not yet folded).

    >>> strip_article("الدانا"), strip_article("إلياس"), strip_article("ال"), strip_article("الله")
    ('دانا', 'إلياس', 'ال', 'الله')
    """
    if word in _NEVER_CUT or len(word) < 4 or not _ARTICLE.match(word):
        return word
    return word[2:]


def arabic_key(text: str) -> str:
    """A key for comparing Arabic names: :func:`fold_arabic` with each word's article dropped.

    >>> arabic_key("الدانا") == arabic_key("دانا") == arabic_key("ٱلدَّانَا")
    True
    >>> arabic_key("مركز الأتارب"), arabic_key("إلياس")
    ('مركز اتارب', 'الياس')
    """
    words = strip_arabic_marks(text).split()
    return fold_arabic(" ".join(strip_article(w) for w in words))


def has_arabic(text: str) -> bool:
    """Whether ``text`` holds at least one Arabic letter.

    >>> has_arabic("Dana · الدانا"), has_arabic("Dana")
    (True, False)
    """
    return any("\u0600" <= ch <= "\u06ff" and ch.isalpha() for ch in text)
