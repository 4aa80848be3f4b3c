"""The overview in Arabic (issue 14): right to left, the language switch, the same figures as
in English, no horizontal scroll on a phone, and no English left from the page frame's and
the overview controls' catalog (app/i18n/po/ar/shell_cards.po)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from babel.messages.pofile import read_po

from .dashboard_helpers import open_view, query, settle

CATALOG = Path(__file__).resolve().parents[2] / "app" / "i18n" / "po" / "ar" / "shell_cards.po"
#: Single words that are the page's own labels (the rest of the one-word msgids, such as
#: sector short names, may be part of a publisher's or a document's name, kept as published).
NAV_WORDS = ("Overview", "Reconcile", "Sources")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def english_phrases() -> list[str]:
    """The catalog's English text that must not show on the Arabic page: every stretch of
    2+ words between placeholders, and the navigation's words."""
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh)
    out: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            for part in _PLACEHOLDER.split(msgid):
                part = part.strip(" :·,.;()")
                if len(part.split()) >= 2:
                    out.add(part)
    return sorted(out) + list(NAV_WORDS)


def card_digits(page: Any) -> list[str]:
    """The cards' headline numbers, digits only (Arabic-Indic read as Western)."""
    texts = page.locator(".cards .card-value").all_inner_texts()
    return [re.sub(r"\D", "", t.translate(_ARABIC_INDIC)) for t in texts]


#: What stays as published: publishers' and documents' names (cards, their other figures).
AS_PUBLISHED = (
    ".nws-card-publisher, .nws-doc-link, .nws-alt-publisher, .nws-alt-row td:nth-child(4)"
)


def visible_text_but_names(page: Any) -> str:
    """``document.body.innerText`` without the names kept as published."""
    return page.evaluate(
        """(sel) => {
            const hidden = [...document.querySelectorAll(sel)];
            hidden.forEach(e => { e.dataset.nwsDisplay = e.style.display; e.style.display = "none"; });
            const text = document.body.innerText;
            hidden.forEach(e => { e.style.display = e.dataset.nwsDisplay; });
            return text;
        }""",
        AS_PUBLISHED,
    )


def switch_query(page: Any, selector: str = "#nws-lang-switch") -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.locator(selector).get_attribute("href")).query)


def test_arabic_overview_reads_right_to_left_with_the_english_figures(
    page: Any, server: str
) -> None:
    open_view(page, server)
    english = card_digits(page)
    assert len(english) == 3 and all(english), english
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("#nws-lang-switch").inner_text() == "العربية"
    assert switch_query(page) == {"lang": ["ar"]}

    open_view(page, server, "?lang=ar&level=2")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    # the switch: back to English on the same view, and the digits toggle
    assert page.locator("#nws-lang-switch").inner_text() == "English"
    assert switch_query(page) == {"level": ["2"], "lang": ["en"]}
    assert switch_query(page, "#nws-digits-switch") == {
        "level": ["2"],
        "lang": ["ar"],
        "digits": ["arab"],
    }
    assert card_digits(page) == english
    # mirrored: the brand on the right of the header, the navigation on its left
    brand = page.locator(".nws-brand").bounding_box()
    nav = page.locator(".nws-nav").bounding_box()
    assert nav["x"] + nav["width"] <= brand["x"], (brand, nav)
    # the first card (displaced) is the right-most one
    boxes = [page.locator(f"#card-{k}").bounding_box() for k in ("displaced", "killed", "at-risk")]
    assert boxes[0]["x"] > boxes[1]["x"] > boxes[2]["x"], boxes

    # "How this figure was chosen", the other figures and the embed code, opened
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    text = visible_text_but_names(page)
    left = [p for p in english_phrases() if p in text]
    assert left == [], left
    assert "شمال غرب سوريا: النزوح والضحايا والمخاطر" in text

    # a change of view keeps the switch on it (no reload: a callback rewrites the links)
    page.locator("#filters-level label").filter(has_text="1").first.click()
    settle(page)
    assert query(page) == {"level": "1", "lang": "ar"}
    assert switch_query(page) == {"level": ["1"], "lang": ["en"]}

    # Arabic-Indic digits: the same numbers
    open_view(page, server, "?lang=ar&digits=arab")
    values = page.locator(".cards .card-value").all_inner_texts()
    assert all(re.search("[٠-٩]", v) and not re.search("[0-9]", v) for v in values), values
    assert card_digits(page) == english


def test_arabic_area_names_in_the_area_box_and_the_cards(page: Any, server: str) -> None:
    open_view(page, server, "?lang=ar&area=SY07")
    chosen = page.locator("#filters-area").inner_text()
    assert "إدلب · SY07 (محافظة)" in chosen, chosen
    heading = page.locator(".nws-cards-scope-title").inner_text()
    assert "إدلب" in heading and "SY07" in heading and "Idlib" not in heading, heading
    assert page.locator(".nws-cards-back").inner_text() == "العودة إلى شمال غرب سوريا"


def test_arabic_overview_fits_a_phone(browser: Any, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        open_view(page, server, "?lang=ar")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], widths
        # every headline number inside its card, whole
        for i in range(3):
            value = page.locator(".cards .card-value").nth(i).bounding_box()
            card = page.locator(".cards .card").nth(i).bounding_box()
            assert (
                card["x"] - 1 <= value["x"]
                and value["x"] + value["width"] <= card["x"] + card["width"] + 1
            )
        assert page.evaluate(
            "[...document.querySelectorAll('.cards .card-value')]"
            ".every(e => e.scrollWidth <= e.clientWidth + 1)"
        )
    finally:
        context.close()
