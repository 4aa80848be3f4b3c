"""Turn rows of dated figures (strings, any source layout) into canonical ``figures`` rows.

Every layout loader (the three hand-transcribed CSVs, HXL, XLSX, the canonical export)
renames its columns to the names below and hands the rows here, so the rules for numbers,
dates, periods, qualifiers, metrics and places live in one place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from app.loaders.context import LoadContext
from app.loaders.report import LoadResult
from app.normalise.dates import DateError, Settled, parse_date, reading, settle_order
from app.normalise.numbers import NumberError, parse_number
from app.normalise.urls import url_problem
from app.tables.schemas import FIGURE_COLUMNS
from app.vocab import METRICS, UnknownQualifier, canonical_metric, qualifier_range

#: Columns a layout may provide (after renaming). Only metric, value and publisher are required.
RAW_COLUMNS = [
    "figure_id", "metric", "value", "qualifier", "low", "high", "period_start", "period_end",
    "published_date", "area_as_written", "pcode", "pcode_level", "region", "publisher",
    "document", "url", "note", "sector", "source_file", "source_row",
    "pcode_column", "pcode_level_source",  # HXL: the column and tag that gave the P-code
]
REQUIRED = ["metric", "value", "publisher"]

_SINCE = re.compile(r"_since_(\d{4}-\d{2}-\d{2})")
_PERIOD = re.compile(r"_(\d{4}-\d{2}-\d{2})_to_(\d{4}-\d{2}-\d{2})")
_MONTH = re.compile(r"_(?:in_)?month_(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    start: pd.Timestamp | None
    end: pd.Timestamp | None


def period_from_metric_name(name: str) -> Period:
    """Dates that hand-transcribed metric names carry ("displaced_since_2019-12-01").

    >>> period_from_metric_name("displaced_in_month_2020-02")
    Period(start=Timestamp('2020-02-01 00:00:00'), end=Timestamp('2020-02-29 00:00:00'))
    """
    if m := _PERIOD.search(name):
        return Period(pd.Timestamp(m.group(1)), pd.Timestamp(m.group(2)))
    if m := _MONTH.search(name):
        start = pd.Timestamp(int(m.group(1)), int(m.group(2)), 1)
        return Period(start, start + pd.offsets.MonthEnd(0))
    if m := _SINCE.search(name):
        return Period(pd.Timestamp(m.group(1)), None)
    return Period(None, None)


def figure_id(*parts: object) -> str:
    """A stable id from what identifies a publication of a figure (not its row number)."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()
    return "f" + digest[:11]


def _text(row: dict, key: str) -> str:
    v = row.get(key, "")
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v).strip()


