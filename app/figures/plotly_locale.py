"""plotly.js's own words in the interface's language: date ticks and the plot toolbar.

plotly.js writes some text itself: month names on date axes ("Feb 2020"), the toolbar's
tooltips ("Zoom in", "Reset axes"), "Double-click to zoom back out". It reads them from a
*locale*, which a graph names in its config (``config.locale``). The partial bundle
(assets/vendor/PLOTLY_BUILD.md) carries only English, and a locale script from a CDN would
be a request off the machine; so the Arabic locale travels in the graph's own config
(``config.locales``, which plotly.js reads before its registry): about 1.5 KB, no script,
no request, no timing with the lazily loaded bundle (assets/plotly_loader.js).

Month and day names are Babel's CLDR ``ar_SY`` (شباط, آذار), the names :mod:`app.format`
prints, so an axis and a hover say a month the same way; digits stay Western (glossary:
plotly.js cannot shape the digits of its ticks, and Western is the default). Time still
runs left to right: nothing here reverses an axis.
"""

from __future__ import annotations

import functools

from app.i18n import N_, _, current

#: The name of the locale in plotly.js (``config.locale``).
LOCALE = "ar"

#: plotly.js's own UI strings the dashboard's graphs can show (toolbar tooltips, the zoom
#: hint), by their English text in plotly.js, which is the key of its locale dictionary.
PLOTLY_STRINGS: tuple[str, ...] = (
    N_("Autoscale"),
    N_("Compare data on hover"),
    N_("Double-click to zoom back out"),
    N_("Pan"),
    N_("Reset"),
    N_("Reset axes"),
    N_("Reset view"),
    N_("Show closest data on hover"),
    N_("Toggle Spike Lines"),
    N_("Toggle show closest data on hover"),
    N_("Zoom"),
    N_("Zoom in"),
    N_("Zoom out"),
)


@functools.cache
def _calendar(babel_locale: str) -> dict:
    """Month, day and period names of ``babel_locale`` in plotly.js's order (days from
    Sunday), from CLDR."""
    from babel.dates import get_day_names, get_month_names, get_period_names

    months = get_month_names("wide", locale=babel_locale)
    short_months = get_month_names("abbreviated", locale=babel_locale)
    days = get_day_names("wide", locale=babel_locale)  # 0 is Monday
    short_days = get_day_names("abbreviated", locale=babel_locale)
    periods = get_period_names(locale=babel_locale)
    sunday_first = (6, 0, 1, 2, 3, 4, 5)
    return {
        "months": [months[m] for m in range(1, 13)],
        "shortMonths": [short_months[m] for m in range(1, 13)],
        "days": [days[d] for d in sunday_first],
        "shortDays": [short_days[d] for d in sunday_first],
        "periods": [periods["am"], periods["pm"]],
    }


def month_names(lang: str) -> list[str]:
    """The full month names plotly.js writes for ``%B`` in the interface ``lang`` (January
    first): the graph's locale (:func:`locale_config`)."""
    if lang == "ar":
        return _calendar("ar_SY")["months"]
    return ["January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"]  # fmt: skip


def arabic_locale() -> dict:
    """The ``ar`` locale for plotly.js: ``{"dictionary": ..., "format": ...}``.

    Dates on axes read day, month, year ("16 شباط 2020", as :func:`app.format.day`);
    numbers keep Western digits with "." and "," (docs/glossary-ar.md)."""
    fmt = {
        **_calendar("ar_SY"),
        "dateTime": "%a %e %b %Y %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "decimal": ".",
        "thousands": ",",
        "grouping": [3],
        "currency": ["", ""],
        "year": "%Y",
        "month": "%b %Y",
        "dayMonth": "%-d %b",
        "dayMonthYear": "%-d %b %Y",
    }
    return {"dictionary": {s: _(s) for s in PLOTLY_STRINGS}, "format": fmt}


def locale_config() -> dict:
    """What a ``dcc.Graph`` config needs for the interface's language: ``{}`` in English
    (plotly.js's default), the Arabic locale and its name in the Arabic interface."""
    if current().lang != "ar":
        return {}
    return {"locale": LOCALE, "locales": {LOCALE: arabic_locale()}}
