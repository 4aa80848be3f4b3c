"""Embeds that fit any report, and honest labels, in a real browser (issue 13, points 6 and 7).

With the default settings (no ``NWS_EMBED_ORIGINS``) a report on another origin frames the
views; the snippet it pastes is the one "Copy embed code" gives on the dashboard, read from
the page itself. The report has a 600 px column and a 320 px one: in each, the frames fit
their content (they grow and shrink), nothing scrolls sideways, no number is cut and the
map's legend lies wholly inside the frame. The dashboard page itself stays same-origin only.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .dashboard_helpers import GEO_DRAWN
from .harness import wait_for_dash
from .test_embed import static_site

REPORT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Report on another site (test)</title>
<style>body {{ margin: 8px; font-family: sans-serif; }} .col {{ margin: 10px 0; }}</style>
</head><body>
<h1>Situation report (test page)</h1>
<div class="col" id="wide" style="width:600px">{wide}</div>
<div class="col" id="narrow" style="width:320px">{narrow}</div>
</body></html>
"""

#: In the frame: content height, overflow, and what of the view lies outside the frame.
FIT = """() => {
    const de = document.documentElement, b = document.body;
    const s = getComputedStyle(b);
    const content = Math.ceil(b.getBoundingClientRect().height
        + parseFloat(s.marginTop) + parseFloat(s.marginBottom));
    const out = (el) => { const r = el.getBoundingClientRect();
        return r.left < -0.5 || r.right > innerWidth + 0.5; };
    return {
        content, width: innerWidth, scrollWidth: de.scrollWidth,
        outside: [...document.querySelectorAll(
            '.card-value, .legend, .nws-embed-footer a, .nws-map-note')].filter(out)
            .map(e => e.className.baseVal || e.className),
        cut: [...document.querySelectorAll('.card-value')]
            .filter(e => e.scrollWidth > e.clientWidth + 0.5).map(e => e.textContent),
    };
}"""


