"""Conflict events (ACLED, UCDP GED) -> canonical events, P-coded by a spatial join.

Both exports are one row per event with an id, dates, coordinates, a location precision and
fatality counts; only the column names differ, so a :class:`EventSpec` names them and one
function does the work for both. It is vectorised (a national ACLED export has hundreds of
thousands of rows): every column is checked whole with pandas, the rows that fail are
reported afterwards, and the remaining points are placed in sub-districts with one
:func:`geopandas.sjoin` against the bundle's ``syr_adm3_nw.geojson`` (governorate and
district P-codes are the sub-district's prefixes). Events outside the bundled boundaries are
unmatched, reported with one summary line per governorate (or country) of the source.

The point-in-polygon placement is kept in ``adm1/2/3_pcode``; ``level`` says which of them
the event may count toward, from its precision (:data:`LEVEL_OF_PRECISION`): a point that
UCDP only knows to the governorate is drawn somewhere inside it, and counting it toward the
sub-district it happens to fall in would invent a precision the source does not claim.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from app.loaders import columns
from app.loaders.context import LoadContext
from app.loaders.report import LoadResult
from app.loaders.table import Table

#: The bundle's sub-district polygons, looked for in ``LoadContext.boundaries_dir``.
ADM3_FILE = "syr_adm3_nw.geojson"
_OUTSIDE_EXPECTED = (
    "expected a point inside the bundled sub-districts (governorates SY02, SY05, SY06, SY07)"
)

#: Location precision code -> the finest admin level an event may count toward.
#: UCDP ``where_prec``: 1 exact place, 2 within 25 km of it (both: sub-district, 3),
#: 3 second-order unit (district, 2), 4 first-order unit (governorate, 1), 5-7 a larger or
#: vaguer area, the country, international waters (no area below the country, 0).
#: ACLED ``geo_precision`` reads the same way for its codes 1-3.
LEVEL_OF_PRECISION: dict[int, int] = {1: 3, 2: 3, 3: 2, 4: 1, 5: 0, 6: 0, 7: 0}
_LEVELS = np.array([0, *(LEVEL_OF_PRECISION[p] for p in range(1, 8))], dtype=np.int64)


@dataclass(frozen=True)
class EventSpec:
    """Where one export format keeps what an event needs (lower-case column names).

    Optional columns (``None``, or absent from a file) take the defaults of the canonical
    table: ``date_end`` = ``date``, ``precision`` = 1, low = high = fatalities, no civilians.
    """

    dataset: str
    event_id: str
    date: str
    date_formats: tuple[str, ...]
    latitude: str
    longitude: str
    fatalities: str
    event_type: str | None = None
    date_end: str | None = None
    precision: str | None = None
    #: The precision codes the format defines (UCDP 1-7, ACLED 1-3).
    precision_codes: tuple[int, int] = (1, 7)
    fatalities_low: str | None = None
    fatalities_high: str | None = None
    civilians: str | None = None
    #: The source's own governorate and country names (for the outside-coverage summary).
    admin1: str | None = None
    country: str | None = None
    #: Further text columns kept as they are: output name -> source column.
    text: dict[str, str] = field(default_factory=dict)
    #: Codes of the event type column -> label (UCDP's type_of_violence 1-3).
    event_type_labels: dict[str, str] = field(default_factory=dict)


@functools.lru_cache(maxsize=4)
def _adm3_polygons(path: Path, mtime: float):
    import geopandas as gpd

    del mtime  # part of the cache key only: a rebuilt bundle is read again
    gdf = gpd.read_file(path, engine="pyogrio")
    gdf = gdf.to_crs("EPSG:4326") if gdf.crs is not None else gdf.set_crs("EPSG:4326")
    return gdf[["pcode", "geometry"]]


def adm3_polygons(ctx: LoadContext):
    """The bundle's sub-district polygons, or None when the context has none."""
    if ctx.boundaries_dir is None:
        return None
    path = Path(ctx.boundaries_dir) / ADM3_FILE
    if not path.is_file():
        return None
    return _adm3_polygons(path.resolve(), path.stat().st_mtime)


