"""One value per area for the choropleth, with the figure it came from and what was left out.

For a figure metric the values come from :func:`app.queries.timeseries.regional_series`
(figures at the level, or finer ones added up when the metric allows) after the view's
filters (dates, publishers, as known on) and :mod:`app.queries.clean`. An area can have
several figures (two publishers, two periods); the map shows one, by a documented rule:

1. the latest period end (undated figures last);
2. a figure published for the area itself before a sum of its sub-areas' figures (a sum
   is *partial* when fewer sub-areas reported than exist, and the hover says so);
3. the publisher highest in the priority list (as the headline cards);
4. the larger value.

With a window (the view's ``start`` and/or ``end``), counts for consecutive periods are
added up first: when several figures of one area come from the same publisher and document,
have the same metric, are flows (counts over a period, ``Kind.FLOW``) and their periods do
not overlap, they become one value over the window - value, low and high each summed, the
period from the first start to the last end ("29 Jul 2019 – 1 Sep 2019"), the hover says
"sum of 5 weekly counts". Only figures whose period overlaps the window take part (the
view's filter), so a week that straddles the window's edge counts whole and the period
shown says so. A figure published for the area and a sum of its sub-areas' figures are
added up apart (rule 2 then prefers the area's own). Periods that overlap (two editions of
one count, a month and a week inside it) are never added: each stays its own figure.
Without a window the rule above is unchanged: the latest period end.

The other figures are counted so the hover can say "1 other figure" instead of hiding it.
Areas without a figure get no value: the map draws them grey as "no data", never 0.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from app import format as fmt
from app.i18n import N_, _, translate
from app.queries import clean
from app.queries.areas import areas_at_level, n_inside
from app.queries.catalogue import AREA_SOURCES, LEVELS, ViewMetric
from app.queries.derived import canonical, column_codes, memo, rows_for_metric_sector
from app.queries.filters import FigureFilter, positions
from app.queries.headline import publisher_rank
from app.queries.timeseries import (
    NOT_SUMMABLE_NOTE,
    pcode_level,
    pcode_levels,
    regional_series,
)
from app.tables.compact import codes_of, fold_codes
from app.vocab import METRICS, Kind

VALUE_COLUMNS = [
    "pcode",
    "value",
    "low",
    "high",
    "qualifier",
    "publisher",
    "document",
    "url",
    "period",
    "source",
    "n_figures",
    "n_other",
    "summed",
    "n_parts",
    "n_expected",
    "partial",
    #: how many periods were added up over the window (1: one figure's own period)
    "n_periods",
    #: "sum of 5 weekly counts" when n_periods > 1, else "" (English, a data note: the
    #: map's hover says it in the interface's language, app.figures.map.periods_sentence)
    "periods_note",
]

#: "Data for 3 of 110 sub-districts", per level (each level's noun in its own sentence:
#: the Arabic agrees with the numbers differently for each).
COVERAGE_TEXTS: dict[int, str] = {
    1: N_("Data for {n} of {total} governorates"),
    2: N_("Data for {n} of {total} districts"),
    3: N_("Data for {n} of {total} sub-districts"),
}
#: What the grey areas are, per level.
NO_DATA_TEXTS: dict[int, str] = {
    1: N_("governorates in grey: no data"),
    2: N_("districts in grey: no data"),
    3: N_("sub-districts in grey: no data"),
}


@dataclass(frozen=True)
class MapValues:
    metric: ViewMetric
    level: int
    sector: str | None
    #: every area at the level: pcode, name_en, name_ar
    areas: pd.DataFrame
    #: areas with a value, one row each (columns VALUE_COLUMNS)
    values: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def n_areas(self) -> int:
        return len(self.areas)

    @property
    def n_with_data(self) -> int:
        return len(self.values)

    def coverage_text(self) -> str:
        """ "Data for 3 of 110 sub-districts" (said on the map: sparse data must look sparse)."""
        text = COVERAGE_TEXTS.get(self.level)
        if text is None:  # not a map level: the level's English plural
            return f"Data for {self.n_with_data} of {self.n_areas} {LEVELS[self.level][1]}"
        return _(text).format(n=fmt.number(self.n_with_data), total=fmt.number(self.n_areas))

    def no_data_text(self) -> str:
        """ "sub-districts in grey: no data" (said beside the coverage when areas lack one)."""
        text = NO_DATA_TEXTS.get(self.level)
        return _(text) if text else f"{LEVELS[self.level][1]} in grey: no data"


@functools.cache
def _empty_template() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in VALUE_COLUMNS})


def _empty_values() -> pd.DataFrame:
    """No values (a copy; building an empty frame of object columns costs ~3 ms)."""
    return _empty_template().copy()


def _event_sum_levels(figures: pd.DataFrame) -> np.ndarray:
    """Per row of a whole table: the admin level of a weekly sum of events, else -1."""
    sums = clean.event_sum_rows(figures)
    levels = np.full(len(figures), -1, dtype=np.int8)
    if sums.any():
        levels[sums] = pcode_level(figures["area_pcode"][sums]).to_numpy()
    return levels


def event_sum_levels(figures: pd.DataFrame, selected: pd.DataFrame) -> np.ndarray:
    """Per row of ``selected`` (rows of ``figures``): the admin level of a weekly sum of
    events, else -1. Found once per table when ``selected`` keeps the table's row labels,
    which are its positions in a canonical table (a RangeIndex from 0)."""
    idx = figures.index
    if isinstance(idx, pd.RangeIndex) and idx.start == 0 and idx.step == 1:
        return memo(figures, "event_sum_levels", _event_sum_levels)[selected.index.to_numpy()]
    return _event_sum_levels(selected)


def event_sums_that_can_win(
    figures: pd.DataFrame, selected: pd.DataFrame, level: int, windowed: bool
) -> pd.DataFrame:
    """Only the weekly sums of events that can decide an area's value at ``level``.

    Sums of events are nested totals (``app.events.aggregate``): an area has its own figure
    for every week any finer area has one, and its own figure wins over a sum of its
    sub-areas (rule 2), so sums for finer areas never decide a value; without a date window
    only each area's latest week can (rule 1). Dropping the others gives the same values
    and sources (tests compare), at a fraction of the work: with a million events in the
    store a map of the killed metrics read ~55,000 weekly figures per view (1.4 s). The
    hover's count of "other figures" then leaves out earlier weeks; the chart shows them.
    """
    keep = _can_win(
        event_sum_levels(figures, selected), lambda m: selected[list(_LATEST_BY)][m], level,
        windowed,
    )  # fmt: skip
    return selected if keep is None else selected[keep]


def event_sums_that_can_win_at(
    figures: pd.DataFrame, at: np.ndarray, level: int, windowed: bool
) -> np.ndarray:
    """:func:`event_sums_that_can_win` of the rows at positions ``at`` of a canonical table,
    as the positions kept (the caller takes the rows once)."""
    levels = memo(figures, "event_sum_levels", _event_sum_levels)[at]
    keep = _can_win(levels, lambda m: figures[list(_LATEST_BY)].iloc[at[m]], level, windowed)
    return at if keep is None else at[keep]


#: The columns that tell one area's weekly sums of one dataset release apart, and their date.
_LATEST_BY = ("area_pcode", "publisher", "document", "period_end")


def _can_win(
    levels: np.ndarray,
    rows_of: Callable[[np.ndarray], pd.DataFrame],
    level: int,
    windowed: bool,
) -> np.ndarray | None:
    """The mask of :func:`event_sums_that_can_win` over rows with these event-sum
    ``levels``; ``rows_of(mask)`` gives the :data:`_LATEST_BY` columns of the masked rows.
    None: every row is kept."""
    sums = levels >= 0
    if not sums.any():
        return None
    at_level = levels == level
    keep = ~sums | at_level
    if not windowed:
        cand = rows_of(sums & at_level)
        key = [cand["area_pcode"], cand["publisher"], cand["document"]]
        latest = cand.groupby(key, sort=False)["period_end"].transform("max")
        keep[sums & at_level] = (cand["period_end"] == latest).to_numpy()
    return keep


def map_values(
    figures: pd.DataFrame,
    areas: pd.DataFrame,
    metric: ViewMetric,
    level: int,
    flt: FigureFilter,
    priority: list[str],
    sector: str | None = None,
    _premerge: bool = True,
) -> MapValues:
    """Values per area at ``level`` for ``metric`` under the filter ``flt`` (see module doc).

    ``_premerge`` (tests: False compares with the long way): with a date window, an area's
    weekly sums of events are added up before the series are made (:func:`_premerge_at`)."""
    level_areas = areas_at_level(areas, level)
    sector = sector if metric.needs_sector else None
    if metric.source == "areas":
        return _area_attribute(areas, level_areas, metric, level)

    # performance: the view's filters (the metric's rows by positions found once per table,
    # the other filters on those rows only), the weekly sums that can win, the duplicates
    # and the merged weeks as positions in the table, the rows taken once at the end
    # (taking every column of a metric's 33,000 rows, then again, was most of a new
    # windowed map's 50 ms)
    figures = canonical(figures)
    kept = FigureFilter(publishers=flt.publishers, start=flt.start, end=flt.end, as_of=flt.as_of)
    if sector is None:
        at = positions(figures, dataclasses.replace(kept, metrics=(metric.column,)))
        at = np.arange(len(figures)) if at is None else at
    else:
        rows = rows_for_metric_sector(figures, metric.column, sector)
        mine = positions(rows, kept)
        at = rows.index.to_numpy() if mine is None else rows.index.to_numpy()[mine]
    windowed = flt.start is not None or flt.end is not None
    at = clean.for_areas_at(figures, event_sums_that_can_win_at(figures, at, level, windowed))
    notes: list[str] = []
    levels = pcode_levels(figures)[at]  # -1: none, or not a P-code
    coarser = figures["area_pcode"].iloc[at].isna().to_numpy() | ((levels >= 0) & (levels < level))
    if coarser.any():
        notes.append(
            _(
                "{n} figure(s) for larger areas (e.g. north-west Syria, governorates) are "
                "not drawn at this level: see the chart."
            ).format(n=fmt.number(int(coarser.sum())))
        )
    finer = levels > level
    if finer.any() and not METRICS[metric.column].summable:
        notes.append(
            _("{metric} cannot be added up to larger areas: choose a finer admin level.").format(
                metric=translate(METRICS[metric.column].label)
            )
        )

    premerged: dict[str, dict] = {}
    if windowed and _premerge:
        drop, premerged = _premerge_at(figures, at, level)
        at = at[~drop] if premerged else at
    selected = figures.iloc[at]
    series = regional_series(selected, metric.column, level, sector=sector)
    series = series[series["pcode"].isin(level_areas["pcode"])]
    if series.empty:
        return MapValues(metric, level, sector, level_areas, _empty_values(), notes)

    # performance: the choice per area in plain Python on the few rows of the series (the
    # same keys and order as a stable DataFrame sort on pcode, _end desc, summed, _rank,
    # value desc)
    area_of = dict(zip(selected["figure_id"], selected["area_pcode"], strict=True))
    undated = pd.Timestamp("1900-01-01")  # undated last
    recs = series.to_dict("records")
    for r in recs:
        part = sorted({str(area_of.get(f)) for f in r["figure_ids"].split("|")})
        r["summed"] = part != [r["pcode"]]
        r["n_parts"] = len(part)
        r["n_expected"] = _n_subareas(areas, r["pcode"], part) if r["summed"] else 1
        r["partial"] = r["summed"] and len(part) < r["n_expected"]
        r["_parts"] = part
        r["_rank"] = publisher_rank(str(r["publisher"]), priority)
        r["_end"] = undated if fmt.is_missing(r["period_end"]) else r["period_end"]
        r["n_periods"] = 1
        r["periods_note"] = ""
    if flt.start is not None or flt.end is not None:
        recs = _add_up_periods(recs, areas)
        if premerged:
            with_sums = _with_premerged(recs, premerged)
            if with_sums is None:  # another row shares a merged group's key: the long way
                return map_values(figures, areas, metric, level, flt, priority, sector,
                                  _premerge=False)  # fmt: skip
            recs = with_sums
        n_added = len({r["pcode"] for r in recs if r["n_periods"] > 1})
        if n_added:
            notes.append(
                _(
                    "Counts of one document for consecutive periods are added up over the "
                    "window ({n} area(s)): the hover says how many."
                ).format(n=fmt.number(n_added))
            )
    recs.sort(key=lambda r: r["value"], reverse=True)  # stable, reverse included
    recs.sort(key=lambda r: r["_rank"])
    recs.sort(key=lambda r: r["summed"])
    recs.sort(key=lambda r: r["_end"], reverse=True)
    recs.sort(key=lambda r: r["pcode"])
    counts = Counter(r["pcode"] for r in recs)
    chosen: list[dict] = []
    for r in recs:
        if not chosen or chosen[-1]["pcode"] != r["pcode"]:
            chosen.append({**r, "n_other": counts[r["pcode"]] - 1})
    rows = []
    for r in chosen:
        period = fmt.period(r["period_start"], r["period_end"])
        rows.append(
            {
                "pcode": r["pcode"],
                "value": float(r["value"]),
                "low": float(r["low"]),
                "high": float(r["high"]),
                "qualifier": None if r["summed"] or r["n_periods"] > 1 else r["qualifier"],
                "publisher": r["publisher"],
                "document": r["document"],
                "url": r["url"],
                "period": period,
                "source": _("{publisher}, {period}").format(
                    publisher=r["publisher"], period=period
                ),
                "n_figures": int(r["n_figures"]),
                "n_other": int(r["n_other"]),
                "summed": bool(r["summed"]),
                "n_parts": int(r["n_parts"]),
                "n_expected": int(r["n_expected"]),
                "partial": bool(r["partial"]),
                "n_periods": int(r["n_periods"]),
                "periods_note": r["periods_note"],
            }
        )
    values = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    return MapValues(metric, level, sector, level_areas, values.reset_index(drop=True), notes)


#: Fewer weekly sums at the level than this are added up the long way.
_PREMERGE_MIN = 50
_GROUP = ("area_pcode", "metric", "kind", "publisher", "document")


class _WeekRuns:
    """A whole table's weekly sums of events at one level that can be added up (flows with
    both dates, on a P-code, no "do not sum" note), in the order :func:`_premerge_at` adds
    them up: by area, metric, kind, publisher and document (``key``), then by period. Made
    once per table and level (65 bytes a row), so a view only looks up which of them it
    selected: sorting a window's 25,000 sub-district weeks was most of a windowed map."""

    def __init__(self, figures: pd.DataFrame, level: int) -> None:
        cand = np.flatnonzero(memo(figures, "event_sum_levels", _event_sum_levels) == level)
        read = dict.fromkeys(["period_start", "period_end", "kind", *_GROUP[1:]])
        rows = figures[list(read)].iloc[cand]
        start = rows["period_start"].to_numpy(dtype="datetime64[us]")
        end = rows["period_end"].to_numpy(dtype="datetime64[us]")
        pcodes = column_codes(figures, "area_pcode")[0][cand]
        notes = column_codes(figures, "note")[0][cand]
        usable = (rows["kind"] == Kind.FLOW.value).to_numpy(dtype=bool)
        usable = usable & ~np.isnat(start) & ~np.isnat(end) & (pcodes >= 0)
        usable &= memo(figures, "summable_notes", _summable_notes)[notes]  # -1: no note
        key = fold_codes(
            pcodes if name == "area_pcode" else codes_of(rows[name]) for name in _GROUP
        )
        order = np.flatnonzero(usable)
        order = order[np.lexsort((end[order], start[order], key[order]))]
        self.at = cand[order]  # positions in the table
        self.key, self.start, self.end = key[order], start[order], end[order]
        numbers = figures[["value", "low", "high"]].iloc[self.at]
        self.values = {c: numbers[c].to_numpy(dtype=float) for c in ("value", "low", "high")}
        dates = figures["published_date"].iloc[self.at].to_numpy(dtype="datetime64[us]")
        self.published = dates.view(np.int64)  # NaT is the smallest int64
        self.has_url = figures["url"].iloc[self.at].notna().to_numpy()


