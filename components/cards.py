"""Headline cards: displaced, killed, at risk - each figure with who says so, and who else did.

The figure is chosen by the documented headline rule (:mod:`app.queries.headline`); the
card shows its qualifier and range, publisher, document and date, and lists the other
figures for the same metric in the same weeks behind a click (``<details>``: no callback,
works without JavaScript). The seed news article's figure is named on the card itself.

With one area selected (a click on the map, or the area box) the cards are that area's
(:func:`app.queries.cards.area_cards`): a heading names the area with its P-code, a button
goes back to north-west Syria (it clears the selection, so the URL, the map and the
cards follow), and a card the area has no figure for says so and shows the wider area's
figure under that area's name.
"""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate

from app import format as fmt
from app.i18n import N_, _, ngettext
from app.normalise.urls import http_url
from app.queries import checks
from app.queries.cards import SEED_PUBLISHER, CardData, area_cards, area_scope, card_area
from app.queries.derived import as_of_key
from app.queries.headline import CARDS as HEADLINE_CARDS
from app.state import ViewState, parse_search
from app.vocab import METRICS, Kind
from app.web.cache import cached_view
from components.context import OverviewContext
from components.downloads import download_bar
from components.filters import AREA, STATE
from components.links import source_link

CARDS = "cards"
#: Store of the as-of date and area the cards were built for (see :func:`shown_key`).
SHOWN = "cards-shown"
#: "Back to north-west Syria": clears the selected area.
BACK = "cards-back"
CARD_KEYS = tuple(HEADLINE_CARDS)

#: The cards' words for an area (marked for translation: shown through ``_(TEXT[...])``).
TEXT = {
    "back": N_("Back to north-west Syria"),
    "scope_title": N_("Headline figures for {area}"),
    "several": N_(
        "{n} areas are selected: the cards show north-west Syria. Select one area "
        "(click it on the map) to see its figures."
    ),
    "no_area_figure": N_("No figure reported for {area} for this card."),
    "no_area_figure_known": N_("No figure reported for {area} for this card by {day}."),
    "fallback": N_("Figure for {area} instead:"),
    "no_fallback": N_("No figure for a wider area either."),
    "single_day": N_("a single day's count, not a total"),
}


def card_id(key: str) -> str:
    return f"card-{key.replace('_', '-')}"


def _link(text: str, url: object) -> html.Span | html.A:
    return source_link(text, url, className="nws-doc-link")


def _alternatives_table(alt: list[dict]) -> html.Table:
    rows = []
    for r in alt:
        rows.append(
            html.Tr(
                [
                    html.Td(r["publisher"], className="nws-alt-publisher"),
                    html.Td(
                        fmt.figure_text(r["value"], r["qualifier"], r["low"], r["high"]),
                        className="num",
                    ),
                    html.Td(fmt.period(r["period_start"], r["period_end"])),
                    html.Td(r["area_as_written"]),
                    html.Td(_link(_("source"), r["url"]) if http_url(r["url"]) else _("no link")),
                ],
                className="nws-alt-row",
            )
        )
    head = html.Thead(
        html.Tr(
            [
                html.Th(_(h))
                for h in (N_("Publisher"), N_("Figure"), N_("Date"), N_("Area"), N_("Link"))
            ]
        )
    )
    return html.Table([head, html.Tbody(rows)], className="table nws-alt-table")


def _when(f: dict | pd.Series) -> str:
    """Running totals read "as of <end> (since <start>)", anything else as its period."""
    start, end = f.get("period_start"), f.get("period_end")
    if f.get("kind") == Kind.CUMULATIVE.value:
        if fmt.is_missing(start):
            return _("as of {date}").format(date=fmt.day(end))
        return _("as of {end} (since {start})").format(end=fmt.day(end), start=fmt.day(start))
    return fmt.period(start, end)


def _rule(c: CardData) -> html.Details:
    """The headline rule that picked the figure, in words (README "Headline rule")."""
    return html.Details(
        [html.Summary(_("How this figure was chosen")), html.P(c.rule)], className="nws-card-rule"
    )


def _flags(flags: list[str]) -> html.Details:
    """Consistency flags on the figure (app.queries.checks): shown, never fixed."""
    n = len(flags)
    return html.Details(
        [
            html.Summary(
                "⚑ "
                + ngettext("{n} consistency flag", "{n} consistency flags", n).format(
                    n=fmt.number(n)
                ),
                className="nws-flag-badge",
            ),
            html.Ul([html.Li(m) for m in flags]),
        ],
        className="nws-card-flags",
    )


