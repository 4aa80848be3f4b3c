"""CPU time of every view the overview and the reconcile page build, for view states seen
for the first time, in-process and without the query cache.

    .venv/bin/python bench/views_profile.py [--states 60] [--seed 3] [--profile VIEW]
                                            [--top 25] [--json PATH]

1. Reads the real bundle (``data/``) and builds the pages' context as the app does.
2. Draws ``--states`` distinct overview view states (seeded) from every metric x level x
   sector (for the per-sector metrics) x "as known on" x dates x area / publisher
   selections the filters offer (:mod:`app.state`); and distinct reconcile states
   (metric group or metric x place x as known on x places inside).
3. For each state, builds each view as its callback does, minus the flask-caching lookup
   (outside a request ``cached_view`` functions are simply called), and serialises the
   result with Dash's own JSON encoder, since the callback pays for that too:

   - ``cards``: the three headline cards (``components.cards.cards_children``);
   - ``chart``: title, figure and caption of the time series (``timeseries_view.content``);
   - ``map query``: ``app.queries.map_values.map_values`` (no figure);
   - ``map figure``: ``app.figures.map.choropleth_map`` on those values, serialised;
   - ``reconcile``: the reconcile page's callback outputs (``reconcile_view.content``).

Prints per view p50 / p95 / max CPU milliseconds (``time.process_time``: the machine is
shared, wall time is not a measure of this code) and the first state's time apart: the
first state also pays for what is computed once per bundle (memoised derived tables).
``--profile VIEW`` runs that view's states under cProfile and prints the top functions.
Each state is new to the process (as the first pass of ``bench/callbacks.py``), but memos
kept per bundle, per as-of date or per table (e.g. ``app.queries.checks.view_checks``)
are warm after the first state that needs them, as in a running server.
"""

from __future__ import annotations

import cProfile
import itertools
import os
import pstats
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from _common import ROOT, Report, command_line, parser, percentile

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

VIEWS = ("cards", "chart", "map query", "map figure", "reconcile")
AS_OF = (
    None,
    date(2020, 1, 15),
    date(2020, 2, 1),
    date(2020, 2, 16),
    date(2020, 2, 25),
    date(2020, 3, 10),
)
DATES = (
    (None, None),
    (date(2020, 1, 1), date(2020, 2, 29)),
    (date(2019, 12, 1), date(2020, 3, 31)),
    (date(2020, 2, 1), None),
)


def overview_states(ctx: Any, n: int, seed: int) -> list[Any]:
    """``n`` distinct view states drawn from what the filters offer (see module doc)."""
    from app.queries.catalogue import LEVELS, SECTORS, VIEW_METRICS
    from app.state import ViewState

    rng = random.Random(seed)
    areas = sorted(ctx.choices.pcodes)
    pubs = sorted(ctx.choices.publishers)
    seen: set[ViewState] = set()
    out: list[ViewState] = []
    tries = 0
    while len(out) < n and tries < n * 50:
        tries += 1
        metric = rng.choice(list(VIEW_METRICS))
        level = rng.choice(list(LEVELS))
        sector = rng.choice(SECTORS) if VIEW_METRICS[metric].needs_sector else "Shelter"
        pick = rng.random()
        if pick < 0.5:
            chosen: tuple[str, ...] = ()
        elif pick < 0.85:
            width = {1: 4, 2: 6, 3: 8}[level]
            at_level = [a for a in areas if len(a) == width]
            chosen = (rng.choice(at_level),)
        else:
            chosen = tuple(rng.sample(areas, 2))
        publishers = () if rng.random() < 0.7 else (rng.choice(pubs),)
        start, end = rng.choice(DATES)
        state = ViewState(
            level=level,
            metric=metric,
            sector=sector,
            areas=chosen,
            publishers=publishers,
            start=start,
            end=end,
            as_of=rng.choice(AS_OF),
        )
        if state not in seen:
            seen.add(state)
            out.append(state)
    return out


def reconcile_states(ctx: Any, n: int, seed: int) -> list[Any]:
    from app.queries.reconcile import METRIC_GROUPS
    from components.reconcile_view import ReconcileState

    rng = random.Random(seed)
    choices = [*METRIC_GROUPS, *itertools.chain(*METRIC_GROUPS.values())]
    places = [*ctx.bundle.regions["region"], "SY07", "SY02", "SY0703", "SY070301", "SY0204"]
    seen: set[ReconcileState] = set()
    out: list[ReconcileState] = []
    tries = 0
    while len(out) < n and tries < n * 50:
        tries += 1
        start, end = rng.choice(DATES)
        s = ReconcileState(
            metric=rng.choice(choices),
            place=rng.choice(places),
            start=start,
            end=end,
            as_of=rng.choice(AS_OF),
            inside=rng.random() < 0.3,
        )
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def builders(ctx: Any) -> dict[str, Callable[[Any], Any]]:
    """View name -> callable(state) doing what the view's callback does, serialised."""
    from dash._utils import to_json

    from app.figures.map import choropleth_map
    from app.queries.map_values import map_values
    from components import cards, reconcile_view, timeseries_view
    from components.map_view import HEIGHT

    b = ctx.bundle
    memo: dict[Any, Any] = {}

    def map_query(state: Any) -> Any:
        mv = map_values(
            b.figures,
            b.areas,
            state.view_metric,
            state.level,
            state.figure_filter(),
            ctx.priority,
            sector=state.sector_or_none,
        )
        memo[state] = mv
        return mv

    def map_figure(state: Any) -> str:
        mv = memo.pop(state, None) or map_query(state)
        fig = choropleth_map(mv, ctx.map_context(state.level), selected=state.areas, height=HEIGHT)
        return to_json(fig)

    return {
        "cards": lambda s: to_json(cards.cards_children(ctx, s)),
        "chart": lambda s: to_json(timeseries_view.content(ctx, s)),
        "map query": map_query,
        "map figure": map_figure,
        "reconcile": lambda s: to_json(reconcile_view.content(ctx, s)),
    }


