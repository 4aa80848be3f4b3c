"""Speak Dash's HTTP protocol without a browser: callbacks from ``/_dash-dependencies``,
component values from a layout, and ``/_dash-update-component`` request bodies.

Used by ``bench/loadtest.py`` (realistic requests) and ``tests/fuzz/test_http_fuzz.py``
(mutated ones). Building the bodies from the app's own dependency list, instead of pasting
captured JSON, keeps both working when a callback gains an input: a payload recorded once
would silently test yesterday's app. The body format is what the Dash 4 renderer sends
(``dash-renderer`` ``callbacks.ts``): ``output``, ``outputs``, ``inputs``, ``state``,
``changedPropIds``; values of absent components are omitted, as the renderer omits them.
Checked against Chromium on 2026-11-25 (Playwright, the overview's page load and a filter
change): the bodies are identical, except that the renderer also sends
``parsedChangedPropsIds`` and an ``?endId=`` query, and leaves out an empty ``state``,
none of which Dash's server reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

Prop = tuple[str, str]  # (component id, property); a dict id is kept as canonical JSON text


def id_key(component_id: str | dict[str, Any]) -> str:
    """A component id as a dict key: text ids as they are, dict ids as sorted compact JSON."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


def _wildcards(key: str) -> dict[str, Any] | None:
    """The pattern of a wildcard id (``{"type": "x", "view": ["ALL"]}``), else None."""
    if not key.startswith("{"):
        return None
    pattern = json.loads(key)
    return pattern if any(isinstance(v, list) for v in pattern.values()) else None


def _matches(pattern: dict[str, Any], key: str) -> bool:
    if not key.startswith("{") or _wildcards(key) is not None:
        return False
    concrete = json.loads(key)
    return concrete.keys() == pattern.keys() and all(
        isinstance(v, list) or concrete[k] == v for k, v in pattern.items()
    )


@dataclass(frozen=True)
class Callback:
    """One server-side callback as ``/_dash-dependencies`` describes it."""

    output: str
    outputs: tuple[Prop, ...]
    inputs: tuple[Prop, ...]
    state: tuple[Prop, ...]
    prevent_initial_call: bool

    @property
    def multi(self) -> bool:
        return self.output.startswith("..")

    @property
    def reads(self) -> tuple[Prop, ...]:
        return self.inputs + self.state

    def body(
        self,
        values: Mapping[Prop, Any],
        changed: list[Prop] | None = None,
    ) -> dict[str, Any]:
        """The request body for this callback given the current component values."""

        def concrete(p: Prop) -> list[Prop] | None:
            """For a wildcard (ALL) prop, the matching props present in ``values``."""
            pattern = _wildcards(p[0])
            if pattern is None:
                return None
            found = (k for k, _ in values if _matches(pattern, k))
            return [(k, p[1]) for k in dict.fromkeys(found)]  # layout order, as the renderer

        def ref(p: Prop) -> dict[str, Any]:
            return {"id": json.loads(p[0]) if p[0].startswith("{") else p[0], "property": p[1]}

        def leaf(p: Prop) -> dict[str, Any]:
            d = ref(p)
            if p in values:
                d["value"] = values[p]
            return d

        def item(p: Prop) -> dict[str, Any] | list[dict[str, Any]]:
            many = concrete(p)
            return leaf(p) if many is None else [leaf(m) for m in many]

        outs = [
            ref(p) if (many := concrete(p)) is None else [ref(m) for m in many]
            for p in self.outputs
        ]
        return {
            "output": self.output,
            "outputs": outs if self.multi else outs[0],
            "inputs": [item(p) for p in self.inputs],
            "state": [item(p) for p in self.state],
            "changedPropIds": [
                f"{i}.{p}" for i, p in (changed or self.inputs[:1]) if _wildcards(i) is None
            ],
        }


def _split_output(output: str) -> tuple[Prop, ...]:
    """``"..a.b...c.d.."`` or ``"a.b"`` -> ((a, b), (c, d)); property names hold no dots."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return tuple(tuple(p.rsplit(".", 1)) for p in parts)  # type: ignore[misc]


def parse_dependencies(deps: list[dict[str, Any]]) -> list[Callback]:
    """Server-side callbacks; clientside ones and MATCH / ALLSMALLER wildcards are skipped
    (the app's only MATCH callback is clientside), ALL wildcards are expanded by ``body``."""
    out = []
    for d in deps:
        if d.get("clientside_function"):
            continue
        text = json.dumps([d["output"], d["inputs"], d["state"]])
        if "MATCH" in text or "ALLSMALLER" in text:
            continue
        out.append(
            Callback(
                output=d["output"],
                outputs=_split_output(d["output"]),
                inputs=tuple((x["id"], x["property"]) for x in d["inputs"]),
                state=tuple((x["id"], x["property"]) for x in d["state"]),
                prevent_initial_call=bool(d.get("prevent_initial_call")),
            )
        )
    return out


def walk(tree: Any) -> Iterator[dict[str, Any]]:
    """Every component (``{"type", "namespace", "props"}``) in a serialised layout."""
    if isinstance(tree, list):
        for child in tree:
            yield from walk(child)
    elif isinstance(tree, dict):
        if "props" in tree and "type" in tree:
            yield tree
            for value in tree["props"].values():
                yield from walk(value)
        else:
            for value in tree.values():
                yield from walk(value)


def component_values(tree: Any) -> dict[Prop, Any]:
    """(id, property) -> value for every component with a string id in ``tree``."""
    values: dict[Prop, Any] = {}
    for comp in walk(tree):
        cid = comp["props"].get("id")
        if isinstance(cid, str | dict):
            for prop, value in comp["props"].items():
                values[(id_key(cid), prop)] = value
    return values


def component_types(tree: Any) -> dict[str, str]:
    """Component id -> its type ("Dropdown", "Graph", ...)."""
    return {
        id_key(c["props"]["id"]): c["type"]
        for c in walk(tree)
        if isinstance(c["props"].get("id"), str | dict)
    }


def apply_response(values: dict[Prop, Any], response: Mapping[str, Any]) -> dict[Prop, Any]:
    """Fold a ``/_dash-update-component`` answer (``{"response": {id: {prop: v}}}``) into values;
    new children (a page) also bring their components' values."""
    for cid, props in (response.get("response") or {}).items():
        for prop, value in props.items():
            values[(cid, prop)] = value  # Dash answers dict ids as sorted compact JSON too
            if prop == "children":
                values.update(component_values(value))
    return values


def dumps(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()
