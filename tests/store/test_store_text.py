"""Text survives the store unchanged: Arabic, quotes, line breaks (a bare carriage return
once made the bundle unreadable) and formula-looking cells go in through ``add`` and come
back through the live tables and the CSV export exactly as written. MADE-UP rows only."""

from __future__ import annotations

import sys
from pathlib import Path

from app.bundle.build import _csv_text
from app.bundle.store import load_bundle
from app.export.csv_writer import csv_bytes
from app.export.params import ExportParams
from app.export.rows import export_table
from app.loaders import load
from app.store.batches import add_file
from app.store.engine import StoreConfig
from app.store.live import Live

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from export_madeup import MADE_UP_FIGURES, made_up_figures

TEXTS = {
    "note": ["line1\rline2", "سطر\nثان", "a\r\nb, \"quoted\""],
    "document": ["=HYPERLINK(\"http://evil.example\")", "+cmd|' /C calc'!A0", "@SUM(A1)"],
}


def _rows() -> list[dict]:
    rows = [dict(r) for r in MADE_UP_FIGURES]
    for column, values in TEXTS.items():
        for row, value in zip(rows, values, strict=True):
            row[column] = value
    return rows


def test_text_round_trips_through_the_store_and_the_export(
    store: StoreConfig, tmp_path: Path
) -> None:
    figures = made_up_figures(_rows())
    path = tmp_path / "madeup_figures_with_hard_text.csv"
    path.write_bytes(_csv_text(figures).encode("utf-8"))
    out = add_file(store, path, by="test")
    assert out.status == "stored", [p.line() for p in out.result.problems]
    tables = Live(load_bundle(), store).current().tables
    stored = tables.figures[tables.figures["source_file"] == "madeup.csv"].sort_values("figure_id")
    for column, written in TEXTS.items():
        expected = [t for _, t in sorted(zip(figures["figure_id"], written, strict=True))]
        assert stored[column].tolist() == expected
    assert stored["area_as_written"].tolist()[0] == "الدانا"
    # out through the export (escaped against formula injection) and back through load()
    table = export_table(tables, ExportParams(), [])
    export = tmp_path / "export.csv"
    export.write_bytes(b"".join(csv_bytes(table)))
    back = load(export).table
    back = back[back["source_file"] == "madeup.csv"].sort_values("figure_id")
    for column in TEXTS:
        assert back[column].tolist() == stored[column].tolist()
