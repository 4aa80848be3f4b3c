"""The overview's view callbacks send nothing when their part of the view state is unchanged.

The cards depend on the as-of date and the selected areas only, the chart on everything but
the map's level: each
keeps what it was built for in a store, and a filter change that leaves it alone is
answered 204 (Dash's "no update") instead of resending the same figures.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def client() -> Any:
    from app.web.server import create_app

    return create_app().server.test_client()


def _cards(client: Any, query: str, shown: str) -> Any:
    body = {
        "output": "cards.children",
        "outputs": {"id": "cards", "property": "children"},
        "inputs": [{"id": "view-state", "property": "data", "value": query}],
        "state": [{"id": "cards-shown", "property": "data", "value": shown}],
        "changedPropIds": ["view-state.data"],
    }
    return client.post(UPDATE, data=json.dumps(body), content_type="application/json")


def _views(client: Any, outputs: list[tuple[str, str]], query: str, store: str, shown: str) -> Any:
    """POST a view callback with several outputs, as the renderer does: the view state as
    input and the view's store of what it shows as state."""
    body = {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": "view-state", "property": "data", "value": query}],
        "state": [{"id": store, "property": "data", "value": shown}],
        "changedPropIds": ["view-state.data"],
    }
    return client.post(UPDATE, data=json.dumps(body), content_type="application/json")


def _chart(client: Any, query: str, shown: str) -> Any:
    outputs = [
        ("timeseries-title", "children"),
        ("timeseries-graph", "figure"),
        ("timeseries-caption", "children"),
        ("timeseries-shown", "data"),
    ]
    return _views(client, outputs, query, "timeseries-shown", shown)


def _store_in(children: list, store_id: str) -> Any:
    return next(c["props"]["data"] for c in children if c["props"].get("id") == store_id)


@pytest.mark.parametrize("query", ["?level=2", "?metric=severity&sector=WASH"])
def test_cards_are_not_resent_for_the_same_as_of_date(client: Any, query: str) -> None:
    assert _cards(client, query, "").status_code == 204
    assert _cards(client, query + "&as_of=2020-02-16", "2020-02-16").status_code == 204
    # the same area, another metric or level: the same cards
    assert _cards(client, query + "&area=SY07", "|SY07").status_code == 204


def test_cards_follow_the_selected_area(client: Any) -> None:
    resp = _cards(client, "?level=1&area=SY07", "")
    assert resp.status_code == 200
    children = resp.get_json()["response"]["cards"]["children"]
    assert _store_in(children, "cards-shown") == "|SY07"
    text = json.dumps(children)
    assert "Headline figures for Idlib governorate (SY07)" in text
    assert "Back to north-west Syria" in text and "2,000,000" in text
    assert "No figure reported for Idlib governorate (SY07) for this card." in text


def test_cards_are_rebuilt_for_another_as_of_date(client: Any) -> None:
    resp = _cards(client, "?level=2&as_of=2020-02-16", "")
    assert resp.status_code == 200
    children = resp.get_json()["response"]["cards"]["children"]
    assert _store_in(children, "cards-shown") == "2020-02-16"
    ids = [c["props"].get("id") for c in children]
    assert ids[:3] == ["card-displaced", "card-killed", "card-at-risk"]
    text = json.dumps(children)
    assert "more than" in text and "800,000" in text and "as known on 16 Feb 2020" in text
    back = _cards(client, "?level=2", "2020-02-16")
    assert back.status_code == 200
    assert _store_in(back.get_json()["response"]["cards"]["children"], "cards-shown") == ""


def test_chart_is_not_resent_when_only_the_level_changes(client: Any) -> None:
    assert _chart(client, "?level=1", "").status_code == 204
    assert _chart(client, "?level=2&area=SY07", "?area=SY07").status_code == 204


def test_chart_is_rebuilt_for_another_chart_state(client: Any) -> None:
    resp = _chart(client, "?level=2&metric=civilians_killed", "")
    assert resp.status_code == 200
    out = resp.get_json()["response"]
    assert out["timeseries-shown"]["data"] == "?metric=civilians_killed"
    assert out["timeseries-title"]["children"].startswith("Civilians killed in period")
    assert out["timeseries-graph"]["figure"]["data"]


def _map(client: Any, query: str, shown: str) -> Any:
    outputs = [
        ("map-graph", "figure"),
        ("map-caption", "children"),
        ("map-shown", "data"),
        ("map-note", "children"),
    ]
    return _views(client, outputs, query, "map-shown", shown)


def test_a_selection_change_patches_only_the_outline(client: Any) -> None:
    # a map click changes the selected areas alone: the colours stay, the outline moves
    answer = _map(client, "?level=2&area=SY0703,SY02", "?level=2")
    assert answer.status_code == 200
    response = answer.get_json()["response"]
    assert set(response) == {"map-graph"}  # caption and store unchanged
    patch = response["map-graph"]["figure"]
    assert patch["__dash_patch_update"] == "__dash_patch_update"
    ops = {tuple(op["location"]): op["params"]["value"] for op in patch["operations"]}
    # trace 3 is the outline; SY02 is a governorate, not drawn at admin 2; the map zooms to
    # the box around both (from the boundary files: Harim district and Aleppo governorate)
    assert ops == {
        ("data", 3, "locations"): ["SY0703"],
        ("data", 3, "z"): [1],
        ("layout", "geo", "lonaxis"): {"range": [35.908, 39.1889]},
        ("layout", "geo", "lataxis"): {"range": [35.0744, 37.22]},
        ("layout", "geo", "uirevision"): "nw-syria-map|SY0703,SY02",
    }
    assert len(answer.data) < 1000


def test_clearing_the_selection_zooms_back_to_the_opening_view(client: Any) -> None:
    answer = _map(client, "?level=2", "?level=2")
    patch = answer.get_json()["response"]["map-graph"]["figure"]
    ops = {tuple(op["location"]): op["params"]["value"] for op in patch["operations"]}
    assert ops[("layout", "geo", "lonaxis")] == {"range": [35.85, 38.2]}
    assert ops[("layout", "geo", "lataxis")] == {"range": [35.3, 36.75]}
    assert ops[("layout", "geo", "uirevision")] == "nw-syria-map"


def test_a_colour_change_resends_the_map_with_its_outline(client: Any) -> None:
    answer = _map(client, "?level=1&area=SY07", "?level=2")
    response = answer.get_json()["response"]
    assert response["map-shown"]["data"] == "?level=1"
    fig = response["map-graph"]["figure"]
    roles = [t["meta"]["role"] for t in fig["data"]]
    assert roles == [
        "context", "no-data", "values", "selected", "border",
        "labels-governorate", "labels-town", "scale",
    ]  # fmt: skip
    names = fig["data"][5]["text"]
    assert sorted(names) == ["Aleppo", "Hama", "Idlib", "Latakia"]
    assert "Saraqab" in fig["data"][6]["text"] and "Dana (Sarmada)" in fig["data"][6]["text"]
    assert "Data for" in json.dumps(response["map-note"]["children"])
    assert fig["data"][3]["locations"] == ["SY07"]
    drawn = fig["data"][1]["locations"] + fig["data"][2]["locations"]
    assert sorted(drawn) == ["SY02", "SY05", "SY06", "SY07"]
