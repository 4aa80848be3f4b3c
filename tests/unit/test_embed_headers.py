"""Security headers: who may frame the embeds, and the script policy, on a minimal Dash app."""

from __future__ import annotations

import dash
import pytest
from dash import html

from app.config import ConfigError
from app.web.headers import (
    content_security_policy,
    frame_ancestors,
    is_embed_path,
    parse_origins,
    register_security_headers,
)

REPORTS = "https://reports.example.org"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["'self'"]),
        ("'self'", ["'self'"]),
        (REPORTS, ["'self'", REPORTS]),
        (
            f"{REPORTS}/  http://localhost:8000 {REPORTS}",
            ["'self'", REPORTS, "http://localhost:8000"],
        ),
        ("https://*.example.org https:", ["'self'", "https://*.example.org", "https:"]),
        ("http://127.0.0.1:*", ["'self'", "http://127.0.0.1:*"]),
        ("*", ["*"]),  # the default: any site
        (f"* {REPORTS}", ["*"]),
    ],
)
def test_origins(text: str, expected: list[str]) -> None:
    assert parse_origins(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://a.org; script-src *",  # would inject a directive
        "https://a.org;",
        "'unsafe-inline'",
        "'none'",
        "reports.example.org/path",
        'https://a.org"',
        "https://a.org/path/page.html",
    ],
)
def test_bad_origins_stop_the_server(text: str) -> None:
    with pytest.raises(ConfigError, match="NWS_EMBED_ORIGINS"):
        parse_origins(text)


@pytest.mark.parametrize(
    ("path", "prefix", "embed"),
    [
        ("/embed/map", "/", True),
        ("/embed/card", "/", True),
        ("/embedded", "/", False),
        ("/", "/", False),
        ("/export/figures.csv", "/", False),
        ("/dash/embed/map", "/dash/", True),
        ("/embed/map", "/dash/", False),
    ],
)
def test_embed_paths(path: str, prefix: str, embed: bool) -> None:
    assert is_embed_path(path, prefix) is embed


def test_default_lets_any_site_frame_the_embeds_only() -> None:
    from app.config import Config

    origins = parse_origins(Config().embed_origins)
    assert Config().embed_origins == "*"
    assert frame_ancestors(True, origins) == "frame-ancestors *"
    assert frame_ancestors(False, origins) == "frame-ancestors 'self'"


def test_policy_text() -> None:
    assert frame_ancestors(True, ["'self'", REPORTS]) == f"frame-ancestors 'self' {REPORTS}"
    assert frame_ancestors(False, ["'self'", REPORTS]) == "frame-ancestors 'self'"
    assert content_security_policy(["'sha256-abc='"], "frame-ancestors 'self'") == (
        "default-src 'self'; script-src 'self' 'sha256-abc='; worker-src 'none'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'self'"
    )


@pytest.fixture(scope="module")
def client():
    app = dash.Dash(__name__, serve_locally=True)
    app.layout = html.Div("minimal")
    register_security_headers(app, f"{REPORTS} http://localhost:8000")

    @app.server.get("/embed/map")
    def embed_map() -> str:
        return "embed"

    return app.server.test_client()


def test_embed_page_may_be_framed_by_the_allowlist(client) -> None:
    c = client
    r = c.get("/embed/map")
    csp = r.headers["Content-Security-Policy"]
    assert csp.endswith(f"; frame-ancestors 'self' {REPORTS} http://localhost:8000")
    assert "X-Frame-Options" not in r.headers
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/", "/_dash-layout", "/no-such-page"])
def test_other_pages_only_by_this_site(client, path: str) -> None:
    c = client
    r = c.get(path)
    assert r.headers["Content-Security-Policy"].endswith("; frame-ancestors 'self'")
    assert r.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_inline_scripts_of_the_page_are_hashed(client) -> None:
    """Every inline <script> Dash writes into the page is allowed by its hash, nothing else."""
    import base64
    import hashlib
    import re

    c = client
    r = c.get("/")
    csp = r.headers["Content-Security-Policy"]
    page = re.sub(r"<!--.*?-->", "", r.get_data(as_text=True), flags=re.S)  # IE-only comments
    tags = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    inline = [body for attrs, body in tags if "src=" not in attrs and "json" not in attrs]
    assert "var renderer = new DashRenderer();" in inline
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert (
        "unsafe-eval" not in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )
