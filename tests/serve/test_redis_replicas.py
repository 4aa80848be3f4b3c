"""``NWS_REDIS_URL``: two servers on one store share one Redis cache of computed views, a
writer's change reaches a listening process through the channel at once, and ``/health``
says 503 when Redis is down while the pages go on (real redis-server, real processes)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e.harness import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "canonical_figures_sample.csv"


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.fail("redis-server is not installed: apt-get install -y redis-server (.ci/run)")
    port = free_port()
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _get(base: str, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(base + path, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _render(base: str, pathname: str, search: str) -> int:
    """The page as a browser gets it: Dash's pages callback renders the layout (the views,
    built through the cache) for a pathname and query string."""
    import json

    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"],
    }  # fmt: skip
    req = urllib.request.Request(base + "/_dash-update-component", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status


def test_two_replicas_share_the_cache_and_hear_of_changes(redis_url: str, tmp_path: Path) -> None:
    import json

    import redis

    env = {**os.environ, "NWS_WORKSPACE": str(tmp_path / "workspace"), "NWS_DATABASE_URL": "",
           "NWS_REDIS_URL": redis_url}  # fmt: skip
    client = redis.Redis.from_url(redis_url)
    ports = [free_port(), free_port()]
    servers = [ServerProcess([sys.executable, "-m", "app", "serve", "--port", str(p)], p,
                             env=env, ready_path="/health", timeout=120) for p in ports]  # fmt: skip
    with servers[0] as a, servers[1] as b:
        assert json.loads(_get(a.base_url, "/health")[1])["cache"] == "redis"
        assert _render(a.base_url, "/", "?metric=civilians_killed&level=1") == 200
        keys = set(client.keys("nws:views:*"))
        assert keys, "replica A cached nothing in Redis"
        assert _render(b.base_url, "/", "?metric=civilians_killed&level=1") == 200
        assert set(client.keys("nws:views:*")) == keys  # B used A's entries
        out = subprocess.run([sys.executable, "-m", "app", "add", str(SAMPLE)], env=env,
                             cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
        assert out.returncode == 0, out.stderr
        done = time.monotonic()
        for server in (a, b):
            while json.loads(_get(server.base_url, "/health")[1])["serving_version"] != 1:
                assert time.monotonic() - done < 5
                time.sleep(0.05)
        assert _render(a.base_url, "/", "?metric=civilians_killed&level=1") == 200
        assert len(set(client.keys("nws:views:*")) - keys) > 0  # new version, new entries
        client.shutdown(nosave=True)  # Redis goes away
        status, body = _get(a.base_url, "/health")
        assert status == 503 and json.loads(body)["cache"] == "unreachable"
        assert _render(b.base_url, "/", "?metric=idp_arrivals&level=2") == 200  # pages go on


def test_an_announced_change_is_looked_at_at_once(redis_url: str, tmp_path: Path) -> None:
    """In one process: with the poll set to a minute, only the channel can make the next
    request look at the store."""
    from app.bundle.store import load_bundle
    from app.config import override
    from app.store import live, notify
    from app.store.engine import StoreConfig, dispose_all, ensure_ready

    with override(workspace=tmp_path / "ws", database_url="", redis_url=redis_url) as cfg:
        store = StoreConfig.from_config(cfg)
        ensure_ready(store)
        lv = live.Live(load_bundle(), store)
        lv.current()
        lv._checked = time.monotonic() + 60  # as if just checked, a minute ahead
        assert notify.listen(lv.look_now)
        time.sleep(0.5)  # the thread subscribes
        notify.changed(1)
        deadline = time.monotonic() + 5
        while lv._checked != 0.0:
            assert time.monotonic() < deadline, "no message reached the listener"
            time.sleep(0.01)
        dispose_all()
