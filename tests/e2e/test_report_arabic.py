""" "Save as report" in Arabic (issue 14): /report?...&lang=ar is one HTML file that opens
from file:// with every request blocked, reads right to left in Arabic, and keeps its chart
interactive; the figures are the English report's."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from typing import Any

from app.export.report_html import MAX_BYTES

from .test_report import QUERY, open_offline


def _report(server: str, query: str) -> bytes:
    with urllib.request.urlopen(f"{server}/report?{query}", timeout=60) as resp:
        return resp.read()


def test_arabic_report_opens_offline_right_to_left(server: str, page: Any, tmp_path: Path) -> None:
    body = _report(server, QUERY + "&lang=ar")
    assert len(body) <= MAX_BYTES
    url, asked = open_offline(page, body, tmp_path / "madeup_report_ar.html", points=0)
    seen = page.evaluate(
        """() => ({
        lang: document.documentElement.lang,
        dir: document.documentElement.dir,
        flow: getComputedStyle(document.body).direction,
        h2: [...document.querySelectorAll('h2')].map(e => e.textContent),
        th: [...document.querySelectorAll('#figures-table th')].map(e => e.textContent),
        cards: [...document.querySelectorAll('#cards .card-value')].map(e => e.textContent),
        traces: document.querySelectorAll('#report-chart .scatterlayer .trace').length,
        modebar: document.querySelectorAll('#report-chart .modebar-btn').length,
        h1Right: document.querySelector('h1').getBoundingClientRect().right,
        width: document.body.getBoundingClientRect().right,
    })"""
    )
    assert (seen["lang"], seen["dir"], seen["flow"]) == ("ar", "rtl", "rtl")
    assert seen["h2"][0] == "الأرقام الرئيسية"
    assert "الإسناد والتراخيص" in seen["h2"]
    assert seen["th"][:3] == ["المؤشر", "المنطقة الجغرافية", "الرقم"]
    assert seen["cards"] == ["800,000", "380", "2,000,000"]  # the same figures as in English
    assert seen["traces"] >= 3 and seen["modebar"] > 0  # plotly's own chart: interactive
    assert seen["width"] - seen["h1Right"] < 40  # the title starts at the right
    assert "كما كان معروفاً في" in page.inner_text("#as-of")
    made = page.inner_text("#made")
    assert made.startswith("أُعدّ التقرير في") and "lang=ar" in made
    page.hover("#report-chart .scatterlayer .point >> nth=0", force=True)
    page.wait_for_selector("#report-chart .hoverlayer .hovertext", state="attached")
    page.screenshot(path=str(tmp_path / "report_ar.png"))
    assert asked == [url]
    page.watch.assert_clean(ignore=[r"^\[remote\] " + re.escape(url) + "$"])
    page.watch.clear()
