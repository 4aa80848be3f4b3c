"""The checks themselves, one function each (:data:`~app.queries.checks.spec.CHECKS` lists
them): each takes the rows being checked (:class:`~app.queries.checks.rows._Rows`) and
returns its flags through :func:`_flags`, which formats the messages only when they are
wanted."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import repeat

import numpy as np
import pandas as pd

from app.i18n import _, ngettext
from app.queries import clean
from app.queries.checks import limits
from app.queries.checks.rows import _DAY_US, _NAT, _Rows
from app.queries.checks.spec import CHECKS, FLOW_TO_CUMULATIVE
from app.queries.checks.vectors import (
    _changes,
    _combine,
    _first_of,
    _fold,
    _prefix_extreme,
    _ranges,
    _runs,
)
from app.queries.checks.words import _data, _day, _label, _number, _period, _where
from app.queries.flag_index import FlagIndex
from app.queries.reconcile import WEEK_DAYS, Place, PlaceIndex, place_index, relation
from app.vocab import METRICS, Kind

#: What makes two rows the same figure (what ``clean.drop_duplicates`` compares).
_IDENTITY = tuple(clean._IDENTITY)


def _flags(
    t: _Rows,
    check: str,
    who: list[str],
    severity: str | list[str],
    related: list[tuple[str, ...]],
    messages: Callable[[], Iterable[str]],
) -> list[tuple] | FlagIndex:
    """The flag rows (:data:`COLUMNS`) of one check, in the order it met them. ``messages``
    formats them from the records; it is only called when the caller wants messages (an
    export's ``flags`` column names checks and figures, not the words)."""
    if t.origin is not None:
        return FlagIndex.of(tuple(CHECKS), check, who, severity, related)
    severities = [severity] * len(who) if isinstance(severity, str) else severity
    texts = messages() if t.messages else repeat("", len(who))
    return list(zip(who, repeat(check), severities, texts, related, strict=False))


def published_twice(t: _Rows) -> list[tuple]:
    """Same value, metric, sector and area, and the same period (warning), or dates at most a
    week apart with a start that is equal or unstated (note: probably one count, republished).

    Pairs are made inside groups of (metric, value, place) only; a NaN value never matches.
    """
    value = t.numbers("value")
    idx = np.flatnonzero(t.missing("sector") & ~np.isnan(value))  # HNO rows are one table
    if len(idx) < 2:
        return []
    value_codes = pd.factorize(value[idx] + 0.0)[0]
    group = _combine(t.codes("metric")[idx], value_codes, t.place[idx])
    order = np.lexsort((idx, group))
    members = idx[order]
    _unused, run_end = _runs(group[order])
    k = np.arange(len(order))
    owner, partner = _ranges(k + 1, run_end - k - 1)  # every later member of the same group
    if len(owner) == 0:
        return []
    a, b = members[owner], members[partner]  # a before b in table order
    start, end = t.times("period_start"), t.times("period_end")
    sa, sb, ea, eb = start[a], start[b], end[a], end[b]
    same = (sa == sb) & (ea == eb)
    dated = (ea != _NAT) & (eb != _NAT)
    days = np.floor_divide(np.where(dated, ea, 0) - np.where(dated, eb, 0), _DAY_US)
    starts_differ = (sa != _NAT) & (sb != _NAT) & (sa != sb)
    near = ~same & dated & ~starts_differ & (np.abs(days) <= WEEK_DAYS)
    keep = np.flatnonzero(same | near)
    a, b, same = a[keep], b[keep], same[keep]
    ids_a, ids_b = t.keys(a).tolist(), t.keys(b).tolist()

    def messages() -> Iterator[str]:
        recs = zip(t.iter_records(a), t.iter_records(b), strict=True)
        for identical, (ra, rb) in zip(same, recs, strict=True):
            if identical:
                how = (
                    _("transcribed twice from the same document ({where_a}; {where_b})").format(
                        where_a=_where(ra), where_b=_where(rb))
                    if ra["document"] == rb["document"]
                    else _("published in two documents: {document_a} and {document_b}").format(
                        document_a=_data(repr(ra["document"])),
                        document_b=_data(repr(rb["document"])))
                )  # fmt: skip
                msg = _(
                    "The same figure, {figure} for {area} ({period}), appears twice: {how}. "
                    "Views count it once; do not add both."
                ).format(figure=_label(ra), area=_data(ra["area_as_written"]),
                         period=_period(ra["period_start"], ra["period_end"]), how=how)  # fmt: skip
            else:
                msg = _(
                    "The same number, {number}, is given by {figure_a} ({period_a}, {document_a}) "
                    "and {figure_b} ({period_b}, {document_b}): probably one count published "
                    "twice, with different dates or wording."
                ).format(
                    number=_number(ra["value"]), figure_a=_label(ra),
                    period_a=_period(ra["period_start"], ra["period_end"]),
                    document_a=_data(ra["document"]), figure_b=_label(rb),
                    period_b=_period(rb["period_start"], rb["period_end"]),
                    document_b=_data(rb["document"]),
                )  # fmt: skip
            yield from (msg, msg)

    # each pair flags both figures, the earlier one first
    severity = np.repeat(np.where(same, "warning", "note"), 2).tolist()
    related = [r for ia, ib in zip(ids_a, ids_b, strict=True) for r in ((ib,), (ia,))]
    who = [f for ia, ib in zip(ids_a, ids_b, strict=True) for f in (ia, ib)]
    return _flags(t, "published_twice", who, severity, related, messages)


def cumulative_falls(t: _Rows) -> list[tuple]:
    """A running total at a later date below an earlier one (same metric, area, publisher
    family, start). Warning when the later high < the earlier low, else a note.

    Each group is sorted by (end, figure id); a row is flagged when the largest value at an
    earlier end is above its own, and only flagged rows are paired with their earlier rows.
    """
    end = t.times("period_end")
    idx = np.flatnonzero(t.isin("kind", [Kind.CUMULATIVE.value]) & (end != _NAT))
    if len(idx) < 2:
        return []
    group = _combine(
        t.codes("metric")[idx],
        t.codes("sector")[idx],
        t.place[idx],
        t.family[idx],
        t.codes("period_start")[idx],
    )
    # ties of end: by figure id, as sorted() compared them (a sort of a few str is faster)
    small = len(idx) <= limits._SMALL
    by_id = np.unique(t.ids(idx), return_inverse=True)[1] if small else t.ranks("figure_id")[idx]
    order = np.lexsort((idx, by_id, end[idx], group))
    rows, g, e = idx[order], group[order], end[idx][order]
    value = t.numbers("value")[rows]
    group_start, _unused = _runs(g)
    block_start, _unused2 = _runs(_combine(g, e))  # rows with the same end are not "earlier"
    is_first = block_start == np.arange(len(rows))
    firsts = np.flatnonzero(is_first)
    # the largest value at an earlier end of the group, as a dense rank (-1: none or NaN)
    vrank = np.unique(value, return_inverse=True)[1].astype(np.int64)
    vrank[np.isnan(value)] = -1
    block_group = g[firsts]
    span = len(rows) + 2  # a group's keys lie above every earlier group's: cummax restarts
    running = np.maximum.accumulate(block_group * span + np.maximum.reduceat(vrank, firsts) + 1)
    prior = np.full(len(firsts), -1, dtype=np.int64)
    prior[1:] = np.where(
        block_group[1:] == block_group[:-1], running[:-1] - block_group[1:] * span - 1, -1
    )
    later = np.flatnonzero((vrank >= 0) & (vrank < prior[np.cumsum(is_first) - 1]))
    if len(later) == 0:
        return []
    owner, cand = _ranges(group_start[later], block_start[later] - group_start[later])
    earlier = value[cand] > value[later[owner]]
    owner, cand = owner[earlier], cand[earlier]
    low, high = t.numbers("low")[rows], t.numbers("high")[rows]
    bounds = np.searchsorted(owner, np.arange(len(later) + 1))
    ids = t.keys(rows[cand])
    worst = []
    for i in range(len(later)):
        lows = low[cand[bounds[i] : bounds[i + 1]]].tolist()
        worst.append(int(cand[bounds[i] + lows.index(max(lows))]))  # the first highest low
    warning = high[later] < low[worst]

    def messages() -> Iterator[str]:
        recs = zip(t.iter_records(rows[later]), t.iter_records(rows[worst]), strict=True)
        for is_warning, (r_later, r_worst) in zip(warning, recs, strict=True):
            ranges = (
                _("its range is entirely below the earlier one's")
                if is_warning
                else _("their ranges overlap, so it may be rounding")
            )
            yield _(
                "Running total falls: {later} as of {later_day} is lower than {earlier} as of "
                "{earlier_day} (same publisher, area and start); {ranges}."
            ).format(later=_label(r_later), later_day=_day(r_later["period_end"]),
                     earlier=_label(r_worst), earlier_day=_day(r_worst["period_end"]),
                     ranges=ranges)  # fmt: skip

    related = [tuple(ids[bounds[i] : bounds[i + 1]]) for i in range(len(later))]
    severity = np.where(warning, "warning", "note").tolist()
    who = t.keys(rows[later]).tolist()
    return _flags(t, "cumulative_falls", who, severity, related, messages)


def _nearest_totals(
    total_group: np.ndarray,
    total_start: np.ndarray,
    total_end: np.ndarray,
    total_low: np.ndarray,
    flow_group: np.ndarray,
    flow_start: np.ndarray,
    flow_end: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The running totals a flow is compared with, as indexes into the totals (-1: none).

    Among the totals of the flow's group that start no later than the flow: ``after`` is the
    first by (end, low, table order) that ends on or after the flow's end, ``before`` the
    last by the same order that ends before the flow's start. Totals are ranked by (group,
    end, low, table order); each question is then "smallest / largest rank from here among
    totals starting by then" (:func:`_prefix_extreme`).
    """
    n = len(total_group)
    ends = np.unique(total_end)
    span = len(ends) + 1
    key = total_group * span + np.searchsorted(ends, total_end)
    order = np.lexsort((np.arange(n), total_low, key))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    ranked = key[order]
    group_lo = np.searchsorted(ranked, flow_group * span, side="left")
    group_hi = np.searchsorted(ranked, (flow_group + 1) * span, side="left")
    first_after = np.searchsorted(
        ranked, flow_group * span + np.searchsorted(ends, flow_end, side="left"), side="left"
    )
    last_before = (
        np.searchsorted(
            ranked, flow_group * span + np.searchsorted(ends, flow_start, side="left"), side="left"
        )
        - 1
    )
    r_after = _prefix_extreme(total_start, rank, flow_start, first_after, smallest=True)
    r_before = _prefix_extreme(total_start, rank, flow_start, last_before, smallest=False)
    after = np.where((r_after >= 0) & (r_after < group_hi), order[np.maximum(r_after, 0)], -1)
    before = np.where((r_before >= 0) & (r_before >= group_lo), order[np.maximum(r_before, 0)], -1)
    return after, before


def flow_exceeds_change(t: _Rows) -> list[tuple]:
    """A flow larger than the rise of the running total over its period (warning).

    The rise is bounded above by (running total at or after the flow's end, high) minus
    (running total before the flow's start, low; zero before the running total's own start).
    Running totals of the same publisher family are used when there are any, else any.
    """
    start, end = t.times("period_start"), t.times("period_end")
    dated = (start != _NAT) & (end != _NAT)
    metric, metric_names = t.factorized("metric")
    name_code = {str(m): i for i, m in enumerate(metric_names)}
    targets = set(FLOW_TO_CUMULATIVE.values())
    target_of = np.array(
        [name_code.get(FLOW_TO_CUMULATIVE.get(str(m), ""), -1) for m in metric_names] + [-1],
        dtype=np.int64,
    )  # index -1 (a missing metric) -> -1
    is_total = np.array([str(m) in targets for m in metric_names] + [False])[metric]
    is_flow = target_of[metric] >= 0
    totals = np.flatnonzero(dated & is_total)
    flows = np.flatnonzero(dated & is_flow)
    if len(totals) == 0 or len(flows) == 0:
        return []
    # one code space for the groups of totals and of flows (a flow's group is its target's)
    both_metric = np.concatenate([metric[totals], target_of[metric[flows]]])
    both_place = np.concatenate([t.place[totals], t.place[flows]])
    both_family = np.concatenate([t.family[totals], t.family[flows]])
    any_group = _combine(both_metric, both_place)
    family_group = _combine(both_metric, both_place, both_family)
    nt = len(totals)
    ts, te, tlow = start[totals], end[totals], t.numbers("low")[totals]
    fs, fe = start[flows], end[flows]
    after_any, before_any = _nearest_totals(any_group[:nt], ts, te, tlow, any_group[nt:], fs, fe)
    after_fam, before_fam = _nearest_totals(
        family_group[:nt], ts, te, tlow, family_group[nt:], fs, fe
    )
    first_start = np.full(int(family_group.max()) + 1, np.iinfo(np.int64).max)
    np.minimum.at(first_start, family_group[:nt], ts)
    same_family = first_start[family_group[nt:]] <= fs  # a same-family total has started
    after = np.where(same_family, after_fam, after_any)
    before = np.where(same_family, before_fam, before_any)
    low, high = t.numbers("low"), t.numbers("high")
    has_after = after >= 0
    a_high = np.where(has_after, high[totals[np.maximum(after, 0)]], np.nan)
    b_low = np.where(before >= 0, low[totals[np.maximum(before, 0)]], 0.0)
    rise_high = a_high - b_low
    flagged = np.flatnonzero(has_after & ~(low[flows] <= rise_high))
    f_rows, a_rows = flows[flagged], totals[after[flagged]]
    b_rows = np.where(before[flagged] >= 0, totals[np.maximum(before[flagged], 0)], -1)

    def messages() -> Iterator[str]:
        with_b = b_rows >= 0
        recs_b = t.iter_records(b_rows[with_b])
        recs = zip(t.iter_records(f_rows), t.iter_records(a_rows), with_b, strict=True)
        for f, a, has_b in recs:
            b = next(recs_b) if has_b else None
            rise = a["high"] - (b["low"] if b is not None else 0.0)
            since = (
                _("{figure} as of {day}").format(figure=_label(b), day=_day(b["period_end"]))
                if b is not None
                else _("zero at its start ({day})").format(day=_day(a["period_start"]))
            )
            yield _(
                "Flow larger than the running total's rise: {flow} over {period} (at least "
                "{low}) is more than the running total can have grown between {since} and "
                "{total} as of {day} (at most {rise}). One of them counts something else "
                "(e.g. repeated displacements of the same people) or is wrong; both are shown."
            ).format(flow=_label(f), period=_period(f["period_start"], f["period_end"]),
                     low=_number(f["low"]), since=since, total=_label(a),
                     day=_day(a["period_end"]), rise=_number(rise))  # fmt: skip

    ids_a = t.keys(a_rows).tolist()
    ids_b = iter(t.keys(b_rows[b_rows >= 0]).tolist())
    related = [
        (ia, next(ids_b)) if has_b else (ia,) for ia, has_b in zip(ids_a, b_rows >= 0, strict=True)
    ]
    who = t.keys(f_rows).tolist()
    return _flags(t, "flow_exceeds_change", who, "warning", related, messages)


def nationwide_in_nw_view(t: _Rows, regions: pd.DataFrame) -> list[tuple]:
    """Every view of this product is of north-west Syria: a nationwide figure in it is noted."""
    nationwide = set(regions.loc[regions["nationwide"].astype(bool), "region"])
    flagged = np.flatnonzero(t.isin("region", nationwide) | t.isin("area_pcode", ["SY"]))

    def messages() -> Iterator[str]:
        for r in t.iter_records(flagged):
            yield _(
                "Nationwide figure: {figure} counts all of Syria ({area}), not north-west "
                "Syria only; beside north-west figures it is larger by what happened "
                "elsewhere in the country."
            ).format(figure=_label(r), area=_data(r["area_as_written"]))

    who = t.keys(flagged).tolist()
    return _flags(t, "nationwide_in_nw_view", who, "note", [()] * len(who), messages)


def _inside_pairs(kids: dict[int, Place], parents: dict[int, Place]) -> list[tuple[int, int]]:
    """(kid, parent) place codes where the kid lies inside the parent (``relation``).

    A kid can only be inside a parent one of whose P-codes is a prefix of the kid's first
    P-code, so candidates come from an index of the parents by P-code; ``relation`` decides.
    """
    by_code: dict[str, list[int]] = {}
    for pid, p in parents.items():
        for code in p.pcodes:
            by_code.setdefault(code, []).append(pid)
    out = []
    for kid, k in kids.items():
        if not k.pcodes:
            continue
        first = k.pcodes[0]
        candidates = {pid for i in range(len(first) + 1) for pid in by_code.get(first[:i], ())}
        out += [(kid, pid) for pid in sorted(candidates) if relation(k, parents[pid]) == "inside"]
    return out


def children_exceed_parent(
    t: _Rows, regions: pd.DataFrame | PlaceIndex, areas: pd.DataFrame | None = None
) -> list[tuple]:
    """Sub-areas of one admin level adding up to more than their parent (warning).

    Summable metrics only, same sector and the same period (start and end). A child is a
    P-coded figure strictly inside the parent's area; community figures carried on their
    sub-district's P-code ("do not sum") and duplicate transcriptions are left out. Where two
    figures give the same child, the lower low counts, so the flag is never an artefact of
    choosing one source.
    """
    summable = [m for m, spec in METRICS.items() if spec.summable]
    idx = np.flatnonzero(t.isin("metric", summable) & ~t.part)
    if len(idx) < 2:
        return []
    identity = _fold(t.codes_at(c, idx) for c in _IDENTITY)
    idx = np.sort(idx[np.unique(identity, return_index=True)[1]])  # one transcription counts
    group = _combine(*(t.codes(c)[idx] for c in ("metric", "sector", "period_start", "period_end")))
    length = t.lengths("area_pcode")[idx]
    coded = ~np.isnan(length) & (length > 0)
    n_groups = int(group.max()) + 1
    n_coded = np.bincount(group, weights=coded, minlength=n_groups)
    any_region = np.bincount(group, weights=~t.missing("region")[idx], minlength=n_groups) > 0
    radix = int(np.nan_to_num(length).max(initial=0)) + 1
    group_lengths = np.unique(group[coded] * radix + length[coded].astype(np.int64))
    n_lengths = np.bincount(group_lengths // radix, minlength=n_groups)
    # containment needs a parent coarser than some child: a region or a shorter P-code
    open_group = (n_coded >= 2) & (any_region | (n_lengths >= 2))
    inside = np.flatnonzero(open_group[group])
    if len(inside) == 0:
        return []
    rows, group = idx[inside], group[inside]
    coded, length = coded[inside], length[inside]
    # the places: one Place per distinct (region, P-code), by the same rule as the views
    index = place_index(regions, areas)
    place = _combine(t.codes("region")[rows], t.codes("area_pcode")[rows])
    codes, first = np.unique(place, return_index=True)
    places = {
        int(p): index.of({"region": r["region"], "area_pcode": r["area_pcode"]})
        for p, r in zip(codes, t.records(rows[first]), strict=True)
    }
    parents = {p: pl for p, pl in places.items() if pl.pcodes}
    kid_places = {int(p): places[int(p)] for p in np.unique(place[coded])}
    pairs = _inside_pairs(kid_places, parents)
    if not pairs:
        return []
    is_parent = np.isin(place, list(parents))
    pairs_by_kid = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    fid = t.codes_at("figure_id", rows)
    area = t.codes("area_pcode")[rows]
    low, high = t.numbers("low")[rows], t.numbers("high")[rows]
    # groups a batch at a time (in order), so that the (parent, child) pairs of a large
    # table are never all in memory at once
    sizes = np.bincount(group, minlength=n_groups)
    step = limits._BATCH * 5
    cuts = np.searchsorted(np.cumsum(sizes), np.arange(step, sizes.sum(), step))
    flagged: list[tuple] = []
    for lo, hi in zip(np.r_[0, cuts + 1], np.r_[cuts + 1, n_groups], strict=True):
        mine = (group >= lo) & (group < hi)
        flagged += _children_over(
            group, place, np.flatnonzero(mine & is_parent), np.flatnonzero(mine & coded),
            pairs_by_kid, fid, area, length, low, high,
        )  # fmt: skip
    flagged.sort(key=lambda f: f[:3])  # groups as first met, then parents, then levels
    all_kids = np.concatenate([f[5] for f in flagged]) if flagged else np.array([], np.int64)
    all_ids = t.keys(rows[all_kids])
    bounds = np.cumsum([len(f[5]) for f in flagged])[:-1]
    parent_rows = rows[[f[1] for f in flagged]]

    def messages() -> Iterator[str]:
        for f, parent in zip(flagged, t.iter_records(parent_rows), strict=True):
            total, n_areas = f[3], f[4]
            period = _period(parent["period_start"], parent["period_end"])
            yield ngettext(
                "Sub-areas add up to more than their parent: {n} areas inside {place} sum to "
                "at least {total}, above {parent} (at most {high}) for the same period "
                "({period}).",
                "Sub-areas add up to more than their parent: {n} areas inside {place} sum to "
                "at least {total}, above {parent} (at most {high}) for the same period "
                "({period}).",
                n_areas,
            ).format(n=_number(n_areas), place=index.of(parent).shown, total=_number(total),
                     parent=_label(parent), high=_number(parent["high"]), period=period)  # fmt: skip

    related = [tuple(r) for r in np.split(all_ids, bounds)] if flagged else []
    who = t.keys(parent_rows).tolist()
    return _flags(t, "children_exceed_parent", who, "warning", related, messages)


def _children_over(
    group: np.ndarray,
    place: np.ndarray,
    parents: np.ndarray,
    kids: np.ndarray,
    pairs: np.ndarray,
    fid: np.ndarray,
    area: np.ndarray,
    length: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
) -> list[tuple]:
    """(group, parent, first kid of the level, total, n areas, kids) for each parent and
    level whose children's lows add up to more than the parent's high.

    ``parents`` and ``kids`` index the rows of some groups; ``pairs`` are (kid place,
    parent place) with the kid inside, sorted. Each kid is paired with the parents of its
    group whose place contains its place (sorted keys, no hash join).
    """
    if len(parents) == 0 or len(kids) == 0:
        return []
    n_places = int(place.max()) + 1
    # each kid once per place containing it, then once per parent row of its group there
    first = np.searchsorted(pairs[:, 0], place[kids], side="left")
    count = np.searchsorted(pairs[:, 0], place[kids], side="right") - first
    owner, pair = _ranges(first, count)
    kid_key = group[kids[owner]] * n_places + pairs[pair, 1]
    parent_key = group[parents] * n_places + place[parents]
    by_key = np.argsort(parent_key, kind="stable")
    sorted_keys = parent_key[by_key]
    lo = np.searchsorted(sorted_keys, kid_key, side="left")
    hi = np.searchsorted(sorted_keys, kid_key, side="right")
    which, slot = _ranges(lo, hi - lo)
    kid, par = kids[owner[which]], parents[by_key[slot]]
    keep = fid[kid] != fid[par]
    kid, par = kid[keep], par[keep]
    if len(kid) == 0:
        return []
    kid_len = length[kid].astype(np.int64)
    # the record checks met a parent's kids in table order: a level is ordered by its first
    # kid, and so is each P-code within a level; their lows are summed in that order
    level_first = _first_of(_combine(par, kid_len), kid)
    code_first = _first_of(_combine(par, kid_len, area[kid]), kid)
    order = np.lexsort((kid, code_first, level_first, par))
    par, kid = par[order], kid[order]
    level_first, code_first = level_first[order], code_first[order]
    code_starts = np.flatnonzero(_changes(par, level_first, code_first))
    mins = np.minimum.reduceat(low[kid], code_starts)  # the lower low of each child P-code
    seg_codes = np.flatnonzero(_changes(par[code_starts], level_first[code_starts]))
    seg_par, seg_first = par[code_starts[seg_codes]], level_first[code_starts[seg_codes]]
    approx = np.add.reduceat(mins, seg_codes)
    tolerance = 1e-9 * np.maximum(1.0, np.abs(high[seg_par]))
    bounds = np.append(seg_codes, len(mins))
    kid_bounds = np.append(code_starts[seg_codes], len(kid))
    out = []
    for i in np.flatnonzero(~(approx <= high[seg_par] - tolerance)):
        # exactly as the record checks added them up (a float sum depends on its order)
        total = sum(mins[bounds[i] : bounds[i + 1]].tolist())
        if total <= high[seg_par[i]]:
            continue
        p = int(seg_par[i])
        n_areas = int(bounds[i + 1] - bounds[i])
        out.append((int(group[p]), p, int(seg_first[i]), total, n_areas,
                    kid[kid_bounds[i] : kid_bounds[i + 1]]))  # fmt: skip
    return out
