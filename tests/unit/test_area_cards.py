"""The headline cards of one area (issue 13: a click on the map gives that area's cards),
against the real bundle's figures.

What the bundle holds for the cards' metrics below north-west Syria as a whole: Idleb
governorate's "at risk" projection (2,000,000, the news article of 16 Feb 2020) and three
single-day tolls (OHCHR 20 in Idleb governorate on 11 Jan 2020, SOHR / White Helmets 10 in
Ariha district on 29 Jan 2020, SOHR 12 and White Helmets 7 in Idleb city on 11 Feb 2020).
No "displaced since 1 Dec 2019" figure is given for any area: those cards fall back.
"""

from __future__ import annotations

import pandas as pd
import pytest

from app.queries.cards import NW, area_cards, area_scope, card_area, card_data, wider_scopes
from app.queries.clean import is_event_sum

PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]
WINDOW = 14  # NWS_HEADLINE_WINDOW_DAYS' default


def _cards(bundle, area: str | None, as_of: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    day = pd.Timestamp(as_of) if as_of else None
    return {c.key: c for c in area_cards(bundle.figures, bundle.areas, PRIORITY, area, day)}


@pytest.mark.parametrize(
    ("pcode", "label"),
    [
        ("SY07", "Idlib governorate (SY07)"),
        ("SY0705", "Ariha district (SY0705)"),
        ("SY070301", "Dana sub-district (SY070301)"),
        ("SY070000", "Idleb sub-district (SY070000)"),
    ],
)
def test_area_is_named_with_its_level_and_pcode(bundle, pcode: str, label: str) -> None:  # type: ignore[no-untyped-def]
    assert area_scope(bundle.areas, pcode).label == label


@pytest.mark.parametrize("pcode", ["SY", "SY999999", "sy07", ""])
def test_unknown_or_national_pcode_is_a_clear_error(bundle, pcode: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="not an admin 1-3 P-code of the areas table"):
        area_scope(bundle.areas, pcode)


def test_wider_scopes_nearest_first_then_north_west(bundle) -> None:  # type: ignore[no-untyped-def]
    labels = [s.label for s in wider_scopes(bundle.areas, "SY070500")]
    assert labels == ["Ariha district (SY0705)", "Idlib governorate (SY07)", "North-west Syria"]
    assert wider_scopes(bundle.areas, "SY07") == [NW]


def test_one_selected_area_drives_the_cards_several_do_not() -> None:
    assert card_area(()) is None
    assert card_area(("SY070301",)) == "SY070301"
    assert card_area(("SY070301", "SY0705")) is None


def test_no_area_is_the_north_west_headline(bundle) -> None:  # type: ignore[no-untyped-def]
    mine = _cards(bundle, None)
    theirs = {c.key: c for c in card_data(bundle.figures, PRIORITY)}
    assert {k: c.figure["figure_id"] for k, c in mine.items()} == {
        k: c.figure["figure_id"] for k, c in theirs.items()
    }
    assert mine["killed"].figure["value"] == 299  # OHCHR, 1 Jan - 18 Feb 2020
    assert all(c.scope == NW and c.fallback is None for c in mine.values())


def test_idleb_governorate_has_its_own_at_risk_figure(bundle) -> None:  # type: ignore[no-untyped-def]
    c = _cards(bundle, "SY07")["at_risk"]
    assert c.scope.label == "Idlib governorate (SY07)"
    f = c.figure
    assert (f["value"], f["low"], f["high"]) == (2_000_000, 1_900_000, 2_100_000)  # range kept
    assert f["publisher"].startswith("News article of 16 Feb 2020")
    assert f["period_end"] == pd.Timestamp("2020-02-16")
    assert not c.single_day and c.fallback is None
    assert "reported for Idlib governorate (SY07) itself" in c.rule


def test_a_single_day_is_taken_only_for_want_of_a_period_and_says_so(bundle) -> None:  # type: ignore[no-untyped-def]
    c = _cards(bundle, "SY070000")["killed"]  # Idleb city, 11 Feb 2020
    assert c.single_day
    # SOHR (9th in the priority) and White Helmets (not listed): SOHR wins; WH is the other
    assert (c.figure["value"], c.figure["publisher"]) == (12, "SOHR (via Okezone, Indonesian)")
    assert c.figure["period_start"] == c.figure["period_end"] == pd.Timestamp("2020-02-11")
    assert list(c.alternatives["value"]) == [7]
    assert list(c.alternatives["area_pcode"]) == ["SY070000"]  # the area's own, only
    assert "picked SOHR (via Okezone, Indonesian) (9th in the priority)" in c.rule


def test_no_figure_for_the_area_falls_back_to_the_north_west_never_a_split(bundle) -> None:  # type: ignore[no-untyped-def]
    c = _cards(bundle, "SY070301")["displaced"]  # Dana: no area gives "displaced since"
    assert c.figure is None and c.alternatives.empty
    assert c.fallback is not None and c.fallback.scope == NW
    assert c.fallback.figure["value"] == 1_000_000  # OCHA, 5 Mar 2020, as the NW headline
    assert c.fallback.figure["publisher"] == "OCHA"


def test_fallback_is_the_nearest_wider_area_with_a_count(bundle) -> None:  # type: ignore[no-untyped-def]
    cards = _cards(bundle, "SY070301")  # Dana sub-district, in Idleb governorate
    assert cards["at_risk"].fallback.scope.label == "Idlib governorate (SY07)"
    assert cards["at_risk"].fallback.figure["value"] == 2_000_000
    # Idleb governorate's only killed figure is a single day (20 on 11 Jan): no stand-in
    # for Dana's card; north-west Syria's count over a period is offered instead
    killed = cards["killed"]
    assert killed.figure is None
    assert killed.fallback.scope == NW and killed.fallback.figure["value"] == 299
    # Ariha sub-district: its district's single day (10 on 29 Jan) is not offered either
    ariha = _cards(bundle, "SY070500")["killed"]
    assert ariha.fallback.scope == NW and ariha.fallback.figure["value"] == 299


def test_as_of_applies_to_the_area_and_its_fallback(bundle) -> None:  # type: ignore[no-untyped-def]
    cards = _cards(bundle, "SY070000", "2020-02-01")
    assert cards["killed"].figure is None  # the 11 Feb toll was not yet known
    assert cards["killed"].fallback is None  # nor a count over a period for a wider area
    assert cards["displaced"].fallback.figure["value"] == 390_000  # OCHA, 27 Jan 2020
    assert cards["at_risk"].fallback is None  # the projection came on 16 Feb


def test_weekly_event_sums_never_head_an_area_card(bundle) -> None:  # type: ignore[no-untyped-def]
    # Jebel Saman sub-district (Aleppo city): 153 UCDP weeks of civilians killed, nothing else
    sums = bundle.figures[is_event_sum(bundle.figures).to_numpy()]
    busiest = sums.loc[sums["metric"] == "civilians_killed", "area_pcode"].value_counts()
    pcode = next(p for p in busiest.index if len(p) == 8)
    assert (pcode, busiest[pcode]) == ("SY020000", 153)
    c = _cards(bundle, pcode)["killed"]
    assert c.figure is None and c.alternatives.empty
    assert c.fallback is not None and not is_event_sum(pd.DataFrame([c.fallback.figure])).any()