def compact_rows(rows: np.ndarray | list[int]) -> str:
    """Row numbers as short text: runs of consecutive rows become ranges.

    >>> compact_rows([2, 3, 4, 5, 9, 11, 12])
    '2-5, 9, 11-12'
    """
    r = np.unique(np.asarray(rows, dtype=np.int64))
    if len(r) == 0:
        return ""
    breaks = np.flatnonzero(np.diff(r) != 1)
    starts = r[np.r_[0, breaks + 1]].tolist()
    ends = r[np.r_[breaks, len(r) - 1]].tolist()
    return ", ".join(str(s) if s == e else f"{s}-{e}" for s, e in zip(starts, ends, strict=True))


#: A summary problem names this many rows in its message; the rest are in ``Problem.rows``.
ROWS_NAMED = 20


def _rows_text(rows: np.ndarray) -> str:
    if len(rows) == 1:
        return f"row {rows[0]}"
    rows = np.unique(rows)
    if len(rows) <= ROWS_NAMED:
        return f"rows {compact_rows(rows)}"
    rest = len(rows) - ROWS_NAMED
    return (f"rows {compact_rows(rows[:ROWS_NAMED])} and {rest:,} more: every row is listed "
            "in the JSON report (--json) and in a stored batch's report")  # fmt: skip


def _events(n: int) -> str:
    return f"{n:,} event" + ("" if n == 1 else "s")


