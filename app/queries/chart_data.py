"""The figures the time-series chart draws for a metric, its family and the selected areas.

Scope, in words the chart repeats:
- no area selected: figures for north-west Syria as a whole (named regions, nationwide ones
  marked) and for its governorates - the figures reports quote;
- areas selected: figures published for exactly those areas. Figures for places inside
  them are counted, not drawn, so a district's line is never mixed with a village's.

Each row keeps its provenance; figures without an end date cannot be placed in time and
are counted instead of drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from app.queries import checks, clean
from app.queries.areas import area_names
from app.queries.catalogue import ViewMetric
from app.queries.derived import memo
from app.queries.filters import FigureFilter, apply
from app.queries.timeseries import pcode_level


@dataclass(frozen=True)
class ChartData:
    metric: ViewMetric
    #: rows to draw (canonical figure columns + ``area_label`` + ``flags``: the figure's
    #: consistency-flag messages, app.queries.checks), oldest first
    figures: pd.DataFrame
    #: what the rows cover, for the chart title ("north-west Syria", "Dana, Salqin")
    scope: str
    #: figures in scope that have no end date (cannot be placed on a time axis)
    n_undated: int
    #: figures for places inside the selected areas, not drawn
    n_inside: int


def _area_labels(df: pd.DataFrame, areas: pd.DataFrame, regions: pd.DataFrame) -> pd.Series:
    """ "North-west Syria (OCHA)" for a region's figure, "Dana (SY070301)" for an area's."""
    if df.empty:
        return pd.Series(dtype=str, index=df.index)
    names = area_name_map(areas)
    region_names = region_name_map(regions)
    labels = []
    for region, pcode in zip(df["region"], df["area_pcode"], strict=True):
        if isinstance(region, str) and region:
            labels.append(str(region_names.get(region, region)))
        else:
            labels.append(f"{names.get(pcode, pcode)} ({pcode})")
    return pd.Series(labels, index=df.index)


def area_name_map(areas: pd.DataFrame) -> dict:
    """P-code -> English name (the first row of a P-code), once per areas table."""
    return memo(areas, "name_en_by_pcode", _first_by("pcode", "name_en"))


def region_name_map(regions: pd.DataFrame) -> dict:
    """Region id -> name, once per regions table."""
    if regions.empty:
        return {}
    return memo(regions, "name_by_region", _first_by("region", "name"))


def _first_by(key: str, value: str):  # type: ignore[no-untyped-def]
    def compute(table: pd.DataFrame) -> dict:
        out: dict = {}
        for k, v in zip(table[key], table[value], strict=True):
            out.setdefault(k, v)
        return out

    return compute


def chart_data(
    figures: pd.DataFrame,
    areas: pd.DataFrame,
    regions: pd.DataFrame,
    metric: ViewMetric,
    pcodes: tuple[str, ...],
    flt: FigureFilter,
    sector: str | None = None,
) -> ChartData:
    """Rows for the chart of ``metric`` (and its family) under ``flt`` (see module doc)."""
    family = metric.family
    if not family:
        empty = figures.iloc[0:0].assign(area_label=pd.Series(dtype=str))
        return ChartData(metric, empty, "", 0, 0)
    df = apply(
        figures,
        FigureFilter(
            metrics=family, publishers=flt.publishers, start=flt.start, end=flt.end, as_of=flt.as_of
        ),
    )
    if sector is not None:
        df = df[df["sector"].isna() | (df["sector"] == sector)]
    df = clean.for_areas(df)
    pc = df["area_pcode"].fillna("")
    n_inside = 0
    if pcodes:
        exact = pc.isin(pcodes)
        inside = pd.Series(False, index=df.index)
        for p in pcodes:
            inside |= pc.str.startswith(p) & (pc != p)
        n_inside = int((inside & ~exact).sum())
        df = df[exact]
        scope = ", ".join(area_names(areas, pcodes))
    else:
        wide = df["region"].notna() | (pcode_level(df["area_pcode"]) <= 1)
        df = df[wide]
        scope = "north-west Syria and its governorates"
    dated = df["period_end"].notna()
    n_undated = int((~dated).sum())
    df = df[dated].sort_values(["period_end", "publisher", "figure_id"]).copy()
    df["area_label"] = _area_labels(df, areas, regions)
    found = checks.view_checks(figures, areas, regions, flt.as_of)  # known on the same date
    messages = checks.messages_by_id(found)  # one pass, not one lookup per figure
    df["flags"] = [tuple(messages.get(f, ())) for f in df["figure_id"]]
    return ChartData(metric, df.reset_index(drop=True), scope, n_undated, n_inside)
