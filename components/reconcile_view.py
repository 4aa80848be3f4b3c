"""The reconciliation view: controls, the lane timeline, and every pair's status and reasons.

Thin: the URL state is parsed by :func:`parse_reconcile_query` (pure, never raises), the
figures come from :func:`app.queries.reconcile.reconciliation`, flags from
:func:`app.queries.checks.run_checks` on the same as-of subset, and the chart from
:func:`app.figures.reconcile.reconcile_figure`. The whole view is in the URL
(``/reconcile?metric=killed&place=nw_syria&as_of=2020-02-16``) so a link reproduces it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update

from app import format as fmt
from app.figures.reconcile import reconcile_figure_dict
from app.i18n import LANG_PARAMS, _, current, ngettext, parse_params, query_params, translate
from app.queries import checks as chk
from app.queries.areas import arabic_name
from app.queries.derived import as_of_key
from app.queries.publishers_ar import publisher_shown
from app.queries.reconcile import (
    DEFAULT_GROUP,
    DEFAULT_PLACE,
    GROUP_LABELS,
    METRIC_GROUPS,
    WEEKLY_FROM,
    Reconciliation,
    reconciliation,
    region_name,
    status_text,
    status_word,
)
from app.tables.records import records
from app.vocab import metric_label
from app.web.cache import cached_view
from components.context import OverviewContext
from components.plain import element, plain
from components.timeseries_view import chart_config

PREFIX = "reconcile"
METRIC = f"{PREFIX}-metric"
PLACE = f"{PREFIX}-place"
DATES = f"{PREFIX}-dates"
AS_OF = f"{PREFIX}-as-of"
INSIDE = f"{PREFIX}-inside"
LOCATION = f"{PREFIX}-url"
#: The rendered view's query string: the callback skips work when the controls re-send it.
STORE = f"{PREFIX}-state"
GRAPH = f"{PREFIX}-graph"
SUMMARY = f"{PREFIX}-summary"
PAIRS = f"{PREFIX}-pairs"
FLAGS = f"{PREFIX}-flags"
UNDATED = f"{PREFIX}-undated"
NOTICES = f"{PREFIX}-notices"
PARAMS = ("metric", "place", "start", "end", "as_of", "inside")
_DATE_BOUNDS = {"min_date_allowed": date(2018, 1, 1), "max_date_allowed": date(2020, 12, 31)}


@dataclass(frozen=True)
class ReconcileState:
    """Everything that decides what the reconciliation view shows."""

    metric: str = DEFAULT_GROUP
    place: str = DEFAULT_PLACE
    start: date | None = None
    end: date | None = None
    as_of: date | None = None
    inside: bool = False


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None


def choice_options() -> list[dict[str, str]]:
    """Groups first (comparisons across metrics), then each metric of the groups alone."""
    out = [{"label": translate(GROUP_LABELS[g]), "value": g} for g in METRIC_GROUPS]
    for metrics in METRIC_GROUPS.values():
        out += [
            {"label": _("Only: {metric}").format(metric=metric_label(m)), "value": m}
            for m in metrics
        ]
    return out


def place_options(ctx: OverviewContext) -> list[dict[str, str]]:
    """Named regions (nationwide marked), then every admin area of the overview's picker."""
    regions = ctx.bundle.regions
    out = [
        {
            "label": _("{name} · region").format(name=region_name(r["name"]))
            if not r["nationwide"]
            else _("{name} (nationwide) · region").format(name=region_name(r["name"])),
            "value": r["region"],
            "search": f"{r['region']} {r['name']} {region_name(r['name'])}",
        }
        for r in regions.to_dict("records")
    ]
    if not current().rtl:
        return out + list(ctx.area_options)
    # Arabic: the gazetteer's Arabic name first ("إدلب · Idlib · SY07"); the search text of
    # the shared options (English, Arabic, folded spellings, towns) is kept
    areas = ctx.bundle.areas
    for o in ctx.area_options:
        ar = arabic_name(areas, o["value"])
        english = str(o["label"]).split(" · ")[0]
        name = f"{ar} · {english}" if ar else english
        out.append({**o, "label": f"{name} · {fmt.isolate(o['value'])}"})
    return out


