"""The workspace store, live: a file added, retracted and restored with ``python -m app add |
retract | restore`` (real subprocesses) while a real server runs, seen without a restart.

``python -m app serve`` in Chromium: ``/sources`` (the batch row), ``/export/figures.csv``
(the row and its value), ``/embed/sources`` (the publisher) and the overview (the map's value
for the area, its coverage note and the publisher filter's options) each show the change on
a reload begun at most :data:`PROMISE_S` seconds after the command returned.
``python -m app serve --prod`` (gunicorn, 2 workers): every answer of ``/health`` and
``/export/figures.csv`` asked from then on has it, whichever worker answers.

The figure is made up (publisher "MADE-UP sitrep publisher", file ``madeup_*``), written in
the test into a workspace of its own (never the test process's shared one).
"""

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from .dashboard_helpers import map_annotation, map_trace, settle, wait_for_map
from .harness import (
    PROJECT_ROOT,
    BrowserWatch,
    ServerProcess,
    child_processes,
    free_port,
    wait_for_dash,
)

#: the store's promise (app/store/live.py): a change is on every view within this many seconds
PROMISE_S = 5.0

PUBLISHER = "MADE-UP sitrep publisher"
DOCUMENT = "MADE-UP sitrep #1 (not real data)"
PCODE = "SY070300"  # Harim sub-district: no arrivals figure in the bundle
VALUE = 31337
WHY = "MADE-UP figure withdrawn by the end-to-end test"
#: answers asked after PROMISE_S that the prod test checks, at least, per step
LATE = 20
#: the project's sub-national dated-figure layout (tests/corpus/make_corpus.py, ../shared)
MADEUP_CSV = (
    "period_start,period_end,published_date,metric,value,qualifier,area_name_as_written,"
    "pcode,pcode_level,publisher,document,url,quote,note\n"
    f"2020-03-01,2020-03-07,2020-03-09,idp_arrivals,{VALUE},,Harim,{PCODE},3,{PUBLISHER},"
    f"{DOCUMENT},,,MADE-UP figure for an end-to-end test\n"
)

# --- the workspace and the command line -----------------------------------------------------


def make_workspace(folder: Path) -> tuple[Path, Path]:
    """(workspace folder, the made-up CSV) in ``folder``."""
    workspace = folder / "workspace"
    workspace.mkdir()
    source = folder / "madeup_sitrep_figure.csv"
    source.write_text(MADEUP_CSV, encoding="utf-8")
    return workspace, source


def store_env(workspace: Path) -> dict[str, str]:
    """SQLite in ``workspace``, whatever the calling shell has set."""
    return {"NWS_WORKSPACE": str(workspace), "NWS_DATABASE_URL": ""}


def app_cli(workspace: Path, *args: str) -> float:
    """Run ``python -m app ARGS`` on ``workspace``; the monotonic time it returned."""
    out = subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **store_env(workspace)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    done = time.monotonic()
    assert out.returncode == 0, out.stdout + out.stderr
    return done


def add(workspace: Path, source: Path) -> float:
    return app_cli(workspace, "add", str(source), "--by", "e2e")


def retract(workspace: Path) -> float:
    return app_cli(workspace, "retract", "1", "--why", WHY, "--by", "e2e")


def restore(workspace: Path) -> float:
    return app_cli(workspace, "restore", "1", "--by", "e2e")


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as resp:
        assert resp.status == 200, url
        return resp.read()