def load_events(
    table: Table, spec: EventSpec, result: LoadResult, ctx: LoadContext
) -> pd.DataFrame:
    from app.tables.schemas import EVENT_COLUMNS, Events

    result.table_name = "events"
    df, written = table.by_lower_name()
    rows = table.rows
    n = len(df)
    result.rows_read += n
    bad = np.zeros(n, dtype=bool)

    def fail(
        mask: pd.Series | np.ndarray,
        column: str,
        found: columns.Messages,
        expected: columns.Messages,
    ) -> None:
        nonlocal bad
        mask = np.asarray(mask, dtype=bool)
        columns.report(result, rows, mask, written.get(column, column), found, expected)
        bad |= mask

    def parsed_errors(errors: pd.Series, column: str) -> None:
        nonlocal bad
        columns.report_errors(result, rows, errors, written[column])
        bad |= (errors != "").to_numpy()

    def present(column: str | None) -> bool:
        return column is not None and column in df

    event_id = df[spec.event_id].str.strip()
    fail(event_id == "", spec.event_id, "empty", "expected an event id")
    fail(
        event_id.duplicated() & (event_id != ""),
        spec.event_id,
        columns.fmt("event id '{e}' repeats an earlier row", e=event_id),
        "expected each event once",
    )

    date, errors = columns.to_dates(df[spec.date], spec.date_formats)
    fail(df[spec.date].str.strip() == "", spec.date, "empty", "expected the date of the event")
    parsed_errors(errors, spec.date)

    date_end = date
    if present(spec.date_end):
        end, errors = columns.to_dates(df[spec.date_end], spec.date_formats)
        parsed_errors(errors, spec.date_end)
        fail(
            (end < date).to_numpy(),  # NaT compares False: an empty end is the start
            spec.date_end,
            columns.fmt(
                "the event ends on {e}, before it starts ({s} on {d})",
                e=df[spec.date_end].str.strip(),
                s=pd.Series(written[spec.date], index=df.index),
                d=df[spec.date].str.strip(),
            ),
            "expected an end date on or after the start date",
        )
        date_end = end.fillna(date)

    precision = np.ones(n, dtype=np.int64)
    if present(spec.precision):
        text = df[spec.precision].str.strip()
        code = columns.to_floats(text).to_numpy()
        lo, hi = spec.precision_codes
        with np.errstate(invalid="ignore"):
            invalid = ~np.isfinite(code) | (code % 1 != 0) | (code < lo) | (code > hi)
        fail(
            invalid,
            spec.precision,
            columns.fmt("'{v}'", v=text),
            f"expected a location precision code from {lo} to {hi}",
        )
        precision = np.where(invalid, 1, np.nan_to_num(code)).astype(np.int64)
    level = _LEVELS[precision]

    coords, coord_text = {}, {}
    for column, limit in ((spec.latitude, 90), (spec.longitude, 180)):
        text = df[column].str.strip()
        values = columns.to_floats(text)
        invalid = ~np.isfinite(values.to_numpy()) | (values.abs() > limit).to_numpy()
        fail(
            invalid,
            column,
            columns.fmt("'{v}'", v=text),
            f"expected decimal degrees from -{limit} to {limit}, such as 35.93",
        )
        coords[column], coord_text[column] = values, text

    fatalities, errors = columns.to_numbers(df[spec.fatalities])
    fail(
        df[spec.fatalities].str.strip() == "",
        spec.fatalities,
        "empty",
        "expected a number of deaths (0 or more)",
    )
    parsed_errors(errors, spec.fatalities)
    fail(
        (fatalities.notna() & (fatalities % 1 != 0)).to_numpy(),
        spec.fatalities,
        columns.fmt("'{v}'", v=df[spec.fatalities]),
        "expected a whole number of deaths",
    )

    def optional_count(column: str | None) -> pd.Series | None:
        if not present(column):
            return None
        values, errors = columns.to_numbers(df[column])
        parsed_errors(errors, column)
        return values

    best = fatalities.to_numpy()
    low_read = optional_count(spec.fatalities_low)
    high_read = optional_count(spec.fatalities_high)
    low = best if low_read is None else low_read.fillna(fatalities).to_numpy()
    high = best if high_read is None else high_read.fillna(fatalities).to_numpy()
    civilians_read = optional_count(spec.civilians)
    civilians = (
        np.full(n, np.nan) if civilians_read is None else civilians_read.to_numpy(dtype=float)
    )

    extra: dict[str, pd.Series] = {}
    for name, column in spec.text.items():
        if column in df:
            extra[name] = df[column].replace({"": None})

    good = ~bad
    # A best estimate outside the source's own low-high range: kept, range widened to it.
    range_low = np.fmin(np.fmin(low, best), high)
    range_high = np.fmax(np.fmax(high, best), low)
    with np.errstate(invalid="ignore"):
        below = good & (best < low)
        above = good & (best > high) & ~below
    if below.any() or above.any():
        num = lambda a: pd.Series(a, index=df.index)  # noqa: E731
        widened = columns.fmt("range taken as {lo:g}-{hi:g}", lo=num(range_low), hi=num(range_high))
        best_name = written[spec.fatalities]
        low_name = written.get(spec.fatalities_low or "", "low")
        high_name = written.get(spec.fatalities_high or "", "high")
        for mask, name, side, values in (
            (below, low_name, "below", low),
            (above, high_name, "above", high),
        ):
            columns.report(
                result,
                rows,
                mask,
                written[spec.fatalities],
                lambda idx, side=side, name=name, values=values: [
                    f"{best_name} {best[i]:g} is {side} {name} {values[i]:g}; {w}"
                    for i, w in zip(idx, widened(idx), strict=True)
                ],
                f"expected {low_name} <= {best_name} <= {high_name} (the event is kept)",
                "warning",
            )

    lat, lon = coords[spec.latitude].to_numpy(), coords[spec.longitude].to_numpy()
    pcode = np.full(n, None, dtype=object)
    polygons = adm3_polygons(ctx)
    if polygons is None:
        unmatched = good
        result.add(
            0,
            "",
            f"no sub-district boundaries to place {int(good.sum())} events in",
            f"expected the bundle's boundaries/{ADM3_FILE} (run scripts/build_bundle.py)",
            "unmatched",
        )
    else:
        pcode[good] = _join(lat[good], lon[good], polygons)
        unmatched = good & pd.isna(pcode)
        _report_outside(
            result, df, spec, written, rows, unmatched,
            f"{written[spec.latitude]},{written[spec.longitude]}",
        )  # fmt: skip
    keep = good & ~unmatched
    result.rejected += int(bad.sum())
    result.unmatched += int(unmatched.sum())
    result.accepted += int(keep.sum())

    country_only = keep & (level == 0)
    if country_only.any():
        idx = np.flatnonzero(country_only)
        codes = sorted(p for p, lv in LEVEL_OF_PRECISION.items() if lv == 0)
        column = written.get(spec.precision or "", "precision")
        result.add(
            int(rows[idx[0]]),
            column,
            f"{_events(len(idx))} ({best[idx].sum():,.0f} deaths, best estimate) "
            f"{'is' if len(idx) == 1 else 'are'} not located "
            f"to a governorate or finer ({column} {codes[0]}-{codes[-1]}: a wider region, the "
            f"country or international waters; {_rows_text(rows[idx])})",
            f"expected {column} 1-4 to count an event in an area: kept as events, counted in "
            "no governorate, district or sub-district figure",
            "warning",
            tuple(int(r) for r in rows[idx]),
        )

    adm3 = pd.Series(pcode[keep], dtype="str")  # arrow strings: slicing below is vectorised
    if spec.event_type in df:
        event_type = df[spec.event_type].replace({"": None})
        if spec.event_type_labels:
            event_type = event_type.replace(spec.event_type_labels)
    else:
        event_type = pd.Series(None, index=df.index, dtype="str")
    kept = lambda series: series[keep].reset_index(drop=True)  # noqa: E731
    out = pd.DataFrame(
        {
            "event_id": kept(event_id),
            "date": kept(date),
            "lat": lat[keep],
            "lon": lon[keep],
            "adm1_pcode": adm3.str[:4],
            "adm2_pcode": adm3.str[:6],
            "adm3_pcode": adm3,
            "fatalities": best[keep].astype(int),
            "event_type": kept(event_type),
            "source_dataset": spec.dataset,
            "source_row": rows[keep].astype(int),
            "date_end": kept(date_end),
            "precision": precision[keep],
            "level": level[keep],
            "fatalities_low": range_low[keep],
            "fatalities_high": range_high[keep],
            "civilians": civilians[keep],
        }
    )
    for name, values in extra.items():
        out[name] = kept(values)
    out = Events.validate(out)
    return out[[*EVENT_COLUMNS, *extra]]