def parse_reconcile_query(
    query: Mapping[str, object], places: set[str] | None = None
) -> tuple[ReconcileState, list[str]]:
    """URL parameters -> (state, notices). Never raises; a bad value falls back, said aloud."""
    notices: list[str] = []
    raw = {k: (v[0] if isinstance(v, list | tuple) and v else v) for k, v in query.items()}
    values: dict[str, object] = {}
    for key in raw:
        if key not in PARAMS and key not in LANG_PARAMS:
            notices.append(
                _("Ignored unknown parameter {name}").format(name=fmt.isolate(repr(key)))
            )
    notices += parse_params(raw.get("lang"), raw.get("digits"))[2]
    metric = str(raw.get("metric") or "").strip()
    if metric:
        if metric in METRIC_GROUPS or any(metric in g for g in METRIC_GROUPS.values()):
            values["metric"] = metric
        else:
            notices.append(
                _("Ignored {param}: expected a group ({groups}) or one of its metrics").format(
                    param=fmt.isolate(f"metric={metric}"),
                    groups=fmt.isolate(", ".join(METRIC_GROUPS)),
                )
            )
    place = str(raw.get("place") or "").strip()
    if place:
        if places is None or place in places:
            values["place"] = place
        else:
            notices.append(
                _("Ignored {param}: not a region id or P-code of the bundle").format(
                    param=fmt.isolate(f"place={place}")
                )
            )
    for key in ("start", "end", "as_of"):
        text = str(raw.get(key) or "").strip()
        if text:
            d = _date(text)
            if d is None:
                notices.append(
                    _("Ignored {param}: expected a date as YYYY-MM-DD").format(
                        param=fmt.isolate(f"{key}={text}")
                    )
                )
            else:
                values[key] = d
    if str(raw.get("inside") or "").strip() in {"1", "true", "yes"}:
        values["inside"] = True
    return ReconcileState(**values), notices  # type: ignore[arg-type]


def to_query(state: ReconcileState) -> str:
    """The state as a query string, defaults left out ("" for the default view).

    >>> to_query(ReconcileState(metric="killed", as_of=date(2020, 2, 16)))
    '?metric=killed&as_of=2020-02-16'
    """
    d = ReconcileState()
    out: list[tuple[str, str]] = []
    if state.metric != d.metric:
        out.append(("metric", state.metric))
    if state.place != d.place:
        out.append(("place", state.place))
    for key in ("start", "end", "as_of"):
        v = getattr(state, key)
        if v is not None:
            out.append((key, v.isoformat()))
    if state.inside:
        out.append(("inside", "1"))
    out += query_params()  # the URL's language, kept
    return "?" + urlencode(out) if out else ""


def _ts(d: date | None) -> pd.Timestamp | None:
    return None if d is None else pd.Timestamp(d)


def compute(ctx: OverviewContext, state: ReconcileState) -> tuple[Reconciliation, pd.DataFrame]:
    """The reconciliation and the flags, both from the figures known on the as-of date only."""
    b = ctx.bundle
    as_of = _ts(state.as_of)
    rec = reconciliation(
        b.figures,
        b.regions,
        state.metric,
        state.place,
        _ts(state.start),
        _ts(state.end),
        as_of,
        areas=b.areas,
        include_inside=state.inside,
        priority=ctx.priority,
    )
    # the checks of the dated figures known on as_of (memoised per date by view_checks; the
    # day of the last publication by then stands for every day until the next one)
    flags = chk.view_checks(
        b.figures, b.areas, b.regions, as_of_key(b.figures, as_of), ctx.priority
    )
    return rec, flags


def _status_badge(status: str) -> html.Span:
    cls = {
        "contradiction": "badge badge-warn",
        "consistent": "badge",
        "different": "badge badge-muted",
    }.get(status, "badge badge-muted")
    return html.Span(
        status_word(status),
        className=f"{cls} nws-status nws-status-{status}",
        title=status_text(status),
        **{"data-status": status},
    )


