"""Every embed in Arabic (issue 14), in Chromium: ``dir="rtl"``, the footer's words in
Arabic (no English UI string left), the dashboard link keeping ``lang=ar``, and the same
figures as the English embed."""

from __future__ import annotations

from typing import Any

import pytest

from .harness import wait_for_dash

QUERY = "level=2&as_of=2020-02-16"
#: English words of the embeds' own frame (footer, headings, card dates) that must be gone.
ENGLISH = ("Source:", "Open in the dashboard", "Data (CSV)", "As known on", "Figures up to",
           "Ignored in the link", "No dated figures", "Sources:", " figures", "published ")  # fmt: skip


def _text(page: Any, selector: str) -> str:
    """The text shown, without the bidi isolates (FSI, PDI) around numbers and names."""
    return page.inner_text(selector).replace("\u2068", "").replace("\u2069", "")


@pytest.mark.parametrize("view", ["map", "timeseries", "card", "sources"])
def test_embed_reads_right_to_left_in_arabic(server: str, page: Any, view: str) -> None:
    page.goto(f"{server}/embed/{view}?{QUERY}&lang=ar")
    wait_for_dash(page)
    page.wait_for_selector("#nws-embed")
    html = page.evaluate(
        "() => [document.documentElement.lang, document.documentElement.dir,"
        " getComputedStyle(document.querySelector('#nws-embed')).direction, document.title]"
    )
    assert html[:3] == ["ar", "rtl", "rtl"]
    assert "(مُضمَّن)" in html[3]
    footer = _text(page, ".nws-embed-footer")
    assert "المصدر:" in footer and "كما كان معروفاً في 16 شباط 2020" in footer
    assert "فتح في لوحة البيانات" in footer
    words = _text(page, "#nws-embed")
    for english in ENGLISH:
        assert english not in words, (view, english)
    href = page.get_attribute(".nws-embed-open", "href")
    assert href is not None and href.endswith("lang=ar")
    # the same figures as the English embed
    if view == "card":
        ar_value = _text(page, ".card-value")
        page.goto(f"{server}/embed/{view}?{QUERY}")
        wait_for_dash(page)
        page.wait_for_selector(".card-value")
        assert _text(page, ".card-value") == ar_value == "800,000"
