"""The area picker's options in the interface's language.

:func:`app.queries.areas.area_options` labels each area in English first ("Dana · دانا ·
SY070301 (sub-district in Idlib)"). An Arabic reader looks for the gazetteer's Arabic name
first, and for the level and parent in Arabic: "دانا · SY070301 (ناحية في إدلب)". The
search text is the same in both (English, Arabic, folded spellings, towns, P-code), so
typing either script finds the area in either interface.

Computed once per areas table and language (the options list is rebuilt per store
version, :mod:`components.context`), never per request.
"""

from __future__ import annotations

import pandas as pd

from app import i18n
from app.i18n import _
from app.queries.catalogue import LEVELS
from app.queries.derived import memo


def arabic_label(row: dict, parent: dict | None) -> str:
    """ "دانا · SY070301 (ناحية في إدلب)": Arabic name (English when the gazetteer has none),
    P-code, then level and parent in the current language."""
    name = row.get("name_ar") if isinstance(row.get("name_ar"), str) and row["name_ar"] else None
    level = _(LEVELS[int(row["level"])][0])
    if parent is not None:
        parent_name = parent.get("name_ar") if isinstance(parent.get("name_ar"), str) and \
            parent["name_ar"] else parent["name_en"]  # fmt: skip
        context = _("{level} in {parent}").format(level=level, parent=parent_name)
    else:
        context = level
    return f"{name or row['name_en']} · {row['pcode']} ({context})"


def _arabic_options(areas: pd.DataFrame, english: list[dict[str, str]]) -> list[dict[str, str]]:
    rows = {r["pcode"]: r for r in areas.to_dict("records")}
    out = []
    with i18n.use("ar"):
        for option in english:
            row = rows.get(option["value"])
            if row is None:
                out.append(dict(option))
                continue
            parent = rows.get(row.get("parent_pcode")) if int(row["level"]) > 1 else None
            out.append({**option, "label": arabic_label(row, parent)})
    return out


def localized_area_options(
    areas: pd.DataFrame, english: list[dict[str, str]], lang: str
) -> list[dict[str, str]]:
    """``english`` (:func:`app.queries.areas.area_options` of ``areas``) relabelled for
    ``lang``: unchanged for English, Arabic names first for Arabic (once per table)."""
    if lang != "ar":
        return english
    return memo(areas, "area_options_ar", lambda a: _arabic_options(a, english))
