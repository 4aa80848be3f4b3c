"""``GET /report?<the view's parameters>``: the current view as one HTML file, a download.

The parameters are the overview's own (:func:`app.state.parse_query`), so "Save as report"
is ``/report`` + the view's query and a report writer can build the URL by hand. The
content comes from what the overview draws: the cards' :func:`card_data`, the map's
:func:`components.map_view.map_figure`, the chart's :func:`components.timeseries_view.content`
and the views' export rows (:func:`app.pages.embed.view_rows`). The file itself is written
by the pure :func:`app.export.report_html.report_html`.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from urllib.parse import urlsplit

import dash
import pandas as pd
from flask import Flask, Response, request

from app.export import params as ep
from app.export.datapackage import attribution, licences
from app.export.report_html import ReportContent, ReportTooLarge, SourceDoc, report_html
from app.figures.plotly_locale import locale_config
from app.i18n import N_, _
from app.queries.cards import area_cards, card_area
from app.state import ViewState, parse_query, to_query
from app.web.assets import PLOTLY_BUNDLE
from app.web.geo import GEO_FILES
from components.context import OverviewContext

REPORT_PATH = "/report"
HTML_TYPE = "text/html; charset=utf-8"
_GEO_URL = re.compile(r"/geo/(\w+)\.geojson")


@cache
def plotly_source() -> str:
    """Our partial plotly.js (the file the dashboard loads: app.web.assets), read once."""
    return PLOTLY_BUNDLE.read_text(encoding="utf-8")


def report_filename(state: ViewState) -> str:
    """``nw-syria-report-<metric>[-as_of-<day>]...html``: ASCII, safe in a header."""
    words = [state.metric]
    if state.sector_or_none:
        words.append(state.sector_or_none)
    words += list(state.areas[:3])
    for name, day in (("from", state.start), ("to", state.end), ("as_of", state.as_of)):
        if day is not None:
            words.append(f"{name}-{day.isoformat()}")
    stem = re.sub(r"[^A-Za-z0-9_.+-]+", "_", "-".join(words))[:100]
    return f"nw-syria-report-{stem}.html"


def geometry_of(ctx: OverviewContext, fig: dict) -> dict:
    """Geometry URL -> GeoJSON object, for every ``choropleth`` of the map that names one."""
    out: dict = {}
    for trace in fig.get("data", []):
        url = trace.get("geojson")
        if isinstance(url, str) and url not in out:
            found = _GEO_URL.search(urlsplit(url).path)
            if found is None or found.group(1) not in GEO_FILES:
                raise ValueError(f"the map names geometry the report cannot embed: {url!r}")
            out[url] = ctx.bundle.geojson(GEO_FILES[found.group(1)])
    return out


def figures_behind(ctx: OverviewContext, state: ViewState, cards: list) -> pd.DataFrame:
    """The rows of the cards, the map and the chart (each figure once; cards first, then
    oldest first)."""
    from app.pages.embed import view_rows

    heads = [
        view_rows(ctx, state, "card", c.key)
        for c in cards
        if c.figure is not None or (c.fallback is not None and c.fallback.figure is not None)
    ]
    parts = [*heads, view_rows(ctx, state, "map"), view_rows(ctx, state, "timeseries")]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return ctx.bundle.figures.iloc[0:0]
    rows = pd.concat(parts, ignore_index=True).drop_duplicates("figure_id")
    # the headline figures first (a long table is cut to fit: they are always written)
    n_heads = sum(len(h) for h in heads)
    rows = rows.assign(_head=[i < n_heads for i in range(len(rows))])
    order = ["_head", "period_end", "metric", "publisher", "figure_id"]
    rows = rows.sort_values(order, ascending=[False, True, True, True, True], kind="stable")
    return rows.drop(columns="_head")


def report_content(ctx: OverviewContext, state: ViewState, notices: list[str],
                   url: str, now: dt.datetime) -> ReportContent:  # fmt: skip
    """What the report of ``state`` holds, from the overview's queries and builders."""
    from app.pages.embed import source_documents
    from components.links import mirror_host
    from components.map_view import graph_config, map_figure
    from components.print_header import as_of_words, filter_words
    from components.timeseries_view import content

    as_of = pd.Timestamp(state.as_of) if state.as_of is not None else None
    b = ctx.bundle
    cards = area_cards(b.figures, b.areas, ctx.priority, card_area(state.areas), as_of)
    fig = map_figure(ctx, state)
    title, chart, caption = content(ctx, state)
    docs, _publishers, _when = source_documents(ctx, state)
    dp = ctx.bundle.datapackage
    from components.shell import ATTRIBUTION

    base = request.host_url.rstrip("/") + dash.get_relative_path(ep.FIGURES_CSV)
    csv = []
    if state.view_metric.source != "areas":
        csv.append((N_("the map"), base + ep.export_query(state, "map")))
    if state.view_metric.family:
        csv.append((N_("the chart"), base + ep.export_query(state, "timeseries")))
    return ReportContent(
        filters=filter_words(state),
        as_of=as_of_words(state),
        made_at=now,
        url=url,
        cards=cards,
        map_figure=fig,
        map_notes=list(fig["layout"].get("meta", {}).get("coverage", [])),
        chart_title=title,
        chart_figure=chart,
        # the interface's month names: the axis's, and the hover's weeks (chart_hover)
        chart_config=locale_config(),
        chart_caption="".join(str(p) for p in caption),
        geometry=geometry_of(ctx, fig),
        table=figures_behind(ctx, state, cards),
        csv_links=csv,
        sources=[
            SourceDoc(
                str(d["publisher"]),
                str(d["document"]),
                d["url"],
                int(d["n"]),
                d["first"],
                d["last"],
                d["published"],
                mirror_host(d["url"]),
            )
            for d in docs
        ],
        attribution=ATTRIBUTION,
        package_attribution=[a for a in attribution(dp) if a not in ATTRIBUTION],
        licences=licences(dp),
        notices=notices,
        map_config=graph_config(),
    )


def register_report_route(server: Flask, ctx: OverviewContext) -> None:
    """Add ``GET /report`` to ``server`` (the views of ``ctx``, as of the store's version)."""

    @server.get(REPORT_PATH)
    def report() -> Response:
        query = {k: request.args.getlist(k) for k in request.args}
        state, notices = parse_query(query, ctx.choices)
        url = request.host_url.rstrip("/") + dash.get_relative_path(REPORT_PATH)
        url += to_query(state)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        try:
            body = report_html(report_content(ctx, state, notices, url, now), plotly_source())
        except ReportTooLarge as exc:
            return Response(_("Report not made: {reason}.").format(reason=exc) + "\n", status=413,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
        return Response(
            body.encode("utf-8"),
            content_type=HTML_TYPE,
            headers={
                "Content-Disposition": f'attachment; filename="{report_filename(state)}"',
                "Cache-Control": "no-cache",
            },
        )
