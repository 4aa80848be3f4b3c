"""Issue 13, point 3: each embed prints on its own as an A4 page or two, with its title, the
filters in words, the as-of date, the URL, the print date and the sources, and no controls.

Checked in the PDF Chromium makes (``page.pdf``), read with poppler's ``pdfinfo`` and
``pdftotext``; the map and the chart must each sit whole on one page.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .dashboard_helpers import wait_for_map
from .harness import wait_for_dash

#: (path and query, title words, a graph to keep whole or None)
EMBEDS = [
    ("/embed/map?level=2&as_of=2020-02-20", "IDP arrivals in period (map)", "#embed-map-graph"),
    (
        "/embed/timeseries?as_of=2020-02-20",
        "IDP arrivals in period and related figures",
        "#embed-timeseries-graph",
    ),
    ("/embed/card?card=displaced&as_of=2020-02-20", "North-west Syria:", None),
    ("/embed/sources?as_of=2020-02-20", "sources of IDP arrivals in period", None),
]
#: A4 in CSS px at 96 dpi (297 mm), less the 12 mm margins of ``@page``.
A4_CONTENT_PX = 1123 - 2 * 45


def _pdf_facts(pdf: Path) -> tuple[int, str, str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return pages, info.stdout, text


@pytest.mark.parametrize(
    ("path", "title", "graph"), EMBEDS, ids=[e[0].split("?")[0] for e in EMBEDS]
)
def test_embed_prints_on_a4_with_its_facts_and_no_controls(
    page: Any, server: str, tmp_path: Path, path: str, title: str, graph: str | None
) -> None:
    page.goto(server + path)
    wait_for_dash(page)
    if graph == "#embed-map-graph":
        wait_for_map(page, selector=f"{graph} .js-plotly-plot")
    elif graph:
        page.wait_for_selector(f"{graph} .js-plotly-plot .main-svg")
    page.wait_for_function(
        "() => (document.querySelector('.nws-print-url') || {}).textContent > ''"
    )
    page.emulate_media(media="print")
    header = page.locator(".nws-embed .nws-print-header")
    assert header.is_visible()
    for control in (".modebar-container", ".nws-png", ".nws-embed-open", ".nws-embed-data"):
        assert all(not el.is_visible() for el in page.locator(control).all()), control
    if graph:  # the graph is one block, shorter than a page: it is never split
        box = page.locator(graph).bounding_box()
        assert box is not None and 0 < box["height"] < A4_CONTENT_PX, box
    pdf = tmp_path / "embed.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    pages, info, text = _pdf_facts(pdf)
    assert 1 <= pages <= 2, info
    assert "pts (A4)" in info, info
    flat = " ".join(text.split())
    assert title in flat, flat[:600]
    filters = "none but the date" if "/card" in path else "IDP arrivals in period"
    assert f"Filters: {filters}" in flat, flat[:600]
    assert "As known on 20 Feb 2020" in flat, flat[:600]
    assert _url_in(server + path, text), text[:800]
    assert f"on {dt.date.today().year}-" in flat, flat[:600]  # the print date
    assert "Source" in flat
    for control in ("Copy embed code", "Download", "PNG", "Open in the dashboard", "Data (CSV)"):
        assert control not in flat, control
    page.watch.assert_clean()


def _url_in(url: str, text: str) -> bool:
    """The URL as printed: a long URL wraps, so compare without white space."""
    return url in "".join(text.split())
