"""The one-file report of a view: an HTML string that opens from disk, offline, and stays live.

"Save as report" (``/report?<the view's parameters>``, :mod:`app.web.report`) answers this
file. Everything it needs is inside it: our partial plotly.js, the map's geometry, the
figures' JSON, the cards, the table of the figures behind the views, the sources and the
attribution. A strict Content-Security-Policy in the file itself (``default-src 'none'``)
keeps a browser from fetching anything, so a report read in the field years later shows
what it showed the day it was made, or nothing, never something else.

Pure: the caller hands over what the dashboard's own queries and figure builders made
(:class:`ReportContent`) and the plotly.js source text; no file, no request, no Dash.
Every text that comes from data is escaped (``html.escape``) and written as text, never
as markup; only http(s) URLs become links (:func:`app.normalise.urls.http_url`). The JSON
inside ``<script>`` has ``<``, ``>`` and ``&`` escaped, so no value can close the element.

The words are in the language of the request (:func:`app.i18n.current`): in Arabic the file
is ``<html lang="ar" dir="rtl">`` and reads right to left, with numbers, dates, P-codes and
URLs isolated; publishers' and documents' names stay as published, and the plots keep time
running left to right.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

import pandas as pd
from plotly.utils import PlotlyJSONEncoder

from app import format as fmt
from app.i18n import N_, _, current, ngettext, translate
from app.normalise.urls import http_url
from app.queries.cards import CardData

#: The most a report may weigh (issue 13: "at most 2 MB").
MAX_BYTES = 2 * 1024 * 1024
#: Rows of the figures table written into the file; the rest are named, with the CSV link.
MAX_TABLE_ROWS = 1500
TITLE = N_("North-west Syria: displacement, casualties and risk")
#: Nothing is fetched: scripts and styles are inline, images only ``data:``.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
)
#: Where the figures table goes once the rest of the page is weighed.
TABLE = "<!--nws-report-table-->"
#: The empty base-map topology plotly.js asks for before it draws a ``choropleth``
#: (assets/plotly_geo_assets.js): given here so it never fetches ``world_110m.json``.
EMPTY_TOPOLOGY = {"type": "Topology", "objects": {}, "arcs": []}


class ReportTooLarge(ValueError):
    """The report would be over :data:`MAX_BYTES`: it says by how much, never truncates."""


@dataclass(frozen=True)
class SourceDoc:
    """A document behind the view's figures (as on the sources embed)."""

    publisher: str
    document: str
    url: object
    n: int
    first: object
    last: object
    published: object = None
    mirror: str | None = None  # "docslib.org" when the link is a copy (components.links)


@dataclass(frozen=True)
class ReportContent:
    """What a report holds, made by the dashboard's queries and builders for one view."""

    filters: str  # the filters in words (components.print_header.filter_words)
    as_of: str  # as_of_words
    made_at: datetime
    url: str  # the URL the report was made from
    cards: Sequence[CardData]
    map_figure: dict  # as dcc.Graph takes it; choropleths name geometry by URL
    map_notes: Sequence[str]
    chart_title: str
    chart_figure: dict
    chart_caption: str
    #: geometry URL (as in the map's traces) -> GeoJSON object
    geometry: dict[str, Any]
    #: the figures behind the views (export columns); the file names them all
    table: pd.DataFrame
    #: (label, URL) of the CSV exports that hold every row of the table
    csv_links: Sequence[tuple[str, str]] = ()
    sources: Sequence[SourceDoc] = ()
    attribution: Sequence[str] = ()  # the dashboard's lines (components.shell.ATTRIBUTION)
    #: the data package's own attribution of each resource (app.export.datapackage)
    package_attribution: Sequence[str] = ()
    licences: Sequence[str] = ()
    notices: Sequence[str] = ()
    map_config: dict = field(default_factory=dict)
    chart_config: dict = field(default_factory=dict)


def text(value: object) -> str:
    """A value from data, as HTML text (missing: empty)."""
    return "" if fmt.is_missing(value) else escape(str(value), quote=True)


def link(label: object, url: object, mirror: str | None = None) -> str:
    """``label`` linked to ``url`` when it is http(s), else plain text; a mirror says so."""
    href = http_url(url)
    if href is None:
        return text(label)
    out = f'<a href="{escape(href, quote=True)}" rel="noopener noreferrer">{text(label)}</a>'
    return out + mirror_note(mirror)


