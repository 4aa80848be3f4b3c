"""Town and other place-name aliases of the bundle's sub-districts, each with its source.

People look for a displacement figure by the town they know (Sarmada, Atmeh, Idlib city),
not by the sub-district that holds it (Dana, Idleb). The gazetteer stops at admin 3, so
this table says which sub-district each such name lies in, and where that was read:

- ``centre``: a sub-district whose Arabic name is "مركز X" (centre of X) is the one holding the
  district seat, and people call it X: "اعزاز" for مركز اعزاز (SY020400), "إدلب" for مركز إدلب
  (SY070000, Idlib city). Source: the gazetteer.
- ``community``: HNAP figures name a community and its sub-district ("Sarmada community, Dana
  sub-district", carried on SY070301); ``as_written``: the name before a bracket of a figure
  carried on a sub-district ("Saraqeb (Saraqib city and countryside)" -> SY070003, "Idlib city
  (Kota Idlib)" -> SY070000). Source: the dated sub-national figures, each its document.
- ``town``: UCDP GED events located precisely (``where_prec`` 1) at "X town" / "X city", put in
  their sub-district by the bundle's own spatial join (``tables/events_ucdp_nw.csv``); only names
  whose every such event lies in one sub-district. Source: the UCDP release.
- ``town`` rows of ``reference/place_aliases_cited.csv``: names no data file here gives (the
  Arabic of Sarmada and Atmeh), transcribed by hand with the page read and the sentence that
  places the town; the build checks the sentence holds the name.

An alias that only repeats its area's own name or gazetteer alias (after
:func:`app.normalise.text.clean_name`) is left out: it would add nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from app.normalise.arabic import fold_arabic, has_arabic
from app.normalise.text import clean_name

COLUMNS = ["alias", "language", "pcode", "level", "kind", "source", "source_url"]
GAZETTEER_SOURCE = (
    "OpenSyria data-geography gazetteer (syr_pcode_gazetteer_adm1-3.csv), compiled from "
    "OCHA COD-AB Syria: Arabic sub-district name 'مركز {name}'"
)
GAZETTEER_URL = "https://data.humdata.org/dataset/cod-ab-syr"
_CENTRE = re.compile(r"^مركز\s+(.+)$")
_COMMUNITY = re.compile(r"^(?P<name>.+?) community, (?P<sub>.+) sub-district$")
_BEFORE_BRACKET = re.compile(r"^(?P<name>[^(,]+?) \(")
_UCDP_TOWN = re.compile(r"^(?P<names>.+) (?:town|city)$")


class CitedAliasError(ValueError):
    """A hand-transcribed alias whose row does not hold up (unknown P-code, quote without it)."""


def _split(value: object) -> list[str]:
    return [v.strip() for v in str(value or "").split("|") if v.strip()]


def _row(alias: str, pcode: str, kind: str, source: str, url: str) -> dict[str, object]:
    return {
        "alias": alias,
        "language": "ar" if has_arabic(alias) else "en",
        "pcode": pcode,
        "level": len(pcode) // 2 - 1,
        "kind": kind,
        "source": source,
        "source_url": url,
    }


def centre_aliases(gaz: pd.DataFrame, pcodes: set[str]) -> list[dict[str, object]]:
    """"X" for each sub-district named "مركز X" (in ``pcodes``), from the gazetteer."""
    out = []
    for row in gaz[gaz["level"].astype(str) == "3"].to_dict("records"):
        m = _CENTRE.match(str(row["name_ar"]).strip())
        if m and row["pcode"] in pcodes:
            out.append(_row(m.group(1), row["pcode"], "centre",
                            GAZETTEER_SOURCE.format(name=m.group(1)), GAZETTEER_URL))
    return out


def community_aliases(figures: pd.DataFrame, pcodes: set[str]) -> list[dict[str, object]]:
    """Community and city names that the sub-national figures carry on a sub-district's P-code."""
    out = []
    for row in figures.to_dict("records"):
        written, pcode = str(row["area_name_as_written"]).strip(), str(row["pcode"]).strip()
        if pcode not in pcodes or len(pcode) != 8:
            continue
        community = _COMMUNITY.match(written)
        m = community or _BEFORE_BRACKET.match(written)
        if m and "(" not in m.group("name"):
            source = f"{row['publisher']}: {row['document']} (written '{written}', P-code {pcode})"
            kind = "community" if community else "as_written"
            out.append(_row(m.group("name").strip(), pcode, kind, source, row["url"]))
    return out


