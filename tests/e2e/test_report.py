""" "Save as report" in Chromium: /report downloads one HTML file that draws from file://
with every request blocked (cards, map polygons, an interactive chart), and asks for nothing."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from typing import Any

from app.export.report_html import MAX_BYTES

from .harness import wait_for_dash

QUERY = "metric=idp_arrivals&as_of=2020-02-16"



def open_offline(page: Any, body: bytes, path: Path, points: int) -> tuple[str, list[str]]:
    """Write the report to ``path``, open it from ``file://`` with every other request
    blocked, wait until the chart has more than ``points`` points; (its URL, the requests)."""
    path.write_bytes(body)
    url = path.as_uri()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
    page.goto(url)
    page.wait_for_function(
        f"() => document.querySelectorAll('#report-chart .scatterlayer .point').length > {points}"
    )
    return url, asked

def test_report_downloads_and_opens_offline(server: str, page: Any, tmp_path: Path) -> None:
    with urllib.request.urlopen(f"{server}/report?{QUERY}", timeout=60) as resp:
        headers = dict(resp.headers.items())
        body = resp.read()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Disposition"] == (
        'attachment; filename="nw-syria-report-idp_arrivals-as_of-2020-02-16.html"'
    )
    assert 1_000_000 < len(body) <= MAX_BYTES
    url, asked = open_offline(page, body, tmp_path / "madeup_report.html", points=0)
    drawn = page.evaluate(
        """() => ({
        map: [...document.querySelectorAll('#report-map path.choroplethlocation')]
            .filter(p => (p.getAttribute('d') || '').length > 20).length,
        traces: document.querySelectorAll('#report-chart .scatterlayer .trace').length,
        modebar: document.querySelectorAll('#report-chart .modebar-btn').length,
        cards: [...document.querySelectorAll('#cards .card-value')].map(e => e.textContent),
        rows: document.querySelectorAll('#figures-table tbody tr').length,
    })"""
    )
    assert drawn["map"] >= 100  # the sub-districts and the Turkish provinces, from the file
    assert drawn["traces"] >= 3 and drawn["modebar"] > 0  # plotly's own chart: interactive
    assert drawn["cards"] == ["800,000", "380", "2,000,000"]
    assert drawn["rows"] > 0
    assert "As known on 16 Feb 2020" in page.inner_text("#as-of")
    assert f"{server}/report?as_of=2020-02-16" in page.inner_text("#made")  # metric: default
    # interactive: hovering a point shows plotly's hover label, drawn in the page
    page.hover("#report-chart .scatterlayer .point >> nth=0", force=True)
    page.wait_for_selector("#report-chart .hoverlayer .hovertext", state="attached")
    assert asked == [url]
    # no console error; the watch counts the file:// page itself as "remote": that one only
    page.watch.assert_clean(ignore=[r"^\[remote\] " + re.escape(url) + "$"])
    page.watch.clear()


def test_a_packed_report_unpacks_and_draws_offline(server: str, page: Any, tmp_path: Path) -> None:
    """A weekly series of events is too big as plain JSON: the file holds it gzipped and the
    page unpacks it (DecompressionStream), still without a request; the cut table says so."""
    with urllib.request.urlopen(f"{server}/report?metric=people_killed", timeout=60) as resp:
        body = resp.read()
    assert len(body) <= MAX_BYTES and b'data-encoding="gzip+base64"' in body
    url, asked = open_offline(page, body, tmp_path / "madeup_packed_report.html", points=500)
    paths = page.evaluate(
        """() => [...document.querySelectorAll('#report-map path.choroplethlocation')]
            .filter(p => (p.getAttribute('d') || '').length > 20).length"""
    )
    assert paths >= 100
    assert "more rows are not written in this file" in page.inner_text("#table-more")
    assert asked == [url]
    page.watch.assert_clean(ignore=[r"^\[remote\] " + re.escape(url) + "$"])
    page.watch.clear()


def test_overview_save_as_report_link_follows_the_view(server: str, page: Any) -> None:
    page.goto(f"{server}/?level=2&as_of=2020-02-16")
    wait_for_dash(page)
    link = page.locator("a.nws-report-link")
    assert link.count() == 1 and link.inner_text() == "Save as report"
    assert link.get_attribute("href") == "/report?level=2&as_of=2020-02-16"
    page.click("#filters-level label:has-text('Admin 1')")
    page.wait_for_function(
        "() => document.querySelector('a.nws-report-link').getAttribute('href')"
        " === '/report?level=1&as_of=2020-02-16'"
    )
    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "nw-syria-report-idp_arrivals-as_of-2020-02-16.html"
