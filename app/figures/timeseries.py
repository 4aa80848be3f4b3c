"""The time-series chart: one panel per kind of number, one series per publisher.

Cumulative totals ("displaced since 1 December"), flows over a period ("arrivals in
February") and stocks ("IDPs present on 8 March") answer different questions; drawn on
one axis they invite wrong comparisons. So each kind gets its own panel (shared time
axis), and each is drawn the way it was measured:

- cumulative, stock, projection, score: a point at its as-of date (lines join one
  publisher's points for one area);
- flow: a horizontal segment across its period with the point at the middle (a flow whose
  start was not stated is a point at its end date).

Every point has error bars from the qualifier's range (low-high), and its hover says
publisher, value with qualifier, period, area, document and publication date. Sources that
disagree stay separate series: one trace per (metric, publisher, area).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from app import format as fmt
from app.figures import style
from app.vocab import METRICS, Kind

KIND_ORDER = [Kind.CUMULATIVE, Kind.FLOW, Kind.STOCK, Kind.PROJECTION, Kind.INDEX, Kind.OTHER]
KIND_TITLES = {
    Kind.CUMULATIVE: "Running totals (cumulative), at their as-of date",
    Kind.FLOW: "Counts over a period (flows), drawn across the period",
    Kind.STOCK: "Levels on a date (stocks)",
    Kind.PROJECTION: "Projections and claims (not counts)",
    Kind.INDEX: "Scores",
    Kind.OTHER: "Other figures",
}
#: Line style per area within one metric, so one publisher's areas stay apart.
DASHES = ["solid", "dot", "dash", "dashdot", "longdash"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"]


def _hover(r: dict) -> str:
    m = METRICS.get(r["metric"])
    label = m.label if m else r["metric"]
    q = fmt.qualifier_text(r.get("qualifier"))
    rng = fmt.value_range(r["low"], r["high"])
    lines = [
        f"<b>{r['publisher']}</b>",
        f"{label}: <b>{fmt.value_with_qualifier(r['value'], r.get('qualifier'))}</b>",
        f"Qualifier: {q or 'none (as published)'}" + (f"; range {rng}" if rng else ""),
        f"Period: {fmt.period(r.get('period_start'), r['period_end'])}",
        f"Area: {r.get('area_label') or r.get('area_as_written') or ''}",
        f"Document: {_wrap(str(r['document']))}",
    ]
    if not fmt.is_missing(r.get("published_date")):
        lines.append(f"Published: {fmt.day(r['published_date'])}")
    if r.get("sector"):
        lines.append(f"Sector: {r['sector']}")
    lines += [_wrap(str(m)) for m in (r.get("flags") or ())]  # consistency flags (checks)
    return "<br>".join(lines)


def _wrap(text: str, width: int = 70) -> str:
    """Break a long document title so the hover box stays on screen."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def _err(v: float, lo: float, hi: float) -> tuple[float, float]:
    return max(hi - v, 0.0), max(v - lo, 0.0)


def _series_points(rows: list[dict], kind: str) -> dict:
    """x, y, error arrays, marker sizes and hovers of one series (see module doc)."""
    x: list = []
    y: list = []
    plus: list = []
    minus: list = []
    sizes: list = []
    hover: list = []
    for r in rows:
        v, lo, hi = float(r["value"]), float(r["low"]), float(r["high"])
        up, down = _err(v, lo, hi)
        text = _hover(r)
        end = pd.Timestamp(r["period_end"])
        start = r.get("period_start")
        if kind == Kind.FLOW and not fmt.is_missing(start) and pd.Timestamp(start) < end:
            start = pd.Timestamp(start)
            mid = start + (end - start) / 2
            x += [start, mid, end, None]
            y += [v, v, v, None]
            plus += [None, up, None, None]
            minus += [None, down, None, None]
            sizes += [0, 9, 0, 0]
            hover += [text, text, text, ""]
        else:
            if kind == Kind.FLOW:
                x += [end, None]
                y += [v, None]
                plus += [up, None]
                minus += [down, None]
                sizes += [9, 0]
                hover += [text, ""]
            else:
                x.append(end)
                y.append(v)
                plus.append(up)
                minus.append(down)
                sizes.append(9)
                hover.append(text)
    return {"x": x, "y": y, "plus": plus, "minus": minus, "sizes": sizes, "hover": hover}


#: The offensive's months: the default time axis when the figures fall in it (see time_range).
FOCUS = (pd.Timestamp("2019-11-01"), pd.Timestamp("2020-03-31"))
MIN_SPAN = pd.Timedelta(days=60)


