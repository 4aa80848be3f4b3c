"""Download links and "Copy embed code" for one view of the dashboard.

Usage in a view's panel: ``download_bar("map", state)`` (views: ``map``, ``timeseries``,
``card`` with ``card="displaced"``, ``sources``). The links are plain ``<a download>`` to
the stable export endpoints (:mod:`app.web.export_routes`) with the view's own query
(:func:`app.export.params.export_query`), so the browser streams the file and no data
passes through a callback; a callback only rewrites the links when the view state changes.

The embed snippet is an ``<iframe>`` of the view's ``/embed/...`` URL (same state) and the
few lines of script that resize it to its content (:data:`RESIZE_SCRIPT`); the
copy button writes it to the clipboard in the browser (``assets/copy_embed.js``, with a
textarea fallback where the Clipboard API is unavailable) and the snippet is also shown in
a ``<details>`` element to copy by hand.

"Download PNG" (map and chart) is drawn in the browser, offline: ``assets/png_download.js``
clones the graph's figure as shown, adds the view's title and a source line (the button's
``data-*`` attributes, :func:`png_labels`, kept current by the same callback as the links)
and has plotly.js write the PNG (``Plotly.downloadImage``). No request leaves the page.
"""

from __future__ import annotations

import hashlib
import html as html_text
from urllib.parse import urlencode, urlsplit

import dash
from dash import ALL, MATCH, ClientsideFunction, Input, Output, State, callback, html
from dash import clientside_callback as dash_clientside_callback

from app.export.params import AREAS_GEOJSON, FIGURES_CSV, FIGURES_XLSX, export_query
from app.i18n import N_, _, ngettext
from app.queries.headline import CARDS
from app.state import ViewState, parse_search, to_query
from components.context import OverviewContext
from components.filters import LOCATION, STATE

VIEWS = ("map", "timeseries", "card", "sources")
#: (format, label) of every download a view can offer, in the order shown. A view's bar
#: holds all of them, and the links the current state has no rows for are hidden, so a
#: change of metric can bring a link back without rebuilding the bar.
FORMATS: dict[str, tuple[tuple[str, str], ...]] = {
    "map": (("csv", "CSV"), ("xlsx", "XLSX"), ("geojson", "GeoJSON")),
    "timeseries": (("csv", "CSV"), ("xlsx", "XLSX")),
    "card": (("csv", "CSV"), ("xlsx", "XLSX")),
    "sources": (("csv", "CSV"), ("xlsx", "XLSX")),
}
#: iframe height of each embedded view (px): the view plus its footer.
EMBED_HEIGHTS = {"map": 600, "timeseries": 600, "card": 300, "sources": 480}
LINK = "nws-download"
SNIPPET = "nws-embed-snippet"
COPY = "nws-embed-copy"
COPY_STATUS = "nws-embed-copy-status"
NOTE = "nws-download-note"
PNG = "nws-png"
#: Views with a graph, and the id of that graph on the overview.
PNG_GRAPHS = {"map": "map-graph", "timeseries": "timeseries-graph"}
#: The element whose text is the chart's title on the overview (it names the areas).
PNG_TITLE_FROM = {"timeseries": "timeseries-title"}
SITE = N_("NW Syria displacement dashboard")
#: "Save as report": the view as one offline HTML file (app.web.report), on the map's bar.
REPORT = "nws-report-link"
REPORT_PATH = "/report"


def view_key(view: str, card: str | None = None) -> str:
    """Component-id key of a view ("map", "card-displaced")."""
    return f"{view}-{card}" if view == "card" else view


def _split_key(key: str) -> tuple[str, str | None]:
    view, _sep, card = key.partition("-")
    return view, card or None


def download_links(
    view: str, state: ViewState, card: str | None = None
) -> list[tuple[str, str, str]]:
    """(format, label, href) of the view's downloads: CSV first, GeoJSON for the map.

    The map of an area attribute (population, border distance) has no figure rows: only the
    GeoJSON holds its values. Its chart draws the dated figures of the attribute's family
    (OCHA's "population before the wave"), which export; an attribute without one
    (border distance) has no chart rows, so no figures export (it would answer 400).
    """
    base = dash.get_relative_path
    out: list[tuple[str, str, str]] = []
    vm = state.view_metric
    no_rows = vm.source == "areas" and (view == "map" or (view == "timeseries" and not vm.family))
    if not no_rows:
        query = export_query(state, view, card)
        out += [
            ("csv", "CSV", base(FIGURES_CSV) + query),
            ("xlsx", "XLSX", base(FIGURES_XLSX) + query),
        ]
    if view == "map":
        out.append(("geojson", "GeoJSON", base(AREAS_GEOJSON) + export_query(state, "geojson")))
    return out


