"""The map's town names do not overlap each other or the areas' names, as drawn by plotly.js
at desktop widths, in English and in Arabic (app/figures/label_layout.py). Before, "Dana
(Sarmada)" covered "Harim" and ran into "Aleppo", and "Jisr ash-Shughur" into "Ariha"."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from .dashboard_helpers import MAP, open_view

_NAMES = """(sel) => {
    const gd = document.querySelector(sel);
    const out = [];
    gd.querySelectorAll('.geo .scatterlayer .trace.scattergeo').forEach(tr => {
        const t = tr.__data__ && tr.__data__[0] && tr.__data__[0].trace;
        if (!t || !t.meta || !String(t.meta.role).startsWith('labels-')) return;
        tr.querySelectorAll('text').forEach(e => {
            const r = e.getBoundingClientRect();
            if (r.width) out.push({kind: t.meta.role, text: e.textContent,
                                   l: r.left, r: r.right, t: r.top, b: r.bottom});
        });
    });
    return out;
}"""


def _meet(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["l"] < b["r"] - 1 and b["l"] < a["r"] - 1 and a["t"] < b["b"] - 2 and b["t"] < a["b"] - 2
    )


@pytest.mark.parametrize("query", ["", "?lang=ar", "?level=1", "?level=1&lang=ar"])
def test_town_names_do_not_overlap_at_desktop_width(page: Any, server: str, query: str) -> None:
    for width in (1280, 1000):
        page.set_viewport_size({"width": width, "height": 900})
        open_view(page, server, query)
        names = page.evaluate(_NAMES, MAP)
        assert sum(n["kind"] == "labels-town" for n in names) >= 12, names
        clashes = [
            (a["text"], b["text"])
            for a, b in itertools.combinations(names, 2)
            if "labels-town" in (a["kind"], b["kind"]) and _meet(a, b)
        ]
        assert clashes == [], (width, query, clashes)
