"""Readable where people use it (issue 13, points 1-3): the map, a phone, a printed page.

Each test drives the real server in Debian's Chromium and saves what it saw in docs/
(the README's screenshots): the map, the overview at 390 x 844 and the first printed page.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from .dashboard_helpers import open_view, wait_for_map
from .harness import PROJECT_ROOT, wait_for_dash

DOCS = PROJECT_ROOT / "docs"

#: What sticks out of the screen, and which card figures are not wholly visible.
PHONE = """() => {
    const vw = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > vw + 1 && !e.closest('.nws-alt-table, details:not([open])');
    }).map(e => e.tagName + '.' + (e.className.baseVal ?? e.className));
    const cards = [...document.querySelectorAll('.card .card-value')].map(e => {
        const r = e.getBoundingClientRect(), c = e.closest('.card').getBoundingClientRect();
        return {text: e.textContent, card_left: c.left, card_top: c.top, cut: e.scrollWidth > e.clientWidth + 0.5
                || r.left < 0 || r.right > vw, left: r.left, top: r.top};
    });
    return {scrollWidth: document.documentElement.scrollWidth, vw, wide, cards};
}"""


def test_map_names_places_has_a_scale_and_nothing_over_it(page: Any, server: str) -> None:
    open_view(page, server, "?level=2")
    svg = page.locator("#map-graph .js-plotly-plot")
    text = svg.locator(".geo").first.text_content() or ""
    for name in ("Idlib", "Harem", "Saraqab", "Ma'arrat an-Nu'man", "Dana (Sarmada)", "25 km"):
        assert name in text, name
    # the legend lies below the map's frame, and no annotation is drawn over the map
    frame = page.evaluate(
        """() => { const gd = document.querySelector('#map-graph .js-plotly-plot');
        const s = gd._fullLayout._size, d = gd._fullLayout.geo.domain;
        return {bottom: gd.getBoundingClientRect().top + s.t + s.h * (1 - d.y[0])}; }"""
    )
    legend = page.locator("#map-graph .legend").bounding_box()
    assert legend is not None and legend["y"] >= frame["bottom"] - 1, (legend, frame)
    assert page.locator("#map-graph .infolayer .annotation").count() == 0
    assert "Data for 2 of 22 districts" in page.locator("#map-note").inner_text()
    page.locator(".map-panel").screenshot(path=str(DOCS / "screenshot-map.png"))
    page.watch.assert_clean()


def test_empty_map_says_so_and_offers_data(page: Any, server: str) -> None:
    open_view(page, server, "?as_of=2020-02-16")
    note = page.locator("#map-note")
    assert "Nothing to draw" in note.inner_text()
    ways = note.locator("a.nws-map-way")
    assert ways.count() == 2
    ways.first.click()
    page.wait_for_url(lambda u: "as_of" not in u)
    wait_for_dash(page)
    wait_for_map(page)
    assert "Data for 3 of 110 sub-districts" in page.locator("#map-note").inner_text()
    page.watch.assert_clean()


def test_phone_no_sideways_scroll_no_cut_number(browser: Any, server: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(server + "/")
        wait_for_dash(page)
        wait_for_map(page)
        # the chart's legend moves below the plot (assets/phone_legends.js)
        page.wait_for_function(
            "() => { const gd = document.querySelector('#timeseries-graph .js-plotly-plot');"
            " return gd && gd.layout.legend.orientation === 'h'; }",
            timeout=15_000,
        )
        # ... and is drawn there (relayout redraws after the layout object has changed)
        page.wait_for_function(
            "() => { const gd = document.querySelector('#timeseries-graph .js-plotly-plot');"
            " const p = gd && gd.querySelector('.cartesianlayer'), l = gd && gd.querySelector('.legend');"
            " if (!p || !l) return false; const a = p.getBoundingClientRect(),"
            " b = l.getBoundingClientRect(); return b.top >= a.bottom - 4; }",
            timeout=15_000,
        )
        seen = page.evaluate(PHONE)
        assert seen["scrollWidth"] <= 390, seen
        assert seen["wide"] == [], seen
        assert [c["text"] for c in seen["cards"]] == ["1,000,000", "299", "2,000,000"]
        assert not any(c["cut"] for c in seen["cards"]), seen
        lefts = {round(c["card_left"]) for c in seen["cards"]}
        tops = [c["card_top"] for c in seen["cards"]]
        assert len(lefts) == 1 and tops == sorted(tops), seen  # stacked, in order
        chart = page.locator("#timeseries-graph .js-plotly-plot")
        plot = chart.locator(".cartesianlayer").bounding_box()
        legend = chart.locator(".legend").bounding_box()
        assert plot and legend and legend["y"] >= plot["y"] + plot["height"] - 4  # (axis line)
        map_legend = page.locator("#map-graph .legend").bounding_box()
        assert map_legend and map_legend["x"] + map_legend["width"] <= 391
        page.screenshot(path=str(DOCS / "screenshot-phone.png"), full_page=True)
    finally:
        context.close()


def test_printed_overview_is_a4_without_controls(page: Any, server: str, tmp_path: Path) -> None:
    open_view(page, server, "?level=2&as_of=2020-02-16")
    page.emulate_media(media="print")
    header = page.locator(".nws-print-header")
    text = header.inner_text()
    assert "North-west Syria: displacement, casualties and risk" in text
    assert "Filters: IDP arrivals in period by district" in text
    assert "As known on 16 Feb 2020" in text
    page.wait_for_function("() => document.querySelector('.nws-print-url').textContent.length > 0")
    assert f"{server}/?level=2&as_of=2020-02-16" in header.inner_text()
    for hidden in (".sidebar", ".nws-downloads", ".modebar-container", ".app-header"):
        assert all(not el.is_visible() for el in page.locator(hidden).all()), hidden
    assert "Boundaries: UN OCHA" in page.locator(".app-footer").inner_text()  # sources
    pdf = tmp_path / "overview.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    assert 1 <= pages <= 2, info.stdout
    assert "pts (A4)" in info.stdout, info.stdout
    # the map is one block on one page: its panel does not cross a page boundary
    a4_px = 1123 - 2 * 45  # A4 height in CSS px minus the 12 mm margins
    box = page.locator(".map-panel").bounding_box()
    assert box is not None and box["height"] < a4_px
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    shutil.copy(next(tmp_path.glob("p*.png")), DOCS / "screenshot-print.png")
    page.watch.assert_clean()