def summary(rec: Reconciliation) -> list:
    f, p = rec.figures, rec.pairs
    n_lanes = f["lane"].nunique() if not f.empty else 0
    counts = p["status"].value_counts().to_dict() if len(p) else {}
    figures = ngettext("{n} figure", "{n} figures", len(f)).format(n=fmt.number(len(f)))
    publishers = ngettext("from {n} publisher", "from {n} publishers", n_lanes).format(
        n=fmt.number(n_lanes)
    )
    place = rec.place.shown
    head = (
        _("{figures} {publishers} known on {day} for {place}. ").format(
            figures=figures, publishers=publishers, day=fmt.day(rec.as_of), place=place)
        if rec.as_of is not None
        else _("{figures} {publishers} for {place}. ").format(
            figures=figures, publishers=publishers, place=place)
    )  # fmt: skip
    n = {k: fmt.number(counts.get(k, 0)) for k in ("contradiction", "consistent", "different")}
    return [
        html.Strong(head),
        _(
            "Pairs within a week: {contradiction} contradiction(s), {consistent} consistent, "
            "{different} different measures. Error bars: the range each figure's qualifier "
            "implies."
        ).format(**n),
        *(
            [html.Br(), ngettext(
                "{n} weekly count of conflict events before {day} is not shown: set a start "
                "date to see it.",
                "{n} weekly counts of conflict events before {day} are not shown: set a start "
                "date to see them.",
                rec.weeks_left_out,
            ).format(n=fmt.number(rec.weeks_left_out), day=fmt.day(WEEKLY_FROM))]
            if rec.weeks_left_out
            else []
        ),
    ]  # fmt: skip


def pairs_table(rec: Reconciliation) -> html.Table | html.P:
    p = rec.pairs
    if not len(p):
        return html.P(_("No two figures within a week of each other."), className="nws-muted")
    # the headers also name the cells on phones, where the table is one block per pair
    status, figure, compared = _("Status"), _("Figure"), _("Compared with")
    why = _("Why they may differ (from the data)")
    rows = [_pair_row(r, figure, compared, why) for r in records(p)]
    head = html.Thead(
        html.Tr(
            [
                html.Th(h)
                for h in (status, figure, compared, why)
            ]
        )
    )
    return html.Table([head, html.Tbody(rows)], className="table nws-pairs-table")


@functools.lru_cache(maxsize=64)
def _badge(status: str, _language: object) -> dict:
    """:func:`_status_badge` as JSON, once per status and language (never changed)."""
    return plain(_status_badge(status))


def _pair_row(r: dict, figure: str, compared: str, why: str) -> dict:
    """One pair's row of the table, as the JSON Dash sends for it (:func:`plain`), made
    once per pair, its texts and language: states that differ by their dates show the same
    pairs, and a hundred rows of Dash components took 9 ms to make and 7 ms to encode."""
    key = (r["a_id"], r["b_id"], r["status"], r["a_label"], r["b_label"], r["reasons"],
           figure, compared, why, current())  # fmt: skip
    row = _PAIR_ROWS.get(key)
    if row is None:
        reasons = (
            element("Ul", [element("Li", t) for t in r["reasons"]])
            if r["reasons"]
            else _("Nothing in the data tells them apart.")
        )
        cells = [
            element("Td", _badge(r["status"], current())),
            element("Td", r["a_label"], **{"data-label": figure}),
            element("Td", r["b_label"], **{"data-label": compared}),
            element("Td", reasons, className="nws-reasons", **{"data-label": why}),
        ]
        row = element("Tr", cells, className=f"nws-pair nws-pair-{r['status']}",
                      **{"data-a": r["a_id"], "data-b": r["b_id"]})  # fmt: skip
        if len(_PAIR_ROWS) >= PAIR_ROWS_MAX:
            _PAIR_ROWS.clear()
        _PAIR_ROWS[key] = row
    return row


#: Pair rows already made, by pair, texts and language (:func:`_pair_row`); the rows are
#: never changed once made (about 1.5 KB each). Cleared when full.
_PAIR_ROWS: dict[tuple, dict] = {}
PAIR_ROWS_MAX = 2048