def time_range(
    figures: pd.DataFrame,
    x_range: tuple[object, object] | None = None,
    focus: tuple[pd.Timestamp, pd.Timestamp] | None = FOCUS,
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The time axis: the user's dates; else the focus months if any figure ends in them
    (a count since Sep 2018 would otherwise squash Dec-Mar into a sliver; double-click
    shows all); else the figures' own span, at least two months wide (one date alone
    would get an axis of milliseconds).
    """
    if x_range is not None and all(v is not None for v in x_range):
        return pd.Timestamp(x_range[0]), pd.Timestamp(x_range[1])  # type: ignore[arg-type]
    ends = pd.to_datetime(figures["period_end"])
    if focus is not None and ends.between(*focus).any():
        return focus[0] - pd.Timedelta(days=3), focus[1] + pd.Timedelta(days=3)
    starts = pd.to_datetime(figures["period_start"]).fillna(ends)
    lo, hi = min(starts.min(), ends.min()), max(starts.max(), ends.max())
    if hi - lo < MIN_SPAN:
        mid = lo + (hi - lo) / 2
        lo, hi = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    pad = (hi - lo) * 0.04
    return lo - pad, hi + pad


def outside_range(figures: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> int:
    """How many figures are drawn partly or wholly outside [lo, hi] (the caption says so)."""
    if figures.empty:
        return 0
    ends = pd.to_datetime(figures["period_end"])
    starts = pd.to_datetime(figures["period_start"]).fillna(ends)
    return int(((starts < lo) | (ends > hi)).sum())


def timeseries_figure(
    figures: pd.DataFrame,
    priority: list[str],
    x_range: tuple[object, object] | None = None,
    focus: tuple[pd.Timestamp, pd.Timestamp] | None = FOCUS,
    empty_message: str = "No figures for this selection.",
    height: int | None = None,
    metrics: tuple[str, ...] = (),
) -> go.Figure:
    """Panels by kind, one trace per (metric, publisher, area) (see module doc).

    ``figures`` needs the canonical figure columns plus ``area_label``; rows without
    ``period_end`` must be dropped by the caller (they cannot be placed in time).
    ``metrics`` orders the legend groups (the selected metric first); others follow.
    """
    if figures.empty:
        return _empty(empty_message, height)
    kinds = [k for k in KIND_ORDER if (figures["kind"] == k.value).any()]
    fig = make_subplots(
        rows=len(kinds),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.09,
        subplot_titles=[KIND_TITLES[k] for k in kinds],
    )
    metric_order = list(dict.fromkeys([*metrics, *figures["metric"]]))
    for row_i, kind in enumerate(kinds, start=1):
        sub = figures[figures["kind"] == kind.value]
        for metric in [m for m in metric_order if (sub["metric"] == m).any()]:
            msub = sub[sub["metric"] == metric]
            symbol = SYMBOLS[metric_order.index(metric) % len(SYMBOLS)]
            label = METRICS[metric].label if metric in METRICS else metric
            msub = msub.assign(_org=msub["publisher"].map(lambda p: fmt.short_name(str(p), 60)))
            # the area with most figures gets the solid line
            area_order = list(
                msub["area_label"]
                .value_counts()
                .sort_index()
                .sort_values(ascending=False, kind="stable")
                .index
            )
            multi_area = len(area_order) > 1
            for (org, area), g in msub.groupby(["_org", "area_label"], sort=True):
                dash = DASHES[area_order.index(area) % len(DASHES)]
                pts = _series_points(g.sort_values("period_end").to_dict("records"), kind)
                colour = style.publisher_colour(str(org), priority)
                name = fmt.short_name(str(org), 24)
                if multi_area:
                    name = f"{name} – {fmt.short_name(str(area), 18)}"
                fig.add_trace(
                    go.Scatter(
                        x=pts["x"],
                        y=pts["y"],
                        name=name,
                        mode="lines+markers",
                        line={
                            "color": colour,
                            "width": 3 if kind == Kind.FLOW else 1.5,
                            "dash": dash,
                        },
                        marker={
                            "color": colour,
                            "size": pts["sizes"],
                            "symbol": symbol,
                            "line": {"color": "#ffffff", "width": 1},
                        },
                        error_y={
                            "type": "data",
                            "symmetric": False,
                            "array": pts["plus"],
                            "arrayminus": pts["minus"],
                            "color": colour,
                            "thickness": 1.2,
                            "width": 4,
                        },
                        hovertext=pts["hover"],
                        hovertemplate="%{hovertext}<extra></extra>",
                        connectgaps=False,
                        legendgroup=metric,
                        legendgrouptitle={"text": label},
                        meta={
                            "metric": metric,
                            "publisher": str(org),
                            "area": str(area),
                            "kind": kind.value,
                            "publishers": sorted(set(map(str, g["publisher"]))),
                        },
                    ),
                    row=row_i,
                    col=1,
                )
        fig.update_yaxes(
            row=row_i,
            col=1,
            rangemode="tozero",
            tickformat="~s",
            gridcolor=style.GRID,
            zeroline=True,
            zerolinecolor="#c5ccd3",
        )
    fig.update_xaxes(
        gridcolor=style.GRID,
        showspikes=True,
        spikemode="across",
        spikethickness=1,
        spikecolor="#9aa5b1",
    )
    lo, hi = time_range(figures, x_range, focus)
    fig.update_xaxes(range=[lo, hi])
    fig.update_annotations(font={"size": 12, "color": style.MUTED}, x=0, xanchor="left")
    fig.update_layout(
        height=height,
        margin={"l": 56, "r": 10, "t": 28, "b": 36},
        font={"family": style.FONT, "color": style.TEXT, "size": 12},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        hovermode="closest",
        hoverlabel={
            "bgcolor": "#ffffff",
            "bordercolor": "#9aa5b1",
            "font": {"family": style.FONT, "size": 12, "color": style.TEXT},
        },
        legend={
            "orientation": "v",
            "x": 1.01,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": 10},
            "groupclick": "toggleitem",
            "tracegroupgap": 4,
            "grouptitlefont": {"size": 11},
        },
        showlegend=True,  # even for one series: the legend names its publisher
        # a user's zoom survives filter changes, but not a change of time axis or metric
        uirevision=f"{lo.date()}/{hi.date()}/{','.join(metrics)}",
    )
    return fig


def _empty(message: str, height: int | None) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        font={"family": style.FONT, "color": style.MUTED},
        annotations=[
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
    )
    return fig
