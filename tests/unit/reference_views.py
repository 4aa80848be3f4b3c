"""The view queries and figure builders as they were before the fast paths (commit ae67a90),
kept verbatim to compare the fast ones against (tests/unit/test_queries_fast_paths.py).

Only the functions that were restructured are here; what they call and was not changed
(format helpers, ``publisher_rank``, ``compare``, ``series_points``, ...) is imported from
the app. Not used by the app.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
from dash import html
from plotly.subplots import make_subplots

from app import format as fmt
from app.figures import style
from app.figures.reconcile import CONTRADICTION, LANE_HEIGHT, SYMBOLS, _compact, _hover, value_range
from app.figures.timeseries import (
    DASHES,
    FOCUS,
    KIND_ORDER,
    KIND_TITLES,
    hover_fields,
    series_points,
    time_range,
    x_fields,
)
from app.figures.timeseries import SYMBOLS as TS_SYMBOLS
from app.queries import checks
from app.queries import timeseries as ts_queries
from app.queries.cards import CardData
from app.queries.catalogue import AREA_SOURCES, ViewMetric
from app.queries.chart_data import ChartData
from app.queries.clean import _IDENTITY, is_sub_area_row
from app.queries.filters import FigureFilter, known_on, within_pcodes
from app.queries.headline import CARDS, NW_SCOPE_EXCLUDE_REGIONS, Headline, _ordinal, publisher_rank
from app.queries.map_values import VALUE_COLUMNS, MapValues, _empty_values
from app.queries.reconcile import (
    _PAIR_COLUMNS,
    DEFAULT_GROUP,
    DEFAULT_PLACE,
    SEED_PUBLISHER,
    STATUS_ORDER,
    WEEK_DAYS,
    Place,
    PlaceIndex,
    Reconciliation,
    RegionsLike,
    compare,
    label,
    metrics_for,
    pair_status,
    place_index,
    publisher_family,
    relation,
)
from app.queries.timeseries import NOT_SUMMABLE_NOTE, area_at_level, pcode_level
from app.vocab import METRICS, Kind
from components.cards import _flags, _link, _rule, _when, card_id


class clean:
    is_sub_area_row = staticmethod(is_sub_area_row)


# --- app/queries/clean.py @ ae67a90 ----------------------------------------

def drop_duplicates(figures: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct published figure; of duplicates, keep the one with a note."""
    if figures.empty:
        return figures
    has_note = figures["note"].fillna("").str.len() > 0
    ordered = figures.assign(_no_note=~has_note).sort_values(
        ["_no_note", "figure_id"], kind="stable"
    )
    keys = ordered[_IDENTITY].astype("string").fillna("\x00")
    kept = ordered[~keys.duplicated(keep="first")].drop(columns="_no_note")
    return figures.loc[figures.index.isin(kept.index)]


