"""FROZEN COPY of the record-based consistency checks (app/queries/checks.py as of commit
ae67a90), kept only as the oracle of tests/unit/test_checks_vectorised.py: the vectorised
checks must give exactly the same flags (ids, severities, messages, related ids, order).
Do not edit it to make a test pass; change it only if a check's documented rule changes.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from app import format as fmt
from app.queries import clean
from app.queries.reconcile import (
    WEEK_DAYS,
    PlaceIndex,
    label,
    place_index,
    publisher_family,
    relation,
)
from app.vocab import METRICS, Kind

#: check id -> (severity or severities, what it means). README "Consistency checks".
CHECKS: dict[str, str] = {
    "published_twice": (
        "the same figure (value, metric, area, period) in two rows or documents; warning "
        "when identical, note when only the date, qualifier or a stated start differ"
    ),
    "cumulative_falls": (
        "a running total lower at a later date than earlier (same metric, area, publisher "
        "family and start); warning when the later high is below the earlier low, else note"
    ),
    "flow_exceeds_change": (
        "a flow over a period larger than the running total grew over it (nearest running "
        "totals before and after, ranges compared); warning"
    ),
    "nationwide_in_nw_view": "a nationwide figure shown in a north-west view; note",
    "children_exceed_parent": (
        "sub-areas adding up to more than their parent (summable metric, same period; sum of "
        "lows above the parent's high; community rows marked 'do not sum' left out); warning"
    ),
}
COLUMNS = ["figure_id", "check", "severity", "message", "related_ids"]
#: What makes two rows the same figure (as ``clean.drop_duplicates`` decides it).
_IDENTITY = (
    "metric",
    "sector",
    "value",
    "qualifier",
    "period_start",
    "period_end",
    "area_pcode",
    "region",
    "publisher",
    "document",
)
SEVERITIES = ("warning", "note")

#: Flows whose period a running total covers (same place): displacement counts.
FLOW_TO_CUMULATIVE: dict[str, str] = {
    "idp_displacements": "idps_displaced_since",
    "idp_arrivals": "idps_displaced_since",
    "idp_departures": "idps_displaced_since",
}


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})


def _key(v: object) -> object:
    """A cell as a grouping key (NaN/NaT/None all the same)."""
    return None if fmt.is_missing(v) else v


def _place_key(row: dict) -> tuple:
    return (_key(row.get("region")), _key(row.get("area_pcode")), bool(row.get("_part")))


def _default_priority() -> list[str]:
    from app.config import get_config

    return [p.strip() for p in get_config().publisher_priority.split("|") if p.strip()]


def run_checks(
    figures: pd.DataFrame,
    areas: pd.DataFrame | None,
    regions: pd.DataFrame,
    priority: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Every flag on ``figures``: columns figure_id, check, severity, message, related_ids.

    ``related_ids`` is a tuple of the figure ids the flag compares with. Pass the figures as
    known on the view's date (see module doc). ``priority`` groups publishers into families
    for :func:`cumulative_falls` (default: the configured publisher priority).
    """
    if figures.empty:
        return _empty()
    priority = list(priority) if priority is not None else _default_priority()
    # one conversion to plain records: the checks are loops over a few hundred figures
    recs = figures.assign(_part=clean.is_sub_area_row(figures)).to_dict("records")
    index = place_index(regions, areas)
    rows = [
        *published_twice(recs),
        *cumulative_falls(recs, priority),
        *flow_exceeds_change(recs, priority),
        *nationwide_in_nw_view(recs, regions),
        *children_exceed_parent(recs, index),
    ]
    if not rows:
        return _empty()
    return (
        pd.DataFrame(rows, columns=COLUMNS)
        .sort_values(["figure_id", "check"], kind="stable")
        .reset_index(drop=True)
    )


def _row(fid: str, check: str, severity: str, message: str, related: Iterable[str]) -> dict:
    return {
        "figure_id": fid,
        "check": check,
        "severity": severity,
        "message": message,
        "related_ids": tuple(related),
    }


def _where(r: dict) -> str:
    return f"{r['source_file']} row {r['source_row']}"