def _figure(f: dict, as_of: pd.Timestamp | None, single_day: bool = False) -> list:
    """The figure with its qualifier and range, its source and its dates."""
    q = fmt.qualifier_text(f["qualifier"])
    rng = fmt.value_range(f["low"], f["high"])
    metric = METRICS.get(f["metric"])
    badges = []
    if metric is not None and metric.kind == Kind.PROJECTION:
        badges.append(html.Span(_("projection / claim, not a count"), className="badge badge-warn"))
    if single_day:
        badges.append(html.Span(_(TEXT["single_day"]), className="badge badge-warn nws-single-day"))
    dates = [html.Span(_when(f), className="nws-card-asof")]
    if not fmt.is_missing(f.get("published_date")):
        published = _("published {date}").format(date=fmt.day(f["published_date"]))
        dates.append(html.Span(" · " + published))
    if as_of is not None:
        known = _("as known on {date}").format(date=fmt.day(as_of))
        dates.append(html.Span(" · " + known, className="nws-card-known"))
    return [
        html.Div(
            [
                html.Span(q, className="nws-card-qualifier") if q else None,
                html.Span(fmt.number(f["value"]), className="card-value"),
                html.Span(f"({rng})" if rng else _("(exact as published)"), className="card-range"),
                *badges,
            ],
            className="nws-card-figure",
        ),
        html.Div(
            [
                html.Span(f["publisher"], className="nws-card-publisher"),
                " · ",
                _link(str(f["document"]), f.get("url")),
            ],
            className="card-meta nws-card-source",
        ),
        html.Div(dates, className="card-meta nws-card-dates"),
    ]


def _no_area_figure(c: CardData) -> list:
    """An area's card without a figure of its own: say so, then the wider area's figure
    (named as such), or that there is none either."""
    area = _(c.scope.label)
    said = (
        _(TEXT["no_area_figure_known"]).format(area=area, day=fmt.day(c.as_of))
        if c.as_of is not None
        else _(TEXT["no_area_figure"]).format(area=area)
    )
    out: list = [html.P(said, className="nws-card-empty nws-card-no-area")]
    fb = c.fallback
    if fb is None or fb.figure is None:
        out.append(html.P(_(TEXT["no_fallback"]), className="nws-card-empty"))
        return [*out, _rule(c)]
    out.append(
        html.Div(
            [
                html.P(
                    _(TEXT["fallback"]).format(area=_(fb.scope.label)),
                    className="nws-fallback-label",
                ),
                *_figure(fb.figure, fb.as_of, fb.single_day),
                _rule(fb),
            ],
            className="nws-card-fallback",
        )
    )
    return out


def card(c: CardData, flags: list[str] | None = None) -> html.Section:
    """One card (pure: CardData -> component tree); ``flags``: the figure's flag messages."""
    children: list = [
        html.H2(
            _(c.title),
            className="card-label",
            title=_("How this figure was chosen: {rule}").format(rule=c.rule),
        )
    ]
    if c.scope.pcode is not None:
        children.append(html.P(_(c.scope.label), className="card-meta nws-card-scope"))
    f = c.figure
    if f is None and c.scope.pcode is not None:
        children += _no_area_figure(c)
        return html.Section(children, id=card_id(c.key), className="card")
    if f is None:
        said = (
            _("No figure known by {date}.").format(date=fmt.day(c.as_of))
            if c.as_of is not None
            else _("No figure known.")
        )
        children.append(html.P(said, className="nws-card-empty"))
        children.append(_rule(c))
        return html.Section(children, id=card_id(c.key), className="card")
    children += _figure(f, c.as_of, c.single_day)
    if flags:
        children.append(_flags(flags))
    children.append(_rule(c))
    # performance: the alternatives as records once (CardData.seed / n_sources, in Python)
    alt = c.alternatives.to_dict("records") if not c.alternatives.empty else []
    seed = [r for r in alt if str(r["publisher"]).startswith(SEED_PUBLISHER)]
    if seed:
        s = seed[0]
        children.append(
            html.Div(
                [
                    html.Span(_("News article, 16 Feb 2020: "), className="nws-seed-label"),
                    html.Span(fmt.figure_text(s["value"], s["qualifier"], s["low"], s["high"])),
                    html.Span(f" · {_when(s)}"),
                ],
                className="nws-card-seed",
            )
        )
    n = len(alt)
    if n:
        n_sources = len({r["publisher"] for r in alt})
        figures_text = ngettext("{n} other figure", "{n} other figures", n).format(n=fmt.number(n))
        summary = ngettext(
            "{figures} from {n} source in the same weeks",
            "{figures} from {n} sources in the same weeks",
            n_sources,
        ).format(figures=figures_text, n=fmt.number(n_sources))
        children.append(
            html.Details(
                [
                    html.Summary(summary, className="nws-alt-summary"),
                    _alternatives_table(alt),
                ],
                className="nws-alternatives",
            )
        )
    else:
        children.append(
            html.Div(_("No other source gave a figure in the same weeks"), className="nws-alt-none")
        )
    return html.Section(children, id=card_id(c.key), className="card")


