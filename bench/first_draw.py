"""Time until the map and the chart are drawn on a throttled link, against a minimal Dash app.

    .venv/bin/python bench/first_draw.py [--runs 5] [--json PATH]

Starts the dashboard (``python -m app serve --prod``) and the peer
(``bench/peers/minimal_app.py``) as real processes on loopback. Each run opens a fresh
headless Chromium context with the browser cache disabled and the link throttled through
CDP ``Network.emulateNetworkConditions`` (1.6 Mbit/s down, 0.75 Mbit/s up, 150 ms latency),
loads the page, and reads when the map has been drawn (the dashboard's SVG map: a path for
every area of the figure; the peer's MapLibre map: style and sources loaded) and when a
cartesian chart has been plotted (``performance.now()``: ms since navigation start; see
``bench/_browser.py``).

Targets: the overview ``/`` (map and chart), ``/embed/map`` (map) when the app has it, and
the minimal app (its one graph, a map). One unthrottled load per target first warms the
servers (the query cache's default view and the stored brotli bodies: see
``app/web/cache.py`` and ``app/web/static.py``), so the runs measure the steady state.
Prints every run and the median. Budget: map and chart drawn within 5 s on the throttled
link, and sooner than the minimal app draws its one graph.
"""

from __future__ import annotations

import sys
from typing import Any

from _browser import DRAWN_JS, THROTTLED, NetLog, wait_drawn
from _common import Report, command_line, launch_chromium, median, parser, server

BUDGET_MS = 5000


def load(
    browser: Any, url: str, need: tuple[str, ...], throttle: bool, repeat: bool = False
) -> dict[str, float]:
    """One page load; ms since navigation start for each mark in ``need`` and the bytes.

    ``repeat``: a repeat visit. The context loads the page once unthrottled with its HTTP
    cache on, then the measured load runs with that cache (what a field laptop that opened
    the dashboard yesterday does); otherwise the cache is disabled.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        context.add_init_script(DRAWN_JS)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        log = NetLog(cdp)
        if repeat:
            page.goto(url, wait_until="commit", timeout=120_000)
            wait_drawn(page, need, 120_000)
            page.goto("about:blank")
            log.resources.clear()
        else:
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if throttle:
            cdp.send("Network.emulateNetworkConditions", THROTTLED)
        page.goto(url, wait_until="commit", timeout=120_000)
        marks = wait_drawn(page, need, 120_000)
        out = {n: float(marks[n]) for n in need}  # type: ignore[arg-type]
        out["drawn"] = max(out[n] for n in need)
        out["bytes"] = float(log.total())
        return out
    finally:
        context.close()


def has_graph(browser: Any, url: str) -> bool:
    context = browser.new_context()
    try:
        page = context.new_page()
        resp = page.goto(url, wait_until="load", timeout=60_000)
        if resp is None or resp.status != 200:
            return False
        try:
            page.wait_for_selector(".dash-graph", timeout=15_000)
        except Exception:
            return False
        return True
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    report = Report("first_draw", command_line())
    results: dict[str, list[dict[str, float]]] = {}
    repeats: dict[str, list[dict[str, float]]] = {}
    targets: list[tuple[str, str, str, tuple[str, ...]]] = [
        ("app /", "prod", "/", ("map", "chart")),
        ("app /embed/map", "prod", "/embed/map", ("map",)),
        ("minimal app", "minimal", "/", ("map",)),
    ]
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            for kind in ("prod", "minimal"):
                with server(kind) as srv:
                    for title, k, path, need in targets:
                        if k != kind:
                            continue
                        url = srv.base_url + path
                        if path != "/" and not has_graph(browser, url):
                            print(f"  {title}: no graph at {path}, skipped")
                            continue
                        w = load(browser, url, need, throttle=False)  # warm-up, not counted
                        print(f"  {title:<16} unthrottled (warm-up): {w['drawn'] / 1000:.2f} s")
                        runs = results.setdefault(title, [])
                        for i in range(args.runs):
                            r = load(browser, url, need, throttle=True)
                            runs.append(r)
                            marks = "  ".join(f"{n} {r[n] / 1000:.2f} s" for n in need)
                            print(f"  {title:<16} run {i + 1}: {marks}  ({r['bytes']:,.0f} B)")
                        again = repeats.setdefault(title, [])
                        for i in range(max(1, args.runs // 2)):
                            r = load(browser, url, need, throttle=True, repeat=True)
                            again.append(r)
                            print(
                                f"  {title:<16} repeat visit {i + 1}: {r['drawn'] / 1000:.2f} s"
                                f"  ({r['bytes']:,.0f} B)"
                            )
        finally:
            browser.close()

    peer = median([r["drawn"] for r in results["minimal app"]])
    for title, runs in results.items():
        need = [n for n in ("map", "chart") if n in runs[0]]
        for n in need:
            report.add(
                f"{title}: {n} drawn, median of {len(runs)}",
                median([r[n] for r in runs]) / 1000,
                "s",
            )
        drawn = median([r["drawn"] for r in runs])
        if title.startswith("app"):
            ok = drawn <= BUDGET_MS and drawn < peer
            report.add(
                f"{title}: {' and '.join(need)} drawn",
                drawn / 1000,
                "s",
                "<= 5 s and < minimal app",
                ok,
                f"{drawn / peer:.2f}x the minimal app",
            )
        else:
            report.add(f"{title}: its graph drawn", drawn / 1000, "s")
    for title, runs in repeats.items():
        t = median([r["drawn"] for r in runs])
        b = median([r["bytes"] for r in runs])
        report.add(
            f"{title}: repeat visit (HTTP cache warm), drawn",
            t / 1000,
            "s",
            note=f"{b:,.0f} B on the wire",
        )
    report.details = {"first_visit": results, "repeat_visit": repeats}
    report.print()
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
