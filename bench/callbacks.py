"""Latency and response size of the overview's filter callback and of the views it triggers,
on the production server, for view states seen for the first time and for repeated ones.

    .venv/bin/python bench/callbacks.py [--changes 40] [--passes 3] [--seed 7] [--json PATH]
                                        [--workspace PATH] [--metrics civilians_killed]

1. Starts ``python -m app serve --prod`` (gunicorn, the configured workers) on loopback.
2. Reads the app as the browser does: ``/_dash-dependencies``, ``/_dash-layout`` and the
   overview's page callback; request bodies are built from them by ``bench/dashproto.py``
   (checked against what Chromium sends), so a callback that gains an input or a store is
   measured as the browser would call it.
3. Builds ``--changes`` filter changes (seeded), each a distinct combination of the
   controls' own options: level, metric, HNO sector, areas, publishers, dates and "as
   known on" (one of many dates, or none). For each change it sends what the browser
   sends: the filter callback, then every server callback listening to the view state
   (cards, map, time series, download links), one after the other, with the page's values
   (stores included) folded in from every answer, as the renderer keeps them.
4. Replays the changes ``--passes`` times over one keep-alive connection with
   ``Accept-Encoding: gzip, deflate, br, zstd`` (Chromium's).
5. The same for the reconcile page (``/reconcile``): ``--changes`` distinct settings of its
   controls (metric group, place, dates, as known on, places inside), ``--passes`` times;
   its one callback answers every output at once.

Every sample is classed by the view state it was sent for: *first seen* (that state was
never sent before in the run: the views' caches cannot hold it, only what is kept per
as-of date or per part of the state) or *repeated*. First-seen samples are also split by
whether their as-of date was new to the run (the consistency checks are then computed
for that date: ``app.queries.checks``, kept per worker process and date). A view whose
part of the state did not change answers 204 (no update): counted, and measured like any
other answer.

Prints p50 / p95 latency (client-side on loopback: request sent to body read) for first-
seen and repeated states, the response size on the wire (encoded body) and decoded, per
callback. Budget: p95 <= 30 ms and <= 20 KB. After the run, the resident memory of each
gunicorn worker (budget <= 250 MB each). ``--workspace``: the server reads that store (with
bench/add_events.py's million events: some 58,000 weekly figures more); ``--metrics``: the
changes pick only those metrics (the reconcile page is then left out).
"""

from __future__ import annotations

import gzip
import http.client
import json
import random
import sys
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dashproto
from _common import Report, command_line, parser, percentile, rss_kb, server, tree_pids

P95_BUDGET_MS = 30
SIZE_BUDGET = 20 * 1024
RSS_BUDGET_MB = 250
UPDATE = "/_dash-update-component"
STATE = ("view-state", "data")
ACCEPT = "gzip, deflate, br, zstd"
#: The filter controls a change sets, by role; found among the filter callback's inputs
#: (a date is a ``dcc.DatePicker*`` prop or a plain date input's value, whichever the page
#: has), see :func:`find_controls`.
ROLES = ("level", "metric", "sector", "area", "publisher", "start", "end", "as_of")
DATE_RANGES = (
    (None, None),
    (None, None),
    ("2020-01-01", "2020-02-29"),
    ("2019-12-01", "2020-03-31"),
    ("2020-02-01", None),
    (None, "2020-02-15"),
)
#: "As known on": none, or one of some days between the first figures and the end of the
#: offensive (``--as-of-days``: how many, spread evenly).
AS_OF_SPAN = (date(2019, 12, 10), date(2020, 3, 20))
SECTOR_METRICS = ("people_in_need", "severity")


