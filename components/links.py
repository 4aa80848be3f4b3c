"""The one way the UI draws a link to a source: only http(s) URLs become links.

A source's ``url`` comes from a file (:mod:`app.normalise.urls` says why ``javascript:``,
``data:``, ``ftp://`` or a bare ``www.`` cannot be links). Cards, the sources page and the
embeds all call :func:`source_link`, so the check lives in one place; anything else is
shown as plain text (Dash escapes text children).

Some documents are only reachable through a document-sharing site that copied them
(docslib, pdfslide ...). Such a link is not the publisher's page, so it says so beside the
link: "(copy at docslib.org)" (:func:`mirror_host`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from dash import html

from app import format as fmt
from app.i18n import _
from app.normalise.urls import http_url

#: Sites that re-host other people's documents or articles: a link there is a copy.
MIRROR_HOSTS: frozenset[str] = frozenset(
    {
        "docslib.org",
        "pdfslide.net",
        "fdocuments.net",
        "vdocuments.net",
        "vdocuments.mx",
        "documents.pub",
        "dokumen.pub",
        "silo.tips",
        "studylib.net",
        "yumpu.com",
        "scribd.com",
        "magazine.com.co",  # re-posts wire stories (AFP)
        "scoop.co.nz",  # re-posts press releases (OHCHR)
    }
)


def mirror_host(url: object) -> str | None:
    """The mirror's host name when ``url`` is on a site that copies documents, else None.

    >>> mirror_host("https://docslib.org/doc/9111801/x"), mirror_host("https://www.pdfslide.net/a")
    ('docslib.org', 'pdfslide.net')
    >>> mirror_host("https://reliefweb.int/report/x"), mirror_host("javascript:x")
    (None, None)
    """
    href = http_url(url)
    if href is None:
        return None
    host = (urlsplit(href).hostname or "").lower().removeprefix("www.")
    for mirror in MIRROR_HOSTS:
        if host == mirror or host.endswith("." + mirror):
            return mirror
    return None


def source_link(text: str, url: object, **props: object) -> html.A | html.Span:
    """``text`` linking to ``url`` in a new tab when ``url`` is http(s), else plain text.

    ``props`` (``className`` ...) go to the link only. The link opens without a referrer
    or an ``opener`` handle, so a source page can neither see nor steer the dashboard.
    A link to a mirror carries "(copy at <host>)" after it, outside the link.
    """
    href = http_url(url)
    if href is None:
        return html.Span(text)
    link = html.A(text, href=href, target="_blank", rel="noopener noreferrer", **props)
    mirror = mirror_host(href)
    if mirror is None:
        return link
    return html.Span(
        [
            link,
            " ",
            html.Span(
                _("(copy at {host})").format(host=fmt.isolate(mirror)), className="nws-mirror-note"
            ),
        ],
        className="nws-source-mirror",
    )
