"""Sources page (``/sources``): every dataset of the bundle and every figure's source."""

from __future__ import annotations

import dash
from dash import html

from app.bundle.store import Bundle
from app.queries.sources import dataset_rows, event_sum_rows, figure_source_rows
from components import shell
from components.context import OverviewContext
from components.links import source_link


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
                html.Td(source_link(r["document"], r["url"])),
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


def register(ctx: OverviewContext) -> None:
    built: dict[object, html.Div] = {}

    def layout(**_: str) -> html.Div:
        # performance: the page depends on the tables only; built on the first request of a
        # store version (about 25 ms) and the same component tree served after
        key = ctx.version
        if key not in built:
            built.clear()
            built[key] = _page(ctx.bundle, ctx.batches())
        return built[key]

    dash.register_page(
        "sources", path="/sources", layout=layout, title="Sources · NW Syria displacement"
    )


def _event_sums(bundle: Bundle) -> html.Table:
    head = ["Dataset (publisher)", "Document", "Weekly figures", "Weeks", "Published"]
    body = [
        html.Tr(
            [html.Td(r["publisher"]), html.Td(source_link(r["document"], r["url"])),
             html.Td(r["n"], className="num"), html.Td(r["weeks"]), html.Td(r["published"])]
        )
        for r in event_sum_rows(bundle.figures)
    ]  # fmt: skip
    return html.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
        className="table",
        id="sources-event-sums",
    )


def _n(count: int, word: str) -> str:
    """``1 figure``, ``2 figures``, ``7,243 events``."""
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _batch_rows(batches: tuple[dict, ...]) -> list[dict[str, str]]:
    return [
        {
            "id": str(b["id"]),
            "file": str(b["file_name"]),
            "what": f"{_n(b['accepted'], b['table_name'][:-1])} of "
            f"{_n(b['rows_read'], 'row')} read "
            f"({b['rejected']:,} rejected, {b['unmatched']:,} unmatched)"
            + (f"; dataset: {b['publisher']}" if b.get("publisher") else "")
            + (f"; released {b['published']}" if b.get("published") else "")
            + (f"; {b['superseded']:,} earlier events superseded" if b.get("superseded") else "")
            + (f". Note: {b['note']}" if b.get("note") else ""),
            "by": f"{b['added_by']}, {str(b['added_at'])[:16]}",
            "status": "in use" if b["status"] == "active" else
            f"retracted by {b['status_by']}, {str(b['status_at'])[:16]}: {b['status_why']}",
            "sha": str(b["sha256"])[:12],
        }
        for b in batches
    ]


def _workspace(batches: tuple[dict, ...]) -> html.Section:
    """Batches added to this dashboard's store, retracted ones with their reason."""
    head = ["Batch", "File", "Rows", "Added by", "Status", "sha256"]
    rows = _batch_rows(batches)
    body = [
        html.Tr(
            [html.Td(r["id"], className="num"), html.Td(r["file"]), html.Td(r["what"]),
             html.Td(r["by"]), html.Td(r["status"]), html.Td(html.Code(r["sha"]))],
            id=f"batch-{r['id']}",
            className="nws-batch-retracted" if r["status"] != "in use" else "nws-batch",
        )
        for r in rows
    ]  # fmt: skip
    n_retracted = sum(b["status"] == "retracted" for b in batches)
    return html.Section(
        [
            html.H2("Added to this dashboard"),
            html.P(
                f"{_n(len(batches), 'file')} added by the team running this dashboard "
                f"(python -m app add), {n_retracted} of them retracted: a retracted batch is "
                "hidden from every view and export, and kept."
                if batches
                else "Nothing added yet: every figure comes from the bundled data."
            ),
            html.Table(
                [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(body)],
                className="table",
                id="sources-batches",
            )
            if batches
            else None,
        ],
        className="panel",
    )


def _page(bundle: Bundle, batches: tuple[dict, ...] = ()) -> html.Div:
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
                    _workspace(batches),
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
                            html.H3("Weekly sums of conflict events"),
                            html.P(
                                "Not listed week by week: the dashboard's own sums of conflict "
                                "events per area and week (README \"Adding your own data\"), "
                                "one line per dataset."
                            ),
                            _event_sums(bundle),
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