def for_areas(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures fit to stand for the area their P-code names: deduplicated, no sub-area rows."""
    out = drop_duplicates(figures)
    return out[~is_sub_area_row(out)]


# --- app/queries/filters.py @ ae67a90 --------------------------------------

def apply(figures: pd.DataFrame, f: FigureFilter) -> pd.DataFrame:
    out = known_on(figures, f.as_of)
    if f.metrics:
        out = out[out["metric"].isin(f.metrics)]
    if f.publishers:
        out = out[out["publisher"].isin(f.publishers)]
    if f.pcodes:
        mask = within_pcodes(out, f.pcodes)
        if f.include_regions:
            mask |= out["region"].notna()
        out = out[mask]
    if f.start is not None:
        out = out[out["period_end"].isna() | (out["period_end"] >= f.start)]
    if f.end is not None:
        begin = out["period_start"].fillna(out["period_end"])
        out = out[begin.isna() | (begin <= f.end)]
    return out


# --- app/queries/areas.py @ ae67a90 ----------------------------------------

def areas_at_level(areas: pd.DataFrame, level: int) -> pd.DataFrame:
    """The areas drawn on the map at ``level``: pcode, name_en, name_ar, in P-code order."""
    out = areas[areas["level"] == level][["pcode", "name_en", "name_ar"]]
    return out.sort_values("pcode").reset_index(drop=True)


def area_names(areas: pd.DataFrame, pcodes: tuple[str, ...] | list[str]) -> list[str]:
    """English names for P-codes (the P-code itself when unknown)."""
    names = areas.set_index("pcode")["name_en"]
    return [str(names.get(p, p)) for p in pcodes]


# --- app/queries/headline.py @ ae67a90 -------------------------------------

def headline(
    figures: pd.DataFrame,
    card: str,
    priority: list[str],
    as_of: pd.Timestamp | None = None,
    window_days: int | None = None,
) -> Headline:
    """The card's figure by the rule in the module doc (``window_days``: default from config)."""
    if window_days is None:
        from app.config import get_config

        window_days = get_config().headline_window_days
    spec = CARDS[card]
    df = known_on(figures, as_of)
    df = df[df["metric"].isin(spec["metrics"]) & df["period_end"].notna()]
    wide = df["region"].notna() | (df["area_pcode"].fillna("").str.len() <= 4)
    one_day = (df["kind"] == "flow") & (df["period_start"] == df["period_end"])
    in_scope = df[wide & ~one_day & ~df["region"].isin(NW_SCOPE_EXCLUDE_REGIONS)]
    known = f" known on {as_of.day} {as_of.strftime('%b %Y')}" if as_of is not None else ""
    rule = (
        f"Headline rule: the latest {spec['metrics'][0]} figure for north-west Syria as a "
        f"whole{known} (a named region or a governorate; not nationwide, not a sub-district, "
        f"not a one-day incident), among those dated within {window_days} days of the "
        f"newest, from the publisher highest in the priority {' > '.join(priority)}; then "
        f"the latest date, the latest publication, the larger value."
    )
    if in_scope.empty:  # nothing for the north-west as a whole: still say what else was said
        if df.empty:
            return Headline(card, spec["title"], None, df, rule)
        alt = df[df["period_end"] >= df["period_end"].max() - pd.Timedelta(days=window_days)]
        return Headline(
            card,
            spec["title"],
            None,
            alt.sort_values(["period_end", "publisher"], ascending=[False, True]),
            rule,
        )
    newest = in_scope["period_end"].max()
    since = newest - pd.Timedelta(days=window_days)
    window = in_scope[in_scope["period_end"] >= since]
    ranked = window.assign(
        _rank=window["publisher"].map(lambda p: publisher_rank(p, priority)),
        _pub=window["published_date"].fillna(pd.Timestamp("1900-01-01")),
    ).sort_values(["_rank", "period_end", "_pub", "value"], ascending=[True, False, False, False])
    chosen = ranked.iloc[0]
    rank = int(chosen["_rank"])
    place = (
        f"{_ordinal(rank + 1)} in the priority"
        if rank < len(priority)
        else "not in the priority list, and no listed publisher gave a figure"
    )
    rule += (
        f" Window: {since.day} {since.strftime('%b %Y')} – {newest.day} "
        f"{newest.strftime('%b %Y')}; {len(window)} candidate(s); picked "
        f"{chosen['publisher']} ({place})."
    )
    alt_window = df[df["period_end"] >= since]
    alternatives = alt_window[alt_window["figure_id"] != chosen["figure_id"]].sort_values(
        ["period_end", "publisher"], ascending=[False, True]
    )
    return Headline(
        card, spec["title"], chosen.drop(["_rank", "_pub"]).to_dict(), alternatives, rule
    )


# --- app/queries/cards.py @ ae67a90 ----------------------------------------

def card_data(
    figures: pd.DataFrame, priority: list[str], as_of: pd.Timestamp | None = None
) -> list[CardData]:
    """One :class:`CardData` per card of :data:`app.queries.headline.CARDS`, in order."""
    figures = drop_duplicates(figures)
    out = []
    for key in CARDS:
        h = headline(figures, key, priority, as_of=as_of)
        out.append(
            CardData(key, h.title, h.figure, h.alternatives.reset_index(drop=True), h.rule, as_of)
        )
    return out


# --- app/queries/timeseries.py @ ae67a90 -----------------------------------

def regional_series(figures: pd.DataFrame, metric: str, level: int,
                    sector: str | None = None) -> pd.DataFrame:
    """One row per (area at ``level``, period, publisher, document): the figures behind it summed.

    Figures finer than ``level`` are added up to their ancestor only when the metric is
    summable; figures coarser than ``level`` cannot be split and are left out (the caller
    reports them). Sub-area figures carried on their parent's P-code (a community's count on
    its sub-district, marked "do not sum" in the source) do not describe the area and are left
    out of area series altogether; they stay in the figure lists.
    Returns columns: pcode, metric, kind, period_start, period_end, publisher, document,
    url, published_date, value, low, high, n_figures, figure_ids, qualifier.
    """
    m = METRICS[metric]
    df = figures[(figures["metric"] == metric) & figures["area_pcode"].notna()]
    if sector is not None:
        df = df[df["sector"].fillna("") == sector]
    df = df[~df["note"].fillna("").str.contains(NOT_SUMMABLE_NOTE)]
    lvl = pcode_level(df["area_pcode"])
    # figures at the level itself stay one row each (two figures are never silently added)
    same = df[lvl == level].assign(pcode=lambda d: d["area_pcode"], _row=lambda d: d["figure_id"])
    finer = df[lvl > level]
    if m.summable:
        finer = finer.assign(pcode=area_at_level(finer["area_pcode"], level), _row="")
    else:
        finer = finer.iloc[0:0].assign(pcode=pd.Series(dtype=str), _row="")
    rows = pd.concat([same, finer], ignore_index=True)
    if rows.empty:
        return ts_queries._empty()
    keys = ["pcode", "metric", "kind", "period_start", "period_end", "publisher", "document", "_row"]
    agg = (
        rows.groupby(keys, dropna=False, sort=True)
        .agg(value=("value", "sum"), low=("low", "sum"), high=("high", "sum"),
             n_figures=("figure_id", "size"), figure_ids=("figure_id", lambda s: "|".join(sorted(s))),
             url=("url", "first"), published_date=("published_date", "max"),
             qualifier=("qualifier", lambda s: s.iloc[0] if len(s) == 1 else "sum of figures"))
        .reset_index()
        .drop(columns="_row")
    )
    return agg.sort_values(["pcode", "period_end", "publisher"]).reset_index(drop=True)


# --- app/queries/chart_data.py @ ae67a90 -----------------------------------

def _area_labels(df: pd.DataFrame, areas: pd.DataFrame, regions: pd.DataFrame) -> pd.Series:
    names = areas.set_index("pcode")["name_en"]
    region_names = (
        regions.set_index("region")["name"] if not regions.empty else pd.Series(dtype=str)
    )

    def label(row: pd.Series) -> str:
        if isinstance(row["region"], str) and row["region"]:
            return str(region_names.get(row["region"], row["region"]))
        pcode = row["area_pcode"]
        return f"{names.get(pcode, pcode)} ({pcode})"

    if df.empty:
        return pd.Series(dtype=str, index=df.index)
    return df.apply(label, axis=1)


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
    df = for_areas(df)
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
    df["flags"] = [tuple(checks.messages_for(found, f)) for f in df["figure_id"]]
    return ChartData(metric, df.reset_index(drop=True), scope, n_undated, n_inside)


# --- app/queries/map_values.py @ ae67a90 -----------------------------------

def map_values(
    figures: pd.DataFrame,
    areas: pd.DataFrame,
    metric: ViewMetric,
    level: int,
    flt: FigureFilter,
    priority: list[str],
    sector: str | None = None,
) -> MapValues:
    """Values per area at ``level`` for ``metric`` under the filter ``flt`` (see module doc)."""
    level_areas = areas_at_level(areas, level)
    sector = sector if metric.needs_sector else None
    if metric.source == "areas":
        return _area_attribute(areas, level_areas, metric, level)

    selected = apply(
        figures,
        FigureFilter(
            metrics=(metric.column,),
            publishers=flt.publishers,
            start=flt.start,
            end=flt.end,
            as_of=flt.as_of,
        ),
    )
    if sector is not None:
        selected = selected[selected["sector"].fillna("") == sector]
    selected = for_areas(selected)
    notes: list[str] = []
    coarser = selected["area_pcode"].isna() | (pcode_level(selected["area_pcode"]) < level)
    if coarser.any():
        notes.append(
            f"{int(coarser.sum())} figure(s) for larger areas (e.g. north-west Syria, "
            f"governorates) are not drawn at this level: see the chart."
        )
    finer = pcode_level(selected["area_pcode"]) > level
    if finer.any() and not METRICS[metric.column].summable:
        notes.append(
            f"{METRICS[metric.column].label} cannot be added up to larger areas: "
            f"choose a finer admin level."
        )

    series = regional_series(selected, metric.column, level, sector=sector)
    series = series[series["pcode"].isin(level_areas["pcode"])]
    if series.empty:
        return MapValues(metric, level, sector, level_areas, _empty_values(), notes)

    area_of = selected.set_index("figure_id")["area_pcode"]
    parts = [sorted({str(area_of.get(f)) for f in ids.split("|")}) for ids in series["figure_ids"]]
    summed = [part != [p] for p, part in zip(series["pcode"], parts, strict=True)]
    expected = [
        _n_subareas(areas, p, part) if s else 1
        for p, part, s in zip(series["pcode"], parts, summed, strict=True)
    ]
    series = series.assign(
        summed=summed,
        n_parts=[len(part) for part in parts],
        n_expected=expected,
        partial=[s and len(part) < n for s, part, n in zip(summed, parts, expected, strict=True)],
        _rank=series["publisher"].map(lambda p: publisher_rank(str(p), priority)),
        _end=series["period_end"].fillna(pd.Timestamp("1900-01-01")),  # undated last
    )
    ranked = series.sort_values(
        ["pcode", "_end", "summed", "_rank", "value"],
        ascending=[True, False, True, True, False],
        kind="stable",
    )
    counts = ranked.groupby("pcode")["pcode"].transform("size")
    chosen = ranked.assign(n_other=counts - 1).drop_duplicates("pcode", keep="first")
    rows = []
    for r in chosen.to_dict("records"):
        period = fmt.period(r["period_start"], r["period_end"])
        rows.append(
            {
                "pcode": r["pcode"],
                "value": float(r["value"]),
                "low": float(r["low"]),
                "high": float(r["high"]),
                "qualifier": None if r["summed"] else r["qualifier"],
                "publisher": r["publisher"],
                "document": r["document"],
                "url": r["url"],
                "period": period,
                "source": f"{r['publisher']}, {period}",
                "n_figures": int(r["n_figures"]),
                "n_other": int(r["n_other"]),
                "summed": bool(r["summed"]),
                "n_parts": int(r["n_parts"]),
                "n_expected": int(r["n_expected"]),
                "partial": bool(r["partial"]),
            }
        )
    values = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    return MapValues(metric, level, sector, level_areas, values.reset_index(drop=True), notes)


def _n_subareas(areas: pd.DataFrame, pcode: str, parts: list[str]) -> int:
    """How many areas at the parts' level lie inside ``pcode`` (a sum covers them all or not)."""
    widths = {len(p) for p in parts}
    if len(widths) != 1:
        return len(parts) + 1  # parts of mixed levels: never a complete cover
    width = widths.pop()
    pc = areas["pcode"].astype(str)
    return int(((pc.str.len() == width) & pc.str.startswith(pcode)).sum())


def _area_attribute(
    areas: pd.DataFrame, level_areas: pd.DataFrame, metric: ViewMetric, level: int
) -> MapValues:
    """Population or border distance straight from the areas table."""
    src = areas[areas["level"] == level].set_index("pcode")
    col = src[metric.column]
    have = col.dropna()
    source = AREA_SOURCES.get(metric.column, "")
    rows = []
    for pcode, value in have.items():
        period = ""
        if metric.column == "population" and "population_year" in src.columns:
            year = src.loc[pcode, "population_year"]
            period = f"{year}" if isinstance(year, str) and year else ""
        rows.append(
            {
                "pcode": pcode,
                "value": float(value),
                "low": float(value),
                "high": float(value),
                "qualifier": None,
                "publisher": source,
                "document": source,
                "url": None,
                "period": period,
                "source": f"{source}{', ' + period if period else ''}",
                "n_figures": 1,
                "n_other": 0,
                "summed": False,
                "n_parts": 1,
                "n_expected": 1,
                "partial": False,
            }
        )
    values = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    values = values.sort_values("pcode").reset_index(drop=True) if rows else _empty_values()
    return MapValues(metric, level, None, level_areas, values, [])


# --- app/queries/reconcile.py @ ae67a90 ------------------------------------

def in_place(
    figures: pd.DataFrame, place: Place, regions: RegionsLike, include_inside: bool = False
) -> pd.DataFrame:
    """Figures for ``place``, for places containing or overlapping it, and - only when
    ``include_inside`` - for districts, sub-districts and communities inside it (parts, not
    the whole). Named regions and governorates inside a region are always kept.
    Adds a ``relation`` column (the figure's place relative to ``place``).
    """
    if figures.empty:
        return figures.assign(relation=pd.Series(dtype=str))
    index = place_index(regions)
    rels = [relation(index.of(r), place) for r in figures.to_dict("records")]
    out = figures.assign(relation=rels)
    keep = out["relation"].isin(["same", "contains", "overlap"])
    inside = out["relation"].eq("inside")
    if include_inside:
        keep |= inside
    else:
        fine = out["area_pcode"].fillna("").str.len().ge(6) | clean.is_sub_area_row(out)
        keep |= inside & (place.level is None) & ~fine
    return out[keep]


def reconciliation(
    figures: pd.DataFrame,
    regions: pd.DataFrame,
    choice: str = DEFAULT_GROUP,
    place: str = DEFAULT_PLACE,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    as_of: pd.Timestamp | None = None,
    areas: pd.DataFrame | None = None,
    include_inside: bool = False,
    priority: Iterable[str] = (),
) -> Reconciliation:
    """Every figure of ``choice`` (group or metric) for ``place`` known on ``as_of``, in the
    window [start, end], with lanes, pair statuses and reasons (see module doc).

    Figures are taken as known on ``as_of`` *before* anything is compared, so no reason or
    status can mention a figure published later. Duplicated transcriptions count once.
    """
    priority = list(priority)
    metrics = metrics_for(choice)
    index = place_index(regions, areas)
    the_place = index.by_key(place)
    df = known_on(figures, as_of)
    df = drop_duplicates(df[df["metric"].isin(metrics)])
    df = in_place(df, the_place, index, include_inside)
    x = df["period_end"].fillna(df["published_date"])
    df = df.assign(x=x)
    undated = df[df["x"].isna()]
    df = df[df["x"].notna()]
    if start is not None:
        df = df[df["x"] >= start]
    if end is not None:
        begin = df["period_start"].fillna(df["x"])
        df = df[begin <= end]
    lanes = df["publisher"].map(lambda p: publisher_family(str(p), priority))
    lane_rank = [
        (-1 if str(p).startswith(SEED_PUBLISHER) else publisher_rank(str(p), priority))
        for p in df["publisher"]
    ]
    df = (
        df.assign(lane=lanes, lane_rank=lane_rank)
        .sort_values(["lane_rank", "lane", "x", "metric", "figure_id"])
        .reset_index(drop=True)
    )
    pairs = _pairs(df, index)
    return Reconciliation(
        the_place, metrics, _summarise(df, pairs), pairs, undated.reset_index(drop=True), as_of
    )


def _pairs(df: pd.DataFrame, index: PlaceIndex) -> pd.DataFrame:
    rows = df.to_dict("records")
    out = []
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if abs((pd.Timestamp(a["x"]) - pd.Timestamp(b["x"])).days) > WEEK_DAYS:
                continue
            reasons = compare(a, b, index, others=rows)
            out.append(
                {
                    "a_id": a["figure_id"],
                    "b_id": b["figure_id"],
                    "a_label": label(a),
                    "b_label": label(b),
                    "status": pair_status(a, b, index),
                    "reason_codes": tuple(dict.fromkeys(r.code for r in reasons)),
                    "reasons": tuple(r.text for r in reasons),
                }
            )
    if not out:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _PAIR_COLUMNS})
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    return (
        pd.DataFrame(out, columns=_PAIR_COLUMNS)
        .assign(_r=lambda d: d["status"].map(rank))
        .sort_values(["_r", "a_id", "b_id"], kind="stable")
        .drop(columns="_r")
        .reset_index(drop=True)
    )


