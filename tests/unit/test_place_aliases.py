"""The bundle's place-alias table, the matcher's town tier and the area box's search text,
on the real bundle (data/tables/place_aliases.csv, built by scripts/build_bundle.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from app.bundle.place_aliases import COLUMNS, CitedAliasError, cited_aliases, read_place_aliases
from app.bundle.store import load_bundle
from app.loaders import load
from app.loaders.context import LoadContext
from app.normalise.places import PlaceMatcher
from app.queries.areas import arabic_name, area_options

ROOT = Path(__file__).resolve().parents[2]
TABLES = ROOT / "data" / "tables"
FIXTURE = ROOT / "tests" / "fixtures" / "madeup_arabic_towns_without_hamza.csv"


@pytest.fixture(scope="module")
def aliases() -> pd.DataFrame:
    return read_place_aliases(TABLES / "place_aliases.csv")


@pytest.fixture(scope="module")
def matcher(aliases: pd.DataFrame) -> PlaceMatcher:
    gaz = pd.read_csv(TABLES / "gazetteer.csv", dtype=str, keep_default_na=False)
    return PlaceMatcher(gaz, place_aliases=aliases)


def _row(aliases: pd.DataFrame, alias: str) -> dict[str, str]:
    rows = aliases[aliases["alias"] == alias].to_dict("records")
    assert len(rows) == 1, rows
    return rows[0]


def test_table_columns_and_every_row_has_a_source(aliases: pd.DataFrame) -> None:
    assert list(aliases.columns) == COLUMNS
    assert (aliases["source"].str.len() > 10).all()
    assert aliases["source_url"].str.startswith(("https://", "http://")).all()
    assert set(aliases["level"]) == {"3"}
    assert set(aliases["kind"]) == {"centre", "community", "as_written", "town"}
    assert not aliases.duplicated(["alias", "pcode"]).any()


@pytest.mark.parametrize(
    ("alias", "pcode", "kind", "source_starts"),
    [
        ("سرمدا", "SY070301", "town", "Arabic Wikipedia, article سرمدا"),
        ("أطمة", "SY070301", "town", "963media"),
        ("Sarmada", "SY070301", "community", "HNAP"),
        ("Atmeh", "SY070301", "town", "UCDP GED Syria 652.1601.1911: 1 event at 'Atmeh town'"),
        ("اعزاز", "SY020400", "centre", "OpenSyria data-geography gazetteer"),
        ("إدلب", "SY070000", "centre", "OpenSyria data-geography gazetteer"),
        ("معرة النعمان", "SY070200", "centre", "OpenSyria"),
        ("Saraqeb", "SY070003", "as_written", "SOHR"),
        ("Idlib city", "SY070000", "as_written", "SOHR"),
        ("Maarat al-Numaan", "SY070200", "town", "UCDP GED Syria 652.1601.1911: 80 events"),
        ("Turmanin", "SY070301", "town", "UCDP"),
    ],
)
def test_real_aliases_and_their_sources(
    aliases: pd.DataFrame, alias: str, pcode: str, kind: str, source_starts: str
) -> None:
    row = _row(aliases, alias)
    assert (row["pcode"], row["kind"]) == (pcode, kind)
    assert row["source"].startswith(source_starts)


def test_names_the_gazetteer_already_gives_are_not_repeated(aliases: pd.DataFrame) -> None:
    assert "Dana" not in set(aliases["alias"])  # its own name
    assert "الدانا" not in set(aliases["alias"])
    assert "Saraqib" not in set(aliases["alias"])  # a gazetteer alias of SY070003


@pytest.mark.parametrize(
    ("name", "level", "pcode", "method", "alias"),
    [
        ("ادلب", 1, "SY07", "name_ar", None),
        ("ادلب", 2, "SY0700", "name_ar", None),
        ("ادلب", 3, "SY070000", "place", "إدلب"),
        ("اعزاز", 2, "SY0204", "name_ar", None),
        ("اعزاز", 3, "SY020400", "place", "اعزاز"),
        ("سرمدا", None, "SY070301", "place", "سرمدا"),
        ("مدينة سرمدا", None, None, None, None),  # "city of" is not folded away: unmatched
        ("اطمة", 3, "SY070301", "place", "أطمة"),
        ("Sarmada", 3, "SY070301", "place", "Sarmada"),
        ("Saraqeb", 3, "SY070003", "fuzzy", None),  # as_written: the area box's, not the matcher's
        ("معره النعمان", 2, "SY0702", "name_ar", None),
        ("الاتارب", 3, "SY020001", "alias", "ناحية أتارب"),
    ],
)
def test_matcher_finds_arabic_and_towns(
    matcher: PlaceMatcher, name: str, level: int | None, pcode: str | None,
    method: str | None, alias: str | None,
) -> None:
    m = matcher.match(name, level=level)
    assert (m.pcode, m.method if m.pcode else None, m.alias) == (pcode, method, alias)


def test_town_names_stay_out_of_fuzzy_matching(matcher: PlaceMatcher) -> None:
    # "Sarmadah" is no spelling the tables hold; close to the town Sarmada, but a fuzzy guess
    # would put an unknown place on Dana: it stays unmatched.
    assert matcher.match("Sarmadah", level=3).status == "unmatched"


def test_without_the_table_towns_are_unknown() -> None:
    gaz = pd.read_csv(TABLES / "gazetteer.csv", dtype=str, keep_default_na=False)
    assert PlaceMatcher(gaz).match("سرمدا").status == "unmatched"


def test_a_seat_name_is_a_place_match_without_a_town_warning() -> None:
    ctx = LoadContext.from_dir(TABLES, ROOT / "data" / "boundaries")
    ref = ctx.resolve("اعزاز", level=3)
    assert (ref.pcode, ref.status, ref.kind) == ("SY020400", "place", "centre")
    assert "by the centre alias 'اعزاز'" in ref.detail


def test_cited_rows_are_checked(aliases: pd.DataFrame) -> None:
    row = {"alias": "سرمدا", "pcode": "SY070301", "kind": "town", "source": "x",
           "source_url": "https://example.org", "quote": "نص لا يذكر البلدة"}
    with pytest.raises(CitedAliasError, match=r"f\.csv:2:quote: the quote does not contain 'سرمدا'"):
        cited_aliases(pd.DataFrame([row]), {"SY070301"}, "f.csv")
    with pytest.raises(CitedAliasError, match=r"f\.csv:2:pcode: 'SY999999' is not a bundled area"):
        cited_aliases(pd.DataFrame([{**row, "pcode": "SY999999"}]), {"SY070301"}, "f.csv")


def test_loader_reports_which_alias_matched() -> None:
    ctx = LoadContext.from_dir(TABLES, ROOT / "data" / "boundaries")
    result = load(FIXTURE, ctx)
    table = result.table
    got = dict(zip(table["value"].astype(int), table["area_pcode"], strict=True))
    assert got == {
        1000: "SY07", 1001: "SY020400", 1002: "SY070301", 1003: "SY070301", 1004: "SY070301",
        1005: "SY0702", 1006: "SY070003", 1007: "SY070201", 1008: "SY070301",
    }
    summary = result.summary()
    assert (summary["rows_read"], summary["accepted"], summary["unmatched"]) == (10, 9, 1)
    lines = [p.line() for p in result.problems]
    assert any(
        ":4:area_name_as_written:" in line and "'سرمدا' -> SY070301 Dana (by the town alias 'سرمدا'"
        in line and "Arabic Wikipedia" in line for line in lines
    ), lines
    assert any(":5:" in line and "by the town alias 'أطمة'; source: 963media" in line
               for line in lines), lines
    assert any(":11:" in line and "'قرية لا وجود لها' matches no P-code" in line
               for line in lines), lines


def test_area_box_search_finds_arabic_without_hamza_and_towns() -> None:
    bundle = load_bundle()
    options = area_options(bundle.areas, bundle.place_aliases)

    def finds(typed: str) -> list[str]:
        """What dcc.Dropdown offers: every typed word inside some word of value/label/search."""
        words = typed.lower().split()
        out = []
        for o in options:
            doc = f"{o['value']} {o['label']} {o['search']}".lower().split()
            if all(any(w in d for d in doc) for w in words):
                out.append(o["value"])
        return out

    assert finds("ادلب") == ["SY07", "SY0700", "SY070000"]
    assert finds("اعزاز") == ["SY0204", "SY020400"]
    assert finds("سرمدا") == finds("Sarmada") == finds("اطمه") == finds("أطمة") == ["SY070301"]
    assert finds("معره النعمان") == ["SY0702", "SY070200"]
    assert finds("داره عزه") == finds("دارة عزة") == ["SY020004"]
    assert finds("Saraqeb") == ["SY070003"]
    assert finds("Idlib city") == ["SY070000"]
    labels = {o["value"]: o["label"] for o in options}
    assert labels["SY070301"] == "Dana · الدانا · SY070301 (sub-district in Harem)"  # unchanged


def test_arabic_name_of_a_pcode() -> None:
    areas = load_bundle().areas
    assert arabic_name(areas, "SY07") == "إدلب"
    assert arabic_name(areas, "sy070301") == "الدانا"
    assert arabic_name(areas, "SY999999") is None
