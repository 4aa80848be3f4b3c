"""``python -m app serve --prod`` really is gunicorn with several workers, serves the pages,
``/health`` and the exports, sends the security headers, and never exposes a debugger.

One real server process for the module (the same command an operator types), configured
only through environment variables, as in production.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e.harness import ServerProcess, child_processes, free_port

EMBED_ORIGIN = "https://reports.example.org"


@pytest.fixture(scope="module")
def prod() -> Iterator[ServerProcess]:
    port = free_port()
    server = ServerProcess(
        [sys.executable, "-m", "app", "serve", "--prod", "--port", str(port)],
        port,
        env={"NWS_WORKERS": "2", "NWS_EMBED_ORIGINS": EMBED_ORIGIN, "NWS_HOST": "127.0.0.1"},
        ready_path="/health",
        timeout=120,
    )
    with server:
        yield server


def get(server: ServerProcess, path: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(server.base_url + path, timeout=60) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_it_is_gunicorn_with_the_configured_workers(prod: ServerProcess) -> None:
    assert prod.proc is not None
    cmdline = Path(f"/proc/{prod.proc.pid}/cmdline").read_bytes().split(b"\0")
    assert b"app.web.gunicorn_gevent" in cmdline and b"app.web.wsgi:server" in cmdline
    assert b"--no-control-socket" in cmdline
    # gevent workers (docs/deploy.md): idle and slow clients cost no thread, and a long
    # streamed export is not killed by gunicorn's timeout
    at = cmdline.index(b"--worker-class")
    assert cmdline[at + 1] == b"gevent"
    deadline = time.monotonic() + 60  # /health answers once the first worker is up
    while len(child_processes(prod.proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(child_processes(prod.proc.pid)) == 2  # NWS_WORKERS=2
    status, headers, _ = get(prod, "/health")
    assert status == 200 and headers["Server"] == "gunicorn"


def test_health(prod: ServerProcess) -> None:
    status, headers, body = get(prod, "/health")
    doc = json.loads(body)
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert doc["status"] == "ok" and doc["figures"] > 0 and doc["areas"] > 0


@pytest.mark.parametrize(
    ("path", "kind", "start"),
    [
        ("/", "text/html", b"<!DOCTYPE html>"),
        ("/_dash-layout", "application/json", b"{"),
        ("/_dash-dependencies", "application/json", b"["),
        ("/export/figures.csv", "text/csv", "\ufeffADM1_PCODE,".encode()),
        ("/export/figures.csv?metric=civilians_killed&hxl=1", "text/csv", b"\xef\xbb\xbf"),
        ("/export/figures.xlsx", "application/vnd.openxmlformats", b"PK\x03\x04"),
        ("/export/areas.geojson", "application/geo+json", b"{"),
        ("/embed/map", "text/html", b"<!DOCTYPE html>"),
    ],
)
def test_pages_and_exports(prod: ServerProcess, path: str, kind: str, start: bytes) -> None:
    status, headers, body = get(prod, path)
    assert status == 200, body[:300]
    assert headers["Content-Type"].startswith(kind)
    assert body.startswith(start), body[:80]


def test_bad_export_parameter_is_400_with_a_message(prod: ServerProcess) -> None:
    status, headers, body = get(prod, "/export/figures.csv?level=9&start=2020-02-30")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert b"level" in body and b"Traceback" not in body


def test_security_headers_on_real_responses(prod: ServerProcess) -> None:
    _, page, _ = get(prod, "/")
    assert page["X-Frame-Options"] == "SAMEORIGIN"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'self'" in page["Content-Security-Policy"]
    assert EMBED_ORIGIN not in page["Content-Security-Policy"]
    _, embed, _ = get(prod, "/embed/map")
    assert "X-Frame-Options" not in embed
    assert f"frame-ancestors 'self' {EMBED_ORIGIN}" in embed["Content-Security-Policy"]
    _, export, _ = get(prod, "/export/figures.csv")
    assert export["X-Content-Type-Options"] == "nosniff"
    assert export["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("path", ["/console", "/__debugger__", "/?__debugger__=yes&cmd=resource"])
def test_no_debugger(prod: ServerProcess, path: str) -> None:
    """Werkzeug's debugger page (its ``EVALEX`` console) must not exist. Dash pages answers
    any path with the page shell (200; the URL is only echoed, escaped, in meta tags)."""
    status, _, body = get(prod, path)
    for marker in (b"Werkzeug", b"Traceback", b"EVALEX", b'class="debugger"', b"SECRET = "):
        assert marker not in body, marker
    assert status in (200, 404)


def test_malformed_callback_is_400_not_500(prod: ServerProcess) -> None:
    req = urllib.request.Request(
        prod.base_url + "/_dash-update-component",
        data=b'{"output": "nope.children"}',
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=30)
    assert info.value.code == 400
    assert json.loads(info.value.read())["error"].startswith("malformed callback request")


def test_access_log_and_no_stack_traces(prod: ServerProcess) -> None:
    tail = prod.output_tail(400)
    assert '"GET /health HTTP/1.1" 200' in tail
    assert "Traceback" not in tail


def test_the_load_test_script_runs_against_it(prod: ServerProcess, tmp_path: Path) -> None:
    """``bench/loadtest.py`` still speaks the app's protocol (a 2-user, 3-second smoke run;
    the real run and its figures are in the lead's report, not in CI)."""
    import subprocess

    out = tmp_path / "loadtest.json"
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [
            sys.executable,
            str(root / "bench" / "loadtest.py"),
            "--base-url",
            prod.base_url,
            "--users",
            "2",
            "--duration",
            "3",
            "--think",
            "0.1",
            "--ramp",
            "0.2",
            "--json",
            str(out),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]  # 1: the p95 goal was not met
    doc = json.loads(out.read_text())
    steps = {s["step"] for s in doc["steps"]}
    assert {"GET /", "page /", "filter:state", "click:state"} <= steps, steps
    assert doc["overall"]["n"] > 10
    assert "journey" not in doc["errors"], doc["errors"]  # no error inside the script itself
