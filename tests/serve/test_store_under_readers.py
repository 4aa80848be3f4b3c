"""An ``add`` while 50 readers browse ``serve --prod``: no reader gets an error, no row is
lost, and every worker serves the new batch within 5 s (real gunicorn, real SQLite store,
GENERATED events)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from e2e.harness import ServerProcess, free_port

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from generated_events import write_generated_ucdp  # noqa: E402

READERS = 50
PATHS = ("/health", "/export/figures.csv?metric=people_killed&area=SY07&from=2019-06-01",
         "/sources", "/embed/card?card=killed")  # fmt: skip


def _get(base: str, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(base + path, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_add_while_50_readers_browse(tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    env = {**os.environ, "NWS_WORKSPACE": str(workspace), "NWS_DATABASE_URL": "",
           "NWS_WORKERS": "2"}  # fmt: skip
    events = write_generated_ucdp(tmp_path / "generated_ucdp_ged_readers.csv", 20_000)
    port = free_port()
    server = ServerProcess([sys.executable, "-m", "app", "serve", "--prod", "--port", str(port)],
                           port, env=env, ready_path="/health", timeout=120)  # fmt: skip
    errors: list[str] = []
    served = [0]
    stop = threading.Event()
    with server:
        base = server.base_url

        def reader(i: int) -> None:
            while not stop.is_set():
                path = PATHS[i % len(PATHS)]
                status, _ = _get(base, path)
                served[0] += 1
                if status != 200:
                    errors.append(f"{path}: {status}")

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
        for t in threads:
            t.start()
        time.sleep(1)
        out = subprocess.run([sys.executable, "-m", "app", "add", str(events), "--publisher",
                              "GENERATED events for a reader test"], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
        added = time.monotonic()
        assert out.returncode == 0, out.stderr
        # every worker answers with the new version within 5 s
        seen_late = []
        while time.monotonic() - added < 8:
            _, body = _get(base, "/health")
            health = json.loads(body)
            if health["store_version"] != 1:
                seen_late.append(time.monotonic() - added)
        stop.set()
        for t in threads:
            t.join()
        assert errors == [] and served[0] > READERS
        assert all(s <= 5 for s in seen_late), max(seen_late)
        # no row lost: the export holds the GENERATED weekly sums, every event counted once
        status, body = _get(base, "/export/figures.csv?metric=people_killed&level=1")
        assert status == 200
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    generated = [r for r in rows if r["publisher"] == "GENERATED events for a reader test"
                 and len(r["area_pcode"]) == 4]  # the governorates' weeks  # fmt: skip
    import pandas as pd

    raw = pd.read_csv(events)
    located = raw[raw["where_prec"] <= 4]  # precision enough for a governorate
    assert round(sum(float(r["value"]) for r in generated)) == int(located["best"].sum())
