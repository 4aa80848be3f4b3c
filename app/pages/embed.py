"""Embeddable single views: ``/embed/map``, ``/embed/timeseries``, ``/embed/card``, ``/embed/sources``.

A report frames one view in an ``<iframe>``; its URL carries the whole state with the same
parameters as the dashboard's (:mod:`app.state`; ``card=displaced|killed|at_risk`` picks
the card). Each page renders only its view, built by the dashboard's own queries and pure
figure builders, and a compact footer: the sources of what is drawn, the as-of date, a
link to the full dashboard in the same state and the view's data as CSV. No header, no
filters, no callbacks: the layout is made on the server for the URL, works offline, and
``assets/embed.js`` tells the framing page its height.

Who may frame these pages is decided by ``NWS_EMBED_ORIGINS`` (:mod:`app.web.headers`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs

import dash
import pandas as pd
from dash import dcc, html

from app import format as fmt
from app.export import params as ep
from app.export.rows import export_table
from app.export.rows import view_figures as view_figures_of
from app.figures.plotly_locale import locale_config
from app.figures.timeseries import timeseries_dict
from app.i18n import N_, _, current, ngettext, translate
from app.queries import checks
from app.queries.cards import area_cards, card_area
from app.queries.catalogue import AREA_SOURCES
from app.queries.chart_data import ChartData, chart_data
from app.queries.derived import as_of_key
from app.queries.headline import CARDS, publisher_rank
from app.state import ViewState, parse_query, to_query
from app.web.cache import cached_view
from components.context import OverviewContext
from components.links import source_link
from components.map_view import graph_config, map_figure, map_note
from components.print_header import print_header

VIEWS = ("map", "timeseries", "card", "sources")
MAP_HEIGHT = 480
CHART_HEIGHT = 460
#: Sources named in the footer before "and N more".
MAX_SOURCES = 4
GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage", "sendDataToCloud"],
        "showSendToCloud": False,  # never offer to upload a chart: the product is offline
}


@dataclass(frozen=True)
class Footer:
    """What the footer says about the view: who, as of when, where to see more."""

    publishers: tuple[str, ...]
    as_of: str
    dashboard_href: str
    csv_href: str | None
    notices: tuple[str, ...] = ()


def view_rows(
    ctx: OverviewContext, state: ViewState, view: str, card: str | None = None
) -> pd.DataFrame:
    """The rows the view draws: the export of the view (what its "Data (CSV)" link holds)."""
    p = _export_params(ctx, state, view, card)
    if p is None:  # an area-attribute map: no figure rows
        return ctx.bundle.figures.iloc[0:0]
    return export_table(ctx.bundle, p, ctx.priority).frame


def view_figures(
    ctx: OverviewContext, state: ViewState, view: str, card: str | None = None
) -> pd.DataFrame:
    """The figures of :func:`view_rows` (canonical columns only: no admin names, marks or
    consistency flags, which a footer or a source list does not show)."""
    p = _export_params(ctx, state, view, card)
    if p is None:
        return ctx.bundle.figures.iloc[0:0]
    return view_figures_of(ctx.bundle, p, ctx.priority)


def _export_params(
    ctx: OverviewContext, state: ViewState, view: str, card: str | None
) -> ep.ExportParams | None:
    """The parameters of the view's "Data (CSV)" link; None when they name no figure rows."""
    query = ep.export_query(state, view, card)
    args = {k: v for k, v in parse_qs(query.lstrip("?"), keep_blank_values=True).items()}
    choices = ep.Choices(pcodes=ctx.choices.pcodes or (), publishers=ctx.choices.publishers or ())
    try:
        return ep.parse_export_params(args, ep.Endpoint.FIGURES, choices)
    except ep.ExportParamError:
        return None


def publishers_of(rows: pd.DataFrame, priority: list[str]) -> tuple[str, ...]:
    """Distinct publishers, highest priority first, then by name."""
    names = {str(p) for p in rows["publisher"].dropna()} if not rows.empty else set()
    return tuple(sorted(names, key=lambda p: (publisher_rank(p, priority), p.lower())))