def warm_checks(ctx: Any) -> list[float]:
    """Compute the consistency checks (memoised per as-of date by app.queries.checks) of
    every as-of date the states use, so the views' times below leave them out."""
    import pandas as pd

    from app.queries import checks

    b = ctx.bundle
    out = []
    for as_of in AS_OF:
        ts = None if as_of is None else pd.Timestamp(as_of)
        t = time.process_time()
        checks.view_checks(b.figures, b.areas, b.regions, ts, ctx.priority)
        out.append((time.process_time() - t) * 1000)
    return out


def make_ctx() -> Any:
    """The overview's context for the real bundle, with a bare Dash app for relative paths."""
    import dash

    from app.bundle.store import load_bundle
    from components.context import make_context

    dash.Dash(__name__)  # dash.get_relative_path needs an app; nothing is registered
    return make_context(load_bundle())


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--states", type=int, default=60, help="distinct states per page")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--profile", choices=VIEWS, help="run this view under cProfile")
    ap.add_argument("--top", type=int, default=25, help="functions listed by --profile")
    ap.add_argument("--sort", default="cumulative", help="pstats sort key for --profile")
    ap.add_argument("--slowest", type=int, default=0, help="list the K slowest states per view")
    ap.add_argument(
        "--warm-checks",
        action="store_true",
        help="compute the consistency checks of every as-of date first, and report them apart",
    )
    args = ap.parse_args(argv)

    t0 = time.process_time()
    ctx = make_ctx()
    setup_ms = (time.process_time() - t0) * 1000
    build = builders(ctx)
    states = {
        "overview": overview_states(ctx, args.states, args.seed),
        "reconcile": reconcile_states(ctx, args.states, args.seed),
    }
    checks_ms = warm_checks(ctx) if args.warm_checks else []
    order = [args.profile] if args.profile else list(VIEWS)
    times: dict[str, list[float]] = {v: [] for v in order}
    profiler = cProfile.Profile() if args.profile else None
    for view in order:
        for state in states["reconcile" if view == "reconcile" else "overview"]:
            if profiler:
                profiler.enable()
            t = time.process_time()
            build[view](state)
            times[view].append((time.process_time() - t) * 1000)
            if profiler:
                profiler.disable()

    report = Report("views_profile", command_line())
    if checks_ms:
        print(
            f"-- checks.view_checks, once per as-of date ({len(checks_ms)}): "
            f"p50 {percentile(checks_ms, 50):.1f} ms, max {max(checks_ms):.1f} ms CPU "
            "(app/queries/checks/; warm for the views below)"
        )
        report.add("checks.view_checks per new as-of: max CPU", max(checks_ms), "ms")
    print(f"\n-- context (bundle read + make_context): {setup_ms:.0f} ms CPU")
    print(f"-- {args.states} distinct states per page, CPU ms per view (process_time)")
    print(f"  {'view':<12}{'n':>5}{'first':>9}{'p50':>9}{'p95':>9}{'max':>9}  (excl. first)")
    for view, ms in times.items():
        rest = ms[1:] or ms
        print(
            f"  {view:<12}{len(ms):>5}{ms[0]:>9.1f}{percentile(rest, 50):>9.1f}"
            f"{percentile(rest, 95):>9.1f}{max(rest):>9.1f}"
        )
        report.add(f"{view}: p50 CPU", percentile(rest, 50), "ms")
        report.add(f"{view}: p95 CPU", percentile(rest, 95), "ms", note=f"first {ms[0]:.1f} ms")
    for view, ms in times.items() if args.slowest else ():
        page = states["reconcile" if view == "reconcile" else "overview"]
        print(f"  slowest {view}:")
        for i in sorted(range(len(ms)), key=lambda i: -ms[i])[: args.slowest]:
            print(f"    {ms[i]:7.1f} ms  #{i} {page[i]!r}")
    report.details = {"ms": times, "states": {k: [repr(s) for s in v] for k, v in states.items()}}
    if profiler:
        print()
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)
    report.print()
    report.save(args.json)
    print(f"  pid {os.getpid()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