def _summarise(df: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Per figure: its worst pair status, the figures it was compared with, the reasons."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    mine: dict[str, list[tuple[str, dict]]] = {}
    for p in pairs.to_dict("records") if len(pairs) else []:
        mine.setdefault(p["a_id"], []).append((p["b_id"], p))
        mine.setdefault(p["b_id"], []).append((p["a_id"], p))
    status, related, reasons, n_contra = [], [], [], []
    for fid in df["figure_id"]:
        ps = mine.get(fid, [])
        status.append(min((p["status"] for _, p in ps), key=lambda s: rank[s], default="alone"))
        related.append(tuple(other for other, _ in ps))
        lines = []
        for _, p in ps:
            them = p["b_label"] if p["a_id"] == fid else p["a_label"]
            why = "; ".join(p["reasons"]) or "nothing in the data tells them apart"
            lines.append(f"{p['status']} with {them}: {why}")
        reasons.append(tuple(lines))
        n_contra.append(sum(p["status"] == "contradiction" for _, p in ps))
    return df.assign(status=status, related_ids=related, reasons=reasons, n_contradictions=n_contra)


# --- app/figures/timeseries.py @ ae67a90 -----------------------------------

def timeseries_figure(
    figures: pd.DataFrame,
    priority: list[str],
    x_range: tuple[object, object] | None = None,
    focus: tuple[pd.Timestamp, pd.Timestamp] | None = FOCUS,
    empty_message: str = "No figures for this selection.",
    height: int | None = None,
    metrics: tuple[str, ...] = (),
) -> go.Figure:
    """Panels by kind, one trace per (metric, publisher, area) (see module doc).

    ``figures`` needs the canonical figure columns plus ``area_label``; rows without
    ``period_end`` must be dropped by the caller (they cannot be placed in time).
    ``metrics`` orders the legend groups (the selected metric first); others follow.
    """
    if figures.empty:
        return _ts_empty(empty_message, height)
    kinds = [k for k in KIND_ORDER if (figures["kind"] == k.value).any()]
    fig = make_subplots(
        rows=len(kinds),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.09,
        subplot_titles=[KIND_TITLES[k] for k in kinds],
    )
    metric_order = list(dict.fromkeys([*metrics, *figures["metric"]]))
    for row_i, kind in enumerate(kinds, start=1):
        sub = figures[figures["kind"] == kind.value]
        for metric in [m for m in metric_order if (sub["metric"] == m).any()]:
            msub = sub[sub["metric"] == metric]
            symbol = TS_SYMBOLS[metric_order.index(metric) % len(TS_SYMBOLS)]
            label = METRICS[metric].label if metric in METRICS else metric
            msub = msub.assign(_org=msub["publisher"].map(lambda p: fmt.short_name(str(p), 60)))
            # the area with most figures gets the solid line
            area_order = list(
                msub["area_label"]
                .value_counts()
                .sort_index()
                .sort_values(ascending=False, kind="stable")
                .index
            )
            multi_area = len(area_order) > 1
            for (org, area), g in msub.groupby(["_org", "area_label"], sort=True):
                dash = DASHES[area_order.index(area) % len(DASHES)]
                pts = series_points(g.sort_values("period_end").to_dict("records"), kind)
                colour = style.publisher_colour(str(org), priority)
                name = fmt.short_name(str(org), 24)
                if multi_area:
                    name = f"{name} – {fmt.short_name(str(area), 18)}"
                fig.add_trace(
                    go.Scatter(
                        **x_fields(pts),
                        y=pts["y"],
                        name=name,
                        mode="lines+markers",
                        line={
                            "color": colour,
                            "width": 3 if kind == Kind.FLOW else 1.5,
                            "dash": dash,
                        },
                        marker={
                            "color": colour,
                            "size": pts["sizes"],
                            "symbol": symbol,
                            "line": {"color": "#ffffff", "width": 1},
                        },
                        error_y={
                            "type": "data",
                            "symmetric": False,
                            "array": pts["plus"],
                            "arrayminus": pts["minus"],
                            "color": colour,
                            "thickness": 1.2,
                            "width": 4,
                        },
                        **hover_fields(pts),
                        connectgaps=False,
                        legendgroup=metric,
                        legendgrouptitle={"text": label},
                        meta={
                            "metric": metric,
                            "publisher": str(org),
                            "area": str(area),
                            "kind": kind.value,
                            "publishers": sorted(set(map(str, g["publisher"]))),
                        },
                    ),
                    row=row_i,
                    col=1,
                )
        fig.update_yaxes(
            row=row_i,
            col=1,
            rangemode="tozero",
            tickformat="~s",
            gridcolor=style.GRID,
            zeroline=True,
            zerolinecolor="#c5ccd3",
        )
    fig.update_xaxes(
        gridcolor=style.GRID,
        showspikes=True,
        spikemode="across",
        spikethickness=1,
        spikecolor="#9aa5b1",
    )
    lo, hi = time_range(figures, x_range, focus)
    fig.update_xaxes(range=[lo, hi])
    fig.update_annotations(font={"size": 12, "color": style.MUTED}, x=0, xanchor="left")
    fig.update_layout(
        height=height,
        margin={"l": 56, "r": 10, "t": 28, "b": 36},
        font={"family": style.FONT, "color": style.TEXT, "size": 12},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        hovermode="closest",
        hoverlabel={
            "bgcolor": "#ffffff",
            "bordercolor": "#9aa5b1",
            "font": {"family": style.FONT, "size": 12, "color": style.TEXT},
        },
        legend={
            "orientation": "v",
            "x": 1.01,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "font": {"size": 10},
            "groupclick": "toggleitem",
            "tracegroupgap": 4,
            "grouptitlefont": {"size": 11},
        },
        showlegend=True,  # even for one series: the legend names its publisher
        # a user's zoom survives filter changes, but not a change of time axis or metric
        uirevision=f"{lo.date()}/{hi.date()}/{','.join(metrics)}",
    )
    return fig


def _ts_empty(message: str, height: int | None) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        font={"family": style.FONT, "color": style.MUTED},
        annotations=[
            {
                "text": message,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 14},
            }
        ],
    )
    return fig