def week_runs(figures: pd.DataFrame, level: int) -> _WeekRuns:
    """:class:`_WeekRuns` of a table at ``level``, made once per table and level."""
    return memo(figures, f"week_runs:{level}", lambda t: _WeekRuns(t, level))


def _premerge_at(
    figures: pd.DataFrame, selected_at: np.ndarray, level: int
) -> tuple[np.ndarray, dict[str, dict]]:
    """With a date window, the weekly sums of events at ``level`` of one area, metric,
    publisher and document, as :func:`_add_up_periods` would merge them, worked out here
    with arrays, over the rows at positions ``selected_at`` (ascending) of a canonical
    table: which of them to drop (all of a merged group but its earliest week, which stands
    for the group where :func:`_add_up_periods` would put the merged row), and by the kept
    row's figure id the merged fields (:func:`_merged`'s, which :func:`_with_premerged`
    puts in).

    Why: a window open since 2016 over a million events gave 25,524 weekly series rows for
    the sub-districts, made one by one in Python (1.2 s a map)."""
    drop = np.zeros(len(selected_at), dtype=bool)
    levels = memo(figures, "event_sum_levels", _event_sum_levels)[selected_at]
    if np.count_nonzero(levels == level) < _PREMERGE_MIN:
        return drop, {}
    runs = week_runs(figures, level)
    # the table's runs the view selected, in their order, by index in selected_at
    idx = np.minimum(np.searchsorted(selected_at, runs.at), len(selected_at) - 1)
    mine = selected_at[idx] == runs.at
    order, key = idx[mine], runs.key[mine]
    if not len(order):
        return drop, {}
    # the groups, as runs of ``order``: each one area's weeks of one document, by period
    first = np.r_[True, key[1:] != key[:-1]]
    group_of_row = np.cumsum(first) - 1
    lo = np.flatnonzero(first)
    hi = np.r_[lo[1:], len(order)]
    s, e = runs.start[mine], runs.end[mine]
    # added up: two or more periods, none overlapping the next (periods sorted by start)
    overlaps = np.zeros(len(lo), dtype=bool)
    touching = (s[1:] <= e[:-1]) & ~first[1:]
    np.logical_or.at(overlaps, group_of_row[1:][touching], True)
    merges = (hi - lo >= 2) & ~overlaps
    if not merges.any():
        return drop, {}
    drop[order[~first & merges[group_of_row]]] = True
    # per group (reduceat runs from one group's start to the next's), then the merged ones
    weekly = np.logical_and.reduceat(e - s == np.timedelta64(6, "D"), lo)[merges]
    sums = {c: _run_sums(v[mine], lo, hi, merges) for c, v in runs.values.items()}
    # the first URL in period order, the latest publication, the last day: per group
    where = np.where(runs.has_url[mine], np.arange(len(order)), len(order))
    first_url = np.minimum.reduceat(where, lo)[merges]
    latest = np.maximum.reduceat(runs.published[mine], lo)[merges]
    lo, hi = lo[merges], hi[merges]
    last_days = pd.DatetimeIndex(e[hi - 1]).tolist()
    latest_days = pd.DatetimeIndex(latest.view("datetime64[us]")).tolist()  # NaT if none
    heads = runs.at[mine][lo]  # each group's earliest week, in the table
    head_rows = figures[["figure_id", *_GROUP]].iloc[heads]
    keys = zip(*(head_rows[c].to_numpy(dtype=object).tolist() for c in _GROUP), strict=True)
    has_url = first_url < len(order)
    url_at = runs.at[mine][first_url[has_url]]
    urls = iter(figures["url"].iloc[url_at].tolist())
    merged: dict[str, dict] = {}
    for i, (a, b, fid, group_key) in enumerate(
        zip(lo.tolist(), hi.tolist(), head_rows["figure_id"].tolist(), keys, strict=True)
    ):
        n = b - a
        if weekly[i]:
            length = "weekly "  # what _length_word says of weeks, without a dict per week
        else:
            length = _length_word([{"period_start": pd.Timestamp(s[g]),
                                    "period_end": pd.Timestamp(e[g])} for g in range(a, b)])  # fmt: skip
        merged[str(fid)] = {
            "period_end": last_days[i],
            "value": sums["value"][i],
            "low": sums["low"][i],
            "high": sums["high"][i],
            "n_figures": n,
            # (the merged rows' own figure ids are not listed: the map's values do not
            # name them; the earliest week's id stands for its group)
            "url": next(urls) if has_url[i] else None,
            "published_date": latest_days[i],
            "qualifier": "sum of figures",
            "_end": last_days[i],
            "n_periods": n,
            "periods_note": f"sum of {n} {length}counts",
            "_key": group_key,
        }
    return drop, merged


