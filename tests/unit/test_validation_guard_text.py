"""Text from a file is text everywhere: in Plotly's hovers, titles and legends, and in links.

Plotly draws a subset of HTML in hover labels, legend names, titles and annotations, so a
document named ``<a href="https://evil.example">x</a>`` would become a live link. Each
builder is given a MADE-UP row whose publisher and document hold that payload; the figure's
JSON must carry the escaped text and never a raw ``<a `` or the payload's ``<b>``.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.io as pio
import pytest

from app.figures import style
from app.figures.map import MapContext, choropleth_map
from app.figures.reconcile import reconcile_figure
from app.figures.timeseries import timeseries_figure
from app.normalise.urls import http_url, url_problem
from app.queries import reconcile as rc
from app.queries.catalogue import VIEW_METRICS
from app.queries.filters import FigureFilter
from app.queries.map_values import map_values

PAYLOAD = '<a href="https://evil.example">x</a><b>'
ESCAPED = '&lt;a href="https://evil.example"&gt;x&lt;/a&gt;&lt;b&gt;'
PRIORITY = ["OCHA", "OHCHR", "HNAP"]


def _figure_json(fig: object) -> str:
    """The JSON the browser receives (a go.Figure or the dict a builder returns)."""
    return pio.to_json(fig) if not isinstance(fig, dict) else json.dumps(fig, default=str)


def _drawn(doc: object) -> object:
    """The figure without ``meta`` and ``customdata``: data for callbacks and tests (trace
    keys, figure ids), which Plotly never draws unless a template names them (checked)."""
    if isinstance(doc, dict):
        return {k: _drawn(v) for k, v in doc.items() if k not in ("meta", "customdata")}
    if isinstance(doc, list):
        return [_drawn(v) for v in doc]
    return doc


def _assert_text_only(js: str) -> None:
    doc = json.loads(js)  # decoded: "<" may be written "\u003c" in the JSON text
    flat = json.dumps(_drawn(doc), ensure_ascii=False)
    assert ESCAPED.replace('"', '\\"') in flat
    assert "<a " not in flat and "</a>" not in flat and "x</a><b>" not in flat
    assert "%{meta" not in flat and "%{customdata" not in flat


def test_helper_escapes_what_plotly_reads_as_markup() -> None:
    assert style.text(PAYLOAD) == ESCAPED
    assert style.text("Dana & Salqin > 3") == "Dana &amp; Salqin &gt; 3"
    assert style.text("الدانا") == "الدانا"


def _row(**over: object) -> dict:
    row = {
        "figure_id": "fmadeup0001",
        "metric": "idp_arrivals",
        "kind": "flow",
        "metric_as_written": "idp_arrivals",
        "sector": None,
        "value": 248842.0,
        "qualifier": None,
        "low": 248842.0,
        "high": 248842.0,
        "period_start": pd.Timestamp("2020-02-01"),
        "period_end": pd.Timestamp("2020-02-29"),
        "area_pcode": "SY070301",
        "region": None,
        "area_as_written": f"Dana {PAYLOAD}",
        "publisher": PAYLOAD,
        "document": PAYLOAD,
        "url": "javascript:alert(1)",
        "published_date": pd.NaT,
        "note": PAYLOAD,
        "source_file": "madeup_payload.csv",
        "source_row": 2,
    }
    return {**row, **over}


def test_timeseries_hover_and_legend_are_text() -> None:
    figures = pd.DataFrame([{**_row(), "area_label": f"Dana {PAYLOAD}", "flags": [PAYLOAD]}])
    fig = timeseries_figure(figures, PRIORITY)
    js = _figure_json(fig)
    _assert_text_only(js)
    (trace,) = json.loads(js)["data"]
    assert f"<b>{ESCAPED}</b>" in trace["hovertext"][0]  # our markup kept, theirs escaped
    assert f"Document: {ESCAPED}" in trace["hovertext"][0]
    assert trace["name"].startswith("&lt;a href=")


AREAS = pd.DataFrame(
    [
        {
            "pcode": "SY070301",
            "level": 3,
            "name_en": f"Dana {PAYLOAD}",
            "name_ar": PAYLOAD,
            "population": 71000.0,
            "population_year": "2004",
            "border_distance_km": 0.0,
        },
        {
            "pcode": "SY070302",
            "level": 3,
            "name_en": "Salqin",
            "name_ar": "سلقين",
            "population": None,
            "population_year": "",
            "border_distance_km": 2.5,
        },
    ]
)
MAP_CTX = MapContext(
    geojson_url="/geo/adm3.geojson?v=abc",
    turkey_url="/geo/turkey.geojson?v=def",
    turkey=(("TUR031", PAYLOAD),),
    border_url="/geo/border.geojson?v=123",
)


def test_map_hover_and_notes_are_text() -> None:
    figures = pd.DataFrame([_row()])
    mv = map_values(figures, AREAS, VIEW_METRICS["idp_arrivals"], 3, FigureFilter(), PRIORITY)
    fig = choropleth_map(mv, MAP_CTX)
    js = _figure_json(fig)
    _assert_text_only(js)
    values = next(t for t in fig["data"] if t["meta"]["role"] == "values")
    assert f"<b>Dana {ESCAPED}</b>" in values["hovertext"][0]
    assert ESCAPED in values["hovertext"][0].split("Source: ")[1]


def test_reconcile_hover_and_lane_titles_are_text(bundle) -> None:  # type: ignore[no-untyped-def]
    real = bundle.figures
    template = real[(real["metric"] == "civilians_killed") & (real["region"] == "nw_syria")]
    assert not template.empty
    made_up = {
        **template.iloc[0].to_dict(),
        "figure_id": "fmadeup0002",
        "publisher": PAYLOAD,
        "document": PAYLOAD,
        "area_as_written": PAYLOAD,
        "value": 12345.0,
        "low": 12345.0,
        "high": 12345.0,
    }
    figures = pd.concat([real, pd.DataFrame([made_up])], ignore_index=True)
    rec = rc.reconciliation(figures, bundle.regions, "killed", "nw_syria", areas=bundle.areas)
    assert PAYLOAD in set(rec.figures["publisher"])
    fig = reconcile_figure(rec, PRIORITY, flags={"fmadeup0002": [PAYLOAD]})
    js = _figure_json(fig)
    _assert_text_only(js)
    layout = json.loads(js)["layout"]
    assert ESCAPED in [a["text"] for a in layout["annotations"]]  # the lane title


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://reliefweb.int/report/x", True),
        ("HTTP://EXAMPLE.ORG/a?b=c&d=e", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("ftp://example.org/report.pdf", False),
        ("www.example.org", False),
        ("//evil.example/x", False),
        ("https://", False),
        ("https://exa mple.org", False),
        ("https://example.org/\nx", False),
        ("httpx://example.org", False),
        ("", False),
        (None, False),
        (float("nan"), False),
    ],
)
def test_only_http_urls_are_links(url: object, linked: bool) -> None:
    from dash import html

    from components.links import source_link

    link = source_link("Report", url)
    assert isinstance(link, html.A) is linked
    assert (http_url(url) is not None) is linked
    if linked:
        assert link.href == str(url).strip()
        assert link.rel == "noopener noreferrer"
    elif isinstance(url, str) and url.strip():
        assert url_problem(url) is not None


def test_every_link_in_the_ui_goes_through_the_one_helper(root) -> None:  # type: ignore[no-untyped-def]
    """A link built from data anywhere else (``html.A(..., href=<a figure's url>)``) would
    skip the check: only fixed routes of the app itself may be written as ``html.A``."""
    import re

    allowed_href = re.compile(
        r"href=(dash\.get_relative_path\(|\"/|f\.dashboard_href|f\.csv_href|hrefs\.get\(|href\b\))"
    )
    offenders = []
    for path in [*(root / "components").glob("*.py"), *(root / "app" / "pages").glob("*.py")]:
        if path.name == "links.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "href=" in line and not allowed_href.search(line):
                offenders.append(f"{path.name}:{n}: {line.strip()}")
            if "startswith(\"http" in line:
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert offenders == []
