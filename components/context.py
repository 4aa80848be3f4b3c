"""What the overview's components share, computed once per version of the tables.

Built from the bundle (and the store) and the configuration at app creation (never at
import), and handed to each component's layout function and callbacks, so callbacks do no
file I/O; a new store version is picked up on the next request (:mod:`app.store.live`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import dash
import pandas as pd

from app.bundle.store import Bundle
from app.config import get_config
from app.figures.map import MapContext
from app.queries.areas import area_options
from app.queries.headline import publisher_rank
from app.state import Choices
from app.web.geo import geo_path


@dataclass(frozen=True)
class ViewData:
    """What the components read that depends on the figures: one per store version."""

    bundle: Bundle
    choices: Choices
    area_options: list[dict[str, str]] = field(repr=False)
    publisher_options: list[dict[str, str]] = field(repr=False)


#: Where a context's tables come from: () -> (version key, tables).
Source = Callable[[], tuple[object, Bundle]]


class OverviewContext:
    """The components' shared context. ``bundle``, ``choices`` and the options follow the
    tables' source: a fixed bundle (tests, benches) or the live bundle + store
    (:mod:`app.store.live`), recomputed once per store version, never per request."""

    def __init__(self, source: Source, priority: list[str],
                 turkey: tuple[tuple[str, str], ...] = (),
                 batches: Callable[[], tuple[dict, ...]] = tuple) -> None:  # fmt: skip
        self._source = source
        #: the store's batches (oldest first; none for a fixed bundle)
        self.batches = batches
        self.priority = priority
        self.turkey = turkey
        self._lock = threading.Lock()
        self._data: tuple[object, ViewData] | None = None

    def data(self) -> ViewData:
        key, bundle = self._source()
        held = self._data
        if held is not None and held[0] == key and held[1].bundle is bundle:
            return held[1]
        with self._lock:
            if self._data is None or self._data[0] != key or self._data[1].bundle is not bundle:
                self._data = (key, view_data(bundle, self.priority))
            return self._data[1]

    @property
    def version(self) -> object:
        """Key of the tables' current version (changes when the store changes)."""
        return self._source()[0]

    @property
    def bundle(self) -> Bundle:
        return self.data().bundle

    @property
    def choices(self) -> Choices:
        return self.data().choices

    @property
    def area_options(self) -> list[dict[str, str]]:
        return self.data().area_options

    @property
    def publisher_options(self) -> list[dict[str, str]]:
        return self.data().publisher_options

    def map_context(self, level: int) -> MapContext:
        """Geometry URLs for the map at ``level`` (relative to the app's base path)."""
        return MapContext(
            geojson_url=dash.get_relative_path(geo_path(self.bundle, f"adm{level}")),
            turkey_url=dash.get_relative_path(geo_path(self.bundle, "turkey")),
            turkey=self.turkey,
            border_url=dash.get_relative_path(geo_path(self.bundle, "border")),
        )


def publisher_options(figures: pd.DataFrame, priority: list[str]) -> list[dict[str, str]]:
    """Publishers as written, priority families first, with how many figures each gave."""
    counts = figures["publisher"].value_counts()
    counts = counts[counts > 0]  # a categorical column counts its absent categories too
    names = sorted(counts.index, key=lambda p: (publisher_rank(str(p), priority), str(p).lower()))
    return [{"label": f"{p} ({counts[p]:,})", "value": str(p), "search": str(p)} for p in names]


#: Tables up to this many rows have the views' per-row marks and codes made at start-up
#: (70,000 rows with a million events stored: 0.1 s); a generated million makes them on
#: first use, and holds only those it uses.
WARM_ROWS = 250_000


def warm_up(bundle: Bundle, priority: list[str]) -> None:
    """Compute once, at app creation, what the views keep per table (app.queries.derived
    and friends) and the consistency checks as known on every day a figure became known
    (what the cards and the chart flag; about 0.2 s in all): under ``serve --prod`` this
    runs in gunicorn's master before it forks, so no worker pays for it on a request."""
    from app.figures.style import default_template
    from app.queries import (
        areas,
        cards,
        chart_data,
        checks,
        clean,
        derived,
        headline,
        map_values,
        reconcile,
        timeseries,
    )

    figures = bundle.figures
    derived.metric_positions(figures)
    derived.rows_for_metric_sector(figures, "", "")
    derived.as_of_key(figures, pd.Timestamp.max)
    headline.arrays(cards.card_figures(figures))
    for level in (1, 2, 3):
        areas.areas_at_level(bundle.areas, level)
    areas.area_name_map(bundle.areas)
    areas.n_inside(bundle.areas, "", 0)
    chart_data.region_name_map(bundle.regions)
    if len(figures) <= WARM_ROWS:  # the views' per-row marks and codes (2-20 bytes a row)
        clean.area_marks(figures)
        timeseries.pcode_levels(figures)
        derived.column_codes(figures, "area_pcode")
        reconcile.place_keys(figures)
        for level in (1, 2, 3):
            map_values.week_runs(figures, level)
    default_template()
    if checks.checked_rows(figures).sum() <= 10_000:  # a generated million: minutes
        # the days a checked figure became known, the checks' as-of keys (weekly sums
        # known week by week would otherwise take every warmed slot, and seconds of start-up)
        days = [pd.Timestamp(d) for d in checks.checked_days(figures)]
        for day in [None, *days[-checks.VIEW_CHECKS_KEPT + 1 :]]:
            for prio in (priority, None):  # the cards' rule, and the chart's default
                checks.view_checks(figures, bundle.areas, bundle.regions, day, prio)


def view_data(bundle: Bundle, priority: list[str]) -> ViewData:
    warm_up(bundle, priority)
    pcodes = frozenset(bundle.areas.loc[bundle.areas["level"].between(1, 3), "pcode"])
    publishers = frozenset(bundle.figures["publisher"])
    return ViewData(
        bundle=bundle,
        choices=Choices(pcodes=pcodes, publishers=publishers),
        area_options=area_options(bundle.areas, bundle.place_aliases),
        publisher_options=publisher_options(bundle.figures, priority),
    )


def _priority() -> list[str]:
    return [p.strip() for p in get_config().publisher_priority.split("|") if p.strip()]


def _turkey(bundle: Bundle) -> tuple[tuple[str, str], ...]:
    return tuple(
        (str(f["id"]), str(f["properties"].get("name_en", f["id"])))
        for f in bundle.geojson("tur_adm1_context.geojson")["features"]
    )


def make_context(bundle: Bundle) -> OverviewContext:
    """A context on a fixed bundle (tests, benches)."""
    ctx = OverviewContext(lambda: (0, bundle), _priority(), _turkey(bundle))
    ctx.data()  # computed now, as the app does at creation
    return ctx


def make_live_context() -> OverviewContext:
    """The app's context: the bundle and the store as of the store's current version."""
    from app.store import live

    def source() -> tuple[object, Bundle]:
        snap = live.current()
        return snap.version, snap.tables

    ctx = OverviewContext(source, _priority(), _turkey(live.get_live().bundle),
                          batches=lambda: live.current().batches)  # fmt: skip
    ctx.data()  # the current version's data, computed before gunicorn forks its workers
    return ctx