def as_of_text(state: ViewState, rows: pd.DataFrame) -> str:
    """ "As known on 16 Feb 2020" for an as-of view, else the newest date drawn."""
    if state.as_of is not None:
        return _("As known on {date}").format(date=fmt.day(state.as_of))
    ends = rows["period_end"].dropna() if not rows.empty else pd.Series(dtype="datetime64[ns]")
    if not len(ends):
        return _("No dated figures")
    return _("Figures up to {date}").format(date=fmt.day(ends.max()))


def list_separator() -> str:
    """Between the items of a list: "; ", or the Arabic semicolon (punctuation is the
    script's, like digits: not a sentence a translator words)."""
    return "؛ " if current().lang == "ar" else "; "


def comma() -> str:
    """", ", or the Arabic comma "، "."""
    return "، " if current().lang == "ar" else ", "


def footer(f: Footer) -> html.Footer:
    shown = list(f.publishers[:MAX_SOURCES])
    more = len(f.publishers) - len(shown)
    # publishers' names as published; in Arabic each is isolated, so a Latin name
    # keeps its own order inside the right-to-left line
    names = [fmt.isolate(n) for n in shown]
    sources = list_separator().join(names)
    if more > 0:
        sources += " " + ngettext("and {n} more", "and {n} more", more).format(
            n=fmt.number(more)
        )
    parts: list = [
        html.Span(
            [_("Source: "), sources or _("no figures drawn")], className="nws-embed-sources"
        ),
        html.Span(f.as_of, className="nws-embed-asof"),
        html.A(
            _("Open in the dashboard"),
            href=f.dashboard_href,
            target="_blank",
            rel="noopener",
            className="nws-embed-open",
        ),
    ]
    if f.csv_href:
        parts.append(
            html.A(_("Data (CSV)"), href=f.csv_href, download="", className="nws-embed-data")
        )
    children: list = [html.Div(parts, className="nws-embed-footer-line")]
    if f.notices:
        children.append(
            html.Div(
                _("Ignored in the link: ") + list_separator().join(f.notices),
                className="nws-embed-notice",
                role="status",
            )
        )
    return html.Footer(children, className="nws-embed-footer")


def frame(
    view: str,
    body: list,
    f: Footer,
    png: html.Button | None = None,
    printed: tuple[ViewState, str] | tuple[ViewState, str, str] | None = None,
) -> html.Div:
    """The view, its footer and, for a graph, its "PNG" button in the footer's line.
    ``printed``: the state and title for the header a printed page starts with (hidden on
    screen; ``assets/css/embed.css``): title, filters in words, as-of, URL, print date."""
    foot = footer(f)
    if png is not None:
        foot.children[0].children.append(png)
    head = []
    if printed:  # (state, title) or (state, title, the filters in words)
        state, title, *words = printed
        head = [print_header(state, title, live=False, filters_text="".join(words))]
    return html.Div(
        [*head, *body, foot],
        id="nws-embed",
        className=f"nws-embed nws-embed-{view}",
        **{"data-view": view},
    )


def _links(state: ViewState, view: str, card: str | None = None) -> tuple[str, str | None]:
    dashboard = dash.get_relative_path("/") + to_query(state)
    csv = None
    if not (view == "map" and state.view_metric.source == "areas"):
        csv = dash.get_relative_path(ep.FIGURES_CSV) + ep.export_query(state, view, card)
    return dashboard, csv


@cached_view("embed-footer")  # performance: the view's export rows, for two strings
def footer_facts(
    ctx: OverviewContext, state: ViewState, view: str, card: str | None = None
) -> tuple[tuple[str, ...], str]:
    """Who (publishers, by priority) and as of when: what the footer says of the view's rows."""
    rows = view_figures(ctx, state, view, card)
    return publishers_of(rows, ctx.priority), as_of_text(state, rows)


