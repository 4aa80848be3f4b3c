"""The README's "Export API" and "Embedding" sections match the code (Datasette's test_docs idea)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.export.params import AREAS_GEOJSON, FIGURES_CSV, FIGURES_XLSX, PARAMETERS
from app.pages.embed import VIEWS
from app.web.export_routes import CSV_TYPE, GEOJSON_TYPE, XLSX_TYPE

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def documented_parameters() -> set[str]:
    """Parameters named in the first column of the README's parameter table."""
    table = section("Export API").split("| parameter | meaning |")[1].split("\n\n")[0]
    return {
        n
        for line in table.splitlines()
        if line.startswith("| `")
        for n in re.findall(r"`(\w+)`", line.split(" | ")[0])
    }


@pytest.mark.parametrize("parameter", list(PARAMETERS))
def test_every_parameter_is_documented(parameter: str) -> None:
    assert parameter in documented_parameters()


def test_no_undocumented_parameter_in_the_table() -> None:
    assert documented_parameters() == set(PARAMETERS)


@pytest.mark.parametrize(
    "text", [FIGURES_CSV, FIGURES_XLSX, AREAS_GEOJSON, CSV_TYPE, XLSX_TYPE, GEOJSON_TYPE]
)
def test_endpoints_and_types(text: str) -> None:
    assert f"`{text}`" in section("Export API")


@pytest.mark.parametrize("view", VIEWS)
def test_embed_urls(view: str) -> None:
    assert f"`/embed/{view}" in section("Embedding views in a report")


def test_embed_message_and_default() -> None:
    text = section("Embedding views in a report")
    assert '"nws-embed-height"' in text and "NWS_EMBED_ORIGINS" in text
    assert "The default, `*`" in text and "frame-ancestors *" in text