def get_status(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def export_rows(base: str) -> list[dict[str, str]]:
    """The made-up figure's rows in the full ``/export/figures.csv``."""
    body = get(base + "/export/figures.csv").decode("utf-8-sig")
    return [r for r in csv.DictReader(io.StringIO(body)) if r["publisher"] == PUBLISHER]


def ask(base: str, n: int) -> dict[str, Any]:
    """One answer: ``/health`` (odd ``n``) or the full ``/export/figures.csv`` (even ``n``)."""
    if n % 2:
        doc = json.loads(get(base + "/health"))
        return {"what": "health", "version": doc["store_version"], "batches": doc["batches"],
                "figures": doc["figures"]}  # fmt: skip
    return {"what": "export", "rows": [r["value"] for r in export_rows(base)]}


class Poller:
    """``clients`` threads asking the server (:func:`ask`, ``kinds`` 1: only ``/health``;
    2: ``/health`` and the export in turn) from before a command runs until :meth:`stop`, so
    the server keeps answering (and keeps its snapshot fresh) while the store changes.
    ``answers`` hold the monotonic time each request began (``at``)."""

    def __init__(self, base: str, clients: int = 1, kinds: int = 1, pause: float = 0.05) -> None:
        self.base, self.kinds, self.pause = base, kinds, pause
        self.answers: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(clients)]
        for t in self._threads:
            t.start()

    def _run(self, first: int) -> None:
        n = first if self.kinds == 2 else 1
        while not self._stop.is_set():
            began = time.monotonic()
            answer = {"at": began, **ask(self.base, n)}
            with self._lock:
                self.answers.append(answer)
            n += self.kinds - 1
            self._stop.wait(self.pause)

    def count_since(self, at: float) -> int:
        """How many answers were asked at or after ``at`` (monotonic)."""
        with self._lock:
            return sum(a["at"] >= at for a in self.answers)

    def stop(self) -> list[dict[str, Any]]:
        self._stop.set()
        for t in self._threads:
            t.join()
        return self.answers

    def first_version(self, version: int, since: float) -> float:
        """Seconds from ``since`` to the first ``/health`` answer at ``version`` (negative:
        seen before the command had returned)."""
        at = [a["at"] for a in self.answers if a["what"] == "health" and a["version"] == version]
        assert at, f"no /health answer at store version {version}"
        return min(at) - since


@dataclass
class View:
    """One view a person reloads: a browser page (None: a plain HTTP client), its path, and
    how to read what it shows once loaded."""

    name: str
    page: Any | None
    path: str
    read: Callable[[Any, str], Any]


def look(views: list[View], base: str) -> dict[str, Any]:
    """Reload every view at once (each navigation started before any is waited for, so
    their delays are measured from the same moment) and read what each shows."""
    for v in views:
        if v.page is not None:
            v.page.goto(base + v.path, wait_until="commit")
    seen = {}
    for v in views:
        if v.page is not None:
            wait_for_dash(v.page)
        seen[v.name] = v.read(v.page, base)
    return seen


def within_promise(
    step: str, since: float, views: list[View], base: str, shows: dict[str, Callable[[Any], bool]]
) -> dict[str, float]:
    """Reload the views until each ``shows`` the change; per view, the delay from ``since``
    (the command's return) to the start of the reload that showed it. Fails when a view
    still did not show it on a reload begun :data:`PROMISE_S` seconds after."""
    pending, delays = list(views), {}
    while pending:
        began = time.monotonic()
        seen = look(pending, base)
        for v in list(pending):
            if shows[v.name](seen[v.name]):
                delays[f"{step}: {v.name}"] = began - since
                pending.remove(v)
        if pending and time.monotonic() - since > PROMISE_S:
            last = {v.name: seen[v.name] for v in pending}
            pytest.fail(f"{step}: not shown {PROMISE_S} s after the change; last seen: {last!r}")
        time.sleep(0.1)
    return delays


# --- what each view shows -------------------------------------------------------------------


def sources_batch(page: Any, _base: str = "") -> tuple[str, str] | None:
    """``/sources`` (loaded): (class, text) of batch 1's row of ``#sources-batches``, or None."""
    row = page.locator("#sources-batches #batch-1")
    if not row.count():
        return None
    return str(row.get_attribute("class")), row.inner_text()


def embed_text(page: Any, _base: str = "") -> str:
    """``/embed/sources`` (loaded; every figure's documents): its text."""
    return page.inner_text("body")


def publisher_options(page: Any, typed: str) -> list[str]:
    """The overview's publisher filter: the options offered for ``typed`` (opened, read,
    closed again with Escape: nothing picked)."""
    page.click("#filters-publisher")
    search = page.locator(".dash-dropdown-content input.dash-dropdown-search")
    search.wait_for(state="visible")
    search.fill(typed)
    page.wait_for_timeout(150)
    texts = page.locator(".dash-dropdown-content .dash-dropdown-option").all_inner_texts()
    page.keyboard.press("Escape")
    return texts


def overview(page: Any, _base: str = "") -> dict[str, Any]:
    """The overview (loaded): the sub-district map of IDP arrivals (Harim's value and hover,
    the coverage note) and the publisher filter's options for "MADE-UP"."""
    wait_for_map(page)
    values = map_trace(page, "values")
    drawn = dict(zip(values["locations"], values["z"], strict=True))
    hovers = dict(zip(values["locations"], values["hovertext"], strict=True))
    out = {
        "harim": drawn.get(PCODE),
        "hover": hovers.get(PCODE, ""),
        "note": map_annotation(page),
        "options": publisher_options(page, "MADE-UP"),
    }
    settle(page)
    return out


