"""An area's cards are the same in the embed, the card export and the one-file report as on
the overview (the URL's ``area=`` carries the selection; real bundle)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import dash
import pytest

from app.export.params import export_query
from app.pages import embed
from app.state import ViewState
from components.context import make_context
from tests.unit.test_embed_pages import text, walk

IDLEB_CITY = ViewState(level=3, areas=("SY070000",))


@pytest.fixture(scope="module")
def ctx(bundle):  # type: ignore[no-untyped-def]
    dash.Dash(__name__)  # get_relative_path needs an app (base path "/")
    return make_context(bundle)


@pytest.fixture(scope="module")
def client() -> Any:
    from app.web.server import create_app

    return create_app().server.test_client()


def test_card_export_link_carries_one_area_only() -> None:
    assert export_query(IDLEB_CITY, "card", "killed") == "?view=card&card=killed&area=SY070000"
    several = IDLEB_CITY.replace(areas=("SY070000", "SY0705"), as_of=date(2020, 2, 16))
    assert export_query(several, "card", "killed") == "?view=card&card=killed&as_of=2020-02-16"


def test_embed_card_of_an_area(ctx) -> None:  # type: ignore[no-untyped-def]
    layout = embed.card_layout(ctx, IDLEB_CITY, [], "killed")
    words = text(layout)
    assert "Idleb sub-district (SY070000)" in words
    assert "12" in words and "SOHR (via Okezone, Indonesian)" in words
    assert "a single day's count, not a total" in words
    fallback = text(embed.card_layout(ctx, IDLEB_CITY, [], "displaced"))
    assert "No figure reported for Idleb sub-district (SY070000) for this card." in fallback
    assert "Figure for North-west Syria instead:" in fallback and "1,000,000" in fallback


def _csv_rows(client: Any, query: str) -> list[dict]:
    resp = client.get("/export/figures.csv" + query)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(body)))


def test_card_export_of_an_area_is_what_its_card_shows(client: Any) -> None:
    rows = _csv_rows(client, "?view=card&card=killed&area=SY070000")
    assert [(r["value"], r["area_pcode"]) for r in rows] == [("12", "SY070000"), ("7", "SY070000")]
    # no figure of its own: the north-west's, which the card shows instead
    rows = _csv_rows(client, "?view=card&card=displaced&area=SY070000")
    assert rows[0]["value"] == "1000000" and rows[0]["publisher"] == "OCHA"


def test_report_of_an_area_has_its_cards(client: Any) -> None:
    resp = client.get("/report?level=3&area=SY070000")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    cards = html[html.index('<div class="cards" id="cards">') : html.index("<h2>Map</h2>")]
    assert cards.count('<p class="meta scope">Idleb sub-district (SY070000)</p>') == 3
    assert '<span class="card-value">12</span>' in cards
    assert '<span class="range">(a single day&#x27;s count, not a total)</span>' in cards
    assert "Figure for North-west Syria instead:" in cards
    assert "Figure for Idlib governorate (SY07) instead:" in cards  # at risk: 2,000,000
    assert '<span class="card-value">2,000,000</span>' in cards


def test_embed_card_footer_names_the_source_shown(ctx) -> None:  # type: ignore[no-untyped-def]
    from dash import html

    layout = embed.card_layout(ctx, IDLEB_CITY, [], "at_risk")  # Idleb governorate's figure
    [footer] = [c for c in walk(layout) if isinstance(c, html.Footer)]
    assert "News article of 16 Feb 2020 (outlet not recorded)" in text(footer)
