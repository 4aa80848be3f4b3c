"""Choosing each request's language, and telling the browser and caches about it.

A request's language comes from, in order:

1. the ``lang`` (and ``digits``) parameters of the URL: a page's address, an export, an
   embed, the one-file report;
2. for a Dash callback (a POST whose body holds the page's state), the same parameters
   found in the page's query string among the callback's inputs (the overview's state
   store, a ``dcc.Location`` search);
3. the browser's ``Accept-Language``;
4. English.

Pages are answered as ``<html lang="ar" dir="rtl">`` (or ``lang="en" dir="ltr"``), and
every HTML or callback response says ``Content-Language`` and ``Vary: Accept-Language`` so
a shared cache never serves one reader's language to another.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from typing import Any
from urllib.parse import parse_qs

import flask

from app import i18n

_QUERY_LIKE = re.compile(r"(?:^|[?&])(?:lang|digits)=")
UPDATE_PATH = "/_dash-update-component"


def _from_query(text: str) -> tuple[str | None, str | None]:
    parsed = parse_qs(text.lstrip("?"), keep_blank_values=False)
    lang, digits, _notices = i18n.parse_params(
        (parsed.get("lang") or [None])[0], (parsed.get("digits") or [None])[0]
    )
    return lang, digits


def _query_in_callback(body: Any) -> str | None:
    """The page's query string among a callback's inputs and states, if any holds one."""
    if not isinstance(body, dict):
        return None
    for group in ("inputs", "state"):
        items = body.get(group)
        if not isinstance(items, list):
            continue
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("value"), str):
                value = item["value"]
                if item.get("property") == "href":
                    value = value.partition("?")[2]
                if _QUERY_LIKE.search(value):
                    return value
    return None


def language_of(request: flask.Request) -> i18n.Language:
    """The language of ``request`` (see module doc)."""
    lang, digits, _notices = i18n.parse_params(request.args.get("lang"), request.args.get("digits"))
    if lang is None and request.method == "POST" and request.path.endswith(UPDATE_PATH):
        body = request.get_json(silent=True, cache=True)
        query = _query_in_callback(body)
        if query is not None:
            lang, digits = _from_query(query)
    explicit = lang is not None
    if lang is None:
        lang = i18n.negotiate(request.headers.get("Accept-Language"))
    return i18n.Language(lang, digits or i18n.DEFAULT_DIGITS, explicit)


def html_tag(language: i18n.Language) -> str:
    return f'<html lang="{language.lang}" dir="{language.dir}">'


def install_language(app: Any) -> None:
    """Set each request's language, mark pages with it and label responses (module doc)."""
    server: flask.Flask = app.server

    @server.before_request
    def choose_language() -> None:
        flask.g.nws_language_token = i18n.set_current(language_of(flask.request))

    @server.teardown_request
    def forget_language(_exc: BaseException | None) -> None:
        token = flask.g.pop("nws_language_token", None)
        if token is not None:
            with contextlib.suppress(ValueError):  # set in another (copied) context: nothing to undo
                i18n.reset_current(token)

    @server.after_request
    def label_language(response: flask.Response) -> flask.Response:
        kind = response.mimetype or ""
        if kind in ("text/html", "application/json") or flask.request.path.endswith(UPDATE_PATH):
            response.headers["Content-Language"] = i18n.current().lang
            response.vary.add("Accept-Language")
        return response

    original = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        page = original(**kwargs)
        language = i18n.current()
        page = re.sub(r"<html(\s[^>]*)?>", html_tag(language), page, count=1)
        return page.replace(
            "</head>",
            f'<script id="nws-i18n" type="application/json">{script_strings_json()}</script>\n</head>',
            1,
        )

    app.interpolate_index = interpolate_index


def script_strings_json() -> str:
    """The browser scripts' strings (``nwsT("...")`` in ``assets/*.js``) in the request's
    language, as JSON safe inside a ``<script type="application/json">`` (read by
    ``assets/i18n.js``; a JSON block is data, so the page's CSP allows it)."""
    return _script_strings_json(i18n.current())


@functools.cache
def _script_strings_json(lang: i18n.Language) -> str:
    """:func:`script_strings_json`, built once per language (it is on every page load)."""
    from app.i18n.scripts import script_msgids

    with i18n.use(lang.lang, lang.digits, lang.explicit):
        table = {m: i18n._(m) for m in script_msgids()} if lang.rtl else {}
    data = {"lang": lang.lang, "dir": lang.dir, "digits": lang.digits, "strings": table}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
