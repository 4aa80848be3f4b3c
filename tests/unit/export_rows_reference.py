"""FROZEN COPY of app/export/rows.py as of commit ae67a90 (the whole table built at once),
kept only as the oracle of tests/unit/test_export_lean.py: the lean, slice-by-slice export
must give exactly the same rows, columns and values. Do not edit it to make a test pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from app.bundle.store import Bundle
from app.export.columns import ADM_LEVELS, EXPORT_COLUMNS
from app.export.params import ExportParams, View
from app.queries import checks, clean
from app.queries.areas import areas_at_level
from app.queries.cards import card_data
from app.queries.catalogue import VIEW_METRICS
from app.queries.chart_data import chart_data
from app.queries.filters import apply, within_pcodes
from app.queries.timeseries import pcode_level, regional_series
from app.tables.columns import FIGURE_COLUMNS  # not schemas: no pandera at start-up
from app.vocab import METRICS

#: Plain exports: oldest first, then by metric, place and publisher (stable across runs).
SORT = ["period_end", "period_start", "metric", "area_pcode", "region", "publisher", "figure_id"]


@dataclass(frozen=True)
class ExportTable:
    """The rows (columns :data:`~app.export.columns.EXPORT_COLUMNS`) and what they hold."""

    frame: pd.DataFrame
    #: distinct metrics among the rows, for the HXL value tag
    metrics: tuple[str, ...]


def priority_list(text: str) -> list[str]:
    """``Config.publisher_priority`` ("OCHA|OHCHR|...") as a list."""
    return [p.strip() for p in text.split("|") if p.strip()]


def adm_columns(pcodes: pd.Series, areas: pd.DataFrame) -> pd.DataFrame:
    """ADM1_PCODE, ADM1_EN, ADM1_AR, ... for each P-code (its own level and its ancestors).

    P-codes nest by prefix (SY07 > SY0703 > SY070301); a figure for a district has empty
    ADM3 columns, a figure for a named region has all of them empty.
    """
    names = areas.set_index("pcode")
    pc = pcodes.fillna("").astype(str)
    out = pd.DataFrame(index=pcodes.index)
    for level in ADM_LEVELS:
        width = 2 + 2 * level
        code = pc.str[:width].where(pc.str.len() >= width, "")
        out[f"ADM{level}_PCODE"] = code.replace("", None)
        out[f"ADM{level}_EN"] = code.map(names["name_en"])
        out[f"ADM{level}_AR"] = code.map(names["name_ar"])
    return out.astype(object).where(out.notna(), None)


def _flags(rows: pd.DataFrame) -> pd.DataFrame:
    kept = clean.drop_duplicates(rows).index
    return rows.assign(duplicate=~rows.index.isin(kept), sub_area=clean.is_sub_area_row(rows))


def _plain(bundle: Bundle, p: ExportParams) -> pd.DataFrame:
    """The figures under the filters; ``level`` keeps areas at that level or inside them."""
    rows = apply(bundle.figures, p.figure_filter())
    if p.level is not None:
        lvl = pcode_level(rows["area_pcode"])
        rows = rows[lvl.notna() & (lvl >= p.level)]
    if p.sector is not None:
        rows = rows[rows["sector"].isna() | (rows["sector"] == p.sector)]
    rows = _flags(rows)
    return rows.sort_values(SORT, na_position="last", kind="stable")


def _map(bundle: Bundle, p: ExportParams) -> pd.DataFrame:
    """The figures the map draws at ``level``, or adds up into an area's value, or counts
    as the area's "other figures" (the selection steps of ``map_values``)."""
    vm = VIEW_METRICS[p.metrics[0]]
    level = int(p.level or 3)
    sector = p.sector if vm.needs_sector else None
    selected = apply(bundle.figures, p.figure_filter(metrics=(vm.column,), with_areas=False))
    if sector is not None:
        selected = selected[selected["sector"].fillna("") == sector]
    selected = clean.for_areas(selected)
    series = regional_series(selected, vm.column, level, sector=sector)
    series = series[series["pcode"].isin(areas_at_level(bundle.areas, level)["pcode"])]
    ids = {i for joined in series["figure_ids"] for i in str(joined).split("|")}
    rows = selected[selected["figure_id"].isin(ids)]
    if p.areas:
        rows = rows[within_pcodes(rows, p.areas)]
    return _flags(rows).sort_values(SORT, na_position="last", kind="stable")


def _timeseries(bundle: Bundle, p: ExportParams) -> pd.DataFrame:
    vm = VIEW_METRICS[p.metrics[0]]
    data = chart_data(
        bundle.figures,
        bundle.areas,
        bundle.regions,
        vm,
        p.areas,
        p.figure_filter(metrics=(), with_areas=False),
        sector=p.sector if vm.needs_sector else None,
    )
    return _flags(data.figures[FIGURE_COLUMNS])


def _card(bundle: Bundle, p: ExportParams, priority: list[str]) -> pd.DataFrame:
    """The card's figure first, then the other figures of its metric in the same weeks."""
    cards = {c.key: c for c in card_data(bundle.figures, priority, p.as_of_ts)}
    c = cards[str(p.card)]
    if c.figure is None:
        return _flags(bundle.figures.iloc[0:0])
    ids = [c.figure["figure_id"], *c.alternatives["figure_id"]]
    rows = bundle.figures.set_index("figure_id", drop=False).loc[ids].reset_index(drop=True)
    return _flags(rows)


def export_table(bundle: Bundle, p: ExportParams, priority: list[str]) -> ExportTable:
    """The rows for ``p`` with the admin columns in front and the flags behind."""
    if p.view is View.MAP:
        rows = _map(bundle, p)
    elif p.view is View.TIMESERIES:
        rows = _timeseries(bundle, p)
    elif p.view is View.CARD:
        rows = _card(bundle, p, priority)
    else:
        rows = _plain(bundle, p)
    rows = rows.reset_index(drop=True)
    # consistency flags, from the figures known on the export's date (app.queries.checks)
    found = checks.view_checks(bundle.figures, bundle.areas, bundle.regions, p.as_of_ts, priority)
    rows["flags"] = checks.flags_text(found, rows["figure_id"])
    frame = pd.concat([adm_columns(rows["area_pcode"], bundle.areas), rows], axis=1)
    metrics = tuple(m for m in METRICS if m in set(frame["metric"]))
    return ExportTable(frame[EXPORT_COLUMNS], metrics)