def _run_sums(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, which: np.ndarray) -> list[float]:
    """The sum of each run ``values[lo[i]:hi[i]]`` (runs end to end, ``lo`` ascending) of
    ``which``, the floats Python's ``sum`` gives adding left to right (as :func:`_merged`
    does): whole numbers well inside float precision (counts of events) add up exactly in
    any order, so all runs at once; others run by run."""
    whole = np.isfinite(values).all() and (values == np.round(values)).all()
    if whole and np.abs(values).sum() < 2.0**52:
        return np.add.reduceat(values, lo)[which].tolist()
    return [sum(values[a:b].tolist()) for a, b in zip(lo[which].tolist(), hi[which].tolist(), strict=True)]


def _summable_notes(figures: pd.DataFrame) -> np.ndarray:
    """Per distinct note of the table (1,499 with a million events), whether its figure
    may be added up (no :data:`NOT_SUMMABLE_NOTE`), then True for a figure without one."""
    notes = column_codes(figures, "note")[1]
    return ~pd.Series([*notes, ""], dtype=object).str.contains(NOT_SUMMABLE_NOTE).to_numpy()


def _with_premerged(recs: list[dict], merged: dict[str, dict]) -> list[dict] | None:
    """``recs`` with each kept earliest week replaced by its group's merged row; None when
    another row has a merged group's key (:func:`_add_up_periods` would have merged it too)."""
    keys = {m["_key"]: fid for fid, m in merged.items()}
    out = []
    for r in recs:
        fid = r["figure_ids"] if r["n_figures"] == 1 else None
        key = (r["pcode"], r["metric"], r["kind"], r["publisher"], r["document"])
        if fid in merged and not r["summed"] and r["n_periods"] == 1:
            m = {k: v for k, v in merged[fid].items() if k != "_key"}
            out.append({**r, **m})
        elif key in keys and not r["summed"] and r["kind"] == Kind.FLOW.value:
            return None
        else:
            out.append(r)
    return out


