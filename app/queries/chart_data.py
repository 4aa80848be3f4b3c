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

import numpy as np
import pandas as pd

from app import format as fmt
from app.i18n import N_, _, current, translate
from app.queries import checks, clean
from app.queries.areas import arabic_name, area_name_map, area_names
from app.queries.catalogue import ViewMetric
from app.queries.derived import as_of_key, canonical, column_codes, kept_per_table, memo
from app.queries.filters import FigureFilter, positions
from app.queries.timeseries import pcode_levels

#: The regions' names (data/tables/regions.csv), for their translation: a name not listed
#: here is shown as written.
REGION_NAMES: tuple[str, ...] = (
    N_("Syria (nationwide)"),
    N_("North-west Syria (OCHA)"),
    N_("Northern Aleppo"),
    N_("Idleb enclave (de-escalation zone)"),
    N_("Idleb enclave and northern Aleppo"),
    N_("Idleb and Aleppo governorates"),
    N_("Southern Idleb (east of the M5 and Jabal al-Zawiya)"),
)


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
    """ "North-west Syria (OCHA)" for a region's figure, "Dana (SY070301)" for an area's; in
    the Arabic interface the region's name translated and the gazetteer's Arabic name
    ("الدانا (SY070301)")."""
    if df.empty:
        return pd.Series(dtype=str, index=df.index)
    names = area_name_map(areas)
    region_names = region_name_map(regions)
    arabic = current().lang == "ar"

    def label(region: object, pcode: object) -> str:
        if isinstance(region, str) and region:
            name = str(region_names.get(region, region))
            return translate(name) if arabic else name
        name = (arabic and arabic_name(areas, pcode)) or names.get(pcode, pcode)
        return f"{name} ({fmt.isolate(str(pcode))})"

    # each distinct (region, P-code) labelled once (3,100 rows, a few dozen areas)
    region, pcode = df["region"].tolist(), df["area_pcode"].tolist()
    pairs, distinct = pd.factorize(pd.Series(list(zip(region, pcode, strict=True))))
    labels = np.array([label(r, p) for r, p in distinct], dtype=object)
    return pd.Series(labels[pairs], index=df.index)


def scope_names(areas: pd.DataFrame, pcodes: tuple[str, ...]) -> str:
    """The selected areas' names for the chart's title: English, or the gazetteer's Arabic
    names in the Arabic interface ("Dana, Salqin" / "الدانا، سلقين")."""
    if current().lang != "ar":
        return ", ".join(area_names(areas, pcodes))
    english = area_names(areas, pcodes)
    return "، ".join(arabic_name(areas, p) or e for p, e in zip(pcodes, english, strict=True))


def region_name_map(regions: pd.DataFrame) -> dict:
    """Region id -> name, once per regions table (of repeated ids the first row counts)."""
    if regions.empty:
        return {}
    return memo(regions, "name_by_region", _name_by_region)


def _name_by_region(regions: pd.DataFrame) -> dict:
    out: dict = {}
    for region, name in zip(regions["region"], regions["name"], strict=True):
        out.setdefault(region, name)
    return out


#: :func:`chart_data` results kept per table (and language): the chart and the download
#: bar's PNG footer ask for the same state one after the other, often from one worker.
CHART_DATA_KEPT = 16


@kept_per_table(
    "chart_data",
    CHART_DATA_KEPT,
    lambda _areas, _regions, metric, pcodes, flt, sector=None: (
        metric, tuple(pcodes), flt, sector, current().key
    ),
)
def chart_data(
    figures: pd.DataFrame,
    areas: pd.DataFrame,
    regions: pd.DataFrame,
    metric: ViewMetric,
    pcodes: tuple[str, ...],
    flt: FigureFilter,
    sector: str | None = None,
) -> ChartData:
    """Rows for the chart of ``metric`` (and its family) under ``flt`` (see module doc).

    The last :data:`CHART_DATA_KEPT` results of a table are kept with it (a new state of the
    killed metrics over a million events: 50 ms); callers must not change them."""
    family = metric.family
    if not family:
        empty = figures.iloc[0:0].assign(area_label=pd.Series(dtype=str))
        return ChartData(metric, empty, "", 0, 0)
    flt = FigureFilter(
        metrics=family, publishers=flt.publishers, start=flt.start, end=flt.end, as_of=flt.as_of
    )
    table = canonical(figures)
    # performance: every filter, the duplicates, the scope and the dates as positions in
    # the table, the rows taken once at the end (20 -> 10 ms a new state of the killed
    # metrics over a million events)
    at = positions(table, flt)
    at = np.arange(len(table)) if at is None else at
    if sector is not None:
        sectors = table["sector"].iloc[at]
        at = at[(sectors.isna() | (sectors == sector)).to_numpy()]
    at = clean.for_areas_at(table, at)
    n_inside = 0
    if pcodes:
        # each distinct P-code compared once, not each row (5 ms a P-code over 67,000 rows)
        codes, distinct = column_codes(table, "area_pcode")
        exact_of = np.array([p in pcodes for p in distinct] + [False])
        inside_of = np.array(
            [any(p.startswith(q) and p != q for q in pcodes) for p in distinct] + [False]
        )
        mine = codes[at]  # -1 (no P-code) reads the last entry: False
        exact, inside = exact_of[mine], inside_of[mine]
        n_inside = int((inside & ~exact).sum())
        in_scope = exact
        scope = scope_names(areas, pcodes)
    else:
        level = pcode_levels(table)[at]  # -1: no P-code
        in_scope = table["region"].iloc[at].notna().to_numpy() | ((level >= 0) & (level <= 1))
        scope = _("north-west Syria and its governorates")
    dated = table["period_end"].iloc[at].notna().to_numpy()
    n_undated = int((in_scope & ~dated).sum())
    df = table.iloc[at[in_scope & dated]]
    df = df.sort_values(["period_end", "publisher", "figure_id"])
    df["area_label"] = _area_labels(df, areas, regions)
    # known on the same date (the day of the last publication by then: the same figures)
    found = checks.view_checks(figures, areas, regions, as_of_key(figures, flt.as_of))
    messages = checks.messages_by_id(found)  # one pass, not one lookup per figure
    df["flags"] = [tuple(messages.get(f, ())) for f in df["figure_id"].tolist()]
    return ChartData(metric, df.reset_index(drop=True), scope, n_undated, n_inside)
