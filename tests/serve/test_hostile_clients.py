"""``serve --prod`` with no proxy in front, tried as an attacker would (issue 16, point 6).

- 200 idle TCP connections that send nothing and 200 that dribble a request's headers
  (slowloris) are open, and ``/`` still answers 200 within 1 s: gevent workers hold a
  connection in a greenlet, never a thread (docs/deploy.md, "The server"). Before, with
  gthread workers, ``/`` got no answer within 15 s (``bench/hostile_conns.py``).
- One callback request cannot cost more than a person's click: a body above 256 KiB, a
  list of more than 1,000 values or a text above 8 KiB is a 413 with a one-line JSON
  reason (``app.web.guard``); the uploads keep their own cap (``NWS_MAX_UPLOAD_MB``).

One real server for the module, configured through the environment as in production.
Timings are the best of 3 tries: a loaded 2-core CI machine may stall any one request.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from e2e.harness import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
KEY = "madeup-key-for-the-hostile-clients-test-0123456789"
CAP_MB = 2
SLOW_HEADERS = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 1000
MADEUP_CSV = (
    "period_start,period_end,published_date,metric,value,qualifier,area_name_as_written,"
    "pcode,pcode_level,publisher,document,url,quote,note\n"
    "2020-03-01,2020-03-07,2020-03-09,idp_arrivals,4242,,Harim,SY070300,3,MADE-UP hostile "
    "publisher,MADE-UP sitrep (not real data),,,MADE-UP figure for the size-cap test\n"
)


def _cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    out = subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, input=stdin,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NWS_")},
           "NWS_WORKSPACE": str(folder / "workspace"), "NWS_SECRET_KEY": KEY,
           "NWS_MAX_UPLOAD_MB": str(CAP_MB), "NWS_WORKERS": "2", "NWS_HOST": "127.0.0.1"}  # fmt: skip
    _cli(env, "editor", "add", "madeup-bot", stdin="madeup password for the test 42\n")
    token = _cli(env, "editor", "token", "madeup-bot").strip()
    port = free_port()
    server = ServerProcess([sys.executable, "-m", "app", "serve", "--prod", "--port", str(port)],
                           port, env=env, ready_path="/health", timeout=120)  # fmt: skip
    with server:
        yield {"base": server.base_url, "token": token, "port": str(port)}


# --- idle and slow connections ----------------------------------------------------------------


def _open(port: int, n: int, first: bytes = b"") -> list[socket.socket]:
    socks = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        if first:
            s.sendall(first)
        socks.append(s)
    return socks


def _time_root(base: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    try:
        status = requests.get(base + "/", timeout=15).status_code
    except requests.RequestException:
        status = 0
    return time.perf_counter() - t0, status


def test_root_answers_within_1s_with_200_idle_and_200_slow_connections_open(
    site: dict[str, str],
) -> None:
    port, tries = int(site["port"]), []
    for _ in range(3):
        idle = _open(port, 200)
        slow = _open(port, 200, SLOW_HEADERS[:1])
        try:
            time.sleep(0.3)  # every one accepted by a worker, none finished
            for i, s in enumerate(slow):  # a second byte: the headers are on their way
                s.sendall(SLOW_HEADERS[1:2])
                assert i >= 0
            tries.append(_time_root(site["base"]))
            # the hostile sockets were really there: none was refused or answered
            assert len(idle) == len(slow) == 200
        finally:
            for s in idle + slow:
                s.close()
    assert all(status == 200 for _, status in tries), tries
    assert min(took for took, _ in tries) < 1.0, tries


def test_a_slow_sender_is_dropped_not_served(site: dict[str, str]) -> None:
    """gunicorn's gevent worker closes a connection whose request headers are not complete
    within its keepalive (2 s): a slowloris socket holds nothing for long."""
    (s,) = _open(int(site["port"]), 1, SLOW_HEADERS[:10])
    s.settimeout(15)
    t0 = time.monotonic()
    try:
        assert s.recv(100) == b""  # closed by the server, nothing sent
    finally:
        s.close()
    assert time.monotonic() - t0 < 10


# --- what one callback may cost ---------------------------------------------------------------


def _pages_body(search: str) -> bytes:
    """Dash's pages callback, as the renderer sends it when the URL changes."""
    return json.dumps({
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "state": [], "changedPropIds": ["_pages_location.search"],
    }, separators=(",", ":")).encode()  # fmt: skip


def _post(base: str, body: bytes) -> requests.Response:
    return requests.post(base + "/_dash-update-component", data=body, timeout=60,
                         headers={"Content-Type": "application/json"})  # fmt: skip