def _add_up_periods(recs: list[dict], areas: pd.DataFrame) -> list[dict]:
    """Series rows of one area, publisher, document, metric and flow kind whose periods do
    not overlap, as one row over the window (see module doc); other rows unchanged, in order.

    A sum of sub-areas and the area's own figure are kept apart (``summed`` is in the key).
    """
    groups: dict[tuple, list[dict]] = {}
    for r in recs:
        if (
            r["kind"] == Kind.FLOW.value
            and not fmt.is_missing(r["period_start"])
            and not fmt.is_missing(r["period_end"])
        ):
            key = (r["pcode"], r["metric"], r["kind"], r["publisher"], r["document"], r["summed"])
            groups.setdefault(key, []).append(r)
    merged: dict[int, dict] = {}  # id of a group's first row -> the group's row
    absorbed: set[int] = set()
    for rows in groups.values():
        if len(rows) < 2:
            continue
        ordered = sorted(rows, key=lambda r: (r["period_start"], r["period_end"]))
        if any(b["period_start"] <= a["period_end"] for a, b in itertools.pairwise(ordered)):
            continue  # overlapping periods: rival or revised counts, never added
        merged[id(rows[0])] = _merged(ordered, areas)
        absorbed.update(id(r) for r in rows[1:])
    if not merged:
        return recs
    return [merged.get(id(r), r) for r in recs if id(r) not in absorbed]