def report_href(state: ViewState) -> str:
    """``/report`` + the view's own query (the overview's parameters, app.state)."""
    return dash.get_relative_path(REPORT_PATH) + to_query(state)


def report_link(key: str, state: ViewState) -> html.A:
    return html.A(
        _("Save as report"),
        href=dash.get_relative_path(REPORT_PATH) + to_query(state),
        download="",
        className="nws-report-link",
        id={"type": REPORT, "view": key},
        title=_(
            "Save this view as one HTML file that opens offline: cards, map, chart, "
            "the figures behind them and their sources"
        ),
    )


def no_download_note(view: str, links: list[tuple[str, str, str]]) -> str:
    """Why a bar has no download link (empty when it has one)."""
    if links:
        return ""
    if view == "timeseries":
        return _(
            "No dated figures to download for a fixed property of each area: "
            "the map's GeoJSON holds its values."
        )
    return _("No dated figures to download for a fixed property of each area: nothing to export.")


def link_updates(
    state: ViewState, link_ids: list[dict], note_ids: list[dict]
) -> tuple[list[str], list[bool], list[str]]:
    """For the bars on a page (their link and note ids): each link's href and whether it is
    hidden, and each bar's note, for ``state``."""
    offered = {}
    for key in {i["view"] for i in [*link_ids, *note_ids]}:
        view, card = _split_key(key)
        offered[key] = download_links(view, state, card)
    hrefs, hidden = [], []
    for link in link_ids:
        found = {fmt: h for fmt, _label, h in offered[link["view"]]}
        hrefs.append(found.get(link["format"], ""))
        hidden.append(link["format"] not in found)
    notes = [no_download_note(_split_key(n["view"])[0], offered[n["view"]]) for n in note_ids]
    return hrefs, hidden, notes


def embed_path(view: str, state: ViewState, card: str | None = None) -> str:
    """``/embed/<view>`` with the state's query (and ``card=``) under the app's base path."""
    query = to_query(state)
    if view == "card":
        query += ("&" if query else "?") + urlencode({"card": card or next(iter(CARDS))})
    return dash.get_relative_path(f"/embed/{view}") + query


#: The lines a report needs to size the frame to its content (see assets/embed.js, which
#: posts the height). They take a message only from the dashboard's origin and from this
#: very frame, and only ever set a height, in pixels, between 50 and 20,000.
RESIZE_SCRIPT = """<script>
(function () {{
  var frame = document.getElementById("{frame_id}");
  window.addEventListener("message", function (event) {{
    if (!frame || event.origin !== "{origin}" || event.source !== frame.contentWindow) return;
    var msg = event.data;
    if (!msg || msg.type !== "nws-embed-height") return;
    var height = Number(msg.height);
    if (isFinite(height) && height >= 50 && height <= 20000) frame.style.height = Math.ceil(height) + "px";
  }});
}})();
</script>"""


def frame_id(view: str, src: str) -> str:
    """An id for the snippet's iframe, unique per view and URL (two embeds on one report)."""
    return f"nws-embed-{view}-" + hashlib.sha1(src.encode()).hexdigest()[:8]


def embed_snippet(
    origin: str, view: str, state: ViewState, card: str | None = None, title: str = ""
) -> str:
    """The ``<iframe>`` a report pastes (absolute URL: the report lives elsewhere), and the
    few lines of script that make it grow and shrink to its content (:data:`RESIZE_SCRIPT`).

    The frame starts at :data:`EMBED_HEIGHTS` (what it shows with scripts blocked), 100% of
    the column's width. Without an origin (before the page knows its own URL) the snippet is
    the frame alone: a check against an unknown origin would never let a height through.
    """
    src = origin.rstrip("/") + embed_path(view, state, card)
    label = title or _title(view, state, card)
    fid = frame_id(view, src)
    frame = (
        f'<iframe id="{fid}" src="{html_text.escape(src)}" width="100%" '
        f'height="{EMBED_HEIGHTS[view]}" title="{html_text.escape(label)}" '
        f'loading="lazy" style="border:0;width:100%;max-width:100%"></iframe>'
    )
    if not origin:
        return frame
    return frame + "\n" + RESIZE_SCRIPT.format(frame_id=fid, origin=origin.rstrip("/"))