# --- app/figures/reconcile.py @ ae67a90 ---------------------------------

def reconcile_figure(
    rec: Reconciliation,
    priority: list[str],
    flags: dict[str, list[str]] | None = None,
    x_range: tuple[object, object] | None = None,
    log_y: bool = False,
) -> go.Figure:
    """One subplot row per lane (publisher family), value axes shared (see module doc).

    ``flags``: figure id -> flag messages (from ``checks.messages_for``), shown in hovers.
    Each trace's ``meta`` holds its lane, metric and the figure ids of its points.
    """
    df = rec.figures
    flags = flags or {}
    if df.empty:
        return _rec_empty(
            "No figure for this selection"
            + (f" known on {fmt.day(rec.as_of)}." if rec.as_of is not None else ".")
        )
    lanes = list(dict.fromkeys(df["lane"]))
    n = len(lanes)
    gap = min(0.06, 0.5 / n)
    height = (1 - gap * (n - 1)) / n
    traces: list[dict] = []
    layout: dict = {}
    # one value scale for every lane, so figures in different lanes compare by eye: the same
    # explicit range on each y axis (y ``matches`` across many stacked rows stops autorange
    # in plotly.js 4.1: every lane then reads 0-4). The x axes all match the bottom one.
    y_axis = {
        "tickformat": "~s",
        "gridcolor": style.GRID,
        "zeroline": True,
        "zerolinecolor": "#c5ccd3",
        "type": "log" if log_y else "linear",
        "range": value_range(df, log_y),
    }
    x_axis: dict = {
        "type": "date",
        "gridcolor": style.GRID,
        "showspikes": True,
        "spikemode": "across",
        "spikethickness": 1,
        "spikecolor": "#9aa5b1",
    }
    if x_range is not None and all(v is not None for v in x_range):
        x_axis["range"] = [pd.Timestamp(x_range[0]), pd.Timestamp(x_range[1])]
    titles = []
    for i, lane in enumerate(lanes, start=1):
        top = 1 - (i - 1) * (height + gap)
        k = "" if i == 1 else str(i)
        layout[f"yaxis{k}"] = {**y_axis, "domain": [max(top - height, 0.0), top], "anchor": f"x{k}"}
        layout[f"xaxis{k}"] = {
            **x_axis,
            "anchor": f"y{k}",
            "showticklabels": i == n,
            **({"matches": f"x{n}"} if i < n else {}),
        }
        titles.append(
            {
                "text": lane,
                "x": 0,
                "xref": "paper",
                "xanchor": "left",
                "y": top,
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12, "color": style.TEXT},
            }
        )
        sub = df[df["lane"] == lane]
        for metric, g in sub.groupby("metric", sort=False):
            for t in _metric_traces(g, str(metric), lane, priority, flags):
                traces.append({**t, "xaxis": f"x{k}", "yaxis": f"y{k}"})
    # a red band over the days each contradiction spans, through every lane (one paper-high
    # shape per pair on the shared x axis)
    xs = dict(zip(df["figure_id"], df["x"], strict=True))
    bands = [
        {
            "type": "rect",
            "xref": f"x{n if n > 1 else ''}",
            "yref": "paper",
            "y0": 0,
            "y1": 1,
            "x0": min(xs[p["a_id"]], xs[p["b_id"]]) - pd.Timedelta(hours=12),
            "x1": max(xs[p["a_id"]], xs[p["b_id"]]) + pd.Timedelta(hours=12),
            "fillcolor": CONTRADICTION,
            "opacity": 0.08,
            "line": {"width": 0},
            "layer": "below",
        }
        for p in (rec.pairs.to_dict("records") if len(rec.pairs) else [])
        if p["status"] == "contradiction"
    ]
    layout.update(
        shapes=bands,
        annotations=titles,
        height=max(260, LANE_HEIGHT * n + 80),
        margin={"l": 56, "r": 10, "t": 30, "b": 36},
        font={"family": style.FONT, "color": style.TEXT, "size": 12},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        hovermode="closest",
        hoverlabel={
            "bgcolor": "#ffffff",
            "bordercolor": "#9aa5b1",
            "align": "left",
            "font": {"family": style.FONT, "size": 12, "color": style.TEXT},
        },
        showlegend=False,
        uirevision="reconcile",
    )
    # built as plain dicts and validated once (make_subplots + add_trace + update_*axes
    # took seconds with a dozen lanes)
    return go.Figure({"data": traces, "layout": layout})


