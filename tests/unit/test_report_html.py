"""The one-file report (app.export.report_html): size, headline values, escaping, no fetches."""

from __future__ import annotations

import base64
import dataclasses
import gzip
import json
import re
from datetime import UTC, datetime

import pandas as pd
import pytest

from app.export.report_html import MAX_BYTES, ReportContent, ReportTooLarge, SourceDoc, report_html
from app.queries.cards import CardData
from app.web.assets import PLOTLY_BUNDLE

MADEUP_PUBLISHER = '<a href="javascript:alert(1)">madeup_publisher</a>'
GEO_URL = "/geo/adm1.geojson?v=madeup"


def madeup_figure() -> dict:
    return {
        "figure_id": "madeup_f1",
        "metric": "idps_displaced_since",
        "kind": "cumulative",
        "value": 800000.0,
        "qualifier": "more than",
        "low": 800000.0,
        "high": 880000.0,
        "period_start": pd.Timestamp("2019-12-01"),
        "period_end": pd.Timestamp("2020-02-12"),
        "publisher": MADEUP_PUBLISHER,
        "document": "madeup_document <script>x()</script>",
        "url": "javascript:alert(2)",
        "published_date": pd.Timestamp("2020-02-13"),
        "area_pcode": "SY07",
        "area_as_written": "Idleb",
        "region": None,
        "ADM1_EN": "Idleb",
    }


def madeup_content() -> ReportContent:
    fig = madeup_figure()
    card = CardData(
        "displaced",
        "Displaced since 1 Dec 2019",
        fig,
        pd.DataFrame(),
        "rule",
        pd.Timestamp("2020-02-16"),
    )
    geometry = {"type": "FeatureCollection", "features": []}
    return ReportContent(
        filters="IDP arrivals in period by sub-district",
        as_of="As known on 16 Feb 2020: only figures published by that day.",
        made_at=datetime(2026, 12, 6, 17, 0, tzinfo=UTC),
        url="http://localhost:8050/report?as_of=2020-02-16",
        cards=[card],
        map_figure={
            "data": [{"type": "choropleth", "geojson": GEO_URL, "locations": [], "z": []}],
            "layout": {"height": 440},
        },
        map_notes=["Data for 0 of 14 governorates"],
        chart_title="IDP arrivals </script><b>x</b>",
        chart_figure={
            "data": [{"type": "scatter", "x": [1], "y": [2], "name": "</script>"}],
            "layout": {},
        },
        chart_caption="One series per publisher.",
        geometry={GEO_URL: geometry},
        table=pd.DataFrame([fig]),
        sources=[
            SourceDoc(
                MADEUP_PUBLISHER,
                "madeup_doc",
                "https://docslib.org/x",
                1,
                fig["period_end"],
                fig["period_end"],
                None,
                "docslib.org",
            )
        ],
        attribution=["Boundaries: madeup attribution"],
    )


@pytest.fixture(scope="module")
def report() -> str:
    return report_html(madeup_content(), PLOTLY_BUNDLE.read_text(encoding="utf-8"))


def test_size_within_two_megabytes(report: str) -> None:
    size = len(report.encode("utf-8"))
    assert PLOTLY_BUNDLE.stat().st_size < size <= MAX_BYTES


def test_headline_values_and_words(report: str) -> None:
    assert '<span class="card-value">800,000</span>' in report
    assert '<span class="qualifier">more than</span>' in report
    assert "(800,000–880,000)" in report
    assert "as known on 16 Feb 2020" in report
    assert "Report made on" in report and "06 Dec 2026 17:00 UTC" in report
    assert 'href="http://localhost:8050/report?as_of=2020-02-16"' in report
    assert "Boundaries: madeup attribution" in report


def test_text_from_data_is_escaped_never_markup(report: str) -> None:
    assert MADEUP_PUBLISHER not in report
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;madeup_publisher&lt;/a&gt;" in report
    assert "madeup_document &lt;script&gt;x()&lt;/script&gt;" in report
    assert 'href="javascript:' not in report  # not an http(s) URL: never a link
    assert 'href="https://docslib.org/x"' in report and "(copy at docslib.org)" in report
    # the data JSON cannot close its <script>: only the page's own four scripts end
    body = report.split("<script>", 2)[-1]  # past the geo assets and plotly.js
    data = re.search(r'id="report-data">(.*?)</script>', body, re.S)
    assert data is not None and "<" not in data.group(1)
    parsed = json.loads(data.group(1))
    assert parsed["chart"]["data"][0]["name"] == "</script>"
    assert parsed["geometry"][GEO_URL]["type"] == "FeatureCollection"
    assert parsed["mapConfig"]["topojsonURL"] == ""


def test_nothing_is_fetched_by_the_file(report: str) -> None:
    assert "default-src 'none'" in report and "connect-src 'none'" in report
    assert "world_110m" in report  # the base map plotly.js asks for, given inline
    page = report.split("<script>", 1)[0]  # the markup, without plotly.js's own strings
    assert not re.search(r"""(src|href)=["']?(https?:)?//(?!localhost|docslib)""", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_too_large_is_refused_with_the_size() -> None:
    with pytest.raises(ReportTooLarge, match=r"would weigh [\d,]+ bytes, over the 2,097,152"):
        report_html(madeup_content(), "x" * (MAX_BYTES + 1))


def test_a_long_table_is_cut_to_fit_and_says_how_many_rows_are_left_out() -> None:
    many = pd.DataFrame([{**madeup_figure(), "figure_id": f"madeup_{i}"} for i in range(5000)])
    content = dataclasses.replace(
        madeup_content(),
        table=many,
        csv_links=[("the map", "http://localhost:8050/export/figures.csv?x=1")],
    )
    out = report_html(content, PLOTLY_BUNDLE.read_text(encoding="utf-8"))
    assert len(out.encode("utf-8")) <= MAX_BYTES
    written = out.count("<tr><td>")
    assert 0 < written < 5000
    assert f"{5000 - written:,} more rows are not written in this file" in out
    assert (
        'all 5,000 are in the CSV exports of <a href="http://localhost:8050/export/figures.csv?x=1"'
        in out
    )


def test_large_figure_data_is_packed_and_unpacks_to_the_same_json() -> None:
    points = 100_000
    chart = {"data": [{"type": "scatter", "x": list(range(points)), "y": [7] * points}]}
    content = dataclasses.replace(madeup_content(), chart_figure=chart)
    out = report_html(content, PLOTLY_BUNDLE.read_text(encoding="utf-8"))
    found = re.search(r'data-encoding="gzip\+base64">([A-Za-z0-9+/=]+)</script>', out)
    assert found is not None
    data = json.loads(gzip.decompress(base64.b64decode(found.group(1))))
    assert data["chart"]["data"][0]["y"] == [7] * points
    assert data["geometry"][GEO_URL]["type"] == "FeatureCollection"
