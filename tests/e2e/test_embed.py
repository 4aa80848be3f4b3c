"""Embedded views in a report served from another origin, in a real browser.

A tiny ``http.server`` on its own port serves a report page with two iframes (the map and a
headline card) and the few lines of script the README gives for sizing them. The app runs
with ``NWS_EMBED_ORIGINS`` set to that report's origin. A second report origin, not in the
allowlist, shows that the browser refuses to frame the views there, and the dashboard page
itself is refused everywhere but on its own site.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import sys
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app import format as fmt

from .dashboard_helpers import GEO_DRAWN, drawn_areas, expected_cards, expected_map
from .harness import free_port, run_server, wait_for_dash

REPORT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Situation report (test)</title>
<script>
window.embedHeights = {{}};
window.embedMessages = [];
window.addEventListener("message", function (event) {{
  if (event.origin !== "{dashboard}") return;
  var msg = event.data;
  if (!msg || msg.type !== "nws-embed-height") return;
  window.embedMessages.push(msg);
  window.embedHeights[msg.view] = msg.height;
  document.querySelectorAll("iframe").forEach(function (frame) {{
    if (frame.contentWindow === event.source) frame.style.height = msg.height + "px";
  }});
}});
</script></head>
<body>
<h1>North-west Syria: situation report (test page)</h1>
<iframe id="map" src="{dashboard}/embed/map?level=2" width="100%" height="300"
        title="Map" loading="lazy" style="border:0"></iframe>
<iframe id="card" src="{dashboard}/embed/card?card=killed" width="100%" height="150"
        title="Civilians killed" loading="lazy" style="border:0"></iframe>
</body></html>
"""

REFUSED = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Not allowed</title></head><body>
<iframe id="card" src="{dashboard}/embed/card?card=killed" width="600" height="300"
        title="card"></iframe>
