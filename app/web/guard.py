"""Refuse malformed requests with a 4xx before Dash's own code turns them into a 500.

The dashboard is public, so crafted requests reach it. Dash 4 trusts the body of
``POST /_dash-update-component`` to be what its renderer sends: ``[]``, ``{}``, an unknown
``output``, a missing ``property`` or a dict where ``pathname`` belongs all raise inside
Dash (``KeyError``, ``AttributeError``, ``CallbackException``) and come back as HTTP 500,
and a request for an unregistered script under ``/_dash-component-suites/`` raises
``DependencyException`` (500 too). A 500 reads as "the server is broken", fills the error
log and hides real faults, so :func:`guard_requests` checks the envelope against the app's
own callback map and answers 400 with a one-line JSON reason instead; an unknown script is
a 404. Values inside a well-formed envelope are each callback's business (they must parse
their inputs defensively); only the ``dcc.Location`` strings Dash's pages router reads are
checked here (text, and a pathname that starts with "/", as a browser's always does),
because that callback is Dash's, not ours.

What one callback request may cost is capped too (issue 16: a 0.9 MB body listing 100,000
area codes cost 2.3 s of CPU and a 15 MB answer): a body above :data:`MAX_CALLBACK_BYTES`,
a list or object of more than :data:`MAX_CALLBACK_VALUES` items, or a text longer than
:data:`MAX_CALLBACK_TEXT` anywhere among the values is answered 413 with a one-line JSON
reason naming the component, before Dash or a view sees it.
"""

from __future__ import annotations

import json
from typing import Any

import dash
import flask
from dash.exceptions import DependencyException
from werkzeug.exceptions import RequestEntityTooLarge

#: Largest request body accepted outside the uploads (``/data`` and ``/api`` set their own
#: cap, NWS_MAX_UPLOAD_MB, per request: app.web.editing.refuse_large_bodies).
MAX_REQUEST_BYTES = 1024 * 1024

#: Largest callback body. The renderer sends component values, never figures or files: the
#: real bodies here are a few kilobytes (the largest, every filter set with all 137 areas,
#: under 10 KB). A 0.9 MB body listing 100,000 area codes cost 2.3 s of CPU and a 15 MB
#: answer (issue 16); 256 KiB is still 25 times the largest real one.
MAX_CALLBACK_BYTES = 256 * 1024

#: Most items in one list or object among a callback's values: a multi-value picker's
#: selection (the bundle has 137 areas, a few dozen publishers) or a pattern-matching
#: input's list. Far more is never a person clicking, and each item costs the views work.
MAX_CALLBACK_VALUES = 1000

#: Longest text among a callback's values. Browsers send the app's own URLs, which
#: gunicorn caps at 4,094 bytes a request line; names, dates and P-codes are short.
MAX_CALLBACK_TEXT = 8192

#: Properties that are strings (or null) in every Dash component that has them.
_STRING_PROPS = frozenset({"pathname", "search", "hash", "href"})

UPDATE_PATH = "/_dash-update-component"


class BadCallbackRequest(ValueError):
    """The body is not a callback request this app can answer; the message says why."""

    status = 400


class CallbackTooLarge(BadCallbackRequest):
    """The request is well-formed but asks for more than any person's click could (413)."""

    status = 413


def _name(item: dict[str, Any]) -> str:
    cid = item.get("id")
    text = cid if isinstance(cid, str) else json.dumps(cid, sort_keys=True)
    return f"{text[:80]}.{str(item.get('property'))[:40]}"