def test_a_real_url_change_is_answered(site: dict[str, str]) -> None:
    r = _post(site["base"], _pages_body("?area=SY07,SY0703"))
    assert r.status_code == 200 and "_pages_content" in r.json()["response"]


def test_a_body_listing_100000_area_codes_is_413_before_it_is_read(site: dict[str, str]) -> None:
    body = _pages_body("?area=" + ",".join(f"SY{i}" for i in range(100_000)))
    assert 700_000 < len(body) < 1024 * 1024  # under the old 1 MiB cap: it cost 3 s, 11 MB
    t0 = time.perf_counter()
    r = _post(site["base"], body)
    assert r.status_code == 413 and r.headers["Content-Type"] == "application/json"
    assert r.json() == {
        "error": f"callback request too large: {len(body):,} bytes; at most 262,144 bytes"
    }
    assert time.perf_counter() - t0 < 5


def test_a_chunked_body_is_cut_off_at_the_cap(site: dict[str, str]) -> None:
    body = _pages_body("?area=" + ",".join(f"SY{i}" for i in range(50_000)))
    conn = http.client.HTTPConnection("127.0.0.1", int(site["port"]), timeout=60)
    try:
        chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
        conn.request("POST", "/_dash-update-component", body=chunks, encode_chunked=True,
                     headers={"Content-Type": "application/json"})  # fmt: skip
        r = conn.getresponse()
        assert r.status == 413
        assert json.loads(r.read()) == {
            "error": "callback request too large: more; at most 262,144 bytes"
        }
    finally:
        conn.close()


def test_a_long_text_value_is_413_naming_the_component(site: dict[str, str]) -> None:
    search = "?area=" + ",".join(f"SY{i}" for i in range(3000))  # 20 KB: under the body cap
    r = _post(site["base"], _pages_body(search))
    assert r.status_code == 413
    assert r.json()["error"] == (
        f"callback request too large: _pages_location.search: a text of {len(search):,} "
        "characters; at most 8,192"
    )


def test_a_picker_with_5000_values_is_413_naming_the_component(site: dict[str, str]) -> None:
    deps = requests.get(site["base"] + "/_dash-dependencies", timeout=30).json()
    dep = next(d for d in deps if "view-state.data" in d["output"])
    areas = ["SY07", "SY0703", "SY070300"] * 1667

    def ref(x: dict) -> dict:
        item = {"id": x["id"], "property": x["property"]}
        return {**item, "value": areas} if x["id"] == "filters-area" else item

    body = {
        "output": dep["output"],
        "outputs": [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
                    for o in dep["output"].strip(".").split("...")],
        "inputs": [ref(x) for x in dep["inputs"]],
        "state": [ref(x) for x in dep["state"]],
        "changedPropIds": ["filters-area.value"],
    }  # fmt: skip
    r = _post(site["base"], json.dumps(body).encode())
    assert r.status_code == 413
    assert r.json()["error"] == (
        "callback request too large: filters-area.value: 5,001 values; at most 1,000"
    )
    body["inputs"] = [{**x, "value": ["SY07", "SY0703"]} if x["id"] == "filters-area" else x
                      for x in body["inputs"]]  # fmt: skip
    ok = _post(site["base"], json.dumps(body).encode())
    assert ok.status_code == 200, ok.text[:300]
    assert "area=SY07" in json.dumps(ok.json())


def test_uploads_keep_their_own_cap(site: dict[str, str]) -> None:
    """An import larger than the callback cap is taken; one above NWS_MAX_UPLOAD_MB is 413."""
    auth = {"Authorization": f"Bearer {site['token']}"}
    files = {"file": ("madeup_hostile_sitrep.csv", MADEUP_CSV.encode()),
             "madeup_padding": ("madeup_padding.bin", b"MADE-UP " * 80_000)}  # fmt: skip
    # 640 KB of request: above the callback cap, below NWS_MAX_UPLOAD_MB
    made = requests.post(site["base"] + "/api/imports", headers=auth, files=files, timeout=120)
    assert made.status_code == 201, made.text[:300]
    assert made.json()["summary"]["accepted"] == 1
    big = requests.post(site["base"] + "/api/imports", headers=auth, timeout=120,
                        files={"file": ("madeup_big.csv", b"x" * (CAP_MB + 2) * 1024 * 1024)})  # fmt: skip
    assert big.status_code == 413
    assert big.json()["error"].startswith(
        f"the file is larger than {CAP_MB} MB (NWS_MAX_UPLOAD_MB)"
    )