def view_facts(ctx: OverviewContext, state: ViewState, view: str) -> tuple[tuple[str, ...], str]:
    """Publishers and as-of text of the map or the chart, as their footers say them (also
    the source line of their PNG, :func:`components.downloads.png_labels`)."""
    if view == "timeseries":
        return timeseries_sources(ctx, state)
    if state.view_metric.source == "areas":
        source = AREA_SOURCES.get(state.view_metric.column, "")
        return (source,), _("Fixed attribute of each area")
    return footer_facts(ctx, state, "map")


def _png(
    ctx: OverviewContext, state: ViewState, view: str, graph: str, title: str = ""
) -> html.Button:
    """The view's "PNG" button (``title``: the embed's own heading, if it has one)."""
    from components.downloads import png_button, png_labels

    labels = png_labels(ctx, view, state)
    if title:
        labels["data-title"] = title
    return png_button(view, labels, graph, fixed=True)


def map_layout(ctx: OverviewContext, state: ViewState, notices: list[str]) -> html.Div:
    fig = map_figure(ctx, state)  # the overview's map (cached), at the embed's height
    fig = {**fig, "layout": {**fig["layout"], "height": MAP_HEIGHT}}
    publishers, when = view_facts(ctx, state, "map")
    dashboard, csv = _links(state, "map")
    graph = dcc.Graph(
        id="embed-map-graph",
        figure=fig,
        config=graph_config(responsive=True),
        style={"height": f"{MAP_HEIGHT}px"},
    )
    note = html.Div(map_note(fig, state, "/embed/map"), className="nws-map-note")
    png = _png(ctx, state, "map", "embed-map-graph")
    return frame(
        "map",
        [graph, note],
        Footer(publishers, when, dashboard, csv, tuple(notices)),
        png,
        (state, png.to_plotly_json()["props"]["data-title"]),
    )


@cached_view("embed-timeseries")  # performance: shared across workers, keyed by the state
def timeseries_facts(
    ctx: OverviewContext, state: ViewState
) -> tuple[str, dict, tuple[str, ...], str]:
    """Title, figure, publishers and as-of text of the embedded chart."""
    m = state.view_metric
    data = _chart_data(ctx, state)
    empty = (
        _("{metric} is a fixed property of each area: see the map.").format(metric=_(m.label))
        if not m.family
        else _("No dated figures with these filters.")
    )
    x_range = (state.start, state.end) if state.start and state.end else None
    fig = timeseries_dict(
        data.figures,
        ctx.priority,
        x_range=x_range,
        empty_message=empty,
        height=CHART_HEIGHT,
        metrics=m.family,
    )
    title = _("{metric} and related figures: {scope}").format(
        metric=_(m.label), scope=data.scope or _("north-west Syria")
    )
    return (
        title,
        fig,
        publishers_of(data.figures, ctx.priority),
        as_of_text(state, data.figures),
    )


def _chart_data(ctx: OverviewContext, state: ViewState) -> ChartData:
    b = ctx.bundle
    return chart_data(b.figures, b.areas, b.regions, state.view_metric, state.areas,
                      state.figure_filter(), sector=state.sector_or_none)  # fmt: skip


@cached_view("embed-chart-sources")  # performance: shared across workers, keyed by the state
def timeseries_sources(ctx: OverviewContext, state: ViewState) -> tuple[tuple[str, ...], str]:
    """Publishers and as-of text of the chart (its footer, its PNG's source line), without
    drawing it: the figure's hover texts were most of a first PNG label's time (0.1 s of
    0.16 s with a million events stored)."""
    data = _chart_data(ctx, state)
    return publishers_of(data.figures, ctx.priority), as_of_text(state, data.figures)