# --- the checks ---------------------------------------------------------------------------
def published_twice(recs: list[dict]) -> list[dict]:
    """Same value, metric, sector and area, and the same period (warning), or dates at most a
    week apart with a start that is equal or unstated (note: probably one count, republished)."""
    out: list[dict] = []
    groups: dict[tuple, list[dict]] = {}
    for r in recs:
        if _key(r.get("sector")) is not None:  # HNO rows are one table, not republished
            continue
        groups.setdefault((r["metric"], r["value"], _place_key(r)), []).append(r)
    for rows in groups.values():
        if len(rows) < 2:
            continue
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                sa, sb = _key(a["period_start"]), _key(b["period_start"])
                ea, eb = _key(a["period_end"]), _key(b["period_end"])
                if sa == sb and ea == eb:
                    same_doc = a["document"] == b["document"]
                    how = (
                        f"transcribed twice from the same document ({_where(a)}; {_where(b)})"
                        if same_doc
                        else f"published in two documents: {a['document']!r} and {b['document']!r}"
                    )
                    msg = (
                        f"The same figure, {label(a)} for {a['area_as_written']} "
                        f"({fmt.period(a['period_start'], a['period_end'])}), appears twice: "
                        f"{how}. Views count it once; do not add both."
                    )
                    out += [
                        _row(a["figure_id"], "published_twice", "warning", msg, [b["figure_id"]]),
                        _row(b["figure_id"], "published_twice", "warning", msg, [a["figure_id"]]),
                    ]
                    continue
                if ea is None or eb is None or (sa is not None and sb is not None and sa != sb):
                    continue
                if abs((pd.Timestamp(ea) - pd.Timestamp(eb)).days) > WEEK_DAYS:
                    continue
                msg = (
                    f"The same number, {fmt.number(a['value'])}, is given by {label(a)} "
                    f"({fmt.period(a['period_start'], a['period_end'])}, {a['document']}) and "
                    f"{label(b)} ({fmt.period(b['period_start'], b['period_end'])}, "
                    f"{b['document']}): probably one count published twice, with different "
                    f"dates or wording."
                )
                out += [
                    _row(a["figure_id"], "published_twice", "note", msg, [b["figure_id"]]),
                    _row(b["figure_id"], "published_twice", "note", msg, [a["figure_id"]]),
                ]
    return out


def cumulative_falls(recs: list[dict], priority: list[str]) -> list[dict]:
    """A running total at a later date below an earlier one (same metric, area, publisher
    family, start). Warning when the later high < the earlier low, else a note."""
    out: list[dict] = []
    groups: dict[tuple, list[dict]] = {}
    for r in recs:
        if r["kind"] != Kind.CUMULATIVE.value or _key(r["period_end"]) is None:
            continue
        key = (
            r["metric"],
            _key(r["sector"]),
            _place_key(r),
            publisher_family(str(r["publisher"]), priority),
            _key(r["period_start"]),
        )
        groups.setdefault(key, []).append(r)
    for rows in groups.values():
        rows.sort(key=lambda r: (r["period_end"], r["figure_id"]))
        for j, later in enumerate(rows):
            earlier = [
                e
                for e in rows[:j]
                if e["period_end"] < later["period_end"] and later["value"] < e["value"]
            ]
            if not earlier:
                continue
            worst = max(earlier, key=lambda e: e["low"])
            severity = "warning" if later["high"] < worst["low"] else "note"
            ranges = (
                "its range is entirely below the earlier one's"
                if severity == "warning"
                else "their ranges overlap, so it may be rounding"
            )
            msg = (
                f"Running total falls: {label(later)} as of {fmt.day(later['period_end'])} is "
                f"lower than {label(worst)} as of {fmt.day(worst['period_end'])} "
                f"(same publisher, area and start); {ranges}."
            )
            out.append(
                _row(
                    later["figure_id"],
                    "cumulative_falls",
                    severity,
                    msg,
                    [e["figure_id"] for e in earlier],
                )
            )
    return out


