"""Area names for people: labels, search terms and the list of areas at a level.

Sources and users write the same place many ways (Idlib / Idleb / إدلب, Jebel Saman /
Mount Simeon, ادلب without hamza, معره with ه); the area picker must find an area by its
English name, its Arabic name, any alias, a town inside it (Sarmada, سرمدا -> Dana), or its
P-code, so the search text carries all of them, Arabic also in folded spellings.

The picker (dcc.Dropdown) matches every typed word as a substring of some word of ``label``,
``value`` or ``search``, lower-cased but not otherwise normalised; so the search text holds
each Arabic name as written, folded by :func:`app.normalise.arabic.fold_arabic` (no hamza,
ة -> ه, ى -> ي, no diacritics or tatweel), and folded with ه / ي put back as ة / ى at word
ends, the two ways people type them.
"""

from __future__ import annotations

import pandas as pd

from app.normalise.arabic import fold_arabic, has_arabic
from app.queries.catalogue import LEVELS
from app.queries.derived import memo

_WORD_END_VARIANTS = str.maketrans({"ه": "ة", "ي": "ى"})


def _aliases(value: object) -> list[str]:
    if not isinstance(value, str) or not value:
        return []
    return [a.strip() for a in value.split("|") if a.strip()]


def area_label(row: pd.Series | dict) -> str:
    """ "Dana · دانا · SY070301" (English · Arabic · P-code)."""
    parts = [str(row["name_en"])]
    if isinstance(row.get("name_ar"), str) and row["name_ar"]:
        parts.append(row["name_ar"])
    parts.append(str(row["pcode"]))
    return " · ".join(parts)


def search_forms(names: list[str]) -> list[str]:
    """Every word of ``names`` once, plus the folded spellings of the Arabic ones.

    >>> search_forms(["Dana", "الدانا", "أعزاز", "معرة النعمان"])
    ['Dana', 'الدانا', 'أعزاز', 'اعزاز', 'معرة', 'النعمان', 'معره']
    >>> search_forms(["مصطفى"])
    ['مصطفى', 'مصطفي']
    """
    out: list[str] = []
    seen: set[str] = set()

    def add(word: str) -> None:
        if word and word not in seen:
            seen.add(word)
            out.append(word)

    for name in names:
        for word in str(name).split():
            add(word)
        if has_arabic(name):
            for word in fold_arabic(name).split():
                add(word)
                if word[-1] in "هي":
                    add(word[:-1] + word[-1].translate(_WORD_END_VARIANTS))
    return out


def place_alias_map(place_aliases: pd.DataFrame | None) -> dict[str, list[str]]:
    """P-code -> the aliases the bundle's place-alias table gives it (towns, centres ...)."""
    out: dict[str, list[str]] = {}
    if place_aliases is None or "alias" not in place_aliases:
        return out
    for pcode, alias in zip(place_aliases["pcode"], place_aliases["alias"], strict=True):
        out.setdefault(str(pcode), []).append(str(alias))
    return out


def arabic_name(areas: pd.DataFrame, pcode: str) -> str | None:
    """The gazetteer's Arabic name of ``pcode`` ("إدلب" for SY07), or None when it has none.

    For labels of the Arabic interface; P-codes are matched as written (upper case).
    """
    names = memo(areas, "name_ar_by_pcode", _name_ar_by_pcode)
    return names.get(str(pcode).strip().upper())


def _name_ar_by_pcode(areas: pd.DataFrame) -> dict:
    out: dict = {}
    for pcode, name in zip(areas["pcode"], areas["name_ar"], strict=True):
        if isinstance(name, str) and name.strip():
            out.setdefault(pcode, name.strip())
    return out


def area_options(
    areas: pd.DataFrame, place_aliases: pd.DataFrame | None = None
) -> list[dict[str, str]]:
    """Options for a searchable dropdown: every admin 1-3 area, in P-code (tree) order.

    ``label`` shows English, Arabic and P-code plus the level and parent; ``search`` adds
    the aliases, the towns of ``place_aliases`` and folded Arabic spellings, so typing
    "Mount Simeon", "إدلب", "ادلب", "سرمدا" or "SY0703" finds the area.
    """
    idx = areas.set_index("pcode")
    towns = place_alias_map(place_aliases)
    out = []
    for row in areas[areas["level"].between(1, 3)].sort_values("pcode").to_dict("records"):
        level_name = LEVELS[int(row["level"])][0]
        parent = row.get("parent_pcode")
        context = level_name
        if isinstance(parent, str) and parent in idx.index and int(row["level"]) > 1:
            context = f"{level_name} in {idx.loc[parent, 'name_en']}"
        search = " ".join(
            search_forms(
                [
                    row["pcode"],
                    str(row["name_en"]),
                    str(row.get("name_ar") or ""),
                    *_aliases(row.get("aliases_en")),
                    *_aliases(row.get("aliases_ar")),
                    *towns.get(row["pcode"], []),
                ]
            )
        )
        out.append(
            {"label": f"{area_label(row)} ({context})", "value": row["pcode"], "search": search}
        )
    return out


def areas_at_level(areas: pd.DataFrame, level: int) -> pd.DataFrame:
    """The areas drawn on the map at ``level``: pcode, name_en, name_ar, in P-code order.

    Performance: computed once per areas table and level; each caller gets its own
    (copy-on-write) frame."""
    return memo(areas, f"areas_at_level_{level}", lambda a: _areas_at_level(a, level)).copy(
        deep=False
    )


def _areas_at_level(areas: pd.DataFrame, level: int) -> pd.DataFrame:
    out = areas[areas["level"] == level][["pcode", "name_en", "name_ar"]]
    return out.sort_values("pcode").reset_index(drop=True)


def area_names(areas: pd.DataFrame, pcodes: tuple[str, ...] | list[str]) -> list[str]:
    """English names for P-codes (the P-code itself when unknown)."""
    names = area_name_map(areas)
    return [str(names.get(p, p)) for p in pcodes]


def area_name_map(areas: pd.DataFrame) -> dict:
    """P-code -> English name, once per areas table (P-codes are unique in the bundle; of
    repeated ones the first row counts)."""
    return memo(areas, "name_en_by_pcode", _name_en_by_pcode)


def _name_en_by_pcode(areas: pd.DataFrame) -> dict:
    out: dict = {}
    for pcode, name in zip(areas["pcode"], areas["name_en"], strict=True):
        out.setdefault(pcode, name)
    return out


def n_inside(areas: pd.DataFrame, pcode: str, width: int) -> int:
    """How many areas with a P-code ``width`` characters long start with ``pcode``
    (``((pc.str.len() == width) & pc.str.startswith(pcode)).sum()``), counted once per
    areas table."""
    return memo(areas, "n_inside", _n_inside).get((pcode, width), 0)


def _n_inside(areas: pd.DataFrame) -> dict[tuple[str, int], int]:
    counts: dict[tuple[str, int], int] = {}
    for pc in areas["pcode"].astype(str):
        for cut in range(len(pc) + 1):
            key = (pc[:cut], len(pc))
            counts[key] = counts.get(key, 0) + 1
    return counts
