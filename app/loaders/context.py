"""What a loader needs to know to resolve places: the gazetteer, regions and known aliases.

Built from the bundle (``data/tables``) at run time, or from explicit tables in tests; the
loaders receive it as an argument so parsing never reaches for files of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from app.normalise.places import PlaceMatcher
from app.normalise.text import clean_name


@dataclass(frozen=True)
class AreaRef:
    """Where a figure applies: one P-code, or a named region, or neither (unmatched)."""

    pcode: str | None
    region: str | None
    status: str  # "pcode" | "alias" | "region" | "name_en" | "name_ar" | "place" | "fuzzy" | "ambiguous" | "unmatched"
    detail: str = ""
    score: float = 100.0
    #: For a match by a place alias: its kind (town, community, centre).
    kind: str | None = None


@dataclass
class LoadContext:
    gazetteer: pd.DataFrame
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)
    aliases: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: P-codes whose geometry the bundle holds (for spatial joins); empty = all in the gazetteer.
    boundaries_dir: Path | None = None
    #: Town and other place-name aliases (``tables/place_aliases.csv``); empty = none.
    place_aliases: pd.DataFrame = field(default_factory=pd.DataFrame)

    @classmethod
    def from_dir(cls, tables_dir: Path, boundaries_dir: Path | None = None) -> LoadContext:
        def read(name: str) -> pd.DataFrame:
            p = tables_dir / name
            return pd.read_csv(p, dtype=str, keep_default_na=False) if p.exists() else pd.DataFrame()

        return cls(read("gazetteer.csv"), read("regions.csv"), read("area_aliases.csv"), boundaries_dir,
                   read("place_aliases.csv"))

    @cached_property
    def matcher(self) -> PlaceMatcher:
        aliases = self.place_aliases if "alias" in self.place_aliases else None
        return PlaceMatcher(self.gazetteer, place_aliases=aliases)

    @cached_property
    def known_pcodes(self) -> set[str]:
        known = set(self.gazetteer["pcode"]) if "pcode" in self.gazetteer else set()
        return known | {"SY"}

    @cached_property
    def _alias_index(self) -> dict[str, tuple[str | None, str | None]]:
        index: dict[str, tuple[str | None, str | None]] = {}
        for row in self.aliases.to_dict("records"):
            index[clean_name(row["area_as_written"])] = (row.get("pcode") or None, row.get("region") or None)
        for row in self.regions.to_dict("records"):
            for text in (row["region"], row["name"]):
                index.setdefault(clean_name(text), (None, row["region"]))
        return index

    def resolve(self, text: str, pcode: str = "", level: int | None = None) -> AreaRef:
        """P-code column first (if given and known), then the alias/region table, then the matcher."""
        pcode = (pcode or "").strip().upper()
        if pcode:
            if pcode in self.known_pcodes:
                return AreaRef(pcode, None, "pcode")
            return AreaRef(None, None, "unmatched", f"P-code {pcode!r} is not in the gazetteer")
        if not text.strip():
            return AreaRef(None, None, "unmatched", "no area given")
        hit = self._alias_index.get(clean_name(text))
        if hit is not None:
            return AreaRef(hit[0], hit[1], "region" if hit[1] else "alias")
        m = self.matcher.match(text, level=level)
        if m.status == "matched":
            detail = f"{text!r} -> {m.pcode} {m.name_en}"
            if m.method == "place":
                detail += f" (by the {m.alias_kind or 'place'} alias {m.alias!r}; source: {m.alias_source})"
            elif m.method == "alias" and m.alias:
                detail += f" (by the gazetteer alias {m.alias!r})"
            return AreaRef(m.pcode, None, m.method or "name_en", detail, m.score, m.alias_kind)
        if m.status == "ambiguous":
            return AreaRef(None, None, "ambiguous",
                           f"{text!r} is ambiguous: {', '.join(m.candidates)}")
        return AreaRef(None, None, "unmatched", f"{text!r} matches no P-code, region or alias")