def normalise_figure_rows(
    raw: pd.DataFrame, result: LoadResult, ctx: LoadContext, headers: dict[str, str] | None = None
) -> pd.DataFrame:
    """Canonical figures from raw rows; every rejected or unmatched row is reported in ``result``.

    ``headers`` maps a canonical column name to the header as written in the file, so the
    report names the column the user sees. ``raw["source_row"]`` is the row number in the file.
    """
    headers = headers or {}
    col = lambda c: headers.get(c, c)  # noqa: E731 - tiny local alias keeps the calls readable
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        result.add(1, ",".join(col(c) for c in missing), "column missing",
                   f"expected columns {', '.join(REQUIRED)} (found {', '.join(map(str, raw.columns))})")
        result.rows_read += len(raw)
        result.rejected += len(raw)
        return empty_figures()

    orders = settle_date_orders(raw, result, col)
    out: list[dict] = []
    for row in raw.to_dict("records"):
        result.rows_read += 1
        rownum = int(row.get("source_row") or 0)
        errs = 0

        def err(column: str, found: str, expected: str, rownum: int = rownum) -> None:
            nonlocal errs
            errs += 1
            result.add(rownum, col(column), found, expected)

        metric_written = _text(row, "metric")
        metric = canonical_metric(metric_written) if metric_written else None
        if not metric_written:
            err("metric", "empty", "expected a metric name (see the metric vocabulary in the README)")
        elif metric is None:
            metric = "other"
            if not metric_written.lower().startswith("other"):
                result.add(rownum, col("metric"), f"{metric_written!r} is not in the vocabulary",
                           "kept as 'other'; map it to a vocabulary metric to chart it", "warning")

        value = None
        value_text = _text(row, "value")
        try:
            value = parse_number(value_text)
        except NumberError as exc:
            err("value", exc.found, f"expected {exc.expected}")

        dates: dict[str, pd.Timestamp | None] = {}
        for key in ("period_start", "period_end", "published_date"):
            text = _text(row, key)
            dates[key] = None
            if text:
                try:
                    dates[key] = parse_date(text, orders[key].order)
                except DateError as exc:
                    err(key, exc.found, f"expected {exc.expected}")
        implied = period_from_metric_name(metric_written)
        start = dates["period_start"] or implied.start
        end = dates["period_end"] or implied.end
        if start is not None and end is not None and start > end:
            err("period_start", f"{start.date()} is after period end {end.date()}",
                "expected a period that starts on or before it ends")
        if end is None and not errs:
            result.add(rownum, col("period_end"), "no as-of or end date",
                       "expected a date; the figure is kept but cannot be placed on a timeline", "warning")

        qualifier = _text(row, "qualifier")
        low = high = None
        if value is not None:
            q = qualifier
            if q.lower().startswith("chart label"):
                q = q.split('"')[1] if '"' in q else q[len("chart label"):].strip()
            try:
                low, high = qualifier_range(value, q)
            except UnknownQualifier as exc:
                err("qualifier", f"{qualifier!r} is not a documented qualifier", f"expected one of {exc.known}")

        publisher = _text(row, "publisher")
        if not publisher:
            err("publisher", "empty", "expected the organisation that published the figure")
        document = _text(row, "document") or publisher

        url = _text(row, "url")
        if problem := url_problem(url):
            result.add(rownum, col("url"), problem, URL_EXPECTED, "warning")

        level_text = _text(row, "pcode_level")
        level = int(level_text) if level_text.isdigit() else None
        pcode_text = _text(row, "pcode").upper()
        if pcode_text and level is not None and pcode_text in ctx.known_pcodes:
            real = pcode_level(pcode_text)
            if real != level:
                column = _text(row, "pcode_column") or col("pcode")
                why = _text(row, "pcode_level_source") or f"{col('pcode_level')} {level}"
                err("pcode", f"P-code {pcode_text} in column {column!r} is level {real} "
                    f"({LEVEL_NAMES.get(real, '?')})",
                    f"expected a level {level} P-code ({LEVEL_NAMES.get(level, '?')}), as {why} "
                    "declares; put it in the column of its level")
        area_text = _text(row, "area_as_written")
        region = _text(row, "region")
        if region:
            known_regions = set(ctx.regions["region"]) if "region" in ctx.regions else set()
            ref_pcode, ref_region = (None, region) if region in known_regions else (None, None)
            status = "region" if ref_region else "unmatched"
            detail = f"region {region!r} is not defined in regions.csv"
        else:
            ref = ctx.resolve(area_text, _text(row, "pcode"), level)
            ref_pcode, ref_region, status, detail = ref.pcode, ref.region, ref.status, ref.detail
            if status == "fuzzy":
                result.add(rownum, col("area_as_written"), f"fuzzy match {detail} (score {ref.score:.0f})",
                           "expected an exact name; check the match or add the spelling to the aliases", "warning")
            elif status == "place" and ref.kind in ("town", "community"):
                result.add(rownum, col("area_as_written"), f"town placed on its sub-district: {detail}",
                           "a figure for the sub-district; a town's figure is part of it, not all of it",
                           "warning")

        if errs:
            result.rejected += 1
            continue
        if status in ("unmatched", "ambiguous"):
            result.unmatched += 1
            column = "pcode" if _text(row, "pcode") else "area_as_written"
            result.add(rownum, col(column), detail,
                       "expected a P-code, a gazetteer name or alias, or a region in regions.csv", "unmatched")
            continue
        assert value is not None and low is not None and high is not None and metric is not None
        fid = _text(row, "figure_id") or figure_id(
            publisher, document, metric_written, area_text, _text(row, "pcode"), end, start, value,
            _text(row, "sector"))
        out.append({
            "figure_id": fid,
            "metric": metric,
            "kind": METRICS[metric].kind.value,
            "metric_as_written": metric_written,
            "sector": _text(row, "sector") or None,
            "value": value,
            "qualifier": qualifier or None,
            "low": low,
            "high": high,
            "period_start": start,
            "period_end": end,
            "area_pcode": ref_pcode,
            "region": ref_region,
            "area_as_written": area_text or (ref_pcode or ref_region or ""),
            "publisher": publisher,
            "document": document,
            "url": url or None,
            "published_date": dates["published_date"],
            "note": _text(row, "note") or None,
            "source_file": _text(row, "source_file") or result.path.rsplit("/", 1)[-1],
            "source_row": rownum or 1,
        })
        result.accepted += 1
    out = drop_conflicting_repeats(out, result, col)
    frame = pd.DataFrame(out, columns=FIGURE_COLUMNS) if out else empty_figures()
    return frame


#: What the report asks for when a url cell cannot be a link (the figure is kept).
URL_EXPECTED = (
    "expected an http:// or https:// address; the figure is kept and the text kept as "
    "written, never shown as a link"
)
LEVEL_NAMES = {0: "country", 1: "governorate", 2: "district", 3: "sub-district"}