@pytest.fixture(scope="module")
def snippets(browser: Any, server: str) -> dict[str, str]:
    """The snippets of the map and the killed card, as the dashboard gives them."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(server + "/?level=2")
        wait_for_dash(page)
        out = {}
        for key in ("map", "card-killed"):
            pre = page.locator(f"[data-view='{key}'] pre.nws-embed-snippet")
            page.wait_for_function(
                "(sel) => document.querySelector(sel).textContent.includes('<script>')",
                arg=f"[data-view='{key}'] pre.nws-embed-snippet",
            )
            out[key] = pre.text_content() or ""
        return out
    finally:
        context.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, snippets: dict[str, str]) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("anywhere")
    both = snippets["map"] + "\n" + snippets["card-killed"]
    # the same snippets twice on one page would repeat their ids: the narrow column gets
    # its own (a report pasting two copies of one view edits one of them the same way)
    narrow = both.replace("nws-embed-map-", "nws-embed-mapN-").replace(
        "nws-embed-card-", "nws-embed-cardN-"
    )
    (folder / "report.html").write_text(REPORT.format(wide=both, narrow=narrow), "utf-8")
    with static_site(folder) as origin:
        yield origin + "/report.html"


def _status(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, dict(resp.headers.items())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items())


def test_default_headers_embeds_anywhere_pages_same_origin(server: str) -> None:
    status, embed = _status(server + "/embed/map?level=2")
    assert status == 200
    assert embed["Content-Security-Policy"].endswith("; frame-ancestors *")
    assert "X-Frame-Options" not in embed
    for path in ("/", "/sources", "/reconcile"):
        status, other = _status(server + path)
        assert status == 200, path
        assert other["Content-Security-Policy"].endswith("; frame-ancestors 'self'"), path
        assert other["X-Frame-Options"] == "SAMEORIGIN", path


def test_snippet_is_responsive(snippets: dict[str, str], server: str) -> None:
    for key, snippet in snippets.items():
        assert snippet.startswith('<iframe id="nws-embed-'), key
        assert 'style="border:0;width:100%;max-width:100%"' in snippet
        assert f'event.origin !== "{server}"' in snippet
        assert "event.source !== frame.contentWindow" in snippet
        assert "Number(msg.height)" in snippet and snippet.endswith("</script>")


def fits(handle: Any, frame: Any, timeout: float = 10) -> float:
    """Wait until the frame is as tall as its content (the snippet's script set it)."""
    deadline = time.monotonic() + timeout
    while True:
        content, box = frame.evaluate(FIT)["content"], handle.bounding_box()
        if box is not None and abs(box["height"] - content) <= 1:
            return content
        assert time.monotonic() < deadline, (box, content)
        time.sleep(0.1)


def _frames(page: Any, column: str) -> dict[str, Any]:
    handles = page.locator(f"#{column} iframe").element_handles()
    out = {}
    for h in handles:
        frame = h.content_frame()
        assert frame is not None
        out["map" if "embed/map" in (h.get_attribute("src") or "") else "card"] = (h, frame)
    return out


def test_report_on_another_site_frames_and_fits(page: Any, report: str) -> None:
    page.goto(report)
    for column, width in (("wide", 600), ("narrow", 320)):
        frames = _frames(page, column)
        assert set(frames) == {"map", "card"}
        for name, (handle, frame) in frames.items():
            wait_for_dash(frame)
            frame.locator(".nws-embed").wait_for()
            if name == "map":
                frame.wait_for_function(
                    f"() => ({GEO_DRAWN})(document.querySelector('#embed-map-graph .js-plotly-plot'))",
                    timeout=20_000,
                )
            # the frame is as tall as its content (the snippet's script set it)
            # Chromium does not lay out a cross-origin frame out of view (nor would a reader
            # see it): scrolled to, as a reader would
            handle.scroll_into_view_if_needed()
            fits(handle, frame)
            fit = frame.evaluate(FIT)
            box = handle.bounding_box()
            assert box is not None and abs(box["width"] - width) <= 1, (column, name, box)
            assert fit["scrollWidth"] <= fit["width"], (column, name, fit)
            assert fit["outside"] == [], (column, name, fit)
            assert fit["cut"] == [], (column, name, fit)

    # the card grows when its list of other figures opens, and shrinks back when it closes
    handle, frame = _frames(page, "wide")["card"]
    before = handle.bounding_box()["height"]
    frame.locator("summary").first.click()
    page.wait_for_function(
        "([el, h]) => el.getBoundingClientRect().height > h + 20", arg=[handle, before]
    )
    frame.locator("summary").first.click()
    page.wait_for_function(
        "([el, h]) => Math.abs(el.getBoundingClientRect().height - h) <= 1", arg=[handle, before]
    )
    page.screenshot(
        path=str(Path(__file__).resolve().parents[2] / "docs" / "screenshot-embed-report.png"),
        full_page=True,
    )


def test_unknown_page_is_a_404_with_a_way_back(page: Any, server: str) -> None:
    for path in ("/nonexistent", "/embed/nope", "/404"):
        status, _ = _status(server + path)
        assert status == 404, path
    for path in ("/", "/sources/", "/reconcile?metric=killed", "/embed/card?card=killed"):
        assert _status(server + path)[0] == 200, path
    response = page.goto(server + "/nonexistent")
    assert response is not None and response.status == 404
    wait_for_dash(page)
    assert page.locator("h2").first.inner_text() == "Page not found (404)"
    assert page.locator(".nws-not-found a").first.get_attribute("href") == "/"
    page.watch.clear()  # the document's own 404 is the point of this test


def test_labels_name_the_article_and_the_mirrors(page: Any, server: str) -> None:
    page.goto(server + "/sources")
    wait_for_dash(page)
    text = page.locator("body").inner_text()
    assert "Seed news article" not in text and "project copy" not in text
    assert "News article of 16 Feb 2020 (outlet not recorded)" in text
    notes = page.locator(".nws-mirror-note").all_inner_texts()
    assert "(copy at docslib.org)" in notes and "(copy at pdfslide.net)" in notes
    page.goto(server + "/?as_of=2020-02-16")
    wait_for_dash(page)
    card = page.locator("body").inner_text()
    assert "News article, 16 Feb 2020:" in card and "Seed" not in card
    page.watch.assert_clean()