def decode(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding == "zstd":
        from backports import zstd

        return zstd.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


class Client:
    """One keep-alive HTTP/1.1 connection, like a browser's."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def send(
        self, method: str, path: str, body: bytes | None = None
    ) -> tuple[float, int, int, bytes]:
        """(seconds, status, bytes on the wire (encoded body), decoded body)."""
        headers = {"Accept-Encoding": ACCEPT, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        t0 = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        resp = self.conn.getresponse()
        raw = resp.read()
        dt = time.perf_counter() - t0
        if resp.status not in (200, 204):
            raise RuntimeError(f"HTTP {resp.status} for {method} {path}: {raw[:300]!r}")
        return dt, resp.status, len(raw), decode(raw, resp.getheader("Content-Encoding", ""))

    def close(self) -> None:
        self.conn.close()


@dataclass
class App:
    callbacks: list[dashproto.Callback]
    values: dict  # the overview's component values after its page callback
    state_cb: dashproto.Callback
    listeners: list[dashproto.Callback]
    options: dict[str, list]
    controls: dict[str, dashproto.Prop]  # role -> the filter callback's input


def find_controls(state_cb: dashproto.Callback) -> dict[str, dashproto.Prop]:
    """Role -> (component id, property) among the filter callback's inputs."""
    out: dict[str, dashproto.Prop] = {}
    for cid, prop in state_cb.inputs:
        role = cid.removeprefix("filters-").replace("-", "_")
        if prop == "start_date" or role in ("date_start", "start"):
            role = "start"
        elif prop == "end_date" or role in ("date_end", "end"):
            role = "end"
        if role in ROLES:
            out[role] = (cid, prop)
    missing = set(ROLES) - set(out)
    if missing:
        raise SystemExit(f"the filter callback has no input for {sorted(missing)}")
    return out


def read_app(client: Client) -> App:
    _, _, _, deps = client.send("GET", "/_dash-dependencies")
    callbacks = dashproto.parse_dependencies(json.loads(deps))
    _, _, _, layout = client.send("GET", "/_dash-layout")
    values = dashproto.component_values(json.loads(layout))
    pages = next(c for c in callbacks if ("_pages_location", "pathname") in c.inputs)
    values[("_pages_location", "pathname")] = "/"
    values[("_pages_location", "search")] = ""
    _, _, _, body = client.send("POST", UPDATE, dashproto.dumps(pages.body(values)))
    dashproto.apply_response(values, json.loads(body))
    state_cb = next(c for c in callbacks if STATE in c.outputs)
    listeners = [c for c in callbacks if STATE in c.inputs]
    options = {
        cid: [o["value"] if isinstance(o, dict) else o for o in values.get((cid, "options")) or []]
        for cid in (
            "filters-level",
            "filters-metric",
            "filters-sector",
            "filters-area",
            "filters-publisher",
        )
    }
    # the area and publisher pickers may fetch their options on search: then from the bundle
    if not options["filters-area"] or not options["filters-publisher"]:
        from app.bundle.store import load_bundle

        b = load_bundle()
        options["filters-area"] = options["filters-area"] or sorted(
            b.areas.loc[b.areas["level"].between(1, 3), "pcode"]
        )
        options["filters-publisher"] = options["filters-publisher"] or sorted(
            set(b.figures["publisher"])
        )
    return App(callbacks, values, state_cb, listeners, options, find_controls(state_cb))


def only_metrics(app: App, wanted: str) -> list:
    """The picker's metrics named in ``wanted`` (comma-separated); an unknown one stops."""
    names = [m.strip() for m in wanted.split(",") if m.strip()]
    unknown = [m for m in names if m not in app.options["filters-metric"]]
    if unknown:
        raise SystemExit(f"--metrics: {unknown} not among {app.options['filters-metric']}")
    return names


def as_of_days(n: int) -> list[str]:
    first, last = AS_OF_SPAN
    step = (last - first) / max(n - 1, 1)
    return [(first + step * i).isoformat() for i in range(n)]


def make_changes(app: App, n: int, seed: int, n_as_of: int = 8) -> list[dict[tuple[str, str], Any]]:
    """``n`` distinct control settings (see module doc); none is the default view."""
    rng = random.Random(seed)
    days = as_of_days(n_as_of)
    o = app.options
    pcodes = [a for a in o["filters-area"] if isinstance(a, str)]
    c = app.controls
    # an empty date is what the page's own control holds when empty (None or "")
    empty = {r: ("" if app.values.get(c[r]) == "" else None) for r in ("start", "end", "as_of")}
    seen = {json.dumps([app.values.get(c[r]) for r in ROLES])}
    out = []
    while len(out) < n:
        metric = rng.choice(o["filters-metric"])
        pick = rng.random()
        areas = [] if pick < 0.5 else rng.sample(pcodes, 1 if pick < 0.85 else 2)
        start, end = rng.choice(DATE_RANGES)
        as_of = None if rng.random() < 0.35 else rng.choice(days)
        values = {
            c["level"]: rng.choice(o["filters-level"]),
            c["metric"]: metric,
            c["sector"]: rng.choice(o["filters-sector"])
            if metric in SECTOR_METRICS
            else app.values.get(c["sector"]),
            c["area"]: areas,
            c["publisher"]: [] if rng.random() < 0.7 else [rng.choice(o["filters-publisher"])],
            c["start"]: empty["start"] if start is None else start,
            c["end"]: empty["end"] if end is None else end,
            c["as_of"]: empty["as_of"] if as_of is None else as_of,
        }
        key = json.dumps([values[c[r]] for r in ROLES])
        if key not in seen:
            seen.add(key)
            out.append(values)
    return out


RECONCILE_STORE = ("reconcile-state", "data")


def read_reconcile(client: Client, app: App) -> tuple[dashproto.Callback, dict] | None:
    """The reconcile page's callback and its component values (None: no such page)."""
    pages = next(c for c in app.callbacks if ("_pages_location", "pathname") in c.inputs)
    values = {k: v for k, v in app.values.items() if k[0].startswith("_pages")}
    values[("_pages_location", "pathname")] = "/reconcile"
    values[("_pages_location", "search")] = ""
    _, _, _, body = client.send("POST", UPDATE, dashproto.dumps(pages.body(values)))
    dashproto.apply_response(values, json.loads(body))
    cb = next((c for c in app.callbacks if RECONCILE_STORE in c.outputs), None)
    return None if cb is None else (cb, values)


def reconcile_changes(cb: dashproto.Callback, values: dict, n: int, seed: int) -> list[dict]:
    """``n`` distinct settings of the reconcile controls (every input of its callback)."""
    rng = random.Random(seed)
    by_id = {cid: (cid, prop) for cid, prop in cb.inputs}
    metric, place = by_id["reconcile-metric"], by_id["reconcile-place"]
    inside = by_id["reconcile-inside"]
    dates = [p for p in cb.inputs if p not in (metric, place, inside)]  # start, end, as-of
    metrics = [o["value"] for o in values.get((metric[0], "options"), [])]
    places = [o["value"] for o in values.get((place[0], "options"), [])]
    places = places[:12] + rng.sample(places[12:], min(10, len(places[12:])))
    days = [None, *as_of_days(6)]
    seen, out = set(), []
    while len(out) < n:
        change = {metric: rng.choice(metrics), place: rng.choice(places)}
        change[inside] = ["inside"] if rng.random() < 0.2 else []
        start, end = rng.choice(DATE_RANGES[:4])
        empty = "" if values.get(dates[0]) == "" else None
        for p, v in zip(dates, (start, end, rng.choice(days)), strict=True):
            change[p] = empty if v is None else v
        key = json.dumps([change[p] for p in cb.inputs])
        if key not in seen:
            seen.add(key)
            out.append(change)
    return out


def run_reconcile(
    client: Client, cb: dashproto.Callback, values: dict, changes: list[dict], passes: int
) -> list[Sample]:
    values = dict(values)
    seen = {values.get(RECONCILE_STORE) or ""}
    out: list[Sample] = []
    for n in range(passes):
        for change in changes:
            changed = [p for p in cb.inputs if values.get(p) != change[p]]
            values.update(change)
            body = dashproto.dumps(cb.body(values, changed or list(cb.inputs[:1])))
            dt, status, wire, raw = client.send("POST", UPDATE, body)
            answer = json.loads(raw) if raw else {}
            key = (answer.get("response") or {}).get(RECONCILE_STORE[0], {}).get("data")
            out.append(
                Sample("reconcile", n, dt * 1000, status, wire, len(raw), key not in seen, False)
            )
            dashproto.apply_response(values, answer)
            seen.add(key)
    return out


def short(cb: dashproto.Callback) -> str:
    first = cb.outputs[0][0]
    name = json.loads(first)["type"] if first.startswith("{") else first
    return {
        "view-state": "filters -> view state",
        "map-graph": "map",
        "timeseries-title": "time series",
        "cards": "cards",
        "nws-download": "download links",
    }.get(name, name)


@dataclass
class Sample:
    callback: str
    pass_no: int
    ms: float
    status: int
    wire: int
    decoded: int
    first_seen: bool  # the view state was sent for the first time
    new_as_of: bool  # ... and so was its as-of date


def run(
    client: Client, app: App, changes: list[dict], passes: int, budget_s: float
) -> list[Sample]:
    values = dict(app.values)
    seen_states = {values.get(STATE) or ""}  # the page load computed the default view
    seen_as_of = {""}
    samples: list[Sample] = []
    deadline = time.monotonic() + budget_s
    for n in range(passes):
        for change in changes:
            if time.monotonic() > deadline:
                return samples
            controls = list(app.controls.values())
            changed = [c for c in controls if values.get(c) != change[c]]
            values.update(change)
            body = dashproto.dumps(app.state_cb.body(values, changed or controls[:1]))
            dt, status, wire, raw = client.send("POST", UPDATE, body)
            answer = json.loads(raw) if raw else {}
            state = (answer.get("response") or {}).get(STATE[0], {}).get(STATE[1])
            new_state = state is not None and state not in seen_states
            as_of = str(change[app.controls["as_of"]] or "")
            new_as_of = new_state and as_of not in seen_as_of
            samples.append(
                Sample(
                    short(app.state_cb), n, dt * 1000, status, wire, len(raw), new_state, new_as_of
                )
            )
            dashproto.apply_response(values, answer)
            if state is None:  # unchanged state: the page sends nothing else
                continue
            for cb in app.listeners:
                dt, status, wire, raw = client.send(
                    "POST", UPDATE, dashproto.dumps(cb.body(values, [STATE]))
                )
                samples.append(
                    Sample(short(cb), n, dt * 1000, status, wire, len(raw), new_state, new_as_of)
                )
                if raw:
                    dashproto.apply_response(values, json.loads(raw))
            seen_states.add(state)
            seen_as_of.add(as_of)
    return samples


def _p(xs: list[float], q: float) -> str:
    return f"{percentile(xs, q):.1f}" if xs else "-"


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--changes", type=int, default=40, help="distinct filter changes")
    ap.add_argument("--passes", type=int, default=3, help="times each change is replayed")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--as-of-days", type=int, default=8, help="distinct 'as known on' dates")
    ap.add_argument("--workers", type=int, help="gunicorn workers (default: NWS_WORKERS, 3)")
    ap.add_argument("--workspace", help="the server's workspace (NWS_WORKSPACE), e.g. one with "
                    "a million events from bench/add_events.py --workspace")  # fmt: skip
    ap.add_argument("--metrics", default="", help="comma-separated metrics the changes pick "
                    "from (default: every metric of the picker), e.g. civilians_killed")  # fmt: skip
    args = ap.parse_args(argv)

    report = Report("callbacks", command_line())
    env = {"NWS_WORKERS": str(args.workers)} if args.workers else {}
    if args.workspace:
        env["NWS_WORKSPACE"] = str(Path(args.workspace).resolve())
    with server("prod", env=env, timeout=180) as srv:
        client = Client(srv.base_url)
        try:
            app = read_app(client)
            if args.metrics:
                app.options["filters-metric"] = only_metrics(app, args.metrics)
            changes = make_changes(app, args.changes, args.seed, args.as_of_days)
            samples = run(client, app, changes, args.passes, budget_s=300)
            rec = read_reconcile(client, app)
            if rec is not None and not args.metrics:
                rchanges = reconcile_changes(rec[0], rec[1], args.changes, args.seed)
                samples += run_reconcile(client, rec[0], rec[1], rchanges, args.passes)
        finally:
            client.close()
        time.sleep(0.5)
        rss = {pid: rss_kb(pid) / 1024 for pid in tree_pids(srv.proc.pid)}  # type: ignore[union-attr]

    by_cb: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_cb[s.callback].append(s)
    n_first = sum(s.first_seen for s in by_cb.get(short(app.state_cb), []))
    print(
        f"\n-- {args.changes} filter changes x {args.passes} passes: {n_first} first-seen "
        "view states (the rest repeat one); latency ms, client-side on loopback"
    )
    print(
        f"  {'callback':<22}{'n':>5}{'204':>5}{'first p50':>10}{'first p95':>10}"
        f"{'new as_of':>10}{'seen as_of':>11}{'rep p50':>9}{'rep p95':>9}{'max':>8}"
        f"{'p95 wire B':>11}{'max wire B':>11}{'p95 decoded':>12}"
    )
    for name, rows in by_cb.items():
        first = [s.ms for s in rows if s.first_seen]
        first_new = [s.ms for s in rows if s.first_seen and s.new_as_of]
        first_old = [s.ms for s in rows if s.first_seen and not s.new_as_of]
        rep = [s.ms for s in rows if not s.first_seen]
        wire = [s.wire for s in rows]
        dec = [s.decoded for s in rows]
        n204 = sum(s.status == 204 for s in rows)
        print(
            f"  {name:<22}{len(rows):>5}{n204:>5}{_p(first, 50):>10}{_p(first, 95):>10}"
            f"{_p(first_new, 95):>10}{_p(first_old, 95):>11}{_p(rep, 50):>9}{_p(rep, 95):>9}"
            f"{max(s.ms for s in rows):>8.1f}{percentile(wire, 95):>11,}{max(wire):>11,}"
            f"{percentile(dec, 95):>12,}"
        )
        if first:
            p95 = percentile(first, 95)
            report.add(
                f"{name}: p95 latency, first-seen states",
                p95,
                "ms",
                f"<= {P95_BUDGET_MS} ms",
                p95 <= P95_BUDGET_MS,
                f"p50 {_p(first, 50)} ms; n {len(first)}; new as-of date p95 {_p(first_new, 95)},"
                f" as-of date seen before p95 {_p(first_old, 95)}",
            )
        if rep:
            p95 = percentile(rep, 95)
            report.add(
                f"{name}: p95 latency, repeated states",
                p95,
                "ms",
                f"<= {P95_BUDGET_MS} ms",
                p95 <= P95_BUDGET_MS,
                f"p50 {_p(rep, 50)} ms; n {len(rep)}",
            )
        report.add(
            f"{name}: p95 response on the wire",
            percentile(wire, 95),
            "B",
            "<= 20 KB",
            percentile(wire, 95) <= SIZE_BUDGET,
            f"max {max(wire):,} B; decoded p95 {percentile(dec, 95):,} B; {n204} x 204",
        )
    workers = {pid: mb for pid, mb in rss.items() if pid != srv.proc.pid}  # type: ignore[union-attr]
    biggest = max(workers.values(), default=max(rss.values()))
    report.add(
        "largest gunicorn worker: resident memory after the run",
        biggest,
        "MB",
        f"<= {RSS_BUDGET_MB} MB",
        biggest <= RSS_BUDGET_MB,
        "workers " + ", ".join(f"{v:.0f}" for v in workers.values()) + " MB; master "
        f"{rss.get(srv.proc.pid, 0):.0f} MB",  # type: ignore[union-attr]
    )
    report.details = {name: [vars(s) for s in rows] for name, rows in by_cb.items()}
    report.details["rss_mb"] = rss
    report.details["workspace"] = args.workspace
    report.details["summary"] = {
        "first_seen_states": n_first,
        "worst_p95_first_ms": max(
            (
                percentile([s.ms for s in r if s.first_seen], 95)
                for r in by_cb.values()
                if any(s.first_seen for s in r)
            ),
            default=None,
        ),
        "worst_wire": max((s.wire for s in samples), default=0),
    }
    report.print()
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
