"""An unknown address answers 404 (Dash alone answers 200 for any path), a page 200."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="module")
def client() -> Any:
    from app.web.server import create_app

    return create_app().server.test_client()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/sources", 200),
        ("/sources/", 200),
        ("/reconcile?metric=killed", 200),
        ("/embed/map?level=2", 200),
        ("/nonexistent", 404),
        ("/embed/nope", 404),
        ("/embed/map/extra", 404),
        ("/404", 404),
        ("/health", 200),
    ],
)
def test_status(client: Any, path: str, status: int) -> None:
    r = client.get(path)
    assert r.status_code == status, path


def test_a_404_is_still_the_dashboard_page(client: Any) -> None:
    """The browser gets the app shell, which draws the "Page not found" page with links."""
    r = client.get("/nonexistent")
    assert r.mimetype == "text/html" and "DashRenderer" in r.get_data(as_text=True)
    assert r.headers["X-Frame-Options"] == "SAMEORIGIN"