def shown_key(state: ViewState) -> str:
    """What the cards depend on: the as-of date ("" for none) and the selected areas (one
    area gives its cards; several, a note). Nothing else in the view state changes them
    (the download bars inside are rewritten by their own callback)."""
    day = state.as_of.isoformat() if state.as_of is not None else ""
    return f"{day}|{','.join(state.areas)}" if state.areas else day


def _parse_shown(shown: str) -> tuple[pd.Timestamp | None, tuple[str, ...]]:
    day, _sep, selected = shown.partition("|")
    return (pd.Timestamp(day) if day else None), tuple(a for a in selected.split(",") if a)


@cached_view("cards")  # performance: shared across workers, keyed by as-of date and areas
def card_sections(ctx: OverviewContext, shown: str) -> list:
    """The three cards for an as-of date and selection (``shown_key``), without their
    download bars."""
    as_of, selected = _parse_shown(shown)
    b = ctx.bundle
    # the figures known on as_of are those known on the day of the last publication by then
    found = checks.view_checks(
        b.figures, b.areas, b.regions, as_of_key(b.figures, as_of), ctx.priority
    )
    messages = checks.messages_by_id(found)  # one pass (as checks.messages_for, per figure)
    cards = area_cards(b.figures, b.areas, ctx.priority, card_area(selected), as_of)
    return [card(c, messages.get(c.figure["figure_id"], []) if c.figure else None) for c in cards]


def scope_bar(ctx: OverviewContext, state: ViewState) -> html.Div | None:
    """Above the cards when areas are selected: the area's name and P-code with the way
    back to north-west Syria, or for several areas why the cards stay on north-west Syria."""
    if not state.areas:
        return None
    area = card_area(state.areas)
    if area is None:
        text = _(TEXT["several"]).format(n=fmt.number(len(state.areas)))
        heading: html.Component = html.P(text, className="nws-cards-scope-note")
    else:
        label = area_scope(ctx.bundle.areas, area).label
        heading = html.H2(
            _(TEXT["scope_title"]).format(area=label), className="nws-cards-scope-title"
        )
    back = html.Button(
        _(TEXT["back"]),
        id=BACK,
        n_clicks=0,
        type="button",
        className="btn btn-secondary nws-cards-back",  # .btn: not printed
        style={"minHeight": "36px"},  # finger-sized on a phone
    )
    return html.Div(
        [heading, back],
        className="nws-cards-scope",
        # a row of its own in the cards' grid; the button wraps below the name on a phone
        style={
            "gridColumn": "1 / -1",
            "display": "flex",
            "flexWrap": "wrap",
            "alignItems": "center",
            "justifyContent": "space-between",
            "gap": "6px 12px",
        },
    )


def cards_children(ctx: OverviewContext, state: ViewState) -> list:
    """The cards for ``state``, each with its download bar (links and embed code of the
    state), the area's heading when one is selected, and the store saying which as-of
    date and areas they show (it renders nothing)."""
    key = shown_key(state)
    sections = [
        html.Section(
            [*section.children, download_bar("card", state, card_key)],
            id=section.id,
            className=section.className,
        )
        for card_key, section in zip(CARD_KEYS, card_sections(ctx, key), strict=True)
    ]
    bar = scope_bar(ctx, state)
    return [*([bar] if bar is not None else []), *sections, dcc.Store(id=SHOWN, data=key)]


def cards_row(ctx: OverviewContext, state: ViewState) -> html.Div:
    return html.Div(cards_children(ctx, state), id=CARDS, className="cards")


def register_callbacks(ctx: OverviewContext) -> None:
    @callback(
        Output(CARDS, "children"),
        Input(STATE, "data"),
        State(SHOWN, "data"),
        prevent_initial_call=True,
    )
    def update_cards(query: str, shown: str | None):  # type: ignore[no-untyped-def]
        state, _notices = parse_search(query, ctx.choices)
        if shown_key(state) == shown:  # performance: same as-of date and areas: 204
            raise PreventUpdate
        return cards_children(ctx, state)

    # "Back to north-west Syria" clears the area picker, in the browser: the state, the
    # URL, the map's zoom and the cards then follow as for any change of the selection.
    clientside_callback(
        "function (n) { return n ? [] : window.dash_clientside.no_update; }",
        Output(AREA, "value", allow_duplicate=True),
        Input(BACK, "n_clicks"),
        prevent_initial_call=True,
    )