def shows_figure(o: dict[str, Any]) -> bool:
    return (
        o["harim"] == VALUE
        and PUBLISHER in o["hover"]
        and "Data for 4 of 110 sub-districts" in o["note"]
        and any(t.startswith(f"{PUBLISHER} (1)") for t in o["options"])
    )


def shows_no_figure(o: dict[str, Any]) -> bool:
    return (
        o["harim"] is None
        and "Data for 3 of 110 sub-districts" in o["note"]
        and not any(PUBLISHER in t for t in o["options"])
    )


def expect(present: bool, batch: Callable[[tuple[str, str] | None], bool]) -> dict[str, Callable]:
    """What each view shows when the figure is (not) ``present``; ``batch``: the batch row."""
    return {
        "export": lambda rows: [r["value"] for r in rows] == ([str(VALUE)] if present else []),
        "/sources": batch,
        "/embed/sources": lambda text: (PUBLISHER in text) == present,
        "overview": shows_figure if present else shows_no_figure,
    }


# --- development server, in Chromium ------------------------------------------------------


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """(base URL, workspace, made-up CSV): ``python -m app serve`` on a fresh workspace."""
    workspace, source = make_workspace(tmp_path_factory.mktemp("live"))
    port = free_port()
    args = [sys.executable, "-m", "app", "serve", "--port", str(port)]
    with ServerProcess(args, port, env=store_env(workspace)) as server:
        yield server.base_url, workspace, source


def test_add_retract_restore_seen_live_in_the_browser(
    page: Any, live: tuple[str, Path, Path]
) -> None:
    base, workspace, source = live
    pages = [page]
    for _ in range(2):  # /sources, the embed and the overview, each in its own tab
        pages.append(page.context.new_page())
        pages[-1].watch = BrowserWatch(pages[-1])
    views = [
        View("export", None, "", lambda _p, b: export_rows(b)),
        View("/sources", pages[0], "/sources", sources_batch),
        View("/embed/sources", pages[1], "/embed/sources", embed_text),
        View("overview", pages[2], "/", overview),
    ]
    in_use = expect(True, lambda r: r is not None and r[0] == "nws-batch" and "in use" in r[1])

    # before: nothing added, on every view
    before = look(views, base)
    assert before["/sources"] is None
    assert "Nothing added yet" in page.inner_text("body")
    assert before["export"] == []
    assert PUBLISHER not in before["/embed/sources"]
    assert shows_no_figure(before["overview"]), before["overview"]
    assert all(p.evaluate("document.visibilityState") == "visible" for p in pages)

    def step(name: str, command: Callable[[], float], version: int, shows: dict) -> None:
        """Run the command while /health is asked every 50 ms; then reload every view."""
        poller = Poller(base)
        try:
            since = command()
            delays.update(within_promise(name, since, views, base, shows))
        finally:
            poller.stop()
        delays[f"{name}: /health store_version"] = poller.first_version(version, since)

    delays: dict[str, float] = {}
    # add: the batch row, the row with its value, the publisher, the map and the filter
    step("add", lambda: add(workspace, source), 1, in_use)
    seen = look(views, base)
    [row] = seen["export"]
    assert (row["value"], row["low"], row["high"]) == (str(VALUE),) * 3
    assert (row["area_pcode"], row["ADM3_EN"], row["document"]) == (PCODE, "Harim", DOCUMENT)
    assert (row["period_start"], row["period_end"]) == ("2020-03-01", "2020-03-07")
    assert row["source_file"] == source.name
    _, text = seen["/sources"]
    assert source.name in text and "1 figure of 1 row read" in text and "e2e" in text
    assert "1 file added" in page.inner_text("body")
    assert (
        f"{PUBLISHER}: {DOCUMENT} · 1 figure, 7 Mar 2020, published 9 Mar 2020"
        in seen["/embed/sources"]
    )
    assert f"<b>{VALUE:,}</b>" in seen["overview"]["hover"]

    # retract: gone from every view; the batch row says why
    retracted = expect(False, lambda r: r is not None and r[0] == "nws-batch-retracted")
    step("retract", lambda: retract(workspace), 2, retracted)
    _, text = sources_batch(page) or ("", "")
    assert "retracted by e2e, " in text and WHY in text, text
    assert "1 of them retracted" in page.inner_text("body")
    # a link shared while it was in use says what it ignores, never shows it
    ignored = f"Ignored publisher={PUBLISHER}: no figures from this publisher"
    for path in ("/", "/embed/sources"):
        page.goto(f"{base}{path}?publisher={quote(PUBLISHER)}")
        wait_for_dash(page)
        assert ignored in page.inner_text("body"), path
    status, body = get_status(f"{base}/export/figures.csv?publisher={quote(PUBLISHER)}")
    assert status == 400 and f"publisher={PUBLISHER}: no figures".encode() in body

    # restore: back everywhere
    step("restore", lambda: restore(workspace), 3, in_use)
    page.goto(f"{base}/embed/sources?publisher={quote(PUBLISHER)}")
    wait_for_dash(page)
    [item] = page.locator(".nws-embed-source").all_inner_texts()
    assert item.startswith(f"{PUBLISHER}: {DOCUMENT}")

    print("\nseconds from the command's return to the reload that showed it:")
    for what, delay in delays.items():
        print(f"  {what:<26} {delay:5.2f}")
    assert len(delays) == 15 and max(delays.values()) <= PROMISE_S
    for p in pages[1:]:
        p.watch.assert_clean()


