"""Sources page (``/sources``): every dataset of the bundle and every figure's source."""

from __future__ import annotations

import dash
from dash import html

from app import format as fmt
from app.bundle.store import Bundle
from app.i18n import _, current, ngettext
from app.queries.publishers_ar import publisher_shown
from app.queries.sources import dataset_rows, event_sum_rows, figure_source_rows
from components import shell
from components.context import OverviewContext
from components.links import source_link


def _datasets(bundle: Bundle) -> html.Table:
    head = [_("Dataset"), _("Publisher / sources"), _("Licence"), _("Coverage"), _("Bytes"),
            _("File")]  # fmt: skip
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
    head = [_("Date"), _("Metric"), _("Figure"), _("Area as written"), _("Publisher"),
            _("Document"), _("Published")]  # fmt: skip
    body = [
        html.Tr(
            [
                html.Td(r["date"]),
                html.Td(r["metric"]),
                html.Td(r["figure"], className="num"),
                html.Td(r["area"], dir="auto"),
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

    def layout(**_query: str) -> html.Div:
        # performance: the page depends on the tables and the language only; built on the
        # first request of a store version in a language (about 25 ms) and the same
        # component tree served after
        version, lang = ctx.version, current().key
        if not any(k[0] == version for k in built):
            built.clear()
        if (version, lang) not in built:
            built[(version, lang)] = _page(ctx.bundle, ctx.batches())
        return built[(version, lang)]

    dash.register_page(
        "sources",
        path="/sources",
        layout=layout,
        title=lambda **_query: _("Sources · NW Syria displacement"),
    )


def _event_sums(bundle: Bundle) -> html.Table:
    head = [_("Dataset (publisher)"), _("Document"), _("Weekly figures"), _("Weeks"),
            _("Published")]  # fmt: skip
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


def _accepted(count: int, table: str) -> str:
    """``1 figure``, ``2 figures``, ``7,243 events`` (the rows a batch added to its table)."""
    n = fmt.number(count)
    if table == "figures":
        return ngettext("{n} figure", "{n} figures", count).format(n=n)
    if table == "events":
        return ngettext("{n} event", "{n} events", count).format(n=n)
    return f"{n} {fmt.isolate(table)}"


def _when(value: object) -> str:
    """A batch's time as stored ("2020-02-16 10:04"), isolated in Arabic text."""
    return fmt.isolate(str(value)[:16])


def _batch_what(b: dict) -> str:
    out = ngettext(
        "{accepted} of {n} row read ({rejected} rejected, {unmatched} unmatched)",
        "{accepted} of {n} rows read ({rejected} rejected, {unmatched} unmatched)",
        int(b["rows_read"]),
    ).format(accepted=_accepted(int(b["accepted"]), str(b["table_name"])),
             n=fmt.number(b["rows_read"]), rejected=fmt.number(b["rejected"]),
             unmatched=fmt.number(b["unmatched"]))  # fmt: skip
    if b.get("publisher"):
        out += _("; dataset: {publisher}").format(publisher=publisher_shown(b["publisher"]))
    if b.get("published"):
        out += _("; released {day}").format(day=fmt.isolate(str(b["published"])))
    if b.get("superseded"):
        out += ngettext("; {n} earlier event superseded", "; {n} earlier events superseded",
                        int(b["superseded"])).format(n=fmt.number(b["superseded"]))  # fmt: skip
    if b.get("note"):
        out += _(". Note: {note}").format(note=fmt.isolate(str(b["note"])))
    return out


def _batch_rows(batches: tuple[dict, ...]) -> list[dict[str, str]]:
    """One row per batch: what it added, who added it and when, whether it is in use, and
    for a retracted one who retracted it, when and why (the reason as they wrote it)."""
    return [
        {
            "id": str(b["id"]),
            "file": str(b["file_name"]),
            "what": _batch_what(b),
            "by": _("{who}, {when}").format(who=fmt.isolate(str(b["added_by"])),
                                            when=_when(b["added_at"])),
            "in_use": b["status"] == "active",
            "status": _("in use") if b["status"] == "active" else
            _("retracted by {who}, {when}: {why}").format(
                who=fmt.isolate(str(b["status_by"])), when=_when(b["status_at"]),
                why=fmt.isolate(str(b["status_why"]))),
            "sha": str(b["sha256"])[:12],
        }
        for b in batches
    ]  # fmt: skip


def _workspace(batches: tuple[dict, ...]) -> html.Section:
    """Batches added to this dashboard's store, retracted ones with their reason."""
    head = [_("Batch"), _("File"), _("Rows"), _("Added by"), _("Status"), "sha256"]
    rows = _batch_rows(batches)
    body = [
        html.Tr(
            [html.Td(r["id"], className="num"), html.Td(r["file"]), html.Td(r["what"]),
             html.Td(r["by"]), html.Td(r["status"]), html.Td(html.Code(r["sha"]))],
            id=f"batch-{r['id']}",
            className="nws-batch" if r["in_use"] else "nws-batch-retracted",
        )
        for r in rows
    ]  # fmt: skip
    n_retracted = sum(b["status"] == "retracted" for b in batches)
    return html.Section(
        [
            html.H2(_("Added to this dashboard")),
            html.P(
                ngettext(
                    "{n} file added by the team running this dashboard ({command}), "
                    "{retracted} of them retracted: a retracted batch is hidden from every "
                    "view and export, and kept.",
                    "{n} files added by the team running this dashboard ({command}), "
                    "{retracted} of them retracted: a retracted batch is hidden from every "
                    "view and export, and kept.",
                    len(batches),
                ).format(n=fmt.number(len(batches)), retracted=fmt.number(n_retracted),
                         command=fmt.isolate("python -m app add"))
                if batches
                else _("Nothing added yet: every figure comes from the bundled data.")
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
                            html.H2(_("Attribution")),
                            html.Ul(
                                # the shell's lines, translated where its catalog has them
                                [html.Li(line) for line in shell.attribution()],
                                id="sources-attribution",
                            ),
                        ],
                        className="panel",
                    ),
                    _workspace(batches),
                    html.Section(
                        [
                            html.H2(_("Datasets in this dashboard")),
                            html.P(_("From the bundle's data package ({path}).").format(
                                path=fmt.isolate("data/datapackage.json"))),
                            _datasets(bundle),
                        ],
                        className="panel",
                    ),
                    html.Section(
                        [
                            html.H2(_("Every dated figure")),
                            html.P(
                                _("Each figure as published, with its qualifier and range. Not "
                                  "listed row by row: {n} HNO 2019 baseline figures (people in "
                                  "need and severity by sector and sub-district), all from one "
                                  "OCHA document.").format(n=fmt.number(n_hno))
                            ),
                            _figures(bundle),
                            html.H3(_("Weekly sums of conflict events")),
                            html.P(
                                _("Not listed week by week: the dashboard's own sums of conflict "
                                  "events per area and week (README \"Adding your own data\"), "
                                  "one line per dataset.")
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
