"""Events -> weekly casualty figures per area: supersession, nesting by precision, sums.

Two rules make the sums honest:

- **One row per event.** The same event (``source_dataset``, ``event_id``) may come in
  several files (a UCDP release and its revision); the row of the latest file wins, so no
  event is counted twice (:func:`current_events`).
- **Never finer than the source locates it.** An event counts toward the areas of its
  ``level`` and every coarser one (level 3: sub-district, district, governorate; level 2:
  district and governorate; level 1: governorate; level 0: none). Each figure is then the
  complete count of the events locatable to that area, and sub-areas never add up to more
  than their parent (:func:`event_figures`).

Weeks are ISO weeks (Monday to Sunday) of the event's start ``date``. A week without an
event has no figure: a missing row is "no event recorded", never a made-up 0.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app.tables.columns import EVENT_COLUMNS, FIGURE_COLUMNS
from app.vocab import METRICS

#: Admin level -> (the P-code column an event is counted by, the words of the note).
AREA_LEVELS: dict[int, tuple[str, str]] = {
    3: ("adm3_pcode", "sub-district"),
    2: ("adm2_pcode", "district"),
    1: ("adm1_pcode", "governorate"),
}
_SUMS = ("fatalities", "fatalities_low", "fatalities_high", "civilians")
_TEXT = [c for c in FIGURE_COLUMNS if c not in
         ("value", "low", "high", "period_start", "period_end", "published_date", "source_row")]  # fmt: skip


@dataclass(frozen=True)
class Provenance:
    """Who published a batch of events: what every figure summed from it will cite."""

    publisher: str
    document: str
    url: str = ""
    published_date: pd.Timestamp | None = None
    #: The file the events were read from (default: the document).
    source_file: str = ""


def current_events(layers: list[pd.DataFrame]) -> tuple[pd.DataFrame, list[int]]:
    """The events in force after loading ``layers`` in order (oldest first).

    Each layer is a canonical events table with a ``batch`` column. For one
    (``source_dataset``, ``event_id``) the row of the latest layer wins: a later file
    supersedes the rows it shares with an earlier one. Returns the winning rows (layer
    order, then row order) and, for each layer, how many of its events replaced an event
    of an earlier layer.

    >>> a = pd.DataFrame({"source_dataset": "UCDP GED", "event_id": ["1", "2"], "batch": "a"})
    >>> b = pd.DataFrame({"source_dataset": "UCDP GED", "event_id": ["2", "3"], "batch": "b"})
    >>> rows, superseded = current_events([a, b])
    >>> rows[["event_id", "batch"]].values.tolist(), superseded
    ([['1', 'a'], ['2', 'b'], ['3', 'b']], [0, 1])
    """
    if not layers:
        return pd.DataFrame(columns=[*EVENT_COLUMNS, "batch"]), []
    layer = np.concatenate([np.full(len(f), i, dtype=np.int64) for i, f in enumerate(layers)])
    events = pd.concat(layers, ignore_index=True)
    key = events.groupby(["source_dataset", "event_id"], sort=False, dropna=False).ngroup()
    key = key.to_numpy()
    first = pd.Series(layer).groupby(key).transform("min").to_numpy()
    last = pd.Series(layer).groupby(key).transform("max").to_numpy()
    # A repeat inside one layer: its last row (the loader rejects repeats, so rare).
    winner = (layer == last) & ~pd.Series(key).duplicated(keep="last").to_numpy()
    replaced = layer > first
    keys = pd.DataFrame({"layer": layer[replaced], "key": key[replaced]}).drop_duplicates()
    counts = keys["layer"].value_counts()
    superseded = [int(counts.get(i, 0)) for i in range(len(layers))]
    return events[winner].reset_index(drop=True), superseded


def event_figures(events: pd.DataFrame, provenance: Mapping[Hashable, Provenance]) -> pd.DataFrame:
    """Weekly ``people_killed`` and ``civilians_killed`` figures per area, as figure rows.

    ``events`` is a canonical events table with a ``batch`` column (see
    :func:`current_events`); ``provenance`` gives each batch its publisher, document, url,
    release date and file. Per batch, area, ISO week and metric: ``people_killed`` sums
    the best estimate (value) and the dataset's low and high; ``civilians_killed`` sums the
    civilian deaths of the events that have them (UCDP; ACLED has none, so no row).
    Columns and dtypes are those of :func:`app.bundle.store.read_figures_csv`.
    """
    missing = {b for b in pd.unique(events["batch"]) if b not in provenance}
    if missing:
        raise KeyError(f"no provenance for batch(es) {sorted(map(str, missing))}")
    counted = events[events["level"].to_numpy() >= 1]
    week = counted["date"].dt.normalize()
    week = week - pd.to_timedelta(week.dt.day_of_week, unit="D")
    civ = counted["civilians"].to_numpy(dtype=float)
    rows = counted["source_row"].to_numpy(dtype=np.int64)
    # Text keys as integer codes: grouping a million strings costs more than the sums.
    codes, labels = {}, {}
    for c in ("batch", "source_dataset", "adm1_pcode", "adm2_pcode", "adm3_pcode"):
        codes[c], labels[c] = pd.factorize(counted[c], use_na_sentinel=True)
    base = pd.DataFrame(
        {
            **codes,
            "level": counted["level"].to_numpy(),
            "week": week.to_numpy(),
            **{c: counted[c].to_numpy(dtype=float) for c in _SUMS[:3]},
            "civilians": np.nan_to_num(civ),
            "n": 1,
            "n_civ": (~np.isnan(civ)).astype(np.int64),
            "row": rows,
            "row_civ": np.where(np.isnan(civ), np.iinfo(np.int64).max, rows),
        }
    )
    # Sum once at the finest cell (a few thousand from a million events), then roll up.
    keys = ["batch", "source_dataset", "level", "adm1_pcode", "adm2_pcode", "adm3_pcode", "week"]
    agg = {**dict.fromkeys([*_SUMS, "n", "n_civ"], "sum"), "row": "min", "row_civ": "min"}
    cells = base.groupby(keys, sort=False).agg(agg).reset_index()
    for c, values in labels.items():  # codes back to text (-1: missing)
        code = cells[c].to_numpy()
        text = np.asarray(values, dtype=object)
        text = text.take(np.maximum(code, 0)) if len(text) else np.full(len(code), None, object)
        text[code < 0] = None
        cells[c] = text
    parts = []
    for level, (column, _) in AREA_LEVELS.items():
        at = cells[(cells["level"] >= level) & cells[column].notna()]
        by = ["batch", "source_dataset", column, "week"]
        part = at.groupby(by, sort=True).agg(agg).reset_index()
        parts.append(part.rename(columns={column: "area_pcode"}).assign(area_level=level))
    sums = pd.concat(parts, ignore_index=True)
    killed = _rows(sums, "people_killed", sums["fatalities"], sums["fatalities_low"],
                   sums["fatalities_high"], sums["n"], sums["row"])  # fmt: skip
    has_civ = sums[sums["n_civ"] > 0]
    civilians = _rows(has_civ, "civilians_killed", has_civ["civilians"], has_civ["civilians"],
                      has_civ["civilians"], has_civ["n_civ"], has_civ["row_civ"])  # fmt: skip
    out = pd.concat([killed, civilians], ignore_index=True)
    return _provenance(out, provenance)


def _rows(
    sums: pd.DataFrame,
    metric: str,
    value: pd.Series,
    low: pd.Series,
    high: pd.Series,
    n: pd.Series,
    row: pd.Series,
) -> pd.DataFrame:
    """Figure rows of one metric from the per-area weekly sums (provenance filled later)."""
    what = {
        "people_killed": "best estimate; range from the dataset's low and high",
        "civilians_killed": "civilian deaths as the dataset counts them",
    }[metric]
    where = sums["area_level"].map({lv: words for lv, (_, words) in AREA_LEVELS.items()})
    note = [
        f"Sum of {k:,} event{'' if k == 1 else 's'} of {d} located to the {w} or finer ({what})"
        for k, d, w in zip(
            n.to_numpy(), sums["source_dataset"].to_numpy(), where.to_numpy(), strict=True
        )
    ]
    start = pd.to_datetime(sums["week"]).astype("datetime64[us]")
    return pd.DataFrame(
        {
            "batch": sums["batch"].to_numpy(),
            "metric": metric,
            "kind": METRICS[metric].kind.value,
            "metric_as_written": metric,
            "value": value.to_numpy(dtype=float),
            "low": low.to_numpy(dtype=float),
            "high": high.to_numpy(dtype=float),
            "period_start": start.to_numpy(),
            "period_end": (start + pd.Timedelta(days=6)).to_numpy(),
            "area_pcode": sums["area_pcode"].to_numpy(dtype=object),
            "note": note,
            "source_row": row.to_numpy(dtype=np.int64),
        }
    )


def _figure_id(*parts: object) -> str:
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return "e" + digest[:11]


def _provenance(rows: pd.DataFrame, provenance: Mapping[Hashable, Provenance]) -> pd.DataFrame:
    """Each batch's provenance on its rows, stable ids, and the store's dtypes."""
    batch = rows.pop("batch")
    p = {b: provenance[b] for b in pd.unique(batch)}
    pick = lambda get: batch.map({b: get(v) for b, v in p.items()}).astype(object)  # noqa: E731
    rows["publisher"] = pick(lambda v: v.publisher)
    rows["document"] = pick(lambda v: v.document)
    rows["url"] = pick(lambda v: v.url or None)
    rows["published_date"] = pd.to_datetime(
        pick(lambda v: None if v.published_date is None else pd.Timestamp(v.published_date))
    )
    rows["source_file"] = pick(lambda v: v.source_file or v.document)
    rows["area_as_written"] = rows["area_pcode"]
    rows["sector"] = rows["qualifier"] = rows["region"] = None
    rows["figure_id"] = [
        _figure_id(b, pub, pcode, start.date().isoformat(), metric)
        for b, pub, pcode, start, metric in zip(
            batch,
            rows["publisher"],
            rows["area_pcode"],
            rows["period_start"],
            rows["metric"],
            strict=True,
        )
    ]
    order = ["period_start", "area_pcode", "metric", "publisher", "figure_id"]
    return _as_read(rows.sort_values(order)[FIGURE_COLUMNS].reset_index(drop=True))


def _as_read(frame: pd.DataFrame) -> pd.DataFrame:
    """The dtypes :func:`app.bundle.store.read_figures_csv` gives the same rows: text columns
    with a missing cell as objects with None, the others as Arrow strings; days in µs."""
    out = {}
    for c in FIGURE_COLUMNS:
        col = frame[c]
        if c in _TEXT:
            if col.isna().any() or len(col) == 0:
                out[c] = pd.Series(col.to_numpy(dtype=object), dtype=object).where(
                    col.notna().to_numpy(), None
                )
            else:
                out[c] = pd.Series(
                    col.to_numpy(dtype=object), dtype=pd.StringDtype("pyarrow", na_value=np.nan)
                )
        elif c in ("period_start", "period_end", "published_date"):
            if col.isna().all():
                out[c] = pd.to_datetime(
                    pd.Series([None] * len(col), dtype=object), format="%Y-%m-%d"
                )
            else:
                out[c] = pd.Series(col.to_numpy().astype("datetime64[us]"))
        elif c == "source_row":
            out[c] = pd.Series(col.to_numpy(dtype=np.int64))
        else:
            out[c] = pd.Series(col.to_numpy(dtype=float))
    return pd.DataFrame(out)