def timeseries_layout(ctx: OverviewContext, state: ViewState, notices: list[str]) -> html.Div:
    title, fig, publishers, when = timeseries_facts(ctx, state)
    dashboard, csv = _links(state, "timeseries")
    body = [
        html.H2(title, className="nws-embed-title"),
        dcc.Graph(
            id="embed-timeseries-graph",
            figure=fig,
            # the interface's month names: the axis's, and the hover's weeks (chart_hover)
            config={**GRAPH_CONFIG, **locale_config()},
            style={"height": f"{CHART_HEIGHT}px"},
        ),
    ]
    png = _png(ctx, state, "timeseries", "embed-timeseries-graph", title)
    return frame(
        "timeseries",
        body,
        Footer(publishers, when, dashboard, csv, tuple(notices)),
        png,
        (state, _("North-west Syria: {title}").format(title=title)),
    )


def _flags_of(ctx: OverviewContext, as_of: pd.Timestamp | None, figure: dict | None) -> list[str]:
    """The card figure's consistency flags, as known on the embed's date (as on the overview)."""
    if figure is None:
        return []
    b = ctx.bundle
    found = checks.view_checks(
        b.figures, b.areas, b.regions, as_of_key(b.figures, as_of), ctx.priority
    )
    return checks.messages_for(found, figure["figure_id"])


def card_layout(ctx: OverviewContext, state: ViewState, notices: list[str], card: str) -> html.Div:
    from components.cards import card as card_component

    as_of = pd.Timestamp(state.as_of) if state.as_of is not None else None
    b = ctx.bundle
    cards = area_cards(b.figures, b.areas, ctx.priority, card_area(state.areas), as_of)
    c = {c.key: c for c in cards}[card]
    # an area's card without a figure of its own shows the wider area's: its source
    shown = c.figure if c.figure is not None or c.fallback is None else c.fallback.figure
    if shown is not None:
        publishers: tuple[str, ...] = (str(shown["publisher"]),)
        when = (
            _("As known on {date}").format(date=fmt.day(state.as_of))
            if state.as_of is not None
            else _period_text(shown)
        )
    else:
        publishers, when = (), as_of_text(state, ctx.bundle.figures.iloc[0:0])
    dashboard, csv = _links(state, "card", card)
    return frame(
        "card",
        [card_component(c, _flags_of(ctx, as_of, c.figure))],
        Footer(publishers, when, dashboard, csv, tuple(notices)),
        printed=(
            state,
            _("{area}: {title}").format(area=c.scope.label, title=c.title),
            _("none but the date (a headline figure for all of north-west Syria, chosen by its rule)")
            if c.scope.pcode is None
            else _("the area and the date (the area's own figure, chosen by the headline rule)"),
        ),
    )


@cached_view("embed-sources")  # performance: shared across workers, keyed by the state
def source_documents(
    ctx: OverviewContext, state: ViewState
) -> tuple[list[dict], tuple[str, ...], str]:
    """The documents behind the state's figures (publisher, document, url, count, first and
    last date, published), by publisher priority; and the footer's publishers and date."""
    rows = view_figures(ctx, state, "sources")
    docs: list[dict] = []
    if not rows.empty:
        grouped = (
            rows.assign(url=rows["url"].fillna(""))
            .groupby(["publisher", "document", "url"], dropna=False, sort=False)
            .agg(
                n=("figure_id", "size"),
                first=("period_end", "min"),
                last=("period_end", "max"),
                published=("published_date", "max"),
            )
            .reset_index()
        )
        grouped = grouped.assign(
            _rank=[publisher_rank(str(p), ctx.priority) for p in grouped["publisher"]]
        )
        docs = grouped.sort_values(["_rank", "publisher", "last"]).to_dict("records")
    return docs, publishers_of(rows, ctx.priority), as_of_text(state, rows)


def _source_item(d: dict) -> html.Li:
    title = source_link(d["document"], d["url"])
    dates = (
        fmt.day(d["last"])
        if d["first"] == d["last"]
        else f"{fmt.day(d['first'])} – {fmt.day(d['last'])}"
    )
    n = int(d["n"])
    words = ngettext("{n} figure", "{n} figures", n).format(n=fmt.number(n))
    if dates:
        words += comma() + dates
    if not fmt.is_missing(d["published"]):
        words += comma() + _("published {date}").format(date=fmt.day(d["published"]))
    return html.Li(
        [
            html.Strong(d["publisher"]),
            ": ",
            title,
            html.Span(" · " + words, className="nws-muted"),
        ],
        className="nws-embed-source",
    )