def ucdp_town_aliases(
    ucdp: pd.DataFrame, events: pd.DataFrame, release: str, url: str
) -> list[dict[str, object]]:
    """Towns and cities of precisely located UCDP events, with the one sub-district holding them.

    ``ucdp`` is the release as published (``id``, ``where_coordinates``, ``where_prec``);
    ``events`` the bundle's events (``event_id``, ``adm3_pcode``) after the spatial join.
    """
    placed = events[["event_id", "adm3_pcode"]].merge(
        ucdp[["id", "where_coordinates", "where_prec"]].astype(str),
        left_on=events["event_id"].astype(str), right_on="id",
    )
    placed = placed[(placed["where_prec"] == "1") & placed["adm3_pcode"].astype(bool)]
    out = []
    for written, group in placed.groupby("where_coordinates", sort=True):
        m = _UCDP_TOWN.match(str(written))
        subs = sorted(set(group["adm3_pcode"]))
        if not m or len(subs) != 1:
            continue
        source = (f"UCDP GED Syria {release}: {len(group)} event{'s' if len(group) != 1 else ''} at '{written}' (where_prec 1), "
                  "in this sub-district by their coordinates and the bundled OCHA boundaries")
        for name in m.group("names").split("/"):
            if name.strip():
                out.append(_row(name.strip(), subs[0], "town", source, url))
    return out


def cited_aliases(cited: pd.DataFrame, pcodes: set[str], path: str) -> list[dict[str, object]]:
    """The hand-transcribed rows, each checked: a known sub-district and a quote naming it."""
    out = []
    for i, row in enumerate(cited.to_dict("records"), start=2):
        alias, pcode = row["alias"].strip(), row["pcode"].strip()
        if pcode not in pcodes:
            raise CitedAliasError(f"{path}:{i}:pcode: {pcode!r} is not a bundled area; "
                                  "expected a P-code of north-west Syria")
        if fold_arabic(alias).casefold() not in fold_arabic(row["quote"]).casefold():
            raise CitedAliasError(f"{path}:{i}:quote: the quote does not contain {alias!r}; "
                                  "expected the sentence of the source that names the place")
        if not row["source_url"].startswith("https://"):
            raise CitedAliasError(f"{path}:{i}:source_url: {row['source_url']!r}; expected https://")
        out.append(_row(alias, pcode, row["kind"].strip(), row["source"].strip(),
                        row["source_url"].strip()))
    return out


def _own_keys(gaz: pd.DataFrame) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for row in gaz.to_dict("records"):
        names = [row["name_en"], row["name_ar"], *_split(row.get("aliases_en")),
                 *_split(row.get("aliases_ar"))]
        keys[row["pcode"]] = {clean_name(n) for n in names if str(n).strip()}
    return keys


def build_place_aliases(
    gaz: pd.DataFrame,
    pcodes: set[str],
    *,
    cited: pd.DataFrame,
    cited_path: str,
    figures: pd.DataFrame,
    ucdp: pd.DataFrame,
    events: pd.DataFrame,
    ucdp_release: str,
    ucdp_url: str,
) -> pd.DataFrame:
    """The alias table: cited rows first, then centres, communities and UCDP towns.

    One row per (alias, P-code): the first source in that order is kept. Sorted by P-code,
    language and alias so the file is the same on every build.
    """
    rows = [
        *cited_aliases(cited, pcodes, cited_path),
        *centre_aliases(gaz, pcodes),
        *community_aliases(figures, pcodes),
        *ucdp_town_aliases(ucdp, events, ucdp_release, ucdp_url),
    ]
    own = _own_keys(gaz)
    seen: set[tuple[str, str]] = set()
    kept = []
    for row in rows:
        key = (str(row["alias"]), str(row["pcode"]))
        if key in seen or clean_name(key[0]) in own.get(key[1], set()):
            continue
        seen.add(key)
        kept.append(row)
    out = pd.DataFrame(kept, columns=COLUMNS)
    return out.sort_values(["pcode", "language", "alias"], kind="stable").reset_index(drop=True)


def read_place_aliases(path: Path) -> pd.DataFrame:
    """The bundle's alias table as text cells (an empty table when the file is absent)."""
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