def flags_list(rec: Reconciliation, flags: pd.DataFrame) -> html.Div:
    ids = set(rec.figures["figure_id"]) if not rec.figures.empty else set()
    mine = flags[flags["figure_id"].isin(ids)] if len(flags) else flags
    if mine.empty:
        return html.Div(_("No consistency flag on these figures."), className="nws-muted")
    labels = dict(zip(rec.figures["figure_id"], rec.figures["publisher"], strict=True))
    items = [
        html.Li(
            [
                html.Span(
                    f"⚑ {chk.severity_word(r['severity'])} ",
                    className=f"nws-flag nws-flag-{r['severity']}",
                ),
                html.Code(r["check"]),
                f" · {publisher_shown(labels.get(r['figure_id'], ''))}: ",
                r["message"],
            ],
            **{"data-figure": r["figure_id"]},
        )
        for r in records(mine)
    ]
    return html.Div([html.H3(_("Consistency flags (shown, never fixed)")), html.Ul(items)])


def undated_list(rec: Reconciliation) -> html.Div:
    u = rec.undated
    if u.empty:
        return html.Div(hidden=True)
    items = [
        html.Li(
            f"{publisher_shown(r['publisher'])}: "
            f"{fmt.value_with_qualifier(r['value'], r['qualifier'])}"
            f" ({fmt.period(r['period_start'], r['period_end'])}, "
            f"{fmt.isolate(str(r['area_as_written']))})"
        )
        for r in records(u)
    ]
    title = ngettext(
        "{n} figure without a date: not on the timeline",
        "{n} figures without a date: not on the timeline",
        len(u),
    ).format(n=fmt.number(len(u)))
    return html.Div([html.H3(title), html.Ul(items)])


@cached_view("reconcile")  # performance: shared across workers, keyed by the view state
def content(
    ctx: OverviewContext, state: ReconcileState
) -> tuple[dict, list, object, html.Div, html.Div]:
    """The view's callback outputs; the figure as the dict Dash sends (performance: no
    ``go.Figure`` is built)."""
    rec, flags = compute(ctx, state)
    msgs = chk.messages_by_id(flags)
    x_range = (state.start, state.end) if state.start and state.end else default_x_range(rec)
    fig = reconcile_figure_dict(
        rec, ctx.priority, flags={k: v for k, v in msgs.items() if v}, x_range=x_range
    )
    return fig, summary(rec), pairs_table(rec), flags_list(rec, flags), undated_list(rec)


