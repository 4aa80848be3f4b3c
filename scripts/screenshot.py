"""Screenshot of the overview for the docs: docs/screenshot-overview.png (1400 x 1000).

Starts the real server (``python -m app serve`` on a free port), opens the overview in
headless Debian Chromium with the same offline flags as the end-to-end tests, waits until
the SVG map and the chart have drawn, and saves the visible 1400 x 1000 viewport.
Fails if the page made a console error or asked for anything outside 127.0.0.1.

    .venv/bin/python scripts/screenshot.py [--query "?as_of=2020-02-16"] [--out PATH]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.dashboard_helpers import open_view  # noqa: E402
from tests.e2e.harness import (  # noqa: E402
    CHROME_ARGS,
    CHROMIUM,
    BrowserWatch,
    free_port,
    run_server,
)

VIEWPORT = {"width": 1400, "height": 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query", default="", help='view to capture, e.g. "?as_of=2020-02-16"')
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot-overview.png")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    port = free_port()
    with (
        run_server([sys.executable, "-m", "app", "serve", "--port", str(port)], port) as url,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS, headless=True)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            watch = BrowserWatch(page)
            open_view(page, url, args.query)
            page.locator("#timeseries-graph .js-plotly-plot .scatterlayer").first.wait_for()
            page.wait_for_timeout(300)  # the last paint after the SVG paths are in place
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out), full_page=False)
            watch.assert_clean()
        finally:
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
