"""Column names of the canonical tables, in order, without importing pandera.

The run-time path (``app.bundle.store`` reading ``data/``, the export) needs only the names;
importing :mod:`app.tables.schemas` for them would load pandera (and through it geopandas):
about 1 s and 30 MB on every server start. The schemas stay the contract: a unit test
(``tests/unit/test_table_columns.py``) fails when these lists and the schemas disagree.
"""

from __future__ import annotations

AREA_COLUMNS: list[str] = [
    "pcode", "level", "name_en", "name_ar", "parent_pcode", "adm1_pcode", "adm2_pcode",
    "adm3_pcode", "centroid_lat", "centroid_lon", "area_km2", "border_distance_km",
]  # fmt: skip
FIGURE_COLUMNS: list[str] = [
    "figure_id", "metric", "kind", "metric_as_written", "sector", "value", "qualifier", "low",
    "high", "period_start", "period_end", "area_pcode", "region", "area_as_written",
    "publisher", "document", "url", "published_date", "note", "source_file", "source_row",
]  # fmt: skip
REGION_COLUMNS: list[str] = ["region", "name", "pcodes", "definition", "source", "nationwide"]
EVENT_COLUMNS: list[str] = [
    "event_id", "date", "lat", "lon", "adm1_pcode", "adm2_pcode", "adm3_pcode", "fatalities",
    "event_type", "source_dataset", "source_row", "date_end", "precision", "level",
    "fatalities_low", "fatalities_high", "civilians",
]  # fmt: skip