def check_value_sizes(value: Any, where: str) -> None:
    """Raise :class:`CallbackTooLarge` when ``value`` holds a list or object of more than
    :data:`MAX_CALLBACK_VALUES` items or a text longer than :data:`MAX_CALLBACK_TEXT`,
    at any depth (walked without recursion: JSON can nest deeper than Python's stack)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if len(v) > MAX_CALLBACK_TEXT:
                raise CallbackTooLarge(
                    f"{where}: a text of {len(v):,} characters; at most {MAX_CALLBACK_TEXT:,}"
                )
        elif isinstance(v, list | dict):
            if len(v) > MAX_CALLBACK_VALUES:
                raise CallbackTooLarge(
                    f"{where}: {len(v):,} values; at most {MAX_CALLBACK_VALUES:,}"
                )
            stack.extend(v.values() if isinstance(v, dict) else v)


def _check_prop_ref(item: Any, where: str, with_value: bool) -> None:
    if isinstance(item, list):  # a pattern-matching (ALL / ALLSMALLER) input: a list of refs
        if len(item) > MAX_CALLBACK_VALUES:
            raise CallbackTooLarge(
                f"{where}: {len(item):,} components; at most {MAX_CALLBACK_VALUES:,}"
            )
        for sub in item:
            _check_prop_ref(sub, where, with_value)
        return
    if not isinstance(item, dict):
        raise BadCallbackRequest(f"{where}: expected an object with id and property")
    if not isinstance(item.get("id"), str | dict) or not isinstance(item.get("property"), str):
        raise BadCallbackRequest(f"{where}: expected an id (text or object) and a property (text)")
    if with_value and "value" in item:
        check_value_sizes(item["value"], _name(item))
    if with_value and item["property"] in _STRING_PROPS:
        value = item.get("value")
        if value is not None and not isinstance(value, str):
            raise BadCallbackRequest(f"{where}: {item['property']} must be text")
        if item["property"] == "pathname" and value is not None and not value.startswith("/"):
            raise BadCallbackRequest(f"{where}: a pathname starts with /")


def check_update_body(body: Any, callback_map: dict[str, dict[str, Any]]) -> None:
    """Raise :class:`BadCallbackRequest` unless ``body`` is a well-formed callback request."""
    if not isinstance(body, dict):
        raise BadCallbackRequest("expected a JSON object")
    output = body.get("output")
    if not isinstance(output, str):
        raise BadCallbackRequest("'output' must be text")
    callback = callback_map.get(output)
    if callback is None or "callback" not in callback:
        raise BadCallbackRequest("'output' names no server callback of this app")
    # Without "outputs" Dash falls back to a legacy path that fails on multi-output callbacks.
    outputs = body.get("outputs")
    if output.startswith(".."):
        count = output.count("...") + 1
        if not isinstance(outputs, list) or len(outputs) != count:
            raise BadCallbackRequest(f"'outputs' must list the callback's {count} outputs")
    elif not isinstance(outputs, dict | list):
        raise BadCallbackRequest("'outputs' must name the callback's output")
    for i, ref in enumerate(outputs if isinstance(outputs, list) else [outputs]):
        _check_prop_ref(ref, f"outputs[{i}]", with_value=False)
    for key in ("inputs", "state"):
        items = body.get(key, [])
        if not isinstance(items, list):
            raise BadCallbackRequest(f"'{key}' must be a list")
        expected = len(callback.get(key) or [])
        if len(items) != expected:
            raise BadCallbackRequest(
                f"'{key}' has {len(items)} items; this callback takes {expected}"
            )
        for i, item in enumerate(items):
            _check_prop_ref(item, f"{key}[{i}]", with_value=True)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadCallbackRequest("'changedPropIds' must be a list of text")


def _too_large(size: str) -> str:
    return f"callback request too large: {size}; at most {MAX_CALLBACK_BYTES:,} bytes"


def guard_requests(app: dash.Dash) -> None:
    """Install the checks on ``app.server`` (call once, after the app is created)."""
    server = app.server
    if server.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: no limit
        server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES

    def refuse(status: int, message: str) -> flask.Response:
        response = flask.jsonify(error=message)
        response.status_code = status
        return response

    @server.before_request
    def check_callback_request() -> flask.Response | None:
        request = flask.request
        if request.method != "POST" or not request.path.endswith(UPDATE_PATH):
            return None
        size = request.content_length
        if size is not None and size > MAX_CALLBACK_BYTES:  # refused before it is read
            return refuse(413, _too_large(f"{size:,} bytes"))
        # a chunked body (no length): werkzeug stops reading at the cap and hands over
        # what it read, so a body that fills the cap is one that was cut off
        request.max_content_length = MAX_CALLBACK_BYTES
        try:
            if len(request.get_data(cache=True)) >= MAX_CALLBACK_BYTES:
                return refuse(413, _too_large("more"))
            body = request.get_json(silent=True)
        except RequestEntityTooLarge:
            return refuse(413, _too_large("more"))
        except RecursionError:  # "[[[[...]]]]" nested deeper than Python's json can go
            body = None
        if body is None:
            return refuse(400, "the body must be a JSON callback request")
        try:
            check_update_body(body, app.callback_map)
        except CallbackTooLarge as exc:
            return refuse(413, f"callback request too large: {exc}")
        except BadCallbackRequest as exc:
            return refuse(400, f"malformed callback request: {exc}")
        return None

    @server.errorhandler(DependencyException)
    def unknown_script(_: DependencyException) -> flask.Response:
        return refuse(404, "no such script")