def mirror_note(mirror: str | None) -> str:
    """" (copy at docslib.org)" after a link to a copy of a document (empty: none)."""
    if not mirror:
        return ""
    return " " + text(_("(copy at {host})").format(host=fmt.isolate(mirror)))


def bdi(markup: str) -> str:
    """Data written in its own script (a publisher's or document's English name) isolated
    inside Arabic text, so its words and the numbers after it keep their order."""
    return f"<bdi>{markup}</bdi>" if current().rtl and markup else markup


def script_json(value: object) -> str:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` escaped."""
    raw = json.dumps(value, cls=PlotlyJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return (
        raw.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


#: An area's card (the words of components/cards.py, for the file).
NO_AREA_FIGURE = N_("No figure reported for {area} for this card.")
FALLBACK = N_("Figure for {area} instead:")
SINGLE_DAY = N_("a single day's count, not a total")


def _sep() -> str:
    """" · " between parts of a line; the Arabic comma's list, ", ", reads the same way."""
    return " · "


def _card(c: CardData) -> str:
    """A headline card; an area's card names the area, and without a figure of its own
    shows the wider area's, named as such (components.cards says the same)."""
    head = f'<h3 class="card-label">{text(translate(c.title))}</h3>'
    if c.scope.pcode is None:
        return f'<section class="card" data-card="{text(c.key)}">{head}{_card_body(c)}</section>'
    head += f'<p class="meta scope">{text(c.scope.label)}</p>'
    fb = c.fallback
    no_figure = _(NO_AREA_FIGURE).format(area=c.scope.label)
    if c.figure is not None or fb is None or fb.figure is None:
        body = _card_body(c, no_figure)
    else:
        body = (
            f'<p class="empty">{text(no_figure)}</p>'
            + '<p class="fallback">'
            + text(_(FALLBACK).format(area=fb.scope.label))
            + "</p>"
            + _card_body(fb)
        )
    return f'<section class="card" data-card="{text(c.key)}">{head}{body}</section>'


def _card_body(c: CardData, empty: str = "") -> str:
    f = c.figure
    rule = text(translate(c.rule))
    if f is None:
        if not empty:
            empty = (
                _("No figure known by {date}.").format(date=fmt.day(c.as_of))
                if c.as_of is not None
                else _("No figure known.")
            )
        return f'<p class="empty">{text(empty)}</p><p class="rule">{rule}</p>'
    q = fmt.qualifier_text(f["qualifier"])
    rng = fmt.value_range(f["low"], f["high"])
    dates = text(fmt.period(f.get("period_start"), f["period_end"]))
    if not fmt.is_missing(f.get("published_date")):
        dates += _sep() + text(_("published {date}").format(date=fmt.day(f["published_date"])))
    if c.as_of is not None:
        dates += _sep() + text(_("as known on {date}").format(date=fmt.day(c.as_of)))
    single = ' <span class="range">(' + text(_(SINGLE_DAY)) + ")</span>" if c.single_day else ""
    # (no _() inside an f-string: Babel's extractor would not see it)
    chosen = text(_("How this figure was chosen"))
    rng_text = f"({rng})" if rng else _("(exact as published)")
    return (
        '<div class="figure">'
        + (f'<span class="qualifier">{text(q)}</span> ' if q else "")
        + f'<span class="card-value">{text(fmt.number(f["value"]))}</span> '
        f'<span class="range">{text(rng_text)}</span>'
        f"{single}</div>"
        f'<div class="meta"><span class="publisher">{bdi(text(f["publisher"]))}</span> · '
        f"{bdi(link(f['document'], f.get('url')))}</div>"
        f'<div class="meta dates">{dates}</div>'
        f"<details><summary>{chosen}</summary><p>{rule}</p></details>"
    )


#: (heading, function of a row -> HTML) of the figures table.
def _metric(metric: object) -> str:
    """The metric's id, as in the exports; in another language its label there."""
    if current().lang == "en" or fmt.is_missing(metric):
        return "" if fmt.is_missing(metric) else str(metric)
    from app.vocab import metric_label

    return metric_label(str(metric))


def _area(r: dict) -> str:
    """The area's name (Arabic from the gazetteer in the Arabic file) and its P-code."""
    arabic = current().lang == "ar"
    for level in ("3", "2", "1"):
        name = r.get(f"ADM{level}_AR") if arabic else None
        if fmt.is_missing(name):
            name = r.get(f"ADM{level}_EN")
        if not fmt.is_missing(name):
            pcode = r.get("area_pcode")
            return text(name) + (f" ({text(fmt.isolate(str(pcode)))})" if pcode else "")
    return text(r.get("area_as_written") or r.get("region"))


COLUMNS: tuple[tuple[str, Any], ...] = (
    (N_("Metric"), lambda r: text(_metric(r.get("metric")))),
    (N_("Area"), _area),
    (N_("Figure"), lambda r: text(fmt.figure_text(r["value"], r["qualifier"], r["low"], r["high"]))),
    (N_("Period"), lambda r: text(fmt.period(r.get("period_start"), r.get("period_end")))),
    (N_("Publisher"), lambda r: text(r.get("publisher"))),
    (N_("Document"), lambda r: link(r.get("document"), r.get("url"))),
    (N_("Published"), lambda r: text(fmt.day(r.get("published_date")))),
    (N_("Figure id"), lambda r: text(r.get("figure_id"))),
)


def _table(rows: pd.DataFrame, csv_links: Sequence[tuple[str, str]], budget: int) -> str:
    """The figures table in at most ``budget`` bytes (and :data:`MAX_TABLE_ROWS` rows):
    rows that do not fit are counted in a note with the CSV link, never dropped silently."""
    n = len(rows)
    if n == 0:
        return '<p class="empty">' + text(_("No figures behind these views.")) + "</p>"
    head = "".join(f"<th>{text(translate(h))}</th>" for h, _cell in COLUMNS)
    start = f'<table id="figures-table"><thead><tr>{head}</tr></thead><tbody>'
    end = "</tbody></table>"
    left = budget - len(start) - len(end) - 400  # the note
    body: list[str] = []
    for r in rows.iloc[:MAX_TABLE_ROWS].to_dict("records"):
        row = "<tr>" + "".join(f"<td>{cell(r)}</td>" for _head, cell in COLUMNS) + "</tr>"
        left -= len(row.encode("utf-8"))
        if left < 0:
            break
        body.append(row)
    out = start + "".join(body) + end
    if n > len(body):
        left_out = n - len(body)
        more = text(
            ngettext(
                "{n} more row is not written in this file (it stays under 2 MB)",
                "{n} more rows are not written in this file (it stays under 2 MB)",
                left_out,
            ).format(n=fmt.number(left_out))
        )
        found = [link(translate(label), url) for label, url in csv_links if http_url(url)]
        where = ""
        if found:  # the template is escaped first, then the links (HTML) go in
            where = text(_(": all {total} are in the CSV exports of {links}")).format(
                total=text(fmt.number(n)), links=text(_(" and ")).join(found)
            )
        out += f'<p class="note" id="table-more">{more}{where}.</p>'
    return out


def _sources(docs: Sequence[SourceDoc]) -> str:
    if not docs:
        return '<p class="empty">' + text(_("No figures with these filters.")) + "</p>"
    items = []
    comma = "، " if current().lang == "ar" else ", "  # the script's comma
    for d in docs:
        dates = fmt.day(d.last) if d.first == d.last else f"{fmt.day(d.first)} – {fmt.day(d.last)}"
        extra = " · " + ngettext("{n} figure", "{n} figures", d.n).format(n=fmt.number(d.n))
        extra += (comma + dates) if dates else ""
        if not fmt.is_missing(d.published):
            extra += comma + _("published {date}").format(date=fmt.day(d.published))
        items.append(
            f"<li><strong>{bdi(text(d.publisher))}</strong>: {bdi(link(d.document, d.url))}{mirror_note(d.mirror)}"
            f'<span class="muted">{text(extra)}</span></li>'
        )
    return f'<ul id="sources">{"".join(items)}</ul>'


STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;
margin:0 auto;max-width:1200px;padding:16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:20px 0 6px}
h3{font-size:14px;margin:0 0 4px;text-transform:uppercase;color:#52606d}
.where,.muted,.note{color:#52606d;font-size:12px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px}
.card{border:1px solid #d9e2ec;border-radius:6px;padding:10px 12px}
.card-value{font-size:26px;font-weight:700}.qualifier,.range{color:#52606d}
.meta{font-size:12px;margin-top:4px}.plot{width:100%;height:440px}
table{border-collapse:collapse;width:100%;font-size:12px}
th,td{border-bottom:1px solid #e4e7eb;padding:3px 6px;text-align:start;vertical-align:top}
th{background:#f5f7fa;position:sticky;top:0}.notice{color:#8d2b0b}
footer{margin-top:24px;border-top:1px solid #d9e2ec;font-size:12px;color:#52606d}
@media print{.plot{break-inside:avoid}}
[dir=rtl] body{font-family:"Noto Sans Arabic","Noto Naskh Arabic",Tahoma,system-ui,sans-serif}
[dir=rtl] h3{text-transform:none}.plot{direction:ltr}
[dir=rtl] #figures-table td:nth-child(3){white-space:nowrap}
"""

#: Figure data (map, chart, geometry) over this many bytes is written gzipped (base64):
#: the chart of a weekly series of events (the bundle's people killed: about 350 KB of
#: JSON) would leave the file a few KB under its 2 MB.
PACK_OVER = 200_000

#: Runs after plotly.js: the data (unpacked in the browser when packed: DecompressionStream,
#: no request), geometry URLs -> the embedded objects, then the two plots.
BOOT = """
(function () {
  "use strict";
  var el = document.getElementById("report-data");
  function load() {
    if (el.getAttribute("data-encoding") !== "gzip+base64") {
      return Promise.resolve(JSON.parse(el.textContent));
    }
    var bin = atob(el.textContent.trim()), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }
  function say(text) {
    ["report-map", "report-chart"].forEach(function (id) {
      document.getElementById(id).textContent = text;
    });
  }
  var ready;
  try { ready = load(); } catch (e) { ready = Promise.reject(e); }
  ready.then(draw, function () {
    say(el.getAttribute("data-cannot-unpack"));
  });
  function draw(d) {
  function inline(fig) {
    fig.data.forEach(function (t) {
      if (typeof t.geojson === "string" && d.geometry[t.geojson]) t.geojson = d.geometry[t.geojson];
    });
    return fig;
  }
  var map = inline(d.map), chart = d.chart;
  Plotly.newPlot("report-map", map.data, map.layout, d.mapConfig);
  Plotly.newPlot("report-chart", chart.data, chart.layout, d.chartConfig);
  }
})();
"""

_GEO_ASSETS = (
    "window.PlotlyGeoAssets={topojson:{world_110m:"
    + json.dumps(EMPTY_TOPOLOGY, separators=(",", ":"))
    + "}};"
)


def _config(config: dict) -> dict:
    """The graphs' config for a file: nothing to fetch, no logo, responsive."""
    out = {k: v for k, v in config.items() if k != "topojsonURL"}
    return {"displaylogo": False, "responsive": True, **out, "topojsonURL": ""}


def _fit(fig: dict) -> dict:
    """A figure drawn into a div of the report's width: no fixed height from the page."""
    layout = {k: v for k, v in fig.get("layout", {}).items() if k not in ("width",)}
    layout.setdefault("height", 440)
    return {"data": fig.get("data", []), "layout": layout}


def _data_script(data: dict) -> str:
    """The figures' data as JSON in a ``<script>``; over :data:`PACK_OVER` bytes, gzipped
    (deterministic: no time stamp) and in base64, for the page to unpack."""
    raw = script_json(data)
    if len(raw.encode("utf-8")) <= PACK_OVER:
        return f'<script type="application/json" id="report-data">{raw}</script>'
    packed = base64.b64encode(gzip.compress(raw.encode("utf-8"), mtime=0)).decode("ascii")
    cannot = _(
        "This browser cannot unpack the map and chart of this report (it needs "
        "DecompressionStream: Chrome 80, Firefox 113, Safari 16.4 or later). "
        "The figures are in the table below."
    )
    return (
        f'<script type="application/octet-stream" id="report-data" '
        f'data-cannot-unpack="{text(cannot)}" data-encoding="gzip+base64">{packed}</script>'
    )


def report_html(c: ReportContent, plotly_js: str) -> str:
    """The report of ``c`` as one HTML document (with ``plotly_js`` inline).

    Raises :class:`ReportTooLarge` when it would weigh more than :data:`MAX_BYTES`.
    """
    if "</script" in plotly_js.lower():
        raise ValueError("the plotly.js text holds '</script': it cannot be inlined as is")
    data = {
        "map": _fit(c.map_figure),
        "chart": _fit(c.chart_figure),
        "geometry": c.geometry,
        "mapConfig": _config(c.map_config),
        "chartConfig": _config(c.chart_config),
    }
    lang = current()
    if lang.lang == "en":
        made = c.made_at.strftime("%d %b %Y %H:%M UTC")
    else:  # the day in words of the language, the time isolated (Western digits, as UTC)
        made = fmt.day(c.made_at) + " " + fmt.isolate(c.made_at.strftime("%H:%M UTC"))
    ignored = text(_("Ignored in the link: "))
    notices = "".join(f'<p class="notice">{ignored}{text(n)}</p>' for n in c.notices)
    where = link(c.url, c.url)
    if lang.rtl:  # the URL keeps its own order inside the Arabic sentence
        where = f"<bdi dir=\"ltr\">{where}</bdi>"
    title = text(translate(TITLE))
    made_at = f'<time datetime="{c.made_at.isoformat()}">{text(made)}</time>'
    made_line = text(
        _(
            "Report made on {date} from {url}. It opens offline: everything it shows is in "
            "this file."
        )
    ).format(date=made_at, url=where)
    separator = "؛ " if lang.lang == "ar" else "; "  # the script's semicolon
    # the page's words (never _() inside an f-string: Babel's extractor would not see it)
    words = {
        "page": _("{title}: report").format(title=translate(TITLE)),
        "filters": _("Filters: {filters}").format(filters=c.filters),
        "headline": _("Headline figures"),
        "map": _("Map"),
        "sources": _("Sources"),
        "attribution": _("Attribution and licences"),
        "package": _("Attribution of each data file (datapackage.json)"),
        "licences": _("Licences: "),
    }
    w = {k: text(v) for k, v in words.items()}
    auto = ' dir="auto"' if lang.rtl else ""  # attribution lines are data, in their script
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang.lang}" dir="{lang.dir}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{w['page']}</title>",
        f"<style>{STYLE}</style></head><body>",
        f'<header><h1>{title}</h1><p id="filters">{w["filters"]}</p>',
        f'<p id="as-of">{text(c.as_of)}</p>',
        f'<p class="where" id="made">{made_line}</p>',
        notices,
        "</header>",
        f'<h2>{w["headline"]}</h2><div class="cards" id="cards">'
        f"{''.join(_card(x) for x in c.cards)}</div>",
        f'<h2>{w["map"]}</h2><div id="report-map" class="plot"></div>',
        f'<p class="note" id="map-notes">{" · ".join(text(n) for n in c.map_notes)}</p>',
        f'<h2 id="chart-title">{text(c.chart_title)}</h2>',
        '<div id="report-chart" class="plot"></div>',
        f'<p class="note">{text(c.chart_caption)}</p>',
        "<h2>"
        + text(_("Figures behind these views ({n})").format(n=fmt.number(len(c.table))))
        + "</h2>",
        TABLE,
        f'<h2>{w["sources"]}</h2>',
        _sources(c.sources),
        f'<footer id="attribution"><h2>{w["attribution"]}</h2>',
        "".join(f"<p{auto}>{text(a)}</p>" for a in c.attribution),
        (
            f"<h3>{w['package']}</h3><ul>"
            + "".join(f"<li{auto}>{text(a)}</li>" for a in c.package_attribution)
            + "</ul>"
        )
        if c.package_attribution
        else "",
        (
            f"<p>{w['licences']}"
            + separator.join(bdi(text(x)) for x in c.licences)
            + "</p>"
        )
        if c.licences
        else "",
        "</footer>",
        f"<script>{_GEO_ASSETS}</script>",
        f"<script>{plotly_js}</script>",
        _data_script(data),
        f"<script>{BOOT}</script>",
        "</body></html>",
    ]
    page = "\n".join(parts)
    budget = MAX_BYTES - len(page.encode("utf-8")) - len(TABLE)
    out = page.replace(TABLE, _table(c.table, c.csv_links, budget), 1)
    size = len(out.encode("utf-8"))
    if size > MAX_BYTES:
        raise ReportTooLarge(
            _(
                "the report would weigh {size} bytes, over the {limit} allowed: "
                "narrow the view (areas, dates, publishers)"
            ).format(size=fmt.number(size), limit=fmt.number(MAX_BYTES))
        )
    return out
