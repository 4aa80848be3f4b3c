"""The pandera-free column lists (app.tables.columns) match the schemas they stand for."""

from __future__ import annotations

import pytest

from app.tables import columns, schemas


@pytest.mark.parametrize(
    "name", ["AREA_COLUMNS", "FIGURE_COLUMNS", "REGION_COLUMNS", "EVENT_COLUMNS"]
)
def test_columns_match_schemas(name: str) -> None:
    assert getattr(columns, name) == getattr(schemas, name)
