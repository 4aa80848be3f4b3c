"""The nginx configuration of docs/deploy.md, as written, in front of two real replicas:
it proxies, keeps the static files' long cache headers, fails over when a replica dies
with no failed request after it, and refuses a body above the upload cap (Debian nginx)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from e2e.harness import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "docs" / "deploy.md"


def nginx_block() -> str:
    match = re.search(r"```nginx\n(.*?)```", DEPLOY.read_text(encoding="utf-8"), re.S)
    assert match, "docs/deploy.md has no nginx block"
    return match.group(1)


def _get(url: str, data: bytes | None = None) -> tuple[int, dict[str, str]]:
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def test_the_documented_nginx_front(tmp_path: Path) -> None:
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(exe).exists():
        pytest.fail("nginx is not installed: apt-get install -y nginx (.ci/run)")
    env = {**os.environ, "NWS_WORKSPACE": str(tmp_path / "workspace"), "NWS_DATABASE_URL": "",
           "NWS_PROXIES": "1"}  # fmt: skip
    ports = [free_port(), free_port()]
    front = free_port()
    block = (nginx_block().replace("127.0.0.1:8051", f"127.0.0.1:{ports[0]}")
             .replace("127.0.0.1:8052", f"127.0.0.1:{ports[1]}")
             .replace("listen 8080;", f"listen 127.0.0.1:{front};"))  # fmt: skip
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"worker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        "events { worker_connections 512; }\n"
        f"http {{\n access_log off;\n client_body_temp_path {prefix}/body;\n"
        f" proxy_temp_path {prefix}/proxy;\n fastcgi_temp_path {prefix}/fcgi;\n"
        f" uwsgi_temp_path {prefix}/uwsgi;\n scgi_temp_path {prefix}/scgi;\n"
        f"{block}\n}}\n",
        encoding="utf-8",
    )
    check = subprocess.run([exe, "-t", "-c", str(conf), "-p", str(prefix)],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, check.stderr
    replicas = [ServerProcess([sys.executable, "-m", "app", "serve", "--port", str(p)], p,
                              env=env, ready_path="/health", timeout=120) for p in ports]  # fmt: skip
    with replicas[0] as a, replicas[1]:
        nginx = subprocess.Popen([exe, "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            base = f"http://127.0.0.1:{front}"
            deadline = time.monotonic() + 20
            while True:
                try:
                    if _get(base + "/health")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "nginx did not come up"
                time.sleep(0.1)
            status, headers = _get(base + "/")
            assert status == 200
            status, headers = _get(base + "/assets/favicon.ico")
            assert status == 200 and "immutable" in headers.get("Cache-Control", "")
            status, _ = _get(base + "/api/imports", data=b"x" * (51 * 1024 * 1024))
            assert status == 413  # nginx's cap, before any replica reads the body
            a.stop()  # replica A dies: nginx fails over, and no request after that fails
            results = [_get(base + "/health")[0] for _ in range(20)]
            results += [_get(base + "/export/figures.csv?metric=civilians_killed")[0]
                        for _ in range(5)]  # fmt: skip
            assert results == [200] * 25
        finally:
            nginx.terminate()
            nginx.wait(timeout=20)
