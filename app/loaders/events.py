"""Conflict events (ACLED, UCDP GED) -> canonical events, P-coded by a spatial join.

Both exports are one row per event with an id, a date, coordinates and a fatality count;
only the column names differ, so a :class:`EventSpec` names them and one function does the
work for both. It is vectorised (a national ACLED export has hundreds of thousands of rows):
every column is checked whole with pandas, the rows that fail are reported afterwards,
and the remaining points are placed in sub-districts with one :func:`geopandas.sjoin`
against the bundle's ``syr_adm3_nw.geojson`` (governorate and district P-codes are the
sub-district's prefixes). Events outside the bundled boundaries are unmatched.
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


@dataclass(frozen=True)
class EventSpec:
    """Where one export format keeps what an event needs (lower-case column names)."""

    dataset: str
    event_id: str
    date: str
    date_formats: tuple[str, ...]
    latitude: str
    longitude: str
    fatalities: str
    event_type: str | None = None
    #: Further text columns kept as they are: output name -> source column.
    text: dict[str, str] = field(default_factory=dict)
    #: Optional count columns: output name -> source column (bad values reject the row).
    counts: dict[str, str] = field(default_factory=dict)
    #: Optional date columns: output name -> source column.
    dates: dict[str, str] = field(default_factory=dict)
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

    extra: dict[str, pd.Series] = {}
    for name, column in spec.counts.items():
        if column in df:
            extra[name], errors = columns.to_numbers(df[column])
            parsed_errors(errors, column)
    for name, column in spec.dates.items():
        if column in df:
            extra[name], errors = columns.to_dates(df[column], spec.date_formats)
            parsed_errors(errors, column)
    for name, column in spec.text.items():
        if column in df:
            extra[name] = df[column].replace({"": None})

    lat, lon = coords[spec.latitude].to_numpy(), coords[spec.longitude].to_numpy()
    pcode = np.full(n, None, dtype=object)
    polygons = adm3_polygons(ctx)
    good = ~bad
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
        place = f"{written[spec.latitude]},{written[spec.longitude]}"
        columns.report(
            result,
            rows,
            unmatched,
            place,
            columns.fmt(
                "event at latitude {lat}, longitude {lon} is outside the bundled boundaries",
                lat=coord_text[spec.latitude],
                lon=coord_text[spec.longitude],
            ),
            "expected a point inside the bundled sub-districts (governorates SY02, SY05, SY06, SY07)",
            "unmatched",
        )
    keep = good & ~unmatched
    result.rejected += int(bad.sum())
    result.unmatched += int(unmatched.sum())
    result.accepted += int(keep.sum())

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
            "fatalities": fatalities[keep].to_numpy().astype(int),
            "event_type": kept(event_type),
            "source_dataset": spec.dataset,
            "source_row": rows[keep].astype(int),
        }
    )
    for name, values in extra.items():
        out[name] = kept(values)
    out = Events.validate(out)
    return out[[*EVENT_COLUMNS, *extra]]


def _join(lat: np.ndarray, lon: np.ndarray, polygons) -> np.ndarray:
    """The sub-district P-code each point falls in (None outside); first polygon on a shared edge.

    Events cluster on named places (ACLED and UCDP geocode to a village or town), so each
    distinct coordinate pair is joined once and the answer spread back to its events.
    """
    import geopandas as gpd

    if len(lat) == 0:
        return np.array([], dtype=object)
    codes, unique = pd.factorize(lon + 1j * lat)  # hashing one complex per pair: fast
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(unique.real, unique.imag), crs="EPSG:4326"
    )
    joined = gpd.sjoin(points, polygons, how="left", predicate="intersects")
    joined = joined[~joined.index.duplicated(keep="first")]
    return joined["pcode"].reindex(points.index).to_numpy(dtype=object)[codes]