def flow_exceeds_change(recs: list[dict], priority: list[str]) -> list[dict]:
    """A flow larger than the rise of the running total over its period (warning).

    The rise is bounded above by (running total at or after the flow's end, high) minus
    (running total before the flow's start, low; zero before the running total's own start).
    Running totals of the same publisher family are used when there are any, else any.
    """
    out: list[dict] = []
    targets = set(FLOW_TO_CUMULATIVE.values())
    recs = [
        r
        for r in recs
        if not fmt.is_missing(r["period_start"])
        and not fmt.is_missing(r["period_end"])
        and (r["metric"] in FLOW_TO_CUMULATIVE or r["metric"] in targets)
    ]
    # running totals indexed by (metric, place): each flow scans only its own group
    totals: dict[tuple, list[dict]] = {}
    for r in recs:
        if r["metric"] in targets:
            totals.setdefault((r["metric"], _place_key(r)), []).append(r)
    family = {r["figure_id"]: publisher_family(str(r["publisher"]), priority) for r in recs}
    for f in (r for r in recs if r["metric"] in FLOW_TO_CUMULATIVE):
        group = totals.get((FLOW_TO_CUMULATIVE[f["metric"]], _place_key(f)), [])
        cum = [c for c in group if c["period_start"] <= f["period_start"]]
        same = [c for c in cum if family[c["figure_id"]] == family[f["figure_id"]]]
        cum = same or cum
        after = sorted(
            (c for c in cum if c["period_end"] >= f["period_end"]),
            key=lambda c: (c["period_end"], c["low"]),
        )
        if not after:
            continue
        a = after[0]
        before = sorted(
            (c for c in cum if c["period_end"] < f["period_start"]),
            key=lambda c: (c["period_end"], c["low"]),
        )
        b = before[-1] if before else None
        rise_high = a["high"] - (b["low"] if b is not None else 0.0)
        if f["low"] <= rise_high:
            continue
        since = (
            f"{label(b)} as of {fmt.day(b['period_end'])}"
            if b is not None
            else f"zero at its start ({fmt.day(a['period_start'])})"
        )
        msg = (
            f"Flow larger than the running total's rise: {label(f)} over "
            f"{fmt.period(f['period_start'], f['period_end'])} (at least {fmt.number(f['low'])}) "
            f"is more than the running total can have grown between {since} and "
            f"{label(a)} as of {fmt.day(a['period_end'])} (at most {fmt.number(rise_high)}). "
            f"One of them counts something else (e.g. repeated displacements of the same "
            f"people) or is wrong; both are shown."
        )
        related = [a["figure_id"]] + ([b["figure_id"]] if b is not None else [])
        out.append(_row(f["figure_id"], "flow_exceeds_change", "warning", msg, related))
    return out


def nationwide_in_nw_view(recs: list[dict], regions: pd.DataFrame) -> list[dict]:
    """Every view of this product is of north-west Syria: a nationwide figure in it is noted."""
    nationwide = set(regions.loc[regions["nationwide"].astype(bool), "region"])
    out = []
    for r in recs:
        if r.get("region") not in nationwide and r.get("area_pcode") != "SY":
            continue
        msg = (
            f"Nationwide figure: {label(r)} counts all of Syria "
            f"({r['area_as_written']}), not north-west Syria only; beside north-west "
            f"figures it is larger by what happened elsewhere in the country."
        )
        out.append(_row(r["figure_id"], "nationwide_in_nw_view", "note", msg, []))
    return out


def children_exceed_parent(
    recs: list[dict], regions: pd.DataFrame | PlaceIndex, areas: pd.DataFrame | None = None
) -> list[dict]:
    """Sub-areas of one admin level adding up to more than their parent (warning).

    Summable metrics only, same sector and the same period (start and end). A child is a
    P-coded figure strictly inside the parent's area; community figures carried on their
    sub-district's P-code ("do not sum") and duplicate transcriptions are left out. Where two
    figures give the same child, the lower low counts, so the flag is never an artefact of
    choosing one source.
    """
    index = place_index(regions, areas)
    summable = {m for m, spec in METRICS.items() if spec.summable}
    groups: dict[tuple, list[dict]] = {}
    seen: set[tuple] = set()
    for r in recs:
        if r["metric"] not in summable or r.get("_part"):
            continue
        identity = tuple(_key(r.get(c)) for c in _IDENTITY)
        if identity in seen:  # the same figure transcribed twice counts once
            continue
        seen.add(identity)
        key = (r["metric"], _key(r["sector"]), _key(r["period_start"]), _key(r["period_end"]))
        groups.setdefault(key, []).append(r)
    out: list[dict] = []
    for rows in groups.values():
        coded = [r for r in rows if _key(r["area_pcode"])]
        # containment needs a parent coarser than some child: a region or a shorter P-code
        if len(coded) < 2 or (
            all(_key(r["region"]) is None for r in rows)
            and len({len(r["area_pcode"]) for r in coded}) < 2
        ):
            continue
        for parent in rows:
            pp = index.of(parent)
            if not pp.pcodes:
                continue
            by_level: dict[int, dict[str, list[dict]]] = {}
            for k in coded:
                if k["figure_id"] != parent["figure_id"] and relation(index.of(k), pp) == "inside":
                    by_level.setdefault(len(k["area_pcode"]), {}).setdefault(
                        k["area_pcode"], []
                    ).append(k)
            for kids in by_level.values():
                total = sum(min(k["low"] for k in same) for same in kids.values())
                if total <= parent["high"]:
                    continue
                period = fmt.period(parent["period_start"], parent["period_end"])
                msg = (
                    f"Sub-areas add up to more than their parent: {len(kids)} areas inside "
                    f"{pp.name} sum to at least {fmt.number(total)}, above {label(parent)} "
                    f"(at most {fmt.number(parent['high'])}) for the same period ({period})."
                )
                out.append(
                    _row(
                        parent["figure_id"],
                        "children_exceed_parent",
                        "warning",
                        msg,
                        [k["figure_id"] for same in kids.values() for k in same],
                    )
                )
    return out