</body></html>
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def static_site(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on a free 127.0.0.1 port in a thread; yields the site's origin."""
    port = free_port()
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@dataclass(frozen=True)
class Sites:
    dashboard: str
    report: str  # in NWS_EMBED_ORIGINS
    other: str  # not in it


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    port = free_port()
    dashboard = f"http://127.0.0.1:{port}"
    allowed, refused = tmp_path_factory.mktemp("report"), tmp_path_factory.mktemp("other")
    (allowed / "report.html").write_text(REPORT.format(dashboard=dashboard), encoding="utf-8")
    (refused / "report.html").write_text(REFUSED.format(dashboard=dashboard), encoding="utf-8")
    (refused / "dashboard.html").write_text(
        REFUSED.format(dashboard=dashboard).replace("/embed/card?card=killed", "/"),
        encoding="utf-8",
    )
    with static_site(allowed) as report, static_site(refused) as other:
        # the allowed report also frames the dashboard page itself (refused: not an embed)
        (allowed / "dashboard.html").write_text(
            (refused / "dashboard.html").read_text(encoding="utf-8"), encoding="utf-8"
        )
        env = {"NWS_EMBED_ORIGINS": f"{report} https://reports.example.org"}
        with run_server(
            [sys.executable, "-m", "app", "serve", "--port", str(port)],
            port,
            env=env,
            ready_path="/health",
        ) as url:
            assert url == dashboard
            yield Sites(dashboard, report, other)


def headers(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return dict(resp.headers.items())


def test_frame_ancestors_headers(sites: Sites) -> None:
    """Embeds: 'self' + the allowlist; everything else: 'self' only, plus X-Frame-Options."""
    embed = headers(sites.dashboard + "/embed/map?level=2")
    assert embed["Content-Security-Policy"].endswith(
        f"; frame-ancestors 'self' {sites.report} https://reports.example.org"
    )
    assert "X-Frame-Options" not in embed
    for path in ("/", "/sources", "/export/figures.csv?metric=civilians_killed"):
        other = headers(sites.dashboard + path)
        assert other["Content-Security-Policy"].endswith("; frame-ancestors 'self'"), path
        assert other["X-Frame-Options"] == "SAMEORIGIN", path
        assert other["X-Content-Type-Options"] == "nosniff", path
    csp = embed["Content-Security-Policy"]
    assert csp.startswith("default-src 'self'; script-src 'self' 'sha256-")
    assert "unsafe-eval" not in csp
    assert sites.other not in csp


def _frame(page: Any, element_id: str) -> Any:
    handle = page.wait_for_selector(f"iframe#{element_id}")
    frame = handle.content_frame()
    assert frame is not None
    return frame


def test_report_embeds_two_views(page: Any, sites: Sites) -> None:
    page.goto(sites.report + "/report.html")
    map_frame, card_frame = _frame(page, "map"), _frame(page, "card")
    for frame in (map_frame, card_frame):
        wait_for_dash(frame)

    # the SVG map is drawn (its GeoJSON fetched from the dashboard, offline): every district,
    # with data or grey, as the bundle gives them
    graph = "#embed-map-graph .js-plotly-plot"
    map_frame.wait_for_function(
        f"(sel) => ({GEO_DRAWN})(document.querySelector(sel))", arg=graph, timeout=20_000
    )
    mv = expected_map(level=2)
    drawn = drawn_areas(map_frame, graph)
    assert set(drawn["values"]) == set(mv.values["pcode"])
    assert len(drawn["values"]) + len(drawn["no-data"]) == mv.n_areas == 22
    located = page.frame_locator("#map")
    assert located.locator("#embed-map-graph canvas").count() == 0  # no WebGL
    assert located.locator("header, .nws-filters").count() == 0  # only the view

    # the card shows the headline figure the dashboard shows
    killed = expected_cards()["killed"]
    value = page.frame_locator("#card").locator(".card-value")
    value.wait_for()
    assert value.inner_text() == fmt.number(killed.figure["value"])

    # each frame has its footer: sources, as-of date, link back, data
    map_footer = located.locator(".nws-embed-footer")
    assert "Source: " in map_footer.inner_text()
    assert "Figures up to" in map_footer.inner_text()
    assert map_footer.locator("a.nws-embed-open").get_attribute("href") == "/?level=2"
    assert (
        map_footer.locator("a.nws-embed-data")
        .get_attribute("href")
        .startswith("/export/figures.csv?view=map&metric=idp_arrivals&level=2")
    )
    card_footer = page.frame_locator("#card").locator(".nws-embed-footer").inner_text()
    assert f"Source: {killed.figure['publisher']}" in card_footer

    # the report received both heights and sized the frames to them
    page.wait_for_function("() => window.embedHeights.map > 0 && window.embedHeights.card > 0")
    heights = page.evaluate("window.embedHeights")
    for view, frame in (("map", map_frame), ("card", card_frame)):
        assert heights[view] == frame.evaluate("document.documentElement.scrollHeight")
        box = page.locator(f"iframe#{view}").bounding_box()
        assert box is not None and abs(box["height"] - heights[view]) <= 1
    assert heights["map"] > 450 and heights["card"] > 150
    assert {m["view"] for m in page.evaluate("window.embedMessages")} == {"map", "card"}

    # opening the card's list of other figures makes it taller: the report hears of it
    before = heights["card"]
    page.frame_locator("#card").locator("summary").first.click()
    page.wait_for_function("(h) => window.embedHeights.card > h", arg=before)

    # nothing left localhost, no console error (checked again by the page fixture)
    assert all(
        u.startswith("http://127.0.0.1") or u.startswith(("data:", "blob:", "about:"))
        for u in page.watch.requests
    )
    page.watch.assert_clean()


def test_a_site_not_in_the_allowlist_is_refused(page: Any, sites: Sites) -> None:
    page.goto(sites.other + "/report.html")
    page.wait_for_timeout(1500)
    frame = page.wait_for_selector("iframe#card").content_frame()
    assert frame is not None
    assert frame.locator(".nws-embed").count() == 0  # the view never rendered there
    refused = [p for p in page.watch.problems if "frame-ancestors" in str(p)]
    assert refused, page.watch.problems
    page.watch.clear()


def test_the_dashboard_itself_is_not_embeddable(page: Any, sites: Sites) -> None:
    """Even the allowed report may frame only /embed/* views, not the dashboard page."""
    page.goto(sites.report + "/dashboard.html")
    page.wait_for_timeout(1500)
    frame = page.wait_for_selector("iframe#card").content_frame()
    assert frame is not None
    assert frame.locator("#react-entry-point").count() == 0
    assert [p for p in page.watch.problems if "frame-ancestors" in str(p)]
    page.watch.clear()