def _merged(rows: list[dict], areas: pd.DataFrame) -> dict:
    """One row for ``rows`` (ordered by period, none overlapping): sums and the whole span."""
    first, last = rows[0], rows[-1]
    parts = sorted({p for r in rows for p in r["_parts"]})
    summed = bool(first["summed"])
    n_expected = _n_subareas(areas, first["pcode"], parts) if summed else 1
    published = [r["published_date"] for r in rows if not fmt.is_missing(r["published_date"])]
    url = next((r["url"] for r in rows if not fmt.is_missing(r["url"])), None)
    return {
        **first,
        "period_start": first["period_start"],
        "period_end": last["period_end"],
        "value": sum(float(r["value"]) for r in rows),
        "low": sum(float(r["low"]) for r in rows),
        "high": sum(float(r["high"]) for r in rows),
        "n_figures": sum(int(r["n_figures"]) for r in rows),
        "figure_ids": "|".join(sorted(f for r in rows for f in str(r["figure_ids"]).split("|"))),
        "url": url,
        "published_date": max(published) if published else pd.NaT,
        "qualifier": "sum of figures",
        "_parts": parts,
        "n_parts": len(parts),
        "n_expected": n_expected,
        "partial": summed and len(parts) < n_expected,
        "_end": last["period_end"],
        "n_periods": len(rows),
        "periods_note": f"sum of {len(rows)} {_length_word(rows)}counts",
    }