def pcode_level(pcode: str) -> int:
    """Admin level of a Syrian P-code by its length: SY 0, SY07 1, SY0703 2, SY070300 3."""
    return {2: 0, 4: 1, 6: 2, 8: 3}.get(len(pcode), -1)


def settle_date_orders(
    raw: pd.DataFrame, result: LoadResult, col: Callable[[str], str]
) -> dict[str, Settled]:
    """The day/month order of each date column (README "Validating a file").

    A column is settled by its own unambiguous numeric dates (25/03/2020 shows day-first,
    03/26/2020 month-first); a column with none takes the order the file's other date
    columns agree on. A settled order that decides an ambiguous date (03/04/2020) is said
    once per column, as a warning; with no order, such dates are rejected row by row.
    """
    rows = raw["source_row"].tolist() if "source_row" in raw else list(range(len(raw)))
    keys = [k for k in ("period_start", "period_end", "published_date") if k in raw.columns]
    own = {k: settle_order(zip(rows, raw[k].tolist(), strict=True)) for k in keys}
    for k, settled in own.items():
        if settled.conflict:
            (r1, t1), (r2, t2) = settled.conflict
            result.add(r2, col(k), f"{t2} is month-first but row {r1} ({t1}) is day-first",
                       "expected one convention per column; dates that read both ways are "
                       "rejected", "warning")
    file_orders = {s.order for s in own.values() if s.order} - {None}
    conflicted = any(s.conflict for s in own.values())
    orders: dict[str, Settled] = {}
    for k in keys:
        settled = own[k]
        if settled.order is None and not settled.conflict and len(file_orders) == 1 and not conflicted:
            settled = next(s for s in own.values() if s.order)
        orders[k] = settled
        if settled.order is None:
            continue
        first = next(((r, str(t).strip()) for r, t in zip(rows, raw[k].tolist(), strict=True)
                      if settled.ambiguous(t)), None)
        if first is None:
            continue
        assert settled.evidence is not None
        ev_row, ev_text = settled.evidence
        result.add(first[0], col(k),
                   f"{first[1]} and any other date of this column that reads both ways are read "
                   f"{settled.order} ({reading(first[1], settled.order)}), as row {ev_row} "
                   f"({ev_text}) shows",
                   "expected an unambiguous date such as 2020-04-03 or 3 Apr 2020", "warning")
    for k in ("period_start", "period_end", "published_date"):
        orders.setdefault(k, Settled(None))
    return orders


def _repeat_key(fig: dict) -> tuple:
    """What makes two rows the same figure: dates, metric, sector, area, publisher, document."""
    return (
        fig["period_start"], fig["period_end"], fig["metric_as_written"].casefold(),
        fig["sector"], fig["area_pcode"], fig["region"], " ".join(fig["area_as_written"].split()).casefold(),
        fig["publisher"], fig["document"],
    )


def drop_conflicting_repeats(
    out: list[dict], result: LoadResult, col: Callable[[str], str]
) -> list[dict]:
    """Report a figure given twice in one file; reject the later row when the values differ.

    Same dates, metric (as written), sector, area, publisher and document with another
    value is a contradiction the file must settle: an error on the later row naming the
    earlier one and both values. The same value again is a repeat: a warning, both kept
    (the dashboard counts one published figure once, ``app.queries.clean``).
    """
    first: dict[tuple, dict] = {}
    kept: list[dict] = []
    for fig in out:
        key = _repeat_key(fig)
        earlier = first.setdefault(key, fig)
        if earlier is fig:
            kept.append(fig)
            continue
        v1, v2 = _number(earlier["value"]), _number(fig["value"])
        what = "same dates, metric, area, publisher and document"
        if fig["value"] == earlier["value"]:
            result.add(fig["source_row"], col("value"),
                       f"repeats row {earlier['source_row']}: the same figure ({what}) with the "
                       f"same value {v2}",
                       "expected each figure once; both rows kept (the dashboard counts it once)",
                       "warning")
            kept.append(fig)
            continue
        result.add(fig["source_row"], col("value"),
                   f"{v2} here but {v1} on row {earlier['source_row']} for the same figure ({what})",
                   "expected one value per figure: correct one of the two rows, or tell them apart "
                   "(document, area, dates or sector)")
        result.accepted -= 1
        result.rejected += 1
    return kept


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def empty_figures() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in FIGURE_COLUMNS})
    for c in ("value", "low", "high"):
        frame[c] = frame[c].astype(float)
    for c in ("period_start", "period_end", "published_date"):
        frame[c] = pd.to_datetime(frame[c])
    frame["source_row"] = frame["source_row"].astype(int)
    return frame