# --- production server (gunicorn, 2 workers), over HTTP -------------------------------------


#: CPU ticks (10 ms) a worker must spend for it to count as having answered requests: an
#: idle worker only touches its heartbeat file, well under one tick in the test's 30 s.
BUSY_TICKS = 5


def _reads(pid: int) -> int:
    """CPU ticks of a process (/proc/PID/stat utime + stime): a worker's count grows by many
    only while it answers requests. (Read syscalls were counted before; a gevent worker
    reads its sockets with recv(), which /proc/PID/io's syscr does not count.)"""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


@pytest.fixture(scope="module")
def prod(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, Path, Path]]:
    workspace, source = make_workspace(tmp_path_factory.mktemp("prod"))
    port = free_port()
    server = ServerProcess(
        [sys.executable, "-m", "app", "serve", "--prod", "--port", str(port)],
        port,
        env={**store_env(workspace), "NWS_WORKERS": "2"},
        ready_path="/health",
        timeout=120,
    )
    with server:
        assert server.proc is not None
        deadline = time.monotonic() + 60
        while len(child_processes(server.proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(child_processes(server.proc.pid)) == 2
        yield server, workspace, source


def test_prod_every_worker_follows_the_store(
    prod: tuple[ServerProcess, Path, Path],
) -> None:
    server, workspace, source = prod
    base = server.base_url
    assert server.proc is not None
    workers = child_processes(server.proc.pid)
    start = json.loads(get(base + "/health"))
    assert (start["store_version"], start["batches"]) == (0, 0)
    assert export_rows(base) == []
    n_figures = start["figures"]

    def check(step: str, command: Callable[[], float], version: int, present: bool) -> float:
        """4 clients ask /health and the export in turn from before the command until both
        workers have answered after PROMISE_S and LATE answers were asked from then on:
        every one of those is new."""
        poller = Poller(base, clients=4, kinds=2, pause=0.0)
        try:
            since = command()
            time.sleep(max(0.0, since + PROMISE_S - time.monotonic()))
            reads = {pid: _reads(pid) for pid in workers}
            give_up = time.monotonic() + 30
            while time.monotonic() < give_up and (
                poller.count_since(since + PROMISE_S) < LATE
                or any(_reads(pid) < reads[pid] + BUSY_TICKS for pid in workers)
            ):
                time.sleep(0.1)
        finally:
            answers = poller.stop()
        for pid in workers:  # both workers answered after PROMISE_S
            assert _reads(pid) >= reads[pid] + BUSY_TICKS, f"{step}: worker {pid} answered nothing late"
        late = [a for a in answers if a["at"] - since >= PROMISE_S]
        assert len(late) >= LATE, (step, len(answers), len(late))
        want_health = (version, int(present), n_figures + int(present))
        want_rows = [str(VALUE)] if present else []
        for a in late:
            if a["what"] == "health":
                assert (a["version"], a["batches"], a["figures"]) == want_health, (step, a)
            else:
                assert a["rows"] == want_rows, (step, a)
        # the delay: the last answer still showing the old state began this long after
        stale = [a["at"] - since for a in answers
                 if (a["what"] == "health" and a["version"] != version)
                 or (a["what"] == "export" and a["rows"] != want_rows)]  # fmt: skip
        return max(stale, default=0.0)

    delays = {
        "add": check("add", lambda: add(workspace, source), 1, True),
        "retract": check("retract", lambda: retract(workspace), 2, False),
        "restore": check("restore", lambda: restore(workspace), 3, True),
    }
    print(f"\nprod: the last stale answer began this long after the command returned: {delays}")
    assert max(delays.values()) <= PROMISE_S
    assert "Traceback" not in server.output_tail(400)
