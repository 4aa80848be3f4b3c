"""Sources page (``/sources``): every dataset of the bundle and every figure's source."""

from __future__ import annotations

import dash
from dash import html

from app.bundle.store import Bundle
from app.queries.sources import dataset_rows, figure_source_rows
from components import shell


def _link(text: str, url: str) -> html.A | html.Span:
    if url.startswith("http"):
        return html.A(text, href=url, target="_blank", rel="noopener noreferrer")
    return html.Span(text)


def _datasets(bundle: Bundle) -> html.Table:
    head = ["Dataset", "Publisher / sources", "Licence", "Coverage", "Bytes", "File"]
    body = [
        html.Tr(
            [
                html.Td(
                    [
                        html.Strong(r["title"]),
                        html.Div(r["description"], className="nws-muted")
                        if r["description"]
                        else None,
                        html.Div(r["attribution"], className="nws-muted"),
                    ]
                ),
                html.Td(r["publisher"]),
                html.Td(r["licence"]),
                html.Td(r["coverage"]),
                html.Td(r["bytes"], className="num"),
                html.Td(html.Code(r["path"])),
            ],
            id=f"dataset-{r['name']}",
        )
        for r in dataset_rows(bundle.datapackage)
    ]
    return html.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
        className="table",
        id="sources-datasets",
    )


def _figures(bundle: Bundle) -> html.Table:
    head = ["Date", "Metric", "Figure", "Area as written", "Publisher", "Document", "Published"]
    body = [
        html.Tr(
            [
                html.Td(r["date"]),
                html.Td(r["metric"]),
                html.Td(r["figure"], className="num"),
                html.Td(r["area"]),
                html.Td(r["publisher"]),
                html.Td(_link(r["document"], r["url"])),
                html.Td(r["published"]),
            ],
            className="nws-figure-row",
        )
        for r in figure_source_rows(bundle.figures)
    ]
    return html.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
        className="table",
        id="sources-figures",
    )


def register(bundle: Bundle) -> None:
    built: list[html.Div] = []

    def layout(**_: str) -> html.Div:
        # performance: the page depends on the bundle only; built on the first request (about
        # 25 ms) and the same component tree served after (Dash only serialises it)
        if not built:
            built.append(_page(bundle))
        return built[0]

    dash.register_page(
        "sources", path="/sources", layout=layout, title="Sources · NW Syria displacement"
    )


def _page(bundle: Bundle) -> html.Div:
    n_hno = int(bundle.figures["source_file"].fillna("").str.startswith("baseline").sum())
    return html.Div(
        [
            shell.header("sources"),
            html.Main(
                [
                    html.Section(
                        [
                            html.H2("Attribution"),
                            html.Ul(
                                [html.Li(line) for line in shell.ATTRIBUTION],
                                id="sources-attribution",
                            ),
                        ],
                        className="panel",
                    ),
                    html.Section(
                        [
                            html.H2("Datasets in this dashboard"),
                            html.P("From the bundle's data package (data/datapackage.json)."),
                            _datasets(bundle),
                        ],
                        className="panel",
                    ),
                    html.Section(
                        [
                            html.H2("Every dated figure"),
                            html.P(
                                f"Each figure as published, with its qualifier and range. Not listed "
                                f"row by row: {n_hno:,} HNO 2019 baseline figures (people in need and "
                                f"severity by sector and sub-district), all from one OCHA document."
                            ),
                            _figures(bundle),
                        ],
                        className="panel",
                    ),
                ],
                className="content",
            ),
            shell.footer(),
        ],
        className="app nws-sources",
    )