def _length_word(rows: list[dict]) -> str:
    """ "weekly " when every period is a week, "monthly " when each is a calendar month."""
    spans = {(pd.Timestamp(r["period_end"]) - pd.Timestamp(r["period_start"])).days for r in rows}
    if spans == {6}:
        return "weekly "
    months = all(_is_calendar_month(r["period_start"], r["period_end"]) for r in rows)
    if months:
        return "monthly "
    if spans == {0}:
        return "daily "
    return ""


def _is_calendar_month(start: object, end: object) -> bool:
    """True when [start, end] is one whole calendar month (1 Feb 2020 - 29 Feb 2020)."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    return s.day == 1 and e == s + pd.offsets.MonthEnd(0)


def _n_subareas(areas: pd.DataFrame, pcode: str, parts: list[str]) -> int:
    """How many areas at the parts' level lie inside ``pcode`` (a sum covers them all or not)."""
    widths = {len(p) for p in parts}
    if len(widths) != 1:
        return len(parts) + 1  # parts of mixed levels: never a complete cover
    return n_inside(areas, pcode, widths.pop())


def _area_attribute(
    areas: pd.DataFrame, level_areas: pd.DataFrame, metric: ViewMetric, level: int
) -> MapValues:
    """Population or border distance straight from the areas table."""
    src = areas[areas["level"] == level]
    have = src[metric.column].notna().to_numpy()
    with_year = metric.column == "population" and "population_year" in src.columns
    years = src["population_year"] if with_year else pd.Series(None, index=src.index)
    source = AREA_SOURCES.get(metric.column, "")
    rows = []
    for pcode, value, year in zip(
        src["pcode"][have], src[metric.column][have], years[have], strict=True
    ):
        period = f"{year}" if with_year and isinstance(year, str) and year else ""
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
                "source": _("{publisher}, {period}").format(publisher=source, period=period)
                if period
                else source,
                "n_figures": 1,
                "n_other": 0,
                "summed": False,
                "n_parts": 1,
                "n_expected": 1,
                "partial": False,
                "n_periods": 1,
                "periods_note": "",
            }
        )
    values = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    values = values.sort_values("pcode").reset_index(drop=True) if rows else _empty_values()
    return MapValues(metric, level, None, level_areas, values, [])