def _metric_traces(
    g: pd.DataFrame,
    metric: str,
    lane: str,
    priority: list[str],
    flags: dict[str, list[str]],
) -> list[dict]:
    """A lane's figures of one metric: the points (with error bars) and the flows' periods."""
    xs: list = []
    ys: list = []
    plus: list = []
    minus: list = []
    texts: list = []
    hovers: list = []
    line_colours: list = []
    line_widths: list = []
    symbols: list = []
    ids: list = []
    colours: list = []
    segs_x: list = []
    segs_y: list = []
    for r in g.sort_values("x").to_dict("records"):
        v, lo, hi = float(r["value"]), float(r["low"]), float(r["high"])
        flagged = bool(flags.get(r["figure_id"]))
        xs.append(r["x"])
        ys.append(v)
        plus.append(max(hi - v, 0.0))
        minus.append(max(v - lo, 0.0))
        texts.append(_compact(v) + (" ⚑" if flagged else ""))
        hovers.append(_hover(r, flags.get(r["figure_id"], [])))
        contra = r["status"] == "contradiction"
        line_colours.append(CONTRADICTION if contra else "#ffffff")
        line_widths.append(3 if contra else 1)
        symbol = SYMBOLS.get(str(r["kind"]), "circle")
        symbols.append(symbol + ("-open-dot" if r["kind"] == Kind.PROJECTION.value else ""))
        colours.append(style.publisher_colour(str(r["publisher"]), priority))
        ids.append(r["figure_id"])
        start = r.get("period_start")
        if (
            r["kind"] == Kind.FLOW.value
            and not fmt.is_missing(start)
            and not fmt.is_missing(r.get("period_end"))
            and pd.Timestamp(start) < pd.Timestamp(r["period_end"])
        ):
            segs_x += [pd.Timestamp(start), pd.Timestamp(r["period_end"]), None]
            segs_y += [v, v, None]
    colour = colours[0] if colours else style.MUTED
    label = METRICS[metric].label if metric in METRICS else metric
    out: list[dict] = []
    if segs_x:
        out.append(
            {
                "type": "scatter",
                "x": segs_x,
                "y": segs_y,
                "mode": "lines",
                "hoverinfo": "skip",
                "line": {"color": colour, "width": 3},
                "opacity": 0.45,
                "name": f"{lane}: {label} (period)",
                "meta": {"lane": lane, "metric": metric, "role": "period"},
            }
        )
    out.append(
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "markers+text",
            "text": texts,
            "textposition": "top center",
            "textfont": {"size": 10, "color": style.MUTED},
            "name": f"{lane}: {label}",
            "marker": {
                "color": colours,
                "size": 11,
                "symbol": symbols,
                "line": {"color": line_colours, "width": line_widths},
            },
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": plus,
                "arrayminus": minus,
                "color": colour,
                "thickness": 1.5,
                "width": 5,
            },
            "hovertext": hovers,
            "hovertemplate": "%{hovertext}<extra></extra>",
            "customdata": ids,
            "meta": {"lane": lane, "metric": metric, "role": "figures", "figure_ids": ids},
        }
    )
    return out


