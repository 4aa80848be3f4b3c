"""Every HTTP endpoint and every Dash callback, fed arbitrary values, answers with a page, a
clear message or a 4xx: never a 500, never a traceback.

The app is created in process and driven with Flask's test client. Routes come from the
app's own URL map and callbacks from its own ``/_dash-dependencies``, so an endpoint or a
callback added later is fuzzed without editing this file. A callback body starts from the
values the real page holds (the overview as the browser receives it) and then one or more
inputs are replaced by hostile values: unknown P-codes, reversed or absurd dates, 100 KB
strings, lists, dicts, null, or the value left out altogether.

Every exception Flask sees is recorded (``got_request_exception``) so a failure names the
callback, the input and the exception, which is what whoever fixes it needs.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask import got_request_exception
from hypothesis import given, settings
from hypothesis import strategies as st

from .strategies import EXAMPLES, FUZZ, JSON_LEAF, JSON_VALUE, MESSY_TEXT, PCODE_LIKE

ROOT = Path(__file__).resolve().parents[2]


def _bench_module(name: str) -> Any:
    """Import ``bench/<name>.py`` (the bench folder is scripts, not an installed package)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


dashproto = _bench_module("dashproto")

QUERY_KEYS = (
    "level",
    "metric",
    "sector",
    "area",
    "publisher",
    "start",
    "end",
    "as_of",
    "format",
    "view",
    "lang",
    "pcode",
    "height",
    "width",
)
DATES = st.one_of(
    st.dates().map(str),
    st.sampled_from(
        [
            "2020-02-30",
            "1820-01-01",
            "9999-12-31",
            "0000-00-00",
            "2020-13-01",
            "31/04/2020",
            "",
            "2020-03-01T00:00:00+99:00",
            "x" * 100_000,
        ]
    ),
)
QUERY_VALUES = st.one_of(
    MESSY_TEXT,
    PCODE_LIKE,
    DATES,
    st.sampled_from(["SY999999", "SY07,SY999999", "SY07" + ",SY07" * 5000]),
)


class Recorder:
    """Exceptions raised inside the app during the current request."""

    def __init__(self) -> None:
        self.errors: list[BaseException] = []

    def __call__(self, sender: object, exception: BaseException, **_: object) -> None:
        self.errors.append(exception)

    def take(self) -> list[BaseException]:
        errors, self.errors = self.errors, []
        return errors


@pytest.fixture(scope="module")
def app() -> Any:
    from app.web.server import create_app

    return create_app()


@pytest.fixture(scope="module")
def recorder(app: Any) -> Any:
    rec = Recorder()
    got_request_exception.connect(rec, app.server)
    yield rec
    got_request_exception.disconnect(rec, app.server)


@pytest.fixture(scope="module")
def client(app: Any) -> Any:
    return app.server.test_client()


@pytest.fixture(scope="module")
def callbacks(client: Any) -> list[Any]:
    return dashproto.parse_dependencies(client.get("/_dash-dependencies").get_json())


@pytest.fixture(scope="module")
def page_values(app: Any, client: Any, callbacks: list[Any]) -> dict:
    """Component values of every page as the browser holds them once it has loaded it
    (the overview last, so its ids win where pages share one)."""
    import dash

    shell = dashproto.component_values(client.get("/_dash-layout").get_json())
    pages = next(c for c in callbacks if ("_pages_location", "pathname") in c.inputs)
    paths = sorted((p["path"] for p in dash.page_registry.values()), key=lambda p: p == "/")
    values: dict = {}
    for path in paths:
        page = {**shell, ("_pages_location", "pathname"): path, ("_pages_location", "search"): ""}
        resp = client.post("/_dash-update-component", json=pages.body(page))
        assert resp.status_code == 200, (path, resp.data[:500])
        values.update(dashproto.apply_response(page, resp.get_json()))
    return values


