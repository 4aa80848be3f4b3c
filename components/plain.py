"""HTML elements as the plain JSON Dash sends for them, for long, repeated markup.

Dash writes a response through plotly's JSON encoder, which asks every component for its
JSON one at a time in Python: the reconcile page's table of 161 pairs (1,500 components)
took 7 ms to encode, the same table as plain dicts 1.4 ms (the same bytes), and making the
components took longer still. :func:`element` writes that JSON directly; :func:`plain`
turns components into it."""

from __future__ import annotations

from typing import Any

from dash.development.base_component import Component


def element(tag: str, children: Any = None, **props: Any) -> dict:
    """The JSON of ``dash.html.<tag>(children, **props)`` (props given as None are left
    out, as Dash leaves them out). Text stays text: it is a prop value, never markup."""
    out = {"children": children} if children is not None else {}
    out.update({k: v for k, v in props.items() if v is not None})
    return {"props": out, "type": tag, "namespace": "dash_html_components"}


def plain(value: Any) -> Any:
    """``value`` with every component in it replaced by the dict Dash sends for it
    (``{"type", "namespace", "props"}``), recursively; other values as they are."""
    if isinstance(value, Component):
        out = value.to_plotly_json()
        return {**out, "props": {k: plain(v) for k, v in out["props"].items()}}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
