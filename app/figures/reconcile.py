"""The reconciliation timeline: one lane per publisher, every figure with its range.

Pure builder (Reconciliation -> go.Figure), unit-tested on traces. Lanes share one value
axis, so a lane's figures can be compared with another's by eye; each point carries error
bars from its qualifier's range (low-high), a flow is drawn as a segment across its
period, and a figure that contradicts another is ringed in red, with a red band over the
days the two contradicting figures span. Flags from the consistency checks are in the hover
and mark the point with a flag symbol.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from app import format as fmt
from app.figures import style
from app.figures.chart_hover import wrap
from app.i18n import _, current, ngettext
from app.queries.publishers_ar import publisher_shown
from app.queries.reconcile import Reconciliation, kind_word, known_date_text, status_text
from app.tables.records import records as to_records
from app.vocab import Kind, metric_label

CONTRADICTION = "#c0392b"
DIFFERENT = "#7f8c8d"
SYMBOLS = {
    Kind.CUMULATIVE.value: "circle",
    Kind.FLOW.value: "square",
    Kind.STOCK.value: "diamond",
    Kind.PROJECTION.value: "star",
    Kind.OTHER.value: "x",
    Kind.INDEX.value: "triangle-up",
}
LANE_HEIGHT = 120


def _compact(v: float) -> str:
    """ "800K", "1.8K", "299" (Arabic: "800 ألف"): a label short enough to sit above a point."""
    return fmt.compact(v)


def _hover(r: dict, flags: list[str]) -> str:
    t = style.text  # every piece of file text is escaped; the markup here is ours
    iso = fmt.isolate  # text of the data keeps its own direction inside Arabic lines
    lines = [
        f"<b>{t(publisher_shown(r['publisher']))}</b>",
        _("{metric} ({kind}): {figure}").format(
            metric=t(metric_label(r["metric"])), kind=t(kind_word(r["kind"])),
            figure="<b>" + t(fmt.figure_text(r["value"], r.get("qualifier"), r["low"],
                                             r["high"])) + "</b>",
        ),
        _("Period: {period}").format(period=t(fmt.period(r.get("period_start"),
                                                         r.get("period_end")))),
        _("Area: {area}").format(area=t(iso(str(r.get("area_as_written") or "")))),
        _("Document: {document}").format(document=_wrap(t(iso(str(r["document"]))))),
        _("When known: {when}").format(when=t(known_date_text(r))),
        _("Status: {status}").format(status="<b>" + t(status_text(r["status"])) + "</b>"),
    ]  # fmt: skip
    for line in list(r.get("reasons") or ())[:4]:
        lines.append("· " + _wrap(t(line)))
    if len(r.get("reasons") or ()) > 4:
        n = len(r["reasons"]) - 4
        lines.append("· … " + ngettext("{n} more in the table below",
                                       "{n} more in the table below", n).format(n=fmt.number(n)))  # fmt: skip
    lines += [_wrap(t(f)) for f in flags]
    return "<br>".join(lines)


def _wrap(text: str) -> str:
    """A long line broken for the hover box (reconcile's boxes are wider: 90 characters)."""
    return wrap(text, 90)


def reconcile_figure(
    rec: Reconciliation,
    priority: list[str],
    flags: dict[str, list[str]] | None = None,
    x_range: tuple[object, object] | None = None,
    log_y: bool = False,
) -> go.Figure:
    """One subplot row per lane (publisher family), value axes shared (see module doc).

    ``flags``: figure id -> flag messages (from ``checks.messages_for``), shown in hovers.
    Each trace's ``meta`` holds its lane, metric and the figure ids of its points.
    """
    return style.figure(*_reconcile(rec, priority, flags, x_range, log_y))


def reconcile_figure_dict(
    rec: Reconciliation,
    priority: list[str],
    flags: dict[str, list[str]] | None = None,
    x_range: tuple[object, object] | None = None,
    log_y: bool = False,
) -> dict:
    """:func:`reconcile_figure` as the JSON-ready dict Dash sends (no ``go.Figure`` built;
    see :func:`app.figures.style.figure_dict`), for callbacks."""
    return style.figure_dict(*_reconcile(rec, priority, flags, x_range, log_y))


def _reconcile(
    rec: Reconciliation,
    priority: list[str],
    flags: dict[str, list[str]] | None,
    x_range: tuple[object, object] | None,
    log_y: bool,
) -> tuple[list[dict], dict]:
    """Traces and layout of the timeline as plain dicts (built without validation: with
    make_subplots, add_trace and update_*axes a dozen lanes took seconds)."""
    df = rec.figures
    flags = flags or {}
    if df.empty:
        return _empty(
            _("No figure for this selection known on {day}.").format(day=fmt.day(rec.as_of))
            if rec.as_of is not None
            else _("No figure for this selection.")
        )
    records = to_records(df)  # performance: once, then grouped in Python
    lanes = list(dict.fromkeys(r["lane"] for r in records))
    n = len(lanes)
    gap = min(0.06, 0.5 / n)
    height = (1 - gap * (n - 1)) / n
    traces: list[dict] = []
    layout: dict = {}
    # one value scale for every lane, so figures in different lanes compare by eye: the same
    # explicit range on each y axis (y ``matches`` across many stacked rows stops autorange
    # in plotly.js 4.1: every lane then reads 0-4). The x axes all match the bottom one.
    y_axis = {
        "tickformat": fmt.axis_number_format(),
        "gridcolor": style.GRID,
        "zeroline": True,
        "zerolinecolor": "#c5ccd3",
        "type": "log" if log_y else "linear",
        "range": value_range(df, log_y),
    }
    x_axis: dict = {
        "type": "date",
        "gridcolor": style.GRID,
        "showspikes": True,
        "spikemode": "across",
        "spikethickness": 1,
        "spikecolor": "#9aa5b1",
    }
    if x_range is not None and all(v is not None for v in x_range):
        x_axis["range"] = [pd.Timestamp(x_range[0]), pd.Timestamp(x_range[1])]
    titles = []
    rtl = current().rtl  # lane names at the start of the line: right in Arabic (time still
    # runs left to right, as in Arabic print)
    for i, lane in enumerate(lanes, start=1):
        top = 1 - (i - 1) * (height + gap)
        k = "" if i == 1 else str(i)
        layout[f"yaxis{k}"] = {**y_axis, "domain": [max(top - height, 0.0), top], "anchor": f"x{k}"}
        layout[f"xaxis{k}"] = {
            **x_axis,
            "anchor": f"y{k}",
            "showticklabels": i == n,
            **({"matches": f"x{n}"} if i < n else {}),
        }
        titles.append(
            {
                "text": style.text(publisher_shown(lane)),
                "x": 1 if rtl else 0,
                "xref": "paper",
                "xanchor": "right" if rtl else "left",
                "y": top,
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12, "color": style.TEXT},
            }
        )
        by_metric: dict[object, list[dict]] = {}  # groupby("metric", sort=False)
        for r in records:
            if r["lane"] == lane:
                by_metric.setdefault(r["metric"], []).append(r)
        unlabelled = _hidden_labels(by_metric.values())
        for metric, g in by_metric.items():
            for t in _metric_traces(g, str(metric), lane, priority, flags, unlabelled):
                traces.append({**t, "xaxis": f"x{k}", "yaxis": f"y{k}"})
    # a red band over the days each contradiction spans, through every lane (one paper-high
    # shape per pair on the shared x axis)
    xs = dict(zip(df["figure_id"], df["x"], strict=True))
    bands = [
        {
            "type": "rect",
            "xref": f"x{n if n > 1 else ''}",
            "yref": "paper",
            "y0": 0,
            "y1": 1,
            "x0": min(xs[p["a_id"]], xs[p["b_id"]]) - pd.Timedelta(hours=12),
            "x1": max(xs[p["a_id"]], xs[p["b_id"]]) + pd.Timedelta(hours=12),
            "fillcolor": CONTRADICTION,
            "opacity": 0.08,
            "line": {"width": 0},
            "layer": "below",
        }
        for p in (to_records(rec.pairs) if len(rec.pairs) else [])
        if p["status"] == "contradiction"
    ]
    if bands:  # (no empty list: what a validated figure sends)
        layout["shapes"] = bands
    layout.update(
        annotations=titles,
        height=max(260, LANE_HEIGHT * n + 80),
        margin={"l": 56, "r": 10, "t": 30, "b": 36},
        font={"family": style.FONT, "color": style.TEXT, "size": 12},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        hovermode="closest",
        hoverlabel={
            "bgcolor": "#ffffff",
            "bordercolor": "#9aa5b1",
            "align": "right" if rtl else "left",
            "font": {"family": style.FONT, "size": 12, "color": style.TEXT},
        },
        showlegend=False,
        uirevision="reconcile",
    )
    return traces, layout