def check(resp: Any, recorder: Recorder, what: str) -> None:
    """No server error, no traceback in the body; the app's own exception in the message."""
    errors = recorder.take()
    body = (
        resp.get_data(as_text=True)
        if resp.mimetype.startswith(("text", "application/json"))
        else ""
    )
    assert resp.status_code < 500, f"{what} -> HTTP {resp.status_code}: " + "; ".join(
        f"{type(e).__name__}: {str(e)[:300]}" for e in errors
    )
    assert "Traceback (most recent call last)" not in body, what


# --- plain routes ---------------------------------------------------------------------------

_CONVERTER = re.compile(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>")


def _get_rules(app: Any) -> list[str]:
    return sorted({r.rule for r in app.server.url_map.iter_rules() if "GET" in r.methods})


def test_known_routes_exist(app: Any) -> None:
    rules = _get_rules(app)
    assert "/health" in rules and "/_dash-layout" in rules


@settings(FUZZ, max_examples=2 * EXAMPLES)
@given(data=st.data())
def test_every_get_route_survives_arbitrary_paths_and_queries(
    app: Any, client: Any, recorder: Recorder, data: st.DataObject
) -> None:
    rule = data.draw(st.sampled_from(_get_rules(app)), label="route")
    segment = data.draw(
        st.one_of(
            MESSY_TEXT,
            PCODE_LIKE,
            st.sampled_from(
                ["..%2F..%2Fetc%2Fpasswd", "adm3", "figures", "x" * 5000, "%00", "a.geojson"]
            ),
        )
    )
    path = _CONVERTER.sub(lambda _, s=segment: quote(s, safe="") or "x", rule)
    query = data.draw(st.dictionaries(st.sampled_from(QUERY_KEYS), QUERY_VALUES, max_size=4))
    url = path + ("?" + urlencode(query) if query else "")
    check(client.get(url), recorder, f"GET {url[:200]}")


@pytest.mark.parametrize(
    "query",
    [
        "area=SY999999,../../x&level=9&metric=%3Cscript%3E&sector=%00",
        "start=2020-03-01&end=2020-01-01&as_of=2020-02-30",
        "start=1820-01-01&end=9999-12-31&level=-1&hxl=2&metric=idp_arrivals&metric=severity",
        "publisher=" + "A" * 100_000,
        "area=" + "SY07," * 20_000,
    ],
    ids=lambda q: q[:40],
)
def test_links_with_bad_parameters_still_open(
    client: Any, recorder: Recorder, page_values: dict, callbacks: list, query: str
) -> None:
    """Every page, every export and the page callback, with a shared link gone wrong."""
    import dash

    pages = next(c for c in callbacks if ("_pages_location", "pathname") in c.inputs)
    for path in sorted(p["path"] for p in dash.page_registry.values()):
        check(client.get(f"{path}?{query}"), recorder, f"GET {path}?{query[:80]}")
        values = {
            **page_values,
            ("_pages_location", "pathname"): path,
            ("_pages_location", "search"): "?" + query,
        }
        resp = client.post("/_dash-update-component", json=pages.body(values))
        check(resp, recorder, f"page callback for {path}?{query[:80]}")
    for export in ("/export/figures.csv", "/export/figures.xlsx", "/export/areas.geojson"):
        check(client.get(f"{export}?{query}"), recorder, f"GET {export}?{query[:80]}")


# --- callbacks ------------------------------------------------------------------------------


def test_baseline_callbacks_answer(
    client: Any, recorder: Recorder, callbacks: list, page_values: dict
) -> None:
    """With the pages' own values every callback answers 200 or 204 (no update)."""
    for cb in callbacks:
        resp = client.post("/_dash-update-component", json=cb.body(page_values))
        check(resp, recorder, f"callback {cb.output} with the page's values")
        assert resp.status_code in (200, 204), (cb.output, resp.data[:300])


def test_callbacks_survive_null_everywhere(
    client: Any, recorder: Recorder, callbacks: list, page_values: dict
) -> None:
    """Every input and state of every callback null at once, then left out at once."""
    for cb in callbacks:
        for values in (
            {**page_values, **dict.fromkeys(cb.reads)},
            {k: v for k, v in page_values.items() if k not in cb.reads},
        ):
            resp = client.post("/_dash-update-component", json=cb.body(values))
            check(resp, recorder, f"callback {cb.output} with every input null or missing")


@settings(FUZZ, max_examples=5 * EXAMPLES // 2)
@given(data=st.data())
def test_callbacks_survive_hostile_inputs(
    client: Any, recorder: Recorder, callbacks: list, page_values: dict, data: st.DataObject
) -> None:
    cb = data.draw(st.sampled_from(callbacks), label="callback")
    targets = data.draw(st.lists(st.sampled_from(cb.reads), min_size=1, max_size=3, unique=True))
    replacement = {
        p: data.draw(st.one_of(st.just(_MISSING), JSON_VALUE, _domain(p))) for p in targets
    }
    values = dict(page_values)
    for p, v in replacement.items():
        if v is _MISSING:
            values.pop(p, None)
        else:
            values[p] = v
    resp = client.post("/_dash-update-component", json=cb.body(values, changed=targets[:1]))
    shown = {f"{i}.{p}": _short(v) for (i, p), v in replacement.items()}
    check(resp, recorder, f"callback {cb.output} with {shown}")


_MISSING = object()


def _short(v: object) -> str:
    text = "<missing>" if v is _MISSING else json.dumps(v, ensure_ascii=False)
    return text if len(text) < 80 else text[:60] + f"... ({len(text)} chars)"


def _domain(prop: tuple[str, str]) -> st.SearchStrategy[Any]:
    """Values that look right for a property but are not (by property name)."""
    _, name = prop
    if "date" in name or name in ("start_date", "end_date"):
        return DATES
    if name == "clickData":
        loc = st.one_of(PCODE_LIKE, JSON_LEAF, st.just("SY999999"))
        point = st.fixed_dictionaries(
            {"location": loc}, optional={"z": JSON_LEAF, "customdata": JSON_VALUE}
        )
        return st.one_of(
            st.fixed_dictionaries({"points": st.lists(point, max_size=2)}),
            st.fixed_dictionaries({"points": JSON_VALUE}),
        )
    if name in ("data", "search"):
        return st.dictionaries(st.sampled_from(QUERY_KEYS), QUERY_VALUES, max_size=4).map(
            lambda q: ("?" if name == "search" else "") + urlencode(q)
        )
    if name == "value":
        return st.one_of(st.lists(st.one_of(PCODE_LIKE, JSON_LEAF), max_size=4), QUERY_VALUES)
    return JSON_VALUE


# --- the request envelope itself ------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b"null",
        b"{}",
        b'{"output": 1}',
        b'{"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, '
        b'"inputs": [], "changedPropIds": []}',
        b'{"output": "cards.children", "outputs": {"id": "cards", "property": "children"}}',
        b'{"output": "cards.children", "outputs": {"id": "cards", "property": "children"}, '
        b'"inputs": "x", "changedPropIds": []}',
        b'{"output": "cards.children", "outputs": {"id": "cards", "property": "children"}, '
        b'"inputs": [{"id": "view-state"}], "changedPropIds": []}',
        b"{" * 10_000 + b"}" * 10_000,
        b"[" * 100_000 + b"]" * 100_000,
        b'{"output": "cards.children", "inputs": [{"id": "view-state", "property": "data", '
        b'"value": "' + b"x" * 2_000_000 + b'"}]}',
    ],
    ids=lambda b: b[:40].decode(errors="replace") or "empty",
)
def test_malformed_update_requests_are_refused_cleanly(
    client: Any, recorder: Recorder, body: bytes
) -> None:
    resp = client.post("/_dash-update-component", data=body, content_type="application/json")
    check(resp, recorder, f"POST /_dash-update-component {body[:60]!r}")
