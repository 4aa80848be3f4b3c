"""Fixtures for the end-to-end tests: Debian's Chromium through Playwright, a watched page,
and the real app served by ``python -m app serve`` in a subprocess.

Every test under tests/e2e is marked ``e2e``. A missing /usr/bin/chromium or Playwright is a
failure, not a skip: CI installs both, and a silently skipped browser suite proves nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import CHROME_ARGS, CHROMIUM, BrowserWatch, free_port, run_server

HERE = Path(__file__).resolve().parent
VIEWPORT = {"width": 1400, "height": 1000}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is not installed: pip install -e '.[test]'")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    """Headless Debian Chromium (never a Playwright-downloaded browser), offline flags."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: apt-get install -y chromium (never `playwright install`)"
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROME_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh 1400x1000 page in its own context, with ``page.watch`` (a BrowserWatch).

    After the test, ``page.watch.assert_clean()`` runs: a console error, failed request or
    non-local request fails the test. A test that provokes problems on purpose calls
    ``page.watch.clear()`` once it has checked them.
    """
    yield from watched_page(browser, viewport=VIEWPORT)


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A fresh 390x844 touch page (a phone), with ``page.watch`` checked after the test as
    :func:`page` does."""
    yield from watched_page(
        browser, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )


def watched_page(browser: Any, **context: Any) -> Iterator[Any]:
    """A page in a new browser context (``context``: its options) with ``page.watch``, whose
    ``assert_clean()`` runs after the test (for fixtures: ``yield from``)."""
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    page.watch = BrowserWatch(page)
    try:
        yield page
        page.watch.assert_clean()
    finally:
        ctx.close()


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """Base URL of the real app, ``python -m app serve --port <free port>``, for the session."""
    port = free_port()
    with run_server([sys.executable, "-m", "app", "serve", "--port", str(port)], port) as url:
        yield url