def sources_layout(ctx: OverviewContext, state: ViewState, notices: list[str]) -> html.Div:
    """The documents behind the state's figures: publisher, document (linked), dates, count."""
    docs, publishers, when = source_documents(ctx, state)
    items = [_source_item(d) for d in docs]
    body = [
        html.H2(
            _("Sources: {metric}").format(metric=_(state.view_metric.label)),
            className="nws-embed-title",
        ),
        html.Ul(items, className="nws-embed-source-list")
        if items
        else html.P(_("No figures with these filters.")),
    ]
    dashboard, csv = _links(state, "sources")
    return frame(
        "sources",
        body,
        Footer(publishers, when, dashboard, csv, tuple(notices)),
        printed=(
            state,
            _("North-west Syria: sources of {metric}").format(metric=_(state.view_metric.label)),
        ),
    )


def _period_text(figure: dict) -> str:
    """ "As of 16 Feb 2020" (a stock or running total) or "Period: 1 Jan 2020 – 18 Feb 2020"."""
    start, end = figure.get("period_start"), figure["period_end"]
    if fmt.is_missing(start) and not fmt.is_missing(end):
        return _("As of {date}").format(date=fmt.day(end))
    return _("Period: {period}").format(period=fmt.period(start, end))


def parse_embed_query(
    query: dict[str, object], ctx: OverviewContext
) -> tuple[ViewState, list[str], str]:
    """(state, notices, card): the dashboard's parameters plus ``card`` for the card view."""
    query = dict(query)
    raw_card = query.pop("card", None)
    state, notices = parse_query(query, ctx.choices)
    card = str(raw_card[0] if isinstance(raw_card, list) and raw_card else raw_card or "")
    if card and card not in CARDS:
        notices.append(
            _("Ignored card={card}: expected one of {cards}").format(
                card=fmt.isolate(card), cards=fmt.isolate(", ".join(CARDS))
            )
        )
    return state, notices, card if card in CARDS else next(iter(CARDS))


def view_layout(
    ctx: OverviewContext, view: str, state: ViewState, notices: list[str], card: str
) -> html.Div:
    """The embed page of ``view`` (one of :data:`VIEWS`) for ``state``."""
    if view == "map":
        return map_layout(ctx, state, notices)
    if view == "timeseries":
        return timeseries_layout(ctx, state, notices)
    if view == "card":
        return card_layout(ctx, state, notices, card)
    return sources_layout(ctx, state, notices)


def register(ctx: OverviewContext) -> None:
    """Register the four ``/embed/*`` pages, and the callbacks of the dashboard views' download
    bars (:mod:`components.downloads`; views only place ``download_bar``), once, from
    :func:`app.pages.register_pages`."""
    from components import downloads

    downloads.register_callbacks(ctx)

    def page(view: str) -> Callable[..., html.Div]:
        def layout(**query: object) -> html.Div:
            state, notices, card = parse_embed_query(query, ctx)
            return view_layout(ctx, view, state, notices, card)

        return layout

    for view in VIEWS:
        dash.register_page(
            f"embed_{view}",
            path=f"/embed/{view}",
            layout=page(view),
            title=page_title(view),
        )


#: The embeds' names, for the browser's tab (translated per request by :func:`page_title`).
TITLES = {
    "map": N_("Map · NW Syria displacement (embedded)"),
    "timeseries": N_("Time series · NW Syria displacement (embedded)"),
    "card": N_("Headline figure · NW Syria displacement (embedded)"),
    "sources": N_("Sources · NW Syria displacement (embedded)"),
}


def page_title(view: str) -> Callable[..., str]:
    """The page's ``<title>``, in the request's language (Dash calls it for each page)."""

    def title(**_path: object) -> str:
        return translate(TITLES[view])

    return title
