"""Which source links may be shown as links: http(s) URLs, nothing else.

A figure's ``url`` comes from a file someone typed or downloaded. A browser follows a
``javascript:``, ``data:`` or ``vbscript:`` link as code, an ``ftp://`` or ``file:`` link
leaves the web, and ``www.example.org`` without a scheme is read by the browser as a path
on the dashboard itself. So only an absolute ``http://`` or ``https://`` URL with a host
and no spaces or control characters is a link; anything else stays text. The loaders warn
about such a cell (the figure and its text are kept, never linked) and every link the UI
draws goes through :func:`http_url` (``components/links.py``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: Scheme, "://", a host (no spaces, no control characters anywhere).
_HTTP = re.compile(r"^https?://[^\s/?#@]+", re.IGNORECASE)
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")


def http_url(value: object) -> str | None:
    """``value`` when it is an absolute http(s) URL that can be linked, else None.

    >>> http_url("https://reliefweb.int/report/x"), http_url(" http://a.org ")
    ('https://reliefweb.int/report/x', 'http://a.org')
    >>> [http_url(v) for v in ("javascript:alert(1)", "ftp://a.org/x", "www.a.org", "data:,x")]
    [None, None, None, None]
    >>> http_url("https://"), http_url("https://a.org/a b"), http_url(None)
    (None, None, None)
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not _HTTP.match(text) or _UNSAFE.search(text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed "[" in the host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return text


def url_problem(value: str) -> str | None:
    """Why a non-empty url cell cannot be a link (None when it can), for the loaders' report.

    >>> url_problem("javascript:alert(1)")
    "'javascript:alert(1)' is not an http(s) link (scheme 'javascript')"
    >>> url_problem("www.example.org")
    "'www.example.org' is not an http(s) link (no scheme)"
    """
    text = value.strip()
    if not text or http_url(text) is not None:
        return None
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", text)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        why = f"scheme {scheme.group(1).lower()!r}"
    elif scheme:
        why = "no host, or spaces or control characters in it"
    else:
        why = "no scheme"
    return f"{text!r} is not an http(s) link ({why})"