def place_name(ctx: OverviewContext, state: ViewState) -> str:
    """What a view's title says it shows: the one selected area (its gazetteer name, Arabic
    in the Arabic interface), else north-west Syria."""
    if len(state.areas) != 1:
        return _("North-west Syria")
    from app.i18n import current
    from app.queries.areas import arabic_name, area_names

    areas = ctx.bundle.areas
    if current().lang == "ar":
        name = arabic_name(areas, state.areas[0])
        if name:
            return name
    return area_names(areas, [state.areas[0]])[0]


def _title(view: str, state: ViewState, card: str | None, place: str | None = None) -> str:
    """A view's title for its PNG and its embed frame: "Idleb: Civilians killed" when one
    area is selected, "North-west Syria: ..." otherwise."""
    place = place or _("North-west Syria")
    if view == "card":
        return _("{place}: {title}").format(
            place=place, title=_(CARDS[card or next(iter(CARDS))]["title"])
        )
    what = {"map": _("map"), "timeseries": _("time series"), "sources": _("sources")}[view]
    return _("{place}: {metric} ({view})").format(
        place=place, metric=_(state.view_metric.label), view=what
    )


def png_name(view: str, state: ViewState) -> str:
    """File name of a view's PNG: ``nw-syria-map-level-2_area-SY07.png`` (the query, in
    characters any file system takes)."""
    query = to_query(state).lstrip("?")
    slug = "".join(c if c.isalnum() or c in "-_," else "-" for c in query.replace("&", "_"))
    return f"nw-syria-{view}" + (f"-{slug[:120]}" if slug else "") + ".png"


def png_footer(publishers: tuple[str, ...], as_of: str, max_named: int = 4) -> str:
    """The image's source line: publishers (the first ``max_named``), as of when, and the
    dashboard's name."""
    named = "; ".join(publishers[:max_named])
    more = len(publishers) - max_named
    if not named:
        source = _("Source: no figures drawn")
    elif more > 0:
        from app import format as fmt

        source = ngettext(
            "Source: {publishers} and {n} more", "Source: {publishers} and {n} more", more
        ).format(publishers=named, n=fmt.number(more))
    else:
        source = _("Source: {publishers}").format(publishers=named)
    return " · ".join([source, as_of, _(SITE)])


def png_labels(ctx: OverviewContext, view: str, state: ViewState) -> dict[str, str]:
    """``data-*`` of a view's PNG button: title, footer and file name for ``state``."""
    from app.pages.embed import view_facts  # the embed's footer says the same

    publishers, as_of = view_facts(ctx, state, view)
    return {
        "data-title": _title(view, state, None, place_name(ctx, state)),
        "data-footer": png_footer(publishers, as_of),
        "data-filename": png_name(view, state),
    }


def png_button(
    view: str, labels: dict[str, str], graph: str, title_from: str = "", fixed: bool = False
) -> html.Button:
    """The "Download PNG" button of the graph ``graph`` (its id); ``title_from``: the id of
    an element whose text is a better title than ``labels``' (read when clicked).
    ``fixed``: a page without callbacks (an embed), whose button no callback updates."""
    return html.Button(
        "PNG",
        id=f"{PNG}-{view}" if fixed else {"type": PNG, "view": view},
        n_clicks=0,
        type="button",
        className="nws-png",
        title=_("Download this view as a PNG image, with its title and sources"),
        **{"data-graph": graph, "data-title-from": title_from, **labels},
    )


