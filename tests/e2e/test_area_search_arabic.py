"""The area box finds areas by Arabic typed without hamza and by town names (issue 14, point 6)."""

from __future__ import annotations

from typing import Any

from .dashboard_helpers import open_view, query, settle

AREA = "filters-area"


def _options_for(page: Any, typed: str, expect: str) -> list[str]:
    """Type into the area box, wait for an option holding ``expect`` (the options arrive from
    /geo/areas.json on first use), and return the texts of the options then offered."""
    search = page.locator(".dash-dropdown-content input.dash-dropdown-search")
    search.fill(typed)
    options = page.locator(".dash-dropdown-content .dash-dropdown-option")
    options.filter(has_text=expect).first.wait_for(state="visible")
    return [t.strip() for t in options.all_inner_texts()]


def test_arabic_without_hamza_and_town_names_find_their_area(page: Any, server: str) -> None:
    open_view(page, server)
    page.click(f"#{AREA}")
    page.locator(".dash-dropdown-content input.dash-dropdown-search").wait_for(state="visible")

    assert set(_options_for(page, "ادلب", "SY070000")) == {  # إدلب without hamza
        "Idlib · إدلب · SY07 (governorate)",
        "Idlib · إدلب · SY0700 (district in Idlib)",
        "Idleb · مركز إدلب · SY070000 (sub-district in Idlib)",
    }
    # a town of Dana sub-district, not in the gazetteer: found through place_aliases.csv
    assert _options_for(page, "سرمدا", "SY070301") == ["Dana · الدانا · SY070301 (sub-district in Harem)"]
    assert set(_options_for(page, "اعزاز", "SY020400")) == {  # أعزاز without hamza
        "A'zaz · مركز اعزاز · SY020400 (sub-district in Azaz)",
        "Azaz · أعزاز · SY0204 (district in Aleppo)",
    }

    page.locator(".dash-dropdown-content .dash-dropdown-option").filter(
        has_text="SY0204 "
    ).first.click()
    page.keyboard.press("Escape")
    settle(page)
    assert query(page) == {"area": "SY0204"}
