"""Colours and fonts shared by the figure builders, so a publisher looks the same everywhere."""

from __future__ import annotations

import functools
import html
import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.queries.headline import publisher_rank

if TYPE_CHECKING:
    import plotly.graph_objects as go

FONT = "Roboto, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif"
TEXT = "#1f2a36"
MUTED = "#5d6b79"
GRID = "#e6e9ed"
NO_DATA = "#cfd4da"
CONTEXT = "#f3f0ea"
CONTEXT_LINE = "#c8c1b4"
BORDER = "#c0392b"
OCHA_BLUE = "#1f69b3"

#: One colour per publisher family in priority order (OCHA, OHCHR, HNAP, REACH, UNHCR, WFP,
#: USAID, SNHR, SOHR); colour-blind-safe where it matters (Okabe-Ito based).
PRIORITY_COLOURS = [
    "#0072b2",
    "#009e73",
    "#56b4e9",
    "#cc79a7",
    "#2b8cbe",
    "#8c6d31",
    "#6a51a3",
    "#7f7f7f",
    "#b15928",
]
#: For publishers outside the priority list (stable by name, not by order of appearance).
OTHER_COLOURS = ["#e69f00", "#d55e00", "#999933", "#882255", "#44aa99", "#aa4499", "#332288"]
#: The seed news article stands out: its numbers are the ones readers met first.
SEED_COLOUR = "#d62728"

SEQUENTIAL = {
    "people": [[0.0, "#c6dbef"], [0.3, "#6baed6"], [0.65, "#2171b5"], [1.0, "#08306b"]],
    "score": [
        [0.0, "#ffffb2"],
        [0.2, "#fed976"],
        [0.4, "#feb24c"],
        [0.6, "#fd8d3c"],
        [0.8, "#e31a1c"],
        [1.0, "#800026"],
    ],
    "km": [[0.0, "#7f2704"], [0.3, "#d94801"], [0.6, "#fdae6b"], [1.0, "#fff5eb"]],
    "population": [[0.0, "#efedf5"], [0.5, "#9e9ac8"], [1.0, "#3f007d"]],
}


def text(value: object) -> str:
    """Text from a file (publisher, document, area, note, flag, url, qualifier ...) as
    Plotly shows it: as text.

    Plotly draws hover labels, titles, legend names and annotations as a subset of HTML
    (``<a href>``, ``<b>``, ``<br>``, ``<span style>`` ...), so a document named
    ``<a href="https://evil.example">x</a>`` would become a live link. Escaping ``&``, ``<``
    and ``>`` is what it needs: it turns entities back into the characters when it draws.
    Every builder in :mod:`app.figures` passes untrusted text through here, and adds its
    own markup (``<b>``, ``<br>``) around the result, never inside it.

    >>> text('<a href="https://evil.example">x</a><b>'), text("Dana & Salqin"), text(None)
    ('&lt;a href="https://evil.example"&gt;x&lt;/a&gt;&lt;b&gt;', 'Dana &amp; Salqin', 'None')
    """
    return html.escape(str(value), quote=False)


def publisher_colour(publisher: str, priority: list[str]) -> str:
    """A stable colour for a publisher: by its priority family, else by a hash of its name."""
    if str(publisher).startswith("News article of 16 Feb 2020"):
        return SEED_COLOUR
    rank = publisher_rank(str(publisher), priority)
    if rank < len(priority):
        return PRIORITY_COLOURS[rank % len(PRIORITY_COLOURS)]
    return OTHER_COLOURS[zlib.crc32(str(publisher).encode("utf-8")) % len(OTHER_COLOURS)]



def figure(data: list[dict], layout: dict) -> go.Figure:
    """A ``go.Figure`` of plain trace and layout dicts, without per-property validation.

    The builders write every property by name, as plotly.js reads it; validating each one
    (``go.Scatter(...)``, ``update_layout``, ``make_subplots``) cost 50-100 ms a figure,
    more than the query behind it. The default template is applied as for any figure.
    """
    import plotly.graph_objects as go

    return go.Figure({"data": data, "layout": layout}, _validate=False)


def figure_dict(data: list[dict], layout: dict) -> dict:
    """What ``figure(data, layout).to_plotly_json()`` gives (the dict Dash sends), without
    building a ``go.Figure``: its construction and the deep copies of ``to_plotly_json``
    cost about 10 ms a figure. The default template is the same shared dict each time
    (read-only: Dash only serialises it)."""
    if "template" in layout:
        return {"data": data, "layout": layout}
    return {"data": data, "layout": {**layout, "template": default_template()}}


@functools.cache
def _template(name: str) -> dict:
    import plotly.io as pio

    return pio.templates[name].to_plotly_json()


def default_template() -> dict:
    """The JSON of plotly's default template (``plotly.io.templates.default``), once."""
    import plotly.io as pio

    return _template(str(pio.templates.default))


def sort_records(records: list[dict], key: str) -> list[dict]:
    """``records`` in the order ``DataFrame.sort_values(key)`` gives their rows
    (:func:`sort_order`)."""
    return [records[i] for i in sort_order([r[key] for r in records])]


def sort_order(values: Sequence) -> list[int]:
    """The positions of ``values`` in the order ``Series.sort_values`` gives them (its
    default quicksort, which may reorder ties): sorted in Python when no two are equal (any
    sort then gives that order), else through pandas itself. Values must not be missing."""
    if len(set(values)) == len(values):
        return sorted(range(len(values)), key=values.__getitem__)
    import pandas as pd

    return pd.Series(values).sort_values().index.tolist()
