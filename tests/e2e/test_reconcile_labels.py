"""The reconcile timeline never prints two value labels over each other, nor one over the
axis (assets/label_cull.js): on a phone OCHA's lane printed a dozen numbers in a pile. The
figure is unchanged: every point keeps its label in the figure and its hover."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from .harness import wait_for_dash

GRAPH = "#reconcile-graph .js-plotly-plot"

_LABELS = """(sel) => {
    const gd = document.querySelector(sel);
    const area = gd.querySelector('.draglayer .nsewdrag').getBoundingClientRect();
    const shown = [], hidden = [];
    gd.querySelectorAll('.scatterlayer .trace .textpoint').forEach(g => {
        const t = g.querySelector('text');
        if (!t || !t.textContent) return;
        const r = g.getBoundingClientRect();
        const box = {text: t.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom};
        (getComputedStyle(g).display === 'none' ? hidden : shown).push(box);
    });
    const texts = gd.data.map(t => (t.text || []).filter(x => x).length).reduce((a, b) => a + b, 0);
    return {shown, hidden, texts, left: area.left, right: area.right};
}"""


def _meet(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
def test_value_labels_never_overlap(page: Any, server: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    for query in ("", "?lang=ar"):
        page.goto(f"{server}/reconcile{query}")
        wait_for_dash(page)
        page.wait_for_selector(f"{GRAPH} .scatterlayer .textpoint", state="attached")
        page.wait_for_timeout(1000)  # assets/label_cull.js looks every 600 ms and after draws
        got = page.evaluate(_LABELS, GRAPH)
        shown = got["shown"]
        assert len(shown) >= 10, (width, query, len(shown))
        clashes = [
            (a["text"], b["text"]) for a, b in itertools.combinations(shown, 2) if _meet(a, b)
        ]
        assert clashes == [], (width, query, clashes)
        assert all(got["left"] - 2 <= s["l"] and s["r"] <= got["right"] + 2 for s in shown)
        # hidden only where drawn, not in the figure: every label is still there
        assert got["texts"] == len(shown) + len(got["hidden"]), (width, query, got["texts"])
        if width == 390:
            assert got["hidden"], "a phone-wide timeline has labels to leave out"
