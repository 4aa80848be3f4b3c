"""Bytes on the wire for the first view, by resource class, against a minimal Dash app.

    .venv/bin/python bench/wire_bytes.py [--workspace PATH] [--json PATH]

Starts the dashboard (``python -m app serve --prod``, compression on) and the peer
(``bench/peers/minimal_app.py``: one ``dcc.Graph``, Dash defaults, compression on) as real
processes on loopback, loads each first view in headless Chromium with an empty cache, waits
until every graph is drawn and the network is quiet, and adds up CDP
``Network.loadingFinished.encodedDataLength`` (response headers + encoded body) per request.
Also loads ``/embed/map`` when the app has it. Budget: first view <= 1.0 MB (10^6 bytes).

Checks printed with the figures: the full ``plotly.min.js`` is never requested, and every
JavaScript response over 1 KB arrives compressed (``Content-Encoding``).
"""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from _browser import DRAWN_JS, NetLog, Resource, wait_drawn
from _common import Report, command_line, launch_chromium, parser, server, wait_for_dash

BUDGET = 1_000_000
CATEGORIES = ["HTML", "JS", "CSS", "layout JSON", "callbacks", "geometry", "other"]


def first_view(browser: Any, url: str, need: tuple[str, ...]) -> NetLog | None:
    """Load ``url`` in a fresh context; the network log once the graphs are drawn.

    None when the page has no graph (Dash answers 200 with its 404 page for unknown paths).
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        context.add_init_script(DRAWN_JS)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        log = NetLog(cdp)
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        page.goto(url, wait_until="load", timeout=60_000)
        wait_for_dash(page, timeout=60_000)
        if page.locator(".dash-graph").count() == 0:
            return None
        if need:
            wait_drawn(page, need, 60_000)
        log.settle(page=page)
        return log
    finally:
        context.close()


def warm(browser: Any, url: str, need: tuple[str, ...], limit_s: float = 90) -> int:
    """Load ``url`` until every static file arrives as stored brotli (app/web/static.py).

    The server compresses each static body once, in the background, the first time it is
    asked for; a fresh machine's very first load gets on-the-fly zstd instead. Returns the
    number of warm-up loads (not counted in the figures).
    """
    deadline = time.monotonic() + limit_s
    loads = 0
    while time.monotonic() < deadline:
        log = first_view(browser, url, need)
        loads += 1
        if log is None:
            return loads
        static = [
            r
            for r in log.http()
            if r.category in {"JS", "CSS"} and r.decoded > 1024 and r.status == 200
        ]
        if all(r.encoding == "br" for r in static):
            return loads
        time.sleep(2)
    return loads


def exists(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def print_resources(title: str, log: NetLog) -> None:
    print(f"\n-- {title}: {len(log.http())} requests, {log.total():,} B on the wire")
    rows: list[Resource] = sorted(log.http(), key=lambda r: -r.wire)
    for r in rows:
        enc = r.encoding or "identity"
        print(
            f"  {r.wire:>10,} B  {r.decoded:>10,} B decoded  {enc:<8} {r.category:<11} "
            f"{r.status} {r.method:<4} {r.path[:90]}"
        )


def checks(log: NetLog) -> list[str]:
    problems = []
    for r in log.http():
        if "plotly.min.js" in r.url or "package_data/plotly" in r.url:
            problems.append(f"full plotly.js requested: {r.url}")
        if r.category == "JS" and r.decoded > 1024 and not r.encoding:
            problems.append(f"JS sent uncompressed: {r.path} ({r.decoded:,} B)")
        if r.failed:
            problems.append(f"request failed: {r.path}: {r.failed}")
        if r.status >= 400:
            problems.append(f"HTTP {r.status}: {r.path}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--workspace", help="the app's workspace (NWS_WORKSPACE), e.g. one with "
                    "a million events from bench/add_events.py --workspace")  # fmt: skip
    args = ap.parse_args(argv)
    env = {"NWS_WORKSPACE": str(Path(args.workspace).resolve())} if args.workspace else None
    from playwright.sync_api import sync_playwright

    report = Report("wire_bytes", command_line())
    logs: dict[str, NetLog] = {}
    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            with server("prod", env=env, timeout=180) as app:
                warm_loads = warm(browser, app.base_url + "/", ("map", "chart"))
                print(f"  {warm_loads} warm-up load(s) until static files came as stored brotli")
                overview = first_view(browser, app.base_url + "/", ("map", "chart"))
                if overview is None:
                    raise SystemExit("the overview at / has no graph")
                logs["app /"] = overview
                arabic = first_view(browser, app.base_url + "/?lang=ar", ("map", "chart"))
                if arabic is not None:  # issue 14: the Arabic first view, same budget
                    logs["app /?lang=ar"] = arabic
                if exists(app.base_url + "/embed/map"):
                    embed = first_view(browser, app.base_url + "/embed/map", ("map",))
                    if embed is not None:
                        logs["app /embed/map"] = embed
            with server("minimal") as peer:
                minimal = first_view(browser, peer.base_url + "/", ("map",))
                if minimal is None:
                    raise SystemExit("the minimal app has no graph")
                logs["minimal app"] = minimal
        finally:
            browser.close()

    for title, log in logs.items():
        print_resources(title, log)

    head = ["category", *logs]
    print("\n-- bytes on the wire by resource class")
    print("  " + "".join(f"{h:>18}" for h in head))
    for cat in CATEGORIES:
        print(
            "  "
            + f"{cat:>18}"
            + "".join(f"{log.by_category().get(cat, 0):>18,}" for log in logs.values())
        )
    print("  " + f"{'total':>18}" + "".join(f"{log.total():>18,}" for log in logs.values()))

    app_total = logs["app /"].total()
    peer_total = logs["minimal app"].total()
    report.add(
        "first view /, on the wire",
        app_total,
        "B",
        "<= 1,000,000 B",
        app_total <= BUDGET,
        f"{app_total / peer_total:.2f}x the minimal app",
    )
    for cat in CATEGORIES:
        v = logs["app /"].by_category().get(cat, 0)
        if v:
            report.add(f"  / {cat}", v, "B")
    for title, page in (("app /?lang=ar", "/?lang=ar (Arabic)"), ("app /embed/map", "/embed/map")):
        if title in logs:
            t = logs[title].total()
            report.add(f"first view {page}, on the wire", t, "B", "<= 1,000,000 B",
                       t <= BUDGET, f"{t / peer_total:.2f}x the minimal app")  # fmt: skip
    report.add("minimal app (1 dcc.Graph), on the wire", peer_total, "B")
    problems = []
    for title, log in logs.items():
        if title.startswith("app"):
            problems += [f"{title}: {m}" for m in checks(log)]
    report.add(
        "full plotly.min.js requested by the app",
        int(any("full plotly" in m for m in problems)),
        "times",
        "0",
        not any("full plotly" in m for m in problems),
    )
    report.add(
        "app JS responses > 1 KB sent uncompressed",
        sum("uncompressed" in m for m in problems),
        "files",
        "0",
        not any("uncompressed" in m for m in problems),
    )
    report.details = {
        title: {
            "total": log.total(),
            "by_category": log.by_category(),
            "requests": [
                {
                    "path": r.path,
                    "wire": r.wire,
                    "decoded": r.decoded,
                    "encoding": r.encoding,
                    "category": r.category,
                    "cache_control": r.cache_control,
                }
                for r in log.http()
            ],
        }
        for title, log in logs.items()
    }
    report.details["problems"] = problems
    report.print()
    for m in problems:
        print("  !", m)
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