def _rec_empty(message: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        height=260,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        font={"family": style.FONT, "color": style.MUTED},
        annotations=[
            {
                "text": message,
                "x": 0.5,
                "y": 0.5,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "font": {"size": 14},
            }
        ],
    )
    return fig




# --- components/cards.py @ ae67a90 ----------------------------------------

def _alternatives_table(alt: pd.DataFrame) -> html.Table:
    rows = []
    for r in alt.to_dict("records"):
        rows.append(
            html.Tr(
                [
                    html.Td(r["publisher"], className="nws-alt-publisher"),
                    html.Td(
                        fmt.figure_text(r["value"], r["qualifier"], r["low"], r["high"]),
                        className="num",
                    ),
                    html.Td(fmt.period(r["period_start"], r["period_end"])),
                    html.Td(r["area_as_written"]),
                    html.Td(_link("source", r["url"]) if isinstance(r["url"], str) else "no link"),
                ],
                className="nws-alt-row",
            )
        )
    head = html.Thead(
        html.Tr([html.Th(h) for h in ("Publisher", "Figure", "Date", "Area", "Link")])
    )
    return html.Table([head, html.Tbody(rows)], className="table nws-alt-table")


def card(c: CardData, flags: list[str] | None = None) -> html.Section:
    """One card (pure: CardData -> component tree); ``flags``: the figure's flag messages."""
    children: list = [
        html.H2(c.title, className="card-label", title=f"How this figure was chosen: {c.rule}")
    ]
    f = c.figure
    if f is None:
        known = f" by {fmt.day(c.as_of)}" if c.as_of is not None else ""
        children.append(html.P(f"No figure known{known}.", className="nws-card-empty"))
        children.append(_rule(c))
        return html.Section(children, id=card_id(c.key), className="card")
    q = fmt.qualifier_text(f["qualifier"])
    rng = fmt.value_range(f["low"], f["high"])
    metric = METRICS.get(f["metric"])
    children.append(
        html.Div(
            [
                html.Span(q, className="nws-card-qualifier") if q else None,
                html.Span(fmt.number(f["value"]), className="card-value"),
                html.Span(f"({rng})" if rng else "(exact as published)", className="card-range"),
            ]
            + (
                [html.Span("projection / claim, not a count", className="badge badge-warn")]
                if metric is not None and metric.kind == Kind.PROJECTION
                else []
            ),
            className="nws-card-figure",
        )
    )
    children.append(
        html.Div(
            [
                html.Span(f["publisher"], className="nws-card-publisher"),
                " · ",
                _link(str(f["document"]), f.get("url")),
            ],
            className="card-meta nws-card-source",
        )
    )
    dates = [html.Span(_when(f), className="nws-card-asof")]
    if not fmt.is_missing(f.get("published_date")):
        dates.append(html.Span(f" · published {fmt.day(f['published_date'])}"))
    if c.as_of is not None:
        dates.append(html.Span(f" · as known on {fmt.day(c.as_of)}", className="nws-card-known"))
    children.append(html.Div(dates, className="card-meta nws-card-dates"))
    if flags:
        children.append(_flags(flags))
    children.append(_rule(c))
    seed = c.seed
    if not seed.empty:
        s = seed.iloc[0]
        children.append(
            html.Div(
                [
                    html.Span("News article, 16 Feb 2020: ", className="nws-seed-label"),
                    html.Span(fmt.figure_text(s["value"], s["qualifier"], s["low"], s["high"])),
                    html.Span(f" · {_when(s)}"),
                ],
                className="nws-card-seed",
            )
        )
    n = len(c.alternatives)
    if n:
        summary = (
            f"{n} other figure{'s' if n != 1 else ''} from {c.n_sources} "
            f"source{'s' if c.n_sources != 1 else ''} in the same weeks"
        )
        children.append(
            html.Details(
                [
                    html.Summary(summary, className="nws-alt-summary"),
                    _alternatives_table(c.alternatives),
                ],
                className="nws-alternatives",
            )
        )
    else:
        children.append(
            html.Div("No other source gave a figure in the same weeks", className="nws-alt-none")
        )
    return html.Section(children, id=card_id(c.key), className="card")