def _report_outside(
    result: LoadResult,
    df: pd.DataFrame,
    spec: EventSpec,
    written: dict[str, str],
    rows: np.ndarray,
    unmatched: np.ndarray,
    column: str,
) -> None:
    """One unmatched problem per governorate (or foreign country) of the events outside.

    A national export has thousands of events outside north-west Syria; a line for each
    would bury the few problems that need a look. The governorate is the source's own
    (UCDP ``adm_1``, ACLED ``admin1``), the country when it is not Syria.
    """
    idx = np.flatnonzero(unmatched)
    if len(idx) == 0:
        return
    blank = pd.Series("", index=df.index[idx], dtype=object)
    country = df[spec.country].iloc[idx].str.strip() if spec.country in df else blank
    admin1 = df[spec.admin1].iloc[idx].str.strip() if spec.admin1 in df else blank
    abroad = (country != "") & (country.str.lower() != "syria")
    no_admin1 = f"no {written[spec.admin1]} given" if spec.admin1 in df else "no governorate given"
    label = np.where(
        abroad,
        country,
        np.where(admin1 != "", admin1, np.where(country != "", country + f" ({no_admin1})", "")),
    )
    codes, labels = pd.factorize(pd.Series(label, dtype=object), sort=False)
    groups = pd.Series(np.arange(len(idx))).groupby(codes, sort=True).indices
    for k, positions in groups.items():
        where = labels[k]
        at = rows[idx[positions]]
        subject = _events(len(at)) + (f" in {where}" if where else "")
        verb = "is" if len(at) == 1 else "are"
        result.add(
            int(at[0]),
            column,
            f"{subject} {verb} outside the dashboard's areas ({_rows_text(at)})",
            _OUTSIDE_EXPECTED,
            "unmatched",
            tuple(int(r) for r in at),
        )


def _join(lat: np.ndarray, lon: np.ndarray, polygons) -> np.ndarray:
    """The sub-district P-code each point falls in (None outside); first polygon on a shared edge.

    Events cluster on named places (ACLED and UCDP geocode to a village or town), so each
    distinct coordinate pair is joined once and the answer spread back to its events. The
    distinct points are joined :data:`JOIN_CHUNK` at a time: a million point geometries
    and their join at once cost about 300 MB more at the peak of an ``add``.
    """
    if len(lat) == 0:
        return np.array([], dtype=object)
    codes, unique = pd.factorize(lon + 1j * lat)  # hashing one complex per pair: fast
    found = np.empty(len(unique), dtype=object)
    for start in range(0, len(unique), JOIN_CHUNK):
        part = unique[start : start + JOIN_CHUNK]
        found[start : start + len(part)] = _join_points(part.real, part.imag, polygons)
    return found[codes]


#: Distinct points per spatial join (bounds the join's memory; see :func:`_join`).
JOIN_CHUNK = 200_000


def _join_points(x: np.ndarray, y: np.ndarray, polygons) -> np.ndarray:
    import geopandas as gpd

    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs="EPSG:4326")
    joined = gpd.sjoin(points, polygons, how="left", predicate="intersects")
    joined = joined[~joined.index.duplicated(keep="first")]
    return joined["pcode"].reindex(points.index).to_numpy(dtype=object)