def value_range(df: pd.DataFrame, log_y: bool = False) -> list[float]:
    """The value axis every lane shares: zero (log: the smallest low) to the largest high,
    with room above for the value labels."""
    top = float(df["high"].max())
    if log_y:
        positive = df.loc[df["low"] > 0, "low"]
        bottom = float(positive.min()) if len(positive) else 1.0
        return [math.log10(bottom) - 0.2, math.log10(max(top, bottom)) + 0.25]
    return [0.0, top * 1.15 if top > 0 else 1.0]


def _hidden_labels(groups: Iterable[list[dict]]) -> set:
    """The figure ids of a lane whose value label is left out: on a day where the lane has
    several points, only the largest value is labelled (equal values: the first figure id).
    One dataset's weekly civilians killed and people killed, for a district and for its
    governorate, are otherwise four labels printed over each other; the hover still gives
    every figure."""
    by_day: dict[object, list[dict]] = {}
    for g in groups:
        for r in g:
            by_day.setdefault(r["x"], []).append(r)
    hidden: set = set()
    for rows in by_day.values():
        if len(rows) > 1:
            top = min(rows, key=lambda r: (-float(r["value"]), str(r["figure_id"])))
            hidden.update(r["figure_id"] for r in rows if r is not top)
    return hidden


def _metric_traces(
    g: list[dict],
    metric: str,
    lane: str,
    priority: list[str],
    flags: dict[str, list[str]],
    unlabelled: set | frozenset = frozenset(),
) -> list[dict]:
    """A lane's figures of one metric: the points (with error bars) and the flows' periods.
    ``unlabelled``: figure ids drawn without a value label (:func:`_hidden_labels`)."""
    xs: list = []
    ys: list = []
    plus: list = []
    minus: list = []
    texts: list = []
    hovers: list = []
    line_colours: list = []
    line_widths: list = []
    symbols: list = []
    ids: list = []
    colours: list = []
    segs_x: list = []
    segs_y: list = []
    for r in style.sort_records(g, "x"):
        v, lo, hi = float(r["value"]), float(r["low"]), float(r["high"])
        flagged = bool(flags.get(r["figure_id"]))
        xs.append(r["x"])
        ys.append(v)
        plus.append(max(hi - v, 0.0))
        minus.append(max(v - lo, 0.0))
        texts.append("" if r["figure_id"] in unlabelled else _compact(v) + (" ⚑" if flagged else ""))
        hovers.append(_hover(r, flags.get(r["figure_id"], [])))
        contra = r["status"] == "contradiction"
        line_colours.append(CONTRADICTION if contra else "#ffffff")
        line_widths.append(3 if contra else 1)
        symbol = SYMBOLS.get(str(r["kind"]), "circle")
        symbols.append(symbol + ("-open-dot" if r["kind"] == Kind.PROJECTION.value else ""))
        colours.append(style.publisher_colour(str(r["publisher"]), priority))
        ids.append(r["figure_id"])
        start = r.get("period_start")
        if (
            r["kind"] == Kind.FLOW.value
            and not fmt.is_missing(start)
            and not fmt.is_missing(r.get("period_end"))
            and pd.Timestamp(start) < pd.Timestamp(r["period_end"])
        ):
            segs_x += [pd.Timestamp(start), pd.Timestamp(r["period_end"]), None]
            segs_y += [v, v, None]
    colour = colours[0] if colours else style.MUTED
    label = metric_label(metric)
    out: list[dict] = []
    if segs_x:
        out.append(
            {
                "type": "scatter",
                "x": segs_x,
                "y": segs_y,
                "mode": "lines",
                "hoverinfo": "skip",
                "line": {"color": colour, "width": 3},
                "opacity": 0.45,
                "name": style.text(_("{lane}: {metric} (period)").format(lane=lane, metric=label)),
                "meta": {"lane": lane, "metric": metric, "role": "period"},
            }
        )
    out.append(
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "markers+text",
            "text": texts,
            "textposition": "top center",
            "textfont": {"size": 10, "color": style.MUTED},
            "name": style.text(_("{lane}: {metric}").format(lane=lane, metric=label)),
            "marker": {
                "color": colours,
                "size": 11,
                "symbol": symbols,
                "line": {"color": line_colours, "width": line_widths},
            },
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": plus,
                "arrayminus": minus,
                "color": colour,
                "thickness": 1.5,
                "width": 5,
            },
            "hovertext": hovers,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "customdata": ids,
            "meta": {"lane": lane, "metric": metric, "role": "figures", "figure_ids": ids},
        }
    )
    return out


def _empty(message: str) -> tuple[list[dict], dict]:
    layout = {
        "height": 260,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": style.FONT, "color": style.MUTED},
        "annotations": [
            {
                "text": message,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 14},
            }
        ],
    }
    return [], layout
