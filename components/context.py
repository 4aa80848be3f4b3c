"""What the overview's components share, computed once when the pages are registered.

Built from the bundle and the configuration at app creation (never at import), and handed
to each component's layout function and callbacks, so callbacks do no file I/O.
"""

from __future__ import annotations

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
class OverviewContext:
    bundle: Bundle
    priority: list[str]
    choices: Choices
    area_options: list[dict[str, str]] = field(repr=False)
    publisher_options: list[dict[str, str]] = field(repr=False)
    turkey: tuple[tuple[str, str], ...] = ()

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
    names = sorted(counts.index, key=lambda p: (publisher_rank(str(p), priority), str(p).lower()))
    return [{"label": f"{p} ({counts[p]:,})", "value": str(p), "search": str(p)} for p in names]


def warm_up(bundle: Bundle, priority: list[str]) -> None:
    """Compute once, at app creation, what the views keep per table (app.queries.derived
    and friends) and the consistency checks as known on every day a figure became known
    (what the cards and the chart flag; about 0.2 s in all): under ``serve --prod`` this
    runs in gunicorn's master before it forks, so no worker pays for it on a request."""
    from app.figures.style import default_template
    from app.queries import areas, cards, chart_data, checks, derived, headline

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
    default_template()
    if len(figures) <= 10_000:  # a generated million-row bundle would take minutes
        days = derived.known_days(figures)
        for day in [None, *days[-checks.VIEW_CHECKS_KEPT + 1 :]]:
            for prio in (priority, None):  # the cards' rule, and the chart's default
                checks.view_checks(figures, bundle.areas, bundle.regions, day, prio)


def make_context(bundle: Bundle) -> OverviewContext:
    priority = [p.strip() for p in get_config().publisher_priority.split("|") if p.strip()]
    warm_up(bundle, priority)
    pcodes = frozenset(bundle.areas.loc[bundle.areas["level"].between(1, 3), "pcode"])
    publishers = frozenset(bundle.figures["publisher"])
    turkey = tuple(
        (str(f["id"]), str(f["properties"].get("name_en", f["id"])))
        for f in bundle.geojson("tur_adm1_context.geojson")["features"]
    )
    return OverviewContext(
        bundle=bundle,
        priority=priority,
        choices=Choices(pcodes=pcodes, publishers=publishers),
        area_options=area_options(bundle.areas),
        publisher_options=publisher_options(bundle.figures, priority),
        turkey=turkey,
    )
