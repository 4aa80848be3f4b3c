"""Read the bundle in ``data/`` into canonical tables, once per process.

The only module that touches ``data/`` at run time. Cached per data folder so callbacks
and export routes share one copy; ``clear()`` exists for tests that point at another bundle.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from app.config import get_config
from app.tables.columns import (  # not schemas: no pandera at start-up
    AREA_COLUMNS,
    EVENT_COLUMNS,
    FIGURE_COLUMNS,
)
from app.tables.compact import compact_text

_DATES = ("period_start", "period_end", "published_date")
_NUMBERS = ("value", "low", "high")


#: The bundle's conflict events and their weekly figures (``scripts/build_bundle.py``).
EVENTS_FILE = "events_ucdp_nw.csv"
EVENT_FIGURES_FILE = "event_figures.csv"
#: The ``batch`` of the bundle's own events (as ``app.bundle.build.BUNDLE_BATCH``).
BUNDLE_BATCH = "bundle"
_EVENT_TEXT = ("event_id", "adm1_pcode", "adm2_pcode", "adm3_pcode", "event_type", "source_dataset")
_EVENT_INTS = ("fatalities", "source_row", "precision", "level")


def _empty_events() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in [*EVENT_COLUMNS, "batch"]})


@dataclass(frozen=True)
class Bundle:
    data_dir: Path
    areas: pd.DataFrame
    #: Every figure the views show: ``base_figures`` + ``event_figures``.
    figures: pd.DataFrame
    regions: pd.DataFrame
    datapackage: dict = field(repr=False)
    #: Conflict events in the bundle's sub-districts (UCDP GED), with ``batch`` = "bundle".
    events: pd.DataFrame = field(default_factory=_empty_events, repr=False)
    #: Weekly figures summed from ``events`` (``app.events.event_figures``).
    event_figures: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    #: Dated figures + HNO 2019 baseline (what ``figures`` was before events); None: = figures.
    base: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def base_figures(self) -> pd.DataFrame:
        """The dated figures and the HNO baseline, without the figures summed from events."""
        return self.figures if self.base is None else self.base

    def geojson_text(self, name: str) -> str:
        """Raw GeoJSON text of a boundary resource (served as a static, cacheable file)."""
        return (self.data_dir / "boundaries" / name).read_text(encoding="utf-8")

    def geojson(self, name: str) -> dict:
        return _geojson(self.data_dir / "boundaries" / name)

    @cached_property
    def area_index(self) -> pd.DataFrame:
        return self.areas.set_index("pcode")

    @cached_property
    def place_aliases(self) -> pd.DataFrame:
        """Towns and other names of the areas, with sources (app/bundle/place_aliases.py)."""
        from app.bundle.place_aliases import read_place_aliases

        return read_place_aliases(self.data_dir / "tables" / "place_aliases.csv")


@cache
def _geojson(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def read_figures_csv(path: Path) -> pd.DataFrame:
    """A canonical figures CSV as written by the bundle build or the export.

    Every cell is read as text; "" is missing. Text columns without a missing cell stay
    Arrow strings, the others become Python objects with None (as ``replace({"": None})``
    made them); value, low, high are floats, the dates ``YYYY-MM-DD`` days, source_row an
    integer, and a cell that is not one of those stops the load (ValueError).

    Parsed by Arrow's CSV reader into the system allocator: a generated million-row table
    loads in half the time and, once converted, its temporary text goes back to the
    operating system (pandas' reader left about 250 MB of a 1M-row load resident in every
    server process forked from the loader).
    """
    pool = pa.system_memory_pool()
    table = pa_csv.read_csv(
        path,
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(FIGURE_COLUMNS, pa.string()),
            include_columns=FIGURE_COLUMNS,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
        memory_pool=pool,
    )
    return pd.DataFrame({c: _figure_column(c, table.column(c), pool) for c in FIGURE_COLUMNS})


def _days(name: str, text: pa.ChunkedArray) -> pa.ChunkedArray:
    """``YYYY-MM-DD`` cells as timestamps; ValueError on any cell that is not a real day
    (Arrow's parser alone takes " 2020-02-16" and rolls 2020-02-30 over to 1 March)."""
    parts = pc.extract_regex(text, r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
    if pc.sum(pc.is_null(parts)).as_py() != text.null_count:
        raise ValueError(f"{name}: a cell is not a YYYY-MM-DD date")
    days = pc.strptime(text, format="%Y-%m-%d", unit="us", error_is_null=False)
    written = [pc.cast(pc.struct_field(parts, f), pa.int64()) for f in ("m", "d")]
    same = pc.and_(pc.equal(pc.month(days), written[0]), pc.equal(pc.day(days), written[1]))
    if not pc.all(same).as_py():
        raise ValueError(f"{name}: a cell is not a day of the calendar (e.g. 30 February)")
    return days


def _figure_column(name: str, text: pa.ChunkedArray, pool: pa.MemoryPool) -> object:
    """One column of :func:`read_figures_csv`, converted from its text."""
    if name in _NUMBERS:
        return pc.cast(text, pa.float64(), memory_pool=pool).to_pandas()
    if name in _DATES:
        if text.null_count == len(text):  # no date at all: as pandas types an empty column
            return pd.to_datetime(pd.Series([None] * len(text), dtype=object), format="%Y-%m-%d")
        return _days(name, text).to_pandas()
    if name == "source_row":
        if text.null_count:
            raise ValueError(f"source_row is empty on {text.null_count} row(s)")
        return pc.cast(text, pa.int64(), memory_pool=pool).to_pandas()
    if text.null_count:
        return pd.Series(text.to_numpy(zero_copy_only=False), dtype=object)  # None: empty
    return text.to_pandas(types_mapper=lambda _: pd.StringDtype("pyarrow", na_value=np.nan))


@cache
def _load(data_dir: Path) -> Bundle:
    tables = data_dir / "tables"
    areas = pd.read_csv(
        tables / "areas.csv",
        dtype={
            "pcode": str,
            "parent_pcode": str,
            "adm1_pcode": str,
            "adm2_pcode": str,
            "adm3_pcode": str,
            "population_year": str,
        },
        keep_default_na=False,
        na_values={"population": [""]},
    )
    for c in ("parent_pcode", "adm1_pcode", "adm2_pcode", "adm3_pcode"):
        areas[c] = areas[c].replace({"": None})
    base = pd.concat(
        [
            read_figures_csv(tables / "figures.csv"),
            read_figures_csv(tables / "hno2019_baseline.csv"),
        ],
        ignore_index=True,
    )
    events = read_events_csv(tables / EVENTS_FILE).assign(batch=BUNDLE_BATCH)
    weekly_path = tables / EVENT_FIGURES_FILE
    weekly = read_figures_csv(weekly_path) if weekly_path.is_file() else base.iloc[0:0]
    figures = pd.concat([base, weekly], ignore_index=True) if len(weekly) else base.copy()
    figures = compact_text(figures)  # one code per text cell (app.tables.compact)
    base, weekly = figures.iloc[: len(base)], figures.iloc[len(base) :]
    regions = pd.read_csv(tables / "regions.csv", dtype=str, keep_default_na=False)
    regions["nationwide"] = regions["nationwide"].str.lower().eq("true")
    pkg = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert list(areas.columns[: len(AREA_COLUMNS)]) == AREA_COLUMNS
    release_freed_memory()  # before gunicorn forks its workers from this process
    return Bundle(data_dir, areas, figures, regions, pkg, events, weekly, base)


def read_events_csv(path: Path) -> pd.DataFrame:
    """A canonical events CSV as the bundle build writes it; empty when the file is absent
    (a bundle made for a test or a benchmark may have no events)."""
    if not path.is_file():
        return _empty_events().drop(columns="batch")
    events = pd.read_csv(
        path,
        dtype={**dict.fromkeys(_EVENT_TEXT, str), **dict.fromkeys(_EVENT_INTS, "int64")},
        keep_default_na=False,
        na_values={"civilians": [""], "event_type": [""]},
    )
    for c in ("date", "date_end"):
        events[c] = pd.to_datetime(events[c], format="%Y-%m-%d")
    for c in ("lat", "lon", "fatalities_low", "fatalities_high", "civilians"):
        events[c] = events[c].astype(float)
    return events[EVENT_COLUMNS]


def release_freed_memory() -> None:
    """Give the memory freed by a large read back to the operating system (glibc's
    ``malloc_trim``; elsewhere nothing). The CSV reader's threads free their buffers into
    malloc arenas that glibc keeps: a generated million-row bundle left the process at
    790 MB resident instead of 430 MB, and every forked server process carried it."""
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def settle_heap() -> None:
    """Collect reference cycles once, then keep every object alive now out of the
    collector's later full passes (``gc.freeze``), until the next call.

    A full pass walks every tracked object, and the loaded tables make a large heap: it
    took 75-80 ms (a million events stored), every few hundred requests, inside whichever
    callback set it off; the chart's p95 was 120 ms where its median was 25. Called once
    the tables are read (at start-up, before gunicorn forks: the frozen objects' pages are
    then not copied by the collector either, and after each store version). ``unfreeze``
    first, so the tables the new version replaced can be collected."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def load_bundle(data_dir: Path | None = None) -> Bundle:
    """The bundle at ``data_dir`` (default: the configured data folder)."""
    return _load(Path(data_dir or get_config().data_dir).resolve())


def clear() -> None:
    _load.cache_clear()
    _geojson.cache_clear()