def default_x_range(rec: Reconciliation) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The dates of the figures, padded: a flow counted since 2018 must not squash the axis."""
    if rec.figures.empty:
        return None
    x = rec.figures["x"]
    pad = max(pd.Timedelta(days=7), (x.max() - x.min()) * 0.04)
    return x.min() - pad, x.max() + pad


def _notices(notices: list[str]) -> html.Div:
    if not notices:
        return html.Div(id=NOTICES, hidden=True)
    return html.Div(
        [
            html.Strong(_("Some link parameters were ignored: ")),
            html.Ul([html.Li(n) for n in notices]),
        ],
        id=NOTICES,
        className="nws-notice",
        role="status",
    )


def controls(ctx: OverviewContext, state: ReconcileState) -> html.Div:
    def field(label: str, control: object, hint: str = "") -> html.Div:
        return html.Div(
            [html.Label(label, className="nws-field-label"), control]
            + ([html.Div(hint, className="nws-field-hint")] if hint else []),
            className="nws-field",
        )

    return html.Div(
        [
            field(
                _("Compare"),
                dcc.Dropdown(
                    id=METRIC,
                    value=state.metric,
                    options=choice_options(),
                    clearable=False,
                    searchable=False,
                ),
            ),
            field(
                _("Area or region"),
                dcc.Dropdown(
                    id=PLACE,
                    value=state.place,
                    options=place_options(ctx),
                    clearable=False,
                    maxHeight=320,
                ),
            ),
            field(
                _("Figures dated between"),
                dcc.DatePickerRange(
                    id=DATES,
                    start_date=state.start,
                    end_date=state.end,
                    clearable=True,
                    display_format="YYYY-MM-DD",
                    updatemode="singledate",
                    start_date_placeholder_text=_("from"),
                    end_date_placeholder_text=_("to"),
                    is_RTL=current().rtl,
                    initial_visible_month=date(2020, 2, 1),
                    **_DATE_BOUNDS,
                ),
            ),
            field(
                _("As known on"),
                dcc.DatePickerSingle(
                    id=AS_OF,
                    date=state.as_of,
                    clearable=True,
                    display_format="YYYY-MM-DD",
                    placeholder=_("any date"),
                    is_RTL=current().rtl,
                    initial_visible_month=date(2020, 2, 1),
                    **_DATE_BOUNDS,
                ),
                _("Only figures published by this day (undated: from their period end)"),
            ),
            field(
                _("Places inside"),
                dcc.Checklist(
                    id=INSIDE,
                    value=["inside"] if state.inside else [],
                    options=[
                        {
                            "label": " " + _("include districts, sub-districts, communities"),
                            "value": "inside",
                        }
                    ],
                ),
            ),
            html.A(
                _("Reset"),
                href="/reconcile" + ("?" + urlencode(query_params()) if query_params() else ""),
                className="nws-reset",
            ),
        ],
        className="nws-filters nws-reconcile-controls",
        role="search",
        **{"aria-label": _("Reconciliation filters")},
    )


def view(ctx: OverviewContext, query: Mapping[str, object]) -> list:
    """The page body for URL ``query`` (rendered on the server: no callback for first paint)."""
    places = {o["value"] for o in place_options(ctx)}
    state, notices = parse_reconcile_query(query, places)
    fig, summ, table, flags, undated = content(ctx, state)
    return [
        dcc.Location(id=LOCATION, refresh=False),
        dcc.Store(id=STORE, data=to_query(state)),
        html.Aside(controls(ctx, state), className="sidebar"),
        html.Main(
            [
                _notices(notices),
                html.H2(_("Reconcile: every source on one timeline"), className="panel-title"),
                html.P(summ, id=SUMMARY, className="nws-caption"),
                dcc.Graph(
                    id=GRAPH,
                    figure=fig,
                    className="nws-chart nws-reconcile-chart",
                    config=chart_config(),  # Arabic month names on the time axis too
                ),
                html.P(
                    _(
                        "Lanes: one per publisher (family). Markers: ● running total, ■ flow (the "
                        "bar spans its period), ◆ stock, ☆ projection or claim. Red ring and "
                        "band: a contradiction. ⚑ a consistency flag."
                    ),
                    className="nws-caption",
                ),
                html.Section(
                    [
                        html.H3(_("Pairs of figures within a week, and why they differ")),
                        html.Div(table, id=PAIRS),
                    ],
                    className="panel",
                ),
                html.Section(html.Div(flags, id=FLAGS), className="panel"),
                html.Section(html.Div(undated, id=UNDATED), className="panel"),
            ],
            className="content",
        ),
    ]


def register_callbacks(ctx: OverviewContext) -> None:
    places = {o["value"] for o in place_options(ctx)}

    @callback(
        Output(LOCATION, "search"),
        Output(STORE, "data"),
        Output(GRAPH, "figure"),
        Output(SUMMARY, "children"),
        Output(PAIRS, "children"),
        Output(FLAGS, "children"),
        Output(UNDATED, "children"),
        Input(METRIC, "value"),
        Input(PLACE, "value"),
        Input(DATES, "start_date"),
        Input(DATES, "end_date"),
        Input(AS_OF, "date"),
        Input(INSIDE, "value"),
        State(STORE, "data"),
        prevent_initial_call=True,
    )
    def update(metric, place, start, end, as_of, inside, current):  # type: ignore[no-untyped-def]
        query = {
            "metric": metric or "",
            "place": place or "",
            "start": str(start or "")[:10],
            "end": str(end or "")[:10],
            "as_of": str(as_of or "")[:10],
            "inside": "1" if inside else "",
        }
        state, _ignored = parse_reconcile_query({k: v for k, v in query.items() if v}, places)
        search = to_query(state)
        # the date pickers re-send their values on mount: an unchanged view is not rebuilt
        if search == current:
            return (no_update,) * 7
        return (search, search, *content(ctx, state))
