"""The reconciliation and sources pages in Arabic (issue 14): right to left, the same figures
as in English, and no English sentence of their catalog left on screen.

Screenshots at 1280x900 and 390x844 go to /tmp (arabic_reconcile_*.png, arabic_sources_*.png)
for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from .dashboard_helpers import traces

CATALOG = Path(__file__).resolve().parents[2] / "app/i18n/po/ar/reconcile_sources.po"
GRAPH = "#reconcile-graph"
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_NUMBER = re.compile(r"\d[\d,.]*")
_ISOLATES = str.maketrans("", "", "\u2068\u2069")


def english_phrases() -> list[str]:
    """The catalog's English that must never show in the Arabic interface: every msgid of
    two words or more without a placeholder, and the literal runs of 4+ words between the
    placeholders of the others (shorter runs like " as of " also occur in documents' names,
    which stay as published)."""
    out: list[str] = []
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        for msgid in ids:
            if not msgid:
                continue
            if _PLACEHOLDER.search(msgid):
                out += [s.strip(" :;,.()") for s in _PLACEHOLDER.split(msgid)
                        if len(s.split()) >= 4]  # fmt: skip
            elif len(msgid.split()) >= 2:
                out.append(msgid.strip())
    return sorted(set(out))


def _open(page: Any, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(ready, timeout=30_000)
    page.wait_for_load_state("networkidle")


def _visible_text(page: Any) -> str:
    return page.inner_text("body").translate(_ISOLATES)


def _figures_of_graph(page: Any) -> list[tuple[tuple, tuple]]:
    """(figure ids, values) of each figures trace of the timeline."""
    return sorted(
        (tuple(t["meta"].get("figure_ids") or ()), tuple(t["y"]))
        for t in traces(page, f"{GRAPH} .js-plotly-plot")
        if (t.get("meta") or {}).get("role") == "figures"
    )


def _documents(page: Any) -> list[str]:
    """The document column's names (the first text of each cell: a link may follow)."""
    return [
        t.translate(_ISOLATES).strip()
        for t in page.locator("#sources-figures tbody td:nth-child(6)").evaluate_all(
            "els => els.map(e => (e.querySelector('a') || e).textContent)"
        )
    ]


def _numbers(texts: list[str]) -> list[list[str]]:
    return [_NUMBER.findall(t.translate(_ISOLATES)) for t in texts]


def test_reconcile_in_arabic_reads_right_to_left_with_the_same_figures(
    page: Any, server: str
) -> None:
    _open(page, f"{server}/reconcile", f"{GRAPH} .main-svg")
    english_figures = _figures_of_graph(page)
    english_pairs = page.locator(".nws-pairs-table tbody tr").count()
    english_badges = page.locator(".nws-status").evaluate_all(
        "els => els.map(e => e.dataset.status)"
    )
    assert english_figures and english_pairs > 0
    assert "Reconcile: every source on one timeline" in _visible_text(page)

    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        _open(page, f"{server}/reconcile?lang=ar", f"{GRAPH} .main-svg")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("html").get_attribute("lang") == "ar"
        assert page.title().startswith("مقارنة المصادر")
        # the same figures, the same pairs with the same statuses
        assert _figures_of_graph(page) == english_figures
        assert page.locator(".nws-pairs-table tbody tr").count() == english_pairs
        assert page.locator(".nws-status").evaluate_all(
            "els => els.map(e => e.dataset.status)"
        ) == english_badges
        text = _visible_text(page)
        assert "مقارنة المصادر: كل المصادر على خط زمني واحد" in text
        assert "تناقض" in text
        assert page.locator(".nws-pairs-table td.nws-reasons").first.get_attribute(
            "data-label"
        ) == "لماذا قد يختلفان (من البيانات)"  # the header, and each cell's name on a phone
        # the place in Arabic, publishers' own Arabic names beside the published ones
        assert "شمال غرب سوريا" in text
        layout = page.evaluate(
            f"() => document.querySelector('{GRAPH} .js-plotly-plot').layout"
        )
        lanes = [a["text"] for a in layout["annotations"]]
        assert any("مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية" in t for t in lanes), lanes
        # time still runs left to right
        assert layout["xaxis"].get("autorange") != "reversed"
        # the table mirrors: the first column (status) is at the right (on a phone each pair
        # is one block, its status badge at the right)
        table = page.locator(".nws-pairs-table").bounding_box()
        badge = page.locator(".nws-pairs-table .nws-status").first.bounding_box()
        assert badge["x"] + badge["width"] >= table["x"] + table["width"] - 40
        leftover = [p for p in english_phrases() if p in text]
        assert leftover == []
        page.screenshot(path=f"/tmp/arabic_reconcile_{width}x{height}.png", full_page=True)


def test_sources_in_arabic_keeps_every_figure_and_names_as_published(
    page: Any, server: str
) -> None:
    _open(page, f"{server}/sources", "#sources-figures")
    rows = page.locator("#sources-figures tbody tr")
    english_numbers = _numbers(rows.locator("td:nth-child(3)").all_inner_texts())
    english_documents = _documents(page)
    assert len(english_numbers) > 50

    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        _open(page, f"{server}/sources?lang=ar", "#sources-figures")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.title().startswith("المصادر")
        rows = page.locator("#sources-figures tbody tr")
        assert _numbers(rows.locator("td:nth-child(3)").all_inner_texts()) == english_numbers
        assert _documents(page) == english_documents  # documents' names as published
        publishers = [
            t.translate(_ISOLATES) for t in rows.locator("td:nth-child(5)").all_inner_texts()
        ]
        assert "OCHA · مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية" in publishers
        assert "SOHR · المرصد السوري لحقوق الإنسان" in publishers
        assert "REACH" in publishers  # no Arabic name of its own: as published only
        text = _visible_text(page)
        assert "كل رقم مؤرَّخ" in text and "الجهة الناشرة" in text
        leftover = [p for p in english_phrases() if p in text]
        assert leftover == []
        page.screenshot(path=f"/tmp/arabic_sources_{width}x{height}.png", full_page=False)
