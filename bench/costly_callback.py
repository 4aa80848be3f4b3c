"""What one crafted callback request costs ``serve --prod``: a filter callback whose area
picker lists ``--codes`` area codes (the bundle's own codes, repeated), as an attacker
would send it to ``/_dash-update-component``.

Prints the body size, the status, the answer's size, the wall time and the CPU time the
server's processes spent on it (from /proc), for the crafted request and for a real one
(all areas once).

    .venv/bin/python bench/costly_callback.py                  # starts serve --prod itself
    .venv/bin/python bench/costly_callback.py --codes 100000

Issue 16, point 6: a 0.9 MB request listing 100,000 area codes cost 2.3 s of CPU and a
15 MB answer.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATE_OUTPUT = "view-state.data"
AREA = ("filters-area", "value")


def area_codes() -> list[str]:
    with (ROOT / "data" / "tables" / "areas.csv").open(encoding="utf-8") as f:
        return sorted({row["pcode"] for row in csv.DictReader(f)}, key=len)


def state_body(base: str, areas: list[str]) -> bytes:
    """The body the renderer sends when the area picker changes, with ``areas`` picked."""
    with urllib.request.urlopen(base + "/_dash-dependencies", timeout=60) as r:
        deps = json.load(r)
    dep = next(d for d in deps if STATE_OUTPUT in d["output"])

    def ref(x: dict) -> dict:
        item = {"id": x["id"], "property": x["property"]}
        if (x["id"], x["property"]) == AREA or (
            x["property"] == "value" and x["id"].endswith("-area")
        ):
            item["value"] = areas
        return item

    outputs = [o.rsplit(".", 1) for o in dep["output"].strip(".").split("...")]
    body = {
        "output": dep["output"],
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [ref(x) for x in dep["inputs"]],
        "state": [ref(x) for x in dep["state"]],
        "changedPropIds": [
            f"{x['id']}.{x['property']}" for x in dep["inputs"] if x["id"].endswith("-area")
        ],
    }
    return json.dumps(body, separators=(",", ":")).encode()


def search_body(areas: list[str]) -> bytes:
    """The body of Dash's pages callback for ``/?area=<areas>``: what the renderer sends
    when the URL changes (a crafted one is not bound by the request line's length)."""
    inputs = [
        {"id": "_pages_location", "property": "pathname", "value": "/"},
        {"id": "_pages_location", "property": "search", "value": "?area=" + ",".join(areas)},
    ]
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"}],
        "inputs": inputs, "state": [], "changedPropIds": ["_pages_location.search"],
    }  # fmt: skip
    return json.dumps(body, separators=(",", ":")).encode()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its children (gunicorn's workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            _head, tail = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = tail.split()
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def post(base: str, body: bytes, pid: int) -> dict[str, object]:
    req = urllib.request.Request(
        base + "/_dash-update-component",
        data=body,
        headers={"Content-Type": "application/json", "Accept-Encoding": "identity"},
    )
    cpu0, t0 = cpu_seconds(pid), time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            status, answer = r.status, r.read()
    except urllib.error.HTTPError as exc:
        status, answer = exc.code, exc.read()
    wall = time.perf_counter() - t0
    time.sleep(0.3)  # /proc's counters catch up
    return {"status": status, "answer": answer, "wall": wall, "cpu": cpu_seconds(pid) - cpu0}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--codes", type=int, default=100_000)
    p.add_argument(
        "--via",
        choices=("search", "picker"),
        default="search",
        help="the pages callback's URL search (default) or the area picker's value",
    )
    p.add_argument(
        "--made-up",
        action="store_true",
        help="distinct made-up codes (SY1, SY2, ...) instead of the real ones repeated",
    )
    args = p.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from e2e.harness import ServerProcess, free_port

    port = free_port()
    server = ServerProcess(
        [sys.executable, "-m", "app", "serve", "--prod", "--port", str(port)],
        port,
        env={"NWS_WORKERS": "2", "NWS_HOST": "127.0.0.1"},
        ready_path="/health",
        timeout=120,
    )
    codes = area_codes()
    crafted = ([f"SY{i}" for i in range(args.codes)] if args.made_up
               else (codes * (args.codes // len(codes) + 1))[: args.codes])  # fmt: skip
    with server:
        assert server.proc is not None
        print(f"load average {os.getloadavg()[0]:.2f}")
        for label, areas in (("real: every area once", codes),
                             (f"crafted: {args.codes:,} codes", crafted)):  # fmt: skip
            body = (search_body(areas) if args.via == "search"
                    else state_body(server.base_url, areas))  # fmt: skip
            post(server.base_url, body, server.proc.pid)  # warm: the first call builds caches
            r = post(server.base_url, body, server.proc.pid)
            answer: bytes = r["answer"]  # type: ignore[assignment]
            print(f"{label}: body {len(body):,} B -> {r['status']}, answer {len(answer):,} B, "
                  f"wall {r['wall']:.3f} s, server CPU {r['cpu']:.2f} s")  # fmt: skip
            if r["status"] != 200:
                print(f"  {answer[:300].decode(errors='replace')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
