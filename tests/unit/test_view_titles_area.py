"""A view's PNG title and embed frame title name the one selected area, not north-west Syria."""

from __future__ import annotations

import pytest

from app import i18n
from app.state import ViewState
from components import downloads
from components.context import make_context


@pytest.fixture(scope="module")
def ctx(bundle):
    return make_context(bundle)


def test_titles_name_the_selected_area(ctx) -> None:
    idleb = ViewState(areas=("SY07",), metric="civilians_killed")
    assert downloads.place_name(ctx, idleb) == "Idlib"
    assert downloads.png_labels(ctx, "map", idleb)["data-title"] == "Idlib: Civilians killed in period (map)"
    # the embed frame's title (the snippet's callback passes the same words)
    assert downloads._title("card", idleb, "killed", "Idlib").startswith("Idlib: ")
    assert downloads._title("card", idleb, "killed").startswith("North-west Syria: ")
    with i18n.use("ar"):
        assert downloads.place_name(ctx, idleb) == "إدلب"
        assert downloads.png_labels(ctx, "map", idleb)["data-title"].startswith("إدلب: ")


def test_no_or_several_areas_read_north_west_syria(ctx) -> None:
    assert downloads.place_name(ctx, ViewState()) == "North-west Syria"
    assert downloads.place_name(ctx, ViewState(areas=("SY07", "SY02"))) == "North-west Syria"
    with i18n.use("ar"):
        assert downloads.place_name(ctx, ViewState()) == "شمال غرب سوريا"