def origin_of(href: str | None) -> str:
    """``scheme://host:port`` of the page's own URL ("" when unknown)."""
    parts = urlsplit(href or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def download_bar(
    view: str,
    state: ViewState,
    card: str | None = None,
    png: dict[str, str] | None = None,
) -> html.Div:
    """Download links and the embed snippet of one view (ids keyed by :func:`view_key`);
    with ``png`` (:func:`png_labels`), a "Download PNG" button of the view's graph."""
    key = view_key(view, card)
    offered = download_links(view, state, card)
    hrefs = {fmt: href for fmt, _label, href in offered}
    links = [
        html.A(
            label,
            href=hrefs.get(fmt, ""),
            hidden=fmt not in hrefs,
            download="",
            className="nws-download-link",
            id={"type": LINK, "view": key, "format": fmt},
            title=_("Download the rows behind this view as {format}").format(format=label),
        )
        for fmt, label in FORMATS[view]
    ]
    if png is not None and view in PNG_GRAPHS:
        links.append(png_button(key, png, PNG_GRAPHS[view], PNG_TITLE_FROM.get(view, "")))
    return html.Div(
        [
            html.Span(_("Download:"), className="nws-download-label"),
            *links,
            *([report_link(key, state)] if view == "map" else []),
            html.Span(
                no_download_note(view, offered),
                id={"type": NOTE, "view": key},
                className="nws-download-note",
            ),
            html.Button(
                _("Copy embed code"),
                id={"type": COPY, "view": key},
                n_clicks=0,
                className="nws-embed-copy",
                type="button",
            ),
            html.Span(
                "",
                id={"type": COPY_STATUS, "view": key},
                className="nws-embed-status",
                role="status",
            ),
            html.Details(
                [
                    html.Summary(_("Embed code")),
                    html.Pre(
                        embed_snippet("", view, state, card),
                        id={"type": SNIPPET, "view": key},
                        className="nws-embed-snippet",
                    ),
                ],
                className="nws-embed-details",
            ),
        ],
        className="nws-downloads",
        **{"data-view": key},
    )


def register_callbacks(ctx: OverviewContext) -> None:
    """Rewrite every bar's links and snippet when the view state changes.

    Registered once for the whole app by :func:`app.pages.embed.register` (a second
    registration would be a duplicate-output error): views only place :func:`download_bar`.
    Reads the dashboard's state store (the state's query string) and its ``dcc.Location``
    (the origin for the snippet's absolute URL).
    """
    choices = ctx.choices

    @callback(
        Output({"type": LINK, "view": ALL, "format": ALL}, "href"),
        Output({"type": LINK, "view": ALL, "format": ALL}, "hidden"),
        Output({"type": NOTE, "view": ALL}, "children"),
        Output({"type": SNIPPET, "view": ALL}, "children"),
        Output({"type": PNG, "view": ALL}, "data-title"),
        Output({"type": PNG, "view": ALL}, "data-footer"),
        Output({"type": PNG, "view": ALL}, "data-filename"),
        Input(STATE, "data"),
        Input(LOCATION, "href"),
        State({"type": LINK, "view": ALL, "format": ALL}, "id"),
        State({"type": NOTE, "view": ALL}, "id"),
        State({"type": SNIPPET, "view": ALL}, "id"),
        State({"type": PNG, "view": ALL}, "id"),
    )
    def update_downloads(query, href, link_ids, note_ids, snippet_ids, png_ids):  # type: ignore[no-untyped-def]
        state, _notices = parse_search(query, choices)
        hrefs, hidden, notes = link_updates(state, link_ids, note_ids)
        origin = origin_of(href)
        snippets = []
        for snippet in snippet_ids:
            view, card = _split_key(snippet["view"])
            snippets.append(embed_snippet(origin, view, state, card,
                                          title=_title(view, state, card, place_name(ctx, state))))  # fmt: skip
        pngs = [png_labels(ctx, p["view"], state) for p in png_ids]
        return (
            hrefs,
            hidden,
            notes,
            snippets,
            [p["data-title"] for p in pngs],
            [p["data-footer"] for p in pngs],
            [p["data-filename"] for p in pngs],
        )

    @callback(
        Output({"type": REPORT, "view": ALL}, "href"),
        Input(STATE, "data"),
        State({"type": REPORT, "view": ALL}, "id"),
        prevent_initial_call=True,
    )
    def update_report_links(query, ids):  # type: ignore[no-untyped-def]
        state, _notices = parse_search(query, choices)
        return [report_href(state) for _id in ids]

    dash_clientside_callback(
        ClientsideFunction(namespace="nws", function_name="copyEmbed"),
        Output({"type": COPY_STATUS, "view": MATCH}, "children"),
        Input({"type": COPY, "view": MATCH}, "n_clicks"),
        State({"type": SNIPPET, "view": MATCH}, "children"),
        prevent_initial_call=True,
    )
