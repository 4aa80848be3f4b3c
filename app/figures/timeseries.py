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

import hashlib
from collections import Counter

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app import format as fmt
from app.figures import chart_hover, style
from app.figures.chart_hover import SlotTable, shared_hover
from app.i18n import N_, _, current, translate
from app.vocab import METRICS, Kind

KIND_ORDER = [Kind.CUMULATIVE, Kind.FLOW, Kind.STOCK, Kind.PROJECTION, Kind.INDEX, Kind.OTHER]
#: Panel titles (translated where drawn: :func:`_timeseries`).
KIND_TITLES = {
    Kind.CUMULATIVE: N_("Running totals (cumulative), at their as-of date"),
    Kind.FLOW: N_("Counts over a period (flows), drawn across the period"),
    Kind.STOCK: N_("Levels on a date (stocks)"),
    Kind.PROJECTION: N_("Projections and claims (not counts)"),
    Kind.INDEX: N_("Scores"),
    Kind.OTHER: N_("Other figures"),
}
#: Line style per area within one metric, so one publisher's areas stay apart.
DASHES = ["solid", "dot", "dash", "dashdot", "longdash"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"]


def _err(v: float, lo: float, hi: float) -> tuple[float, float]:
    return max(hi - v, 0.0), max(v - lo, 0.0)


#: A series of at least this many weekly counts is drawn as a weekly line (see _weekly_points).
WEEKLY_MIN = 4
_SIX_DAYS = np.timedelta64(6, "D")
_SEVEN_DAYS = np.timedelta64(7, "D")


class _Rows:
    """The chart's rows as arrays (the weekly series are built from arrays: 3,148 weekly
    points with a million events stored took about 60 ms a chart point by point) and, on
    demand, as records (each with its position ``_i``) for the hovers written per figure.

    A record is made only when asked for: every row's record was a third of a chart built
    from series already kept (:data:`_WEEKLY_BUILT`)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame.reset_index(drop=True)
        self.columns = list(self.frame.columns)
        self._lists: dict[str, list] = {}
        self._dates: dict[str, np.ndarray] = {}
        self._records: dict[int, dict] = {}
        self._arrays: dict[str, np.ndarray] = {}
        self._slots: SlotTable | None = None
        self._hashes: np.ndarray | None = None

    def column(self, column: str) -> list:
        """The column's cells as ``to_dict("records")`` gives them (dates: Timestamps)."""
        if column not in self._lists:
            self._lists[column] = self.frame[column].tolist()
        return self._lists[column]

    def record(self, i: int) -> dict:
        """Row ``i`` as a dict of its cells, with ``_i``."""
        r = self._records.get(i)
        if r is None:
            r = {c: self._cell(c, i) for c in self.columns}
            r["_i"] = i
            self._records[i] = r
        return r

    def cells(self, i: int, columns: list[str]) -> dict:
        """Those cells of row ``i``, as :meth:`record` has them."""
        return {c: self._cell(c, i) for c in columns}

    def _cell(self, column: str, i: int) -> object:
        dates = self._dates.get(column)
        if dates is None:
            if column in self._lists or self.frame[column].dtype.kind != "M":
                return self.column(column)[i]
            dates = self._dates[column] = self.frame[column].to_numpy()
        return pd.Timestamp(dates[i])  # NaT stays NaT (a Timestamp each: a few rows)

    def array(self, column: str) -> np.ndarray:
        if column not in self._arrays:
            values = self.frame[column]
            if column.startswith("period_"):
                values = pd.to_datetime(values).astype("datetime64[us]")
            self._arrays[column] = values.to_numpy()
        return self._arrays[column]

    @property
    def slots(self) -> SlotTable:
        if self._slots is None:
            self._slots = SlotTable(self.frame, self.cells)
        return self._slots

    def in_order(self, at: list[int], column: str) -> np.ndarray:
        """The positions ``at`` in the order ``DataFrame.sort_values(column)`` gives their
        rows (:func:`app.figures.style.sort_order`)."""
        at = np.asarray(at, dtype=np.intp)
        return at[style.sort_order(self.array(column)[at].tolist())]

    def digest(self, at: np.ndarray) -> bytes:
        """What the rows ``at`` hold, in that order, as 16 bytes: equal digests, equal rows
        (every column the chart reads; pandas' row hashes, then BLAKE2)."""
        if self._hashes is None:
            self._hashes = _row_hashes(self.frame)
        h = hashlib.blake2b(self._hashes[at].tobytes(), digest_size=16)
        h.update("\x1f".join(self.frame.columns).encode())
        return h.digest()


def _row_hashes(frame: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row of ``frame``'s values; cells holding lists (flags) are
    hashed by their text."""
    try:
        return pd.util.hash_pandas_object(frame, index=False).to_numpy()
    except TypeError:
        listed = [c for c in frame.columns if frame[c].dtype == object]
        as_text = frame.assign(**{c: frame[c].map(repr) for c in listed})
        return pd.util.hash_pandas_object(as_text, index=False).to_numpy()


def _is_weekly(at: np.ndarray, kind: str, table: _Rows) -> bool:
    """A run of counts per week (the weekly sums of conflict events): each period exactly
    seven days, all starting on the same weekday (UCDP's and ours: Monday), no two the same
    week."""
    if kind != Kind.FLOW or len(at) < WEEKLY_MIN or "period_start" not in table.frame:
        return False
    starts, ends = table.array("period_start")[at], table.array("period_end")[at]
    if np.isnat(starts).any() or not (ends - starts == _SIX_DAYS).all():
        return False
    on_one_grid = ((starts - starts.min()) % _SEVEN_DAYS == np.timedelta64(0, "D")).all()
    return bool(on_one_grid) and len(np.unique(starts)) == len(starts)


def _weekly_points(at: np.ndarray, table: _Rows) -> dict:
    """One point per week, drawn at its middle and hovered anywhere in the week (plotly.js
    period alignment), joined to the next week's point when the weeks follow each other,
    with the range as error bars and one hover template for the series
    (:mod:`app.figures.chart_hover`).

    The weeks are a regular grid from the first (``x0`` and a step of a week), a week
    without a count a gap (None): no x travels per point, and the hover's week is the
    point's own x. Drawing each week as its own segment (as other counts over a period are
    drawn) took four points and three copies of the hover per week: four years of weekly
    counts per governorate made a 1.4 MB chart. The line still reads as "a count per week"."""
    at = at[np.argsort(table.array("period_start")[at], kind="stable")]
    key = (current(), table.digest(at))
    built = _WEEKLY_BUILT.get(key)
    if built is None:
        built = _build_weekly(at, table)
        if len(_WEEKLY_BUILT) >= WEEKLY_BUILT_MAX:
            _WEEKLY_BUILT.clear()
        _WEEKLY_BUILT[key] = built
    # a copy: a chart's traces are its own, whoever changes them later
    return {k: list(v) if isinstance(v, list) else v for k, v in built.items()}


#: Weekly series already built, by interface language and the content of their rows
#: (:meth:`_Rows.digest`), for every chart of the process: the same weeks come back chart
#: after chart (each state showing a governorate's killed metrics draws the same UCDP
#: series, whatever its as-of date), and building a series' hover was most of a chart's
#: time. Keyed by content, a store change needs no invalidation; cleared when full
#: (a series of 200 weeks holds about 40 KB).
_WEEKLY_BUILT: dict[tuple, dict] = {}
WEEKLY_BUILT_MAX = 256


def _build_weekly(at: np.ndarray, table: _Rows) -> dict:
    """:func:`_weekly_points` of the rows ``at`` (positions in ``table``, by week)."""
    starts = table.array("period_start")[at]
    week = ((starts - starts[0]) // _SEVEN_DAYS).astype(np.intp)
    v = table.array("value")[at].astype(float)
    lo, hi = table.array("low")[at].astype(float), table.array("high")[at].astype(float)
    known = chart_hover.Known(table.array("value"), table.array("period_start"))
    template, customdata = shared_hover(table.slots, at, known)

    def on_grid(values: list) -> list:
        """``values`` by week, None for a week without a count."""
        out: list = [None] * (int(week[-1]) + 1)
        for w, value in zip(week.tolist(), values, strict=True):
            out[w] = value
        return out

    first = pd.Timestamp(starts[0]).strftime("%Y-%m-%d")
    pts = {
        "x0": first,
        "dx": chart_hover.WEEK_MS,
        # periods of a week from the series' own first day (plotly.js's default base for
        # whole weeks is a Sunday, 2000-01-02)
        "xperiod": chart_hover.WEEK_MS,
        "xperiod0": first,
        "xperiodalignment": "middle",
        "y": on_grid(_numbers(v)),
        "plus": on_grid(_numbers(np.maximum(hi - v, 0.0))),
        "minus": on_grid(_numbers(np.maximum(v - lo, 0.0))),
        "sizes": 5,
        "hovertemplate": template,
    }
    if customdata is not None:
        pts["customdata"] = on_grid(customdata)
    return pts


def _numbers(values: np.ndarray) -> list:
    """Counts as ints (JSON "418", not "418.0"), other values as they are."""
    whole = np.isfinite(values) & (values == np.round(values)) & (np.abs(values) < 2**53)
    if whole.all():
        return values.astype(np.int64).tolist()
    return [int(x) if w else x for x, w in zip(values.tolist(), whole.tolist(), strict=True)]


#: The point fields of a series that say where its points are on the time axis.
_X_FIELDS = ("x", "x0", "dx", "xperiod", "xperiod0", "xperiodalignment")


def x_fields(pts: dict) -> dict:
    """Where the series' points are: ``x`` per point, or a weekly grid (:func:`_weekly_points`)."""
    return {k: pts[k] for k in _X_FIELDS if k in pts}


def hover_fields(pts: dict) -> dict:
    """The trace's hover: one text per point, or a shared template with placeholders and
    each week's own lines as ``customdata`` (weekly counts,
    :func:`app.figures.chart_hover.shared_hover`)."""
    if "hover" not in pts:
        fields = {"hovertemplate": pts["hovertemplate"]}
        if "customdata" in pts:
            fields["customdata"] = pts["customdata"]
        return fields
    return {"hovertext": pts["hover"], "hovertemplate": "%{hovertext}<extra></extra>"}


def series_points(rows: list[dict], kind: str) -> dict:
    """:func:`_series_points` of one series' records, outside a chart (its own table)."""
    table = _Rows(pd.DataFrame.from_records(rows))
    return _series_points(np.arange(len(rows)), kind, table)


def _series_points(at: np.ndarray, kind: str, table: _Rows) -> dict:
    """x, y, error arrays, marker sizes and hovers of one series, the rows ``at`` of
    ``table`` in period order (see module doc)."""
    if _is_weekly(at, kind, table):
        return _weekly_points(at, table)
    rows = [table.record(i) for i in at.tolist()]
    x: list = []
    y: list = []
    plus: list = []
    minus: list = []
    sizes: list = []
    hover: list = []
    for r in rows:
        v, lo, hi = float(r["value"]), float(r["low"]), float(r["high"])
        up, down = _err(v, lo, hi)
        text = chart_hover.hover(r)
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


#: The button that shows the focus months (see :func:`time_buttons`; translated there).
FOCUS_LABEL = N_("Winter 2019-20")


def time_buttons(
    figures: pd.DataFrame,
    lo: pd.Timestamp,
    hi: pd.Timestamp,
    n_axes: int,
    focus: tuple[pd.Timestamp, pd.Timestamp] | None = FOCUS,
) -> list[dict]:
    """Buttons that move the time axis when the initial one (the focus months) hides figures:
    "Winter 2019-20" (the initial axis), the focus's first calendar year when figures fall in
    it ("2019"), and "All" (every figure's span). Plotly ``updatemenus`` relayout buttons:
    drawn by plotly.js itself, no extra script, no round trip. Empty when nothing is hidden
    (the axis already shows every figure), so a short series gets no buttons.
    """
    if focus is None or figures.empty or not outside_range(figures, lo, hi):
        return []
    whole = time_range(figures, None, None)
    ends = pd.to_datetime(figures["period_end"])
    starts = pd.to_datetime(figures["period_start"]).fillna(ends)
    choices = [(_(FOCUS_LABEL), (lo, hi))]
    year = focus[0].year
    y0, y1 = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31)
    if ((ends >= y0) & (starts <= y1)).any():
        pad = pd.Timedelta(days=5)
        choices.append((fmt.shape_digits(str(year)), (y0 - pad, y1 + pad)))
    choices.append((_("All"), whole))
    keys = ["xaxis" if i == 1 else f"xaxis{i}" for i in range(1, n_axes + 1)]
    buttons = [
        {
            "label": label,
            "method": "relayout",
            "args": [{f"{k}.range": [_iso(a), _iso(b)] for k in keys}],
        }
        for label, (a, b) in choices
    ]
    rtl = current().rtl  # right to left: the first button at the right edge, then leftwards
    return [
        {
            "type": "buttons",
            "direction": "left" if rtl else "right",
            "active": 0,
            "showactive": True,
            "buttons": buttons,
            "x": 1 if rtl else 0,
            "xanchor": "right" if rtl else "left",
            "y": 1,
            "yanchor": "bottom",
            "pad": {"b": 20, "t": 0, "l": 0, "r": 0},
            "font": {"size": 11},
            "bgcolor": "#ffffff",
            "bordercolor": "#c5ccd3",
        }
    ]


def _iso(ts: pd.Timestamp) -> str:
    """A date-time plotly reads as a date axis position (whole days as YYYY-MM-DD)."""
    ts = pd.Timestamp(ts)
    return ts.strftime("%Y-%m-%d") if ts == ts.normalize() else ts.strftime("%Y-%m-%d %H:%M")


def outside_range(figures: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> int:
    """How many figures are drawn partly or wholly outside [lo, hi] (the caption says so)."""
    if figures.empty:
        return 0
    ends = pd.to_datetime(figures["period_end"])
    starts = pd.to_datetime(figures["period_start"]).fillna(ends)
    return int(((starts < lo) | (ends > hi)).sum())


def subplot_grid(n: int, spacing: float = 0.09) -> tuple[list[dict], list[dict]]:
    """Axes of ``n`` stacked panels sharing the bottom x axis: (x axes, y axes), top first.

    The domains ``plotly.subplots.make_subplots(rows=n, cols=1, shared_xaxes=True,
    vertical_spacing=spacing)`` computes, by the same arithmetic (a test compares them),
    without building a validated figure.
    """
    heights = [(1.0 - spacing * (n - 1)) / n] * n
    xs: list[dict] = []
    ys: list[dict] = []
    for r in range(n):  # r = 0 is the top panel
        below = n - 1 - r
        y0 = sum(heights[:below]) + below * spacing
        y1 = y0 + heights[-1 - r]
        y0, y1 = (min(max(v, 0.0), 1.0) for v in (y0, y1))  # plotly's rounding at the edges
        k = "" if r == 0 else str(r + 1)
        x = {"anchor": f"y{k}", "domain": [0.0, 1.0]}
        if r < n - 1:
            x.update(matches=f"x{n}", showticklabels=False)
        xs.append(x)
        ys.append({"anchor": f"x{k}", "domain": [y0, y1]})
    return xs, ys


def timeseries_figure(
    figures: pd.DataFrame,
    priority: list[str],
    x_range: tuple[object, object] | None = None,
    focus: tuple[pd.Timestamp, pd.Timestamp] | None = FOCUS,
    empty_message: str | None = None,
    height: int | None = None,
    metrics: tuple[str, ...] = (),
) -> go.Figure:
    """Panels by kind, one trace per (metric, publisher, area) (see module doc).

    ``figures`` needs the canonical figure columns plus ``area_label``; rows without
    ``period_end`` must be dropped by the caller (they cannot be placed in time).
    ``metrics`` orders the legend groups (the selected metric first); others follow.
    """
    return style.figure(
        *_timeseries(figures, priority, x_range, focus, empty_message, height, metrics)
    )


def timeseries_dict(
    figures: pd.DataFrame,
    priority: list[str],
    x_range: tuple[object, object] | None = None,
    focus: tuple[pd.Timestamp, pd.Timestamp] | None = FOCUS,
    empty_message: str | None = None,
    height: int | None = None,
    metrics: tuple[str, ...] = (),
) -> dict:
    """:func:`timeseries_figure` as the JSON-ready dict Dash sends (``to_plotly_json()``),
    for callbacks: no ``go.Figure`` is built (see :func:`app.figures.style.figure_dict`)."""
    return style.figure_dict(
        *_timeseries(figures, priority, x_range, focus, empty_message, height, metrics)
    )


#: The columns the chart reads (hover, series keys, positions).
_USED = (
    "metric", "kind", "publisher", "area_label", "area_as_written", "value", "qualifier",
    "low", "high", "period_start", "period_end", "document", "published_date", "sector",
    "flags",
)  # fmt: skip


def _timeseries(
    figures: pd.DataFrame,
    priority: list[str],
    x_range: tuple[object, object] | None,
    focus: tuple[pd.Timestamp, pd.Timestamp] | None,
    empty_message: str | None,
    height: int | None,
    metrics: tuple[str, ...],
) -> tuple[list[dict], dict]:
    """Traces and layout of the chart, as plain dicts (performance: the layout
    ``make_subplots`` and the ``update_*`` calls produced, written out; building the figure
    through the validating API took 50-100 ms a figure)."""
    if figures.empty:
        return _empty(empty_message or _("No figures for this selection."), height)
    rtl = current().rtl
    # performance: the rows grouped in Python by position (a pandas filter, groupby and
    # sort per panel, metric and series took 10-20 ms a chart)
    used = [c for c in _USED if c in figures.columns]  # records cost by the column
    table = _Rows(figures[used])
    kind_of, metric_of = table.column("kind"), table.column("metric")
    publisher_of, area_of = table.column("publisher"), table.column("area_label")
    present = set(kind_of)
    kinds = [k for k in KIND_ORDER if k.value in present]
    x_axes, y_axes = subplot_grid(len(kinds))
    traces: list[dict] = []
    metric_order = list(dict.fromkeys([*metrics, *metric_of]))
    orgs: dict[object, str] = {}

    def org_of(publisher: object) -> str:
        """The series' publisher: its short name (one per distinct publisher)."""
        if publisher not in orgs:
            orgs[publisher] = fmt.short_name(str(publisher), 60)
        return orgs[publisher]

    for row_i, kind in enumerate(kinds, start=1):
        axis = "" if row_i == 1 else str(row_i)
        sub = [i for i, k in enumerate(kind_of) if k == kind.value]
        for metric in [m for m in metric_order if any(metric_of[i] == m for i in sub)]:
            msub = [i for i in sub if metric_of[i] == metric]
            symbol = SYMBOLS[metric_order.index(metric) % len(SYMBOLS)]
            label = translate(METRICS[metric].label) if metric in METRICS else metric
            # the area with most figures gets the solid line (ties: by name)
            counts = Counter(area_of[i] for i in msub)
            area_order = sorted(counts, key=lambda a: (-counts[a], a))
            multi_area = len(area_order) > 1
            series: dict[tuple[str, str], list[int]] = {}
            for i in msub:
                series.setdefault((org_of(publisher_of[i]), area_of[i]), []).append(i)
            for (org, area), g in sorted(series.items(), key=lambda kv: kv[0]):
                dash = DASHES[area_order.index(area) % len(DASHES)]
                pts = _series_points(table.in_order(g, "period_end"), kind, table)
                colour = style.publisher_colour(str(org), priority)
                name = style.text(fmt.short_name(str(org), 24))
                if multi_area:
                    name = f"{name} – {style.text(fmt.short_name(str(area), 18))}"
                traces.append(
                    {
                        "type": "scatter",
                        **x_fields(pts),
                        "y": pts["y"],
                        "name": name,
                        "mode": "lines+markers",
                        "line": {
                            "color": colour,
                            "width": 3 if kind == Kind.FLOW else 1.5,
                            "dash": dash,
                        },
                        "marker": {
                            "color": colour,
                            "size": pts["sizes"],
                            "symbol": symbol,
                            "line": {"color": "#ffffff", "width": 1},
                        },
                        "error_y": {
                            "type": "data",
                            "symmetric": False,
                            "array": pts["plus"],
                            "arrayminus": pts["minus"],
                            "color": colour,
                            "thickness": 1.2,
                            "width": 4,
                        },
                        **hover_fields(pts),
                        "connectgaps": False,
                        "legendgroup": metric,
                        "legendgrouptitle": {"text": style.text(label)},
                        "meta": {
                            "metric": metric,
                            "publisher": str(org),
                            "area": str(area),
                            "kind": kind.value,
                            "publishers": sorted({str(publisher_of[i]) for i in g}),
                        },
                        "xaxis": f"x{axis}",
                        "yaxis": f"y{axis}",
                    }
                )
        y_axes[row_i - 1].update(
            rangemode="tozero",
            tickformat=fmt.axis_number_format(),
            gridcolor=style.GRID,
            zeroline=True,
            zerolinecolor="#c5ccd3",
        )
    lo, hi = time_range(figures, x_range, focus)
    # the user's own dates are the axis; else buttons reach the figures the focus hides
    menus = [] if _given(x_range) else time_buttons(figures, lo, hi, len(x_axes), focus)
    for x in x_axes:
        x.update(
            gridcolor=style.GRID,
            showspikes=True,
            spikemode="across",
            spikethickness=1,
            spikecolor="#9aa5b1",
            range=[lo, hi],
        )
    layout: dict = {}
    for i, (x, y) in enumerate(zip(x_axes, y_axes, strict=True), start=1):
        k = "" if i == 1 else str(i)
        layout[f"xaxis{k}"] = x
        layout[f"yaxis{k}"] = y
    layout["annotations"] = [
        {
            "font": {"size": 12, "color": style.MUTED},
            "showarrow": False,
            "text": style.text(translate(KIND_TITLES[kind])),
            "x": 1 if rtl else 0,  # titles start where a reader starts: right in Arabic
            "xanchor": "right" if rtl else "left",
            "xref": "paper",
            "y": y["domain"][1],
            "yanchor": "bottom",
            "yref": "paper",
        }
        for kind, y in zip(kinds, y_axes, strict=True)
    ]
    if height is not None:
        layout["height"] = height
    if menus:
        layout["updatemenus"] = menus
    layout.update(
        margin={"l": 56, "r": 10, "t": 50 if menus else 28, "b": 36},
        font={"family": style.FONT, "color": style.TEXT, "size": 12},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        hovermode="closest",
        hoverlabel={
            "bgcolor": "#ffffff",
            "bordercolor": "#9aa5b1",
            "font": {"family": style.FONT, "size": 12, "color": style.TEXT},
            **({"align": "right"} if rtl else {}),
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
    return traces, layout


def _given(x_range: tuple[object, object] | None) -> bool:
    return x_range is not None and all(v is not None for v in x_range)


def _empty(message: str, height: int | None) -> tuple[list[dict], dict]:
    layout: dict = {} if height is None else {"height": height}
    layout.update(
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
    return [], layout
