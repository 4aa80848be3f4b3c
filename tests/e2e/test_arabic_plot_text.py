"""plotly.js measures text in a hidden SVG appended to <body> (#js-plotly-tester). In the
Arabic interface it inherited the page's right-to-left direction and measured text too
narrow: the map's colour-bar title was drawn over its tick labels ("150,000"). It is
measured left to right now (assets/css/base.css), and in Arabic the title sits above the bar
(app/figures/map.py)."""

from __future__ import annotations

from typing import Any

from .dashboard_helpers import MAP, open_view, wait_for_map

_BOXES = """(sel) => {
    const gd = document.querySelector(sel);
    const box = e => { const r = e.getBoundingClientRect();
                       return {l: r.left, r: r.right, t: r.top, b: r.bottom}; };
    return {
        title: box(gd.querySelector('.colorbar .cbtitle text')),
        ticks: [...gd.querySelectorAll('.colorbar .cbaxis text')].map(box),
        graph: box(gd),
        tester: getComputedStyle(document.getElementById('js-plotly-tester')).direction,
    };
}"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["l"] < b["r"] - 0.5
        and b["l"] < a["r"] - 0.5
        and a["t"] < b["b"] - 0.5
        and b["t"] < a["b"] - 0.5
    )


def test_the_colour_bar_title_clears_its_ticks_in_arabic(page: Any, server: str) -> None:
    for query in (
        "lang=ar",
        "lang=ar&metric=people_in_need",
        "lang=ar&metric=border_distance_km",
        "lang=ar&metric=population",
    ):
        open_view(page, server, "?" + query)
        wait_for_map(page)
        got = page.evaluate(_BOXES, MAP)
        assert got["tester"] == "ltr"
        assert got["ticks"], query
        assert [t for t in got["ticks"] if _overlap(got["title"], t)] == [], (query, got)
        # inside the graph: not cut off at its edge
        assert (
            got["graph"]["l"] <= got["title"]["l"] and got["title"]["r"] <= got["graph"]["r"] + 0.5
        ), (
            query,
            got,
        )
