"""The one way the UI draws a link to a source: only http(s) URLs become links.

A source's ``url`` comes from a file (:mod:`app.normalise.urls` says why ``javascript:``,
``data:``, ``ftp://`` or a bare ``www.`` cannot be links). Cards, the sources page and the
embeds all call :func:`source_link`, so the check lives in one place; anything else is
shown as plain text (Dash escapes text children).
"""

from __future__ import annotations

from dash import html

from app.normalise.urls import http_url


def source_link(text: str, url: object, **props: object) -> html.A | html.Span:
    """``text`` linking to ``url`` in a new tab when ``url`` is http(s), else plain text.

    ``props`` (``className`` ...) go to the link only. The link opens without a referrer
    or an ``opener`` handle, so a source page can neither see nor steer the dashboard.
    """
    href = http_url(url)
    if href is None:
        return html.Span(text)
    return html.A(text, href=href, target="_blank", rel="noopener noreferrer", **props)
