"""Place names and P-codes as written -> gazetteer P-codes, saying how each was found.

Figures name places in many spellings ("Idleb", "Idlib", "إدلب"; "Ma'arrat An Nu'man",
"Maarat al-Numan"), and one name can belong to several areas (Ariha is both district SY0705
and sub-district SY070500). The matcher tries the strictest evidence first and stops at the
first tier that finds anything:

1. a P-code: the whole text, or one inside it ("Dana sub-district (SY070301)");
2. the English name, 3. the Arabic name, 4. an alias of the gazetteer, 5. a town or other
   place-name alias of the bundle's ``place_aliases`` table (Sarmada, سرمدا -> Dana
   sub-district), all compared after :func:`clean_name` (Arabic folded by
   :mod:`app.normalise.arabic`: "ادلب" is إدلب, "اعزاز" is أعزاز);
6. fuzzy matching (rapidfuzz ``token_sort_ratio`` >= ``threshold``, 85 by default).

Every tier is restricted to ``level`` and to the descendants of ``parent`` when given
(P-codes nest by prefix: SY07 > SY0705 > SY070500). When ``level`` is not given, a level word
in the text sets it ("Ariha district" -> 2; "governorate" 1, "sub-district"/"ناحية" 3). Two or
more areas equally good in the deciding tier give ``status="ambiguous"`` with the P-codes in
``candidates``: the caller reports it rather than picking one. A fuzzy match is ``matched``
with ``method="fuzzy"`` and its score, for the caller to report as a warning.

Areas that share an Arabic name (governorate Idlib SY07 and district Idlib SY0700, both
إدلب) share their English spellings as aliases: "Idleb" is listed only for the district, but it
transliterates the same Arabic name as the governorate's.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from app.normalise.text import clean_name

Method = Literal["pcode", "name_en", "name_ar", "alias", "place", "fuzzy"]
Status = Literal["matched", "ambiguous", "unmatched"]

DEFAULT_THRESHOLD = 85.0
_EXACT_TIERS: tuple[Method, ...] = ("name_en", "name_ar", "alias", "place")
#: Tiers whose spellings the fuzzy matcher compares with: town names stay out, so an unknown
#: village is never put on a sub-district because it looks like a town of another one.
_FUZZY_TIERS: tuple[Method, ...] = ("name_en", "name_ar", "alias")
#: Place-alias kinds left to the area box: spellings of a sub-district's own name as a
#: publisher wrote it ("Saraqeb"), which the fuzzy tier already finds and reports with a score.
_SEARCH_ONLY_KINDS = frozenset({"as_written"})
_PCODE_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])SY\d{2}(?:\d{2}){0,2}(?![0-9])", re.IGNORECASE)
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
#: Level words, most specific first: "sub-district" must be taken before "district".
_LEVEL_WORDS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (3, re.compile(r"\bsub[\s_-]?districts?\b|\bnah(?:i?ya|iyah|iyat|iyeh)\b|ناحي[ةه]", re.I)),
    (2, re.compile(r"\bdistricts?\b|\bmant(?:i|e)(?:k|q)ah?\b|\bmintaqat?\b|منطق[ةه]", re.I)),
    (1, re.compile(r"\bgovernorates?\b|\bprovinces?\b|\bmuhafaz(?:a|ah|at)\b|محافظ[ةه]", re.I)),
)


@dataclass(frozen=True)
class PlaceMatch:
    """The outcome of one lookup.

    ``score`` is 100 for the exact tiers; for ``fuzzy`` it is the similarity (0-100); for an
    unmatched query it is the best similarity seen below the threshold (0 if none), which tells
    a reader how far off the name was. ``candidates`` lists the P-codes that were equally good
    (one for a match, several when ambiguous, none when unmatched).
    """

    query: str
    pcode: str | None
    name_en: str | None
    level: int | None
    method: Method | None
    score: float
    status: Status
    candidates: tuple[str, ...] = ()
    #: For ``alias`` and ``place`` matches: the spelling that matched, as the table writes it.
    alias: str | None = None
    #: For ``place`` matches: the kind of alias (town, community, centre) and its source.
    alias_kind: str | None = None
    alias_source: str | None = None


@dataclass(frozen=True)
class _Area:
    pcode: str
    name_en: str
    level: int


def level_hint(text: str) -> int | None:
    """The administrative level a name's own words state, or None.

    >>> level_hint("Ariha district"), level_hint("Dana sub-district"), level_hint("محافظة إدلب")
    (2, 3, 1)
    >>> level_hint("Dana (sub-district of arrival)"), level_hint("NW Syria")
    (3, None)
    """
    found: list[tuple[int, int]] = []
    rest = text
    for level, pattern in _LEVEL_WORDS:
        for m in pattern.finditer(rest):
            found.append((m.start(), level))
        rest = pattern.sub(lambda m: " " * len(m.group()), rest)
    return min(found)[1] if found else None


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


def _cells(value: object) -> list[str]:
    """Non-empty pipe-separated values of one gazetteer cell (NaN and "" give none)."""
    if not isinstance(value, str):
        return []
    return [v.strip() for v in value.split("|") if v.strip()]


def _level_of(pcode: str, value: object) -> int:
    try:
        return int(float(str(value)))
    except ValueError:  # no level column, or an empty cell: SY=0, SY07=1, SY0705=2, SY070500=3
        return len(pcode) // 2 - 1


class PlaceMatcher:
    """Find gazetteer P-codes for place names; build once per gazetteer, call many times.

    ``gazetteer`` needs ``pcode`` and ``name_en``; ``level``, ``name_ar``, ``aliases_en`` and
    ``aliases_ar`` are used when present (missing levels follow from the P-code length).
    Results are cached per instance on the cleaned name, so 100k queries with repeats cost
    little; a new matcher starts with an empty cache.
    """

    def __init__(
        self,
        gazetteer: pd.DataFrame,
        threshold: float = DEFAULT_THRESHOLD,
        cache_size: int = 65_536,
        place_aliases: pd.DataFrame | None = None,
    ) -> None:
        self.threshold = float(threshold)
        #: (tier, key, pcode) -> (alias as written, kind, source) for reporting.
        self._written: dict[tuple[str, str, str], tuple[str, str | None, str | None]] = {}
        self._areas: dict[str, _Area] = {}
        self._tiers: dict[Method, dict[str, set[str]]] = {t: defaultdict(set) for t in _EXACT_TIERS}
        by_arabic: dict[str, set[str]] = defaultdict(set)
        english: dict[str, list[str]] = {}
        for row in gazetteer.to_dict("records"):
            pcode = str(row["pcode"]).strip().upper()
            name_en = str(row.get("name_en") or "").strip()
            self._areas[pcode] = _Area(pcode, name_en, _level_of(pcode, row.get("level")))
            self._add("name_en", [name_en], pcode)
            self._add("name_ar", _cells(row.get("name_ar")), pcode)
            aliases = _cells(row.get("aliases_en")) + _cells(row.get("aliases_ar"))
            self._add("alias", aliases, pcode)
            english[pcode] = [name_en, *_cells(row.get("aliases_en"))]
            for name_ar in _cells(row.get("name_ar")):
                by_arabic[clean_name(name_ar)].add(pcode)
        for group in by_arabic.values():
            for pcode in group:
                for other in group - {pcode}:
                    self._add("alias", english[other], pcode)
        if place_aliases is not None:
            for row in place_aliases.to_dict("records"):
                pcode = str(row["pcode"]).strip().upper()
                if pcode in self._areas and row.get("kind") not in _SEARCH_ONLY_KINDS:
                    self._add("place", [str(row["alias"])], pcode,
                              str(row.get("kind") or "") or None, str(row.get("source") or "") or None)
        self._match_key = functools.lru_cache(maxsize=cache_size)(self._match_key_uncached)
        self._choices = functools.lru_cache(maxsize=1024)(self._choices_uncached)

    @classmethod
    def from_csv(
        cls, path: str | Path, threshold: float = DEFAULT_THRESHOLD,
        place_aliases: str | Path | None = None,
    ) -> PlaceMatcher:
        """A matcher for a gazetteer CSV and optionally a place-alias CSV (all cells text)."""
        def read(p: str | Path) -> pd.DataFrame:
            return pd.read_csv(p, dtype=str, keep_default_na=False)

        aliases = read(place_aliases) if place_aliases is not None else None
        return cls(read(path), threshold, place_aliases=aliases)

    def _add(
        self, tier: Method, names: Iterable[str], pcode: str,
        kind: str | None = None, source: str | None = None,
    ) -> None:
        for name in names:
            key = clean_name(name)
            if key:
                self._tiers[tier][key].add(pcode)
                self._written.setdefault((tier, key, pcode), (name, kind, source))

    def _allowed(self, pcode: str, level: int | None, parent: str | None) -> bool:
        area = self._areas[pcode]
        if level is not None and area.level != level:
            return False
        return parent is None or (pcode.startswith(parent) and pcode != parent)

    def _result(
        self, query: str, pcodes: Iterable[str], method: Method, score: float
    ) -> PlaceMatch:
        found = tuple(sorted(set(pcodes)))
        if len(found) == 1:
            area = self._areas[found[0]]
            written = self._written.get((method, query, area.pcode))
            alias, kind, source = written if written and method in ("alias", "place") else (None,) * 3
            return PlaceMatch(
                query, area.pcode, area.name_en, area.level, method, score, "matched", found,
                alias, kind, source,
            )
        return PlaceMatch(query, None, None, None, method, score, "ambiguous", found)

    def match(self, name: str, level: int | None = None, parent: str | None = None) -> PlaceMatch:
        """Resolve one place name (or P-code, or text holding a P-code) to a gazetteer area.

        >>> import pandas as pd
        >>> gaz = pd.DataFrame({"pcode": ["SY07", "SY0705", "SY070500"], "level": [1, 2, 3],
        ...                     "name_en": ["Idlib", "Ariha", "Ariha"]})
        >>> m = PlaceMatcher(gaz)
        >>> m.match("Ariha").candidates, m.match("Ariha district").pcode
        (('SY0705', 'SY070500'), 'SY0705')
        >>> m.match("Arihah", level=3).method, m.match("in SY07").pcode
        ('fuzzy', 'SY07')
        """
        text = (name or "").strip()
        parent_code = (parent or "").strip().upper() or None
        if not text:
            return PlaceMatch(name, None, None, None, None, 0.0, "unmatched")
        written = {text.upper()} | {p.upper() for p in _PCODE_IN_TEXT.findall(text)}
        known = [p for p in written if p in self._areas]
        if known:
            allowed = [p for p in known if self._allowed(p, level, parent_code)]
            if allowed:
                return self._result(name, allowed, "pcode", 100.0)
        rest = _PCODE_IN_TEXT.sub(" ", text)
        outside = _BRACKETED.sub(" ", rest)
        words = outside if outside.strip(" ,;:-") else rest.replace("(", " ").replace(")", " ")
        if level is None:
            level = level_hint(outside) or level_hint(rest)
        key = clean_name(words)
        if not key:
            return PlaceMatch(name, None, None, None, None, 0.0, "unmatched")
        return replace(self._match_key(key, level, parent_code), query=name)

    def _match_key_uncached(self, key: str, level: int | None, parent: str | None) -> PlaceMatch:
        for tier in _EXACT_TIERS:
            hits = [p for p in self._tiers[tier].get(key, ()) if self._allowed(p, level, parent)]
            if hits:
                return self._result(key, hits, tier, 100.0)
        keys, owners = self._choices(level, parent)
        if not keys:
            return PlaceMatch(key, None, None, None, None, 0.0, "unmatched")
        # token_sort_ratio is ratio on words sorted; the choices are sorted once, in _choices.
        # One vectorised pass gives both the best score and its ties.
        scores = process.cdist([_sorted_words(key)], keys, scorer=fuzz.ratio, dtype=np.float32)[0]
        top = float(scores.max())
        if top < self.threshold:
            return PlaceMatch(key, None, None, None, None, round(top, 2), "unmatched")
        tied = [p for i in np.flatnonzero(scores == scores.max()) for p in owners[i]]
        return self._result(key, tied, "fuzzy", round(top, 2))

    def _choices_uncached(
        self, level: int | None, parent: str | None
    ) -> tuple[list[str], list[tuple[str, ...]]]:
        """Every spelling key of the allowed areas (words sorted), and the P-codes owning each."""
        owners: dict[str, set[str]] = defaultdict(set)
        for tier in _FUZZY_TIERS:
            for key, pcodes in self._tiers[tier].items():
                owners[key].update(p for p in pcodes if self._allowed(p, level, parent))
        keys = sorted(k for k, v in owners.items() if v)
        return [_sorted_words(k) for k in keys], [tuple(sorted(owners[k])) for k in keys]
