"""Issue 13, point 1: a click (or a tap) on an area of the map gives the cards of that area,
and "Back to north-west Syria" gives the north-west's again; at desktop size and 390 x 844.

Idleb sub-district (SY070000, Idlib city) has its own civilians-killed figure in the bundle
(SOHR: 12 on 11 Feb 2020, a single day), no "displaced since" figure (the card says so and
shows north-west Syria's) and Idleb governorate's "at risk" figure.
"""

from __future__ import annotations

import os
from typing import Any

from .dashboard_helpers import MAP, bundle, map_pixel, open_view, priority, query, settle
from .harness import wait_for_dash

AREA = "SY070000"
TITLE = "Headline figures for Idleb sub-district (SY070000)"
#: Screenshots for a person to look at (not docs/): NWS_SCREENSHOT_DIR, default /tmp.
SHOTS = os.environ.get("NWS_SCREENSHOT_DIR", "/tmp")


def _expected() -> dict[str, Any]:
    from app.queries.cards import area_cards

    b = bundle()
    return {c.key: c for c in area_cards(b.figures, b.areas, priority(), AREA, None)}


def _value(page: Any, card: str) -> str:
    return page.locator(f"#card-{card} .card-value").first.inner_text()


def _scope_title(page: Any) -> str:
    return page.locator(".nws-cards-scope-title").inner_text()


def _wait_title(page: Any, present: bool) -> None:
    js = "() => !!document.querySelector('.nws-cards-scope-title')"
    page.wait_for_function(js if present else f"() => !({js})()", timeout=15_000)


def _assert_area_cards(page: Any) -> None:
    want = _expected()
    assert want["killed"].figure["value"] == 12  # the bundle's SOHR figure
    assert _scope_title(page) == TITLE
    assert _value(page, "killed") == "12"
    killed = page.locator("#card-killed").inner_text()
    assert "SOHR (via Okezone, Indonesian)" in killed and "11 Feb 2020" in killed
    assert "a single day's count, not a total" in killed
    displaced = page.locator("#card-displaced").inner_text()
    assert "No figure reported for Idleb sub-district (SY070000) for this card." in displaced
    assert "Figure for North-west Syria instead:" in displaced
    assert _value(page, "displaced") == "1,000,000"
    assert (
        "Figure for Idlib governorate (SY07) instead:" in page.locator("#card-at-risk").inner_text()
    )
    # the export link of each card carries the area, so the download is what the card shows
    href = page.locator("#card-killed a[href*='/export/figures.csv']").first.get_attribute("href")
    assert "area=SY070000" in href


def _north_west(page: Any) -> None:
    """The north-west's cards, as the headline rule gives them, and no area heading."""
    from app.queries.cards import card_data

    killed = {c.key: c for c in card_data(bundle().figures, priority(), None)}["killed"]
    assert _value(page, "killed") == f"{int(killed.figure['value']):,}" == "299"
    assert page.locator(".nws-cards-scope").count() == 0


def test_a_click_gives_the_areas_cards_and_back_gives_the_north_west(
    page: Any, server: str
) -> None:
    open_view(page, server)
    _north_west(page)
    x, y = map_pixel(page, AREA)
    page.mouse.click(x, y)
    settle(page)
    _wait_title(page, True)
    assert query(page) == {"area": AREA}
    _assert_area_cards(page)
    page.screenshot(path=f"{SHOTS}/nws-area-cards-desktop.png", full_page=False)

    page.get_by_role("button", name="Back to north-west Syria").click()
    settle(page)
    _wait_title(page, False)
    assert query(page) == {}
    _north_west(page)


def test_a_permalink_with_an_area_opens_on_its_cards(page: Any, server: str) -> None:
    open_view(page, server, f"?area={AREA}&as_of=2020-02-16")
    assert _scope_title(page) == TITLE
    assert _value(page, "killed") == "12"  # known on 11 Feb
    assert "as known on 16 Feb 2020" in page.locator("#card-killed").inner_text()
    page.goto(server + f"/embed/card?card=killed&area={AREA}")
    wait_for_dash(page)
    assert page.locator(".card-value").first.inner_text() == "12"
    assert "Idleb sub-district (SY070000)" in page.locator(".nws-card-scope").inner_text()


def test_a_tap_gives_the_areas_cards_on_a_phone(phone: Any, server: str) -> None:
    page = phone
    open_view(page, server)
    page.locator(MAP).scroll_into_view_if_needed()
    x, y = map_pixel(page, AREA)
    assert 0 < x < 390 and 0 < y < 844, (x, y)
    page.touchscreen.tap(x, y)
    settle(page)
    _wait_title(page, True)
    assert query(page) == {"area": AREA}
    _assert_area_cards(page)
    # nothing wider than the screen, every figure whole
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    for card in ("displaced", "killed", "at-risk"):
        box = page.locator(f"#card-{card} .card-value").first.evaluate(
            "(e) => [e.scrollWidth, e.clientWidth, e.getBoundingClientRect().right]"
        )
        assert box[0] <= box[1] and box[2] <= 390, (card, box)
    page.locator(".nws-cards-scope").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/nws-area-cards-phone.png", full_page=False)
    back = page.get_by_role("button", name="Back to north-west Syria")
    size = back.bounding_box()
    assert size is not None and size["height"] >= 32  # a finger can hit it
    back.tap()
    settle(page)
    _wait_title(page, False)
    assert query(page) == {}
    _north_west(page)
