"""Nothing lost: migrations upgrade a store in place, a batch is all or nothing under a real
``kill -9``, and concurrent writers and readers neither fail nor lose rows. Real SQLite and
real PostgreSQL, real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.store import reads
from app.store.engine import StoreConfig, current_revision, engine, head_revision, upgrade

from .conftest import cli_env

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = FIXTURES / "canonical_figures_sample.csv"
sys.path.insert(0, str(ROOT / "bench"))
from generated_events import write_generated_ucdp  # noqa: E402


def _count(store: StoreConfig, table: str) -> int:
    with engine(store).connect() as conn:
        return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_a_store_of_the_first_release_upgrades_in_place(store: StoreConfig) -> None:
    upgrade(store, "0001")  # the schema as the first release made it
    assert current_revision(store) == "0001"
    with engine(store, write=True).begin() as conn:  # a batch stored by that release
        conn.execute(sa.text(
            "INSERT INTO batches (id, file_name, sha256, size_bytes, format, table_name, "
            "rows_read, accepted, rejected, unmatched, warnings, added_by, added_at, status, "
            "report) VALUES (1, 'old.csv', :sha, 10, 'csv:dated-figures', 'figures', 1, 1, 0, "
            "0, 0, 'earlier', :at, 'active', '{\"problems\": []}')"
        ), {"sha": "a" * 64, "at": "2026-01-01 00:00:00"})  # fmt: skip
        conn.execute(sa.text(
            "INSERT INTO figures (batch_id, seq, figure_id, metric, kind, metric_as_written, "
            "value, low, high, period_end, area_pcode, area_as_written, publisher, document, "
            "source_file, source_row) VALUES (1, 1, 'fMADEUP0001', 'idp_arrivals', 'flow', "
            "'idp_arrivals', 100, 100, 100, '2020-02-01', 'SY07', 'Idleb', 'MADE-UP publisher', "
            "'MADE-UP doc', 'old.csv', 2)"
        ))  # fmt: skip
        conn.execute(sa.text("UPDATE store_state SET version = 1"))
    env = cli_env(store)
    refused = subprocess.run([sys.executable, "-m", "app", "imports"], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert refused.returncode == 1
    assert "schema revision 0001" in refused.stderr and "python -m app db upgrade" in refused.stderr
    out = subprocess.run([sys.executable, "-m", "app", "db", "upgrade"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert f"upgraded from 0001 to {head_revision()}" in out.stdout
    with engine(store).connect() as conn:
        [b] = reads.batches(conn)
        figures = reads.active_figures(conn)
        assert reads.version(conn) == 1
    assert (b["file_name"], b["superseded"], b["status"]) == ("old.csv", 0, "active")
    assert figures["figure_id"].tolist() == ["fMADEUP0001"]
    assert figures["value"].tolist() == [100.0]
    again = subprocess.run([sys.executable, "-m", "app", "db", "upgrade"], env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert f"already at revision {head_revision()}" in again.stdout


def _writing(store: StoreConfig, proc: subprocess.Popen, wal: Path) -> bool:
    """True once ``add`` is inside its write transaction, inserting rows."""
    if store.is_sqlite:
        return wal.exists() and wal.stat().st_size > 2_000_000
    with engine(store).connect() as conn:
        n = conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'COPY events%' "
            "AND state = 'active'"
        )).scalar_one()  # fmt: skip
    return n > 0


def test_kill_9_in_the_middle_of_add_leaves_the_store_as_before(
    store: StoreConfig, tmp_path: Path
) -> None:
    env = cli_env(store)
    first = subprocess.run([sys.executable, "-m", "app", "add", str(SAMPLE)], env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert first.returncode == 0, first.stderr
    with engine(store).connect() as conn:
        before = (reads.version(conn), len(reads.batches(conn)), len(reads.active_figures(conn)))
    big = write_generated_ucdp(tmp_path / "generated_ucdp_ged_killed.csv", 120_000)
    proc = subprocess.Popen([sys.executable, "-m", "app", "add", str(big), "--publisher",
                             "GENERATED events"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    wal = store.workspace / "store.sqlite3-wal"
    deadline = time.monotonic() + 120
    while not _writing(store, proc, wal):
        assert proc.poll() is None, "add finished before it could be killed: make the file larger"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with engine(store).connect() as conn:
        after = (reads.version(conn), len(reads.batches(conn)), len(reads.active_figures(conn)))
        if store.is_sqlite:
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
    assert after == before
    assert _count(store, "events") == 0 and _count(store, "batch_log") == 1
    # the store is usable at once: the same file adds cleanly afterwards
    again = subprocess.run([sys.executable, "-m", "app", "add", str(big), "--publisher",
                            "GENERATED events"], env=env, cwd=ROOT, capture_output=True,
                           text=True, timeout=300)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "stored as batch" in again.stdout  # (PostgreSQL does not reuse the killed id)
    with engine(store).connect() as conn:
        [_, b] = reads.batches(conn)
    assert b["accepted"] + b["unmatched"] == 120_000
    assert _count(store, "events") == b["accepted"]


def test_concurrent_adds_and_readers_lose_nothing(store: StoreConfig, tmp_path: Path) -> None:
    env = cli_env(store)
    files = [write_generated_ucdp(tmp_path / f"generated_ucdp_ged_{i}.csv", 3_000, seed=i,
                                  first_id=910_000_000 + i * 10_000) for i in range(3)]  # fmt: skip
    subprocess.run([sys.executable, "-m", "app", "imports"], env=env, cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip  (creates the store first)
    errors: list[str] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                with engine(store).connect() as conn:
                    reads.version(conn)
                    reads.active_figures(conn)
                    reads.event_figures(conn)
            except Exception as exc:  # any error here is a failure of the test
                errors.append(repr(exc))

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    procs = [subprocess.Popen([sys.executable, "-m", "app", "add", str(f), "--publisher",
                               f"GENERATED events {i}"], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i, f in enumerate([*files, SAMPLE])]  # fmt: skip
    outs = [p.communicate(timeout=300) for p in procs]
    stop.set()
    for t in threads:
        t.join()
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [o[1] for o in outs]
    assert errors == []
    with engine(store).connect() as conn:
        batches = reads.batches(conn)
        assert reads.version(conn) == 4
    assert sorted(b["file_name"] for b in batches) == sorted(f.name for f in [*files, SAMPLE])
    assert _count(store, "events") == sum(b["accepted"] for b in batches if b["table_name"] == "events")
    assert _count(store, "events") == 9_000 - sum(b["unmatched"] for b in batches)
    assert _count(store, "figures") == 5


@pytest.mark.parametrize("n", [2])
def test_same_file_added_twice_at_once_is_stored_once(store: StoreConfig, n: int) -> None:
    env = cli_env(store)
    subprocess.run([sys.executable, "-m", "app", "imports"], env=env, cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    procs = [subprocess.Popen([sys.executable, "-m", "app", "add", str(SAMPLE)], env=env,
                              cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(n)]  # fmt: skip
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * n
    assert sum(": stored as batch 1" in o for o in outs) == 1
    assert sum("already stored as batch 1" in o for o in outs) == n - 1
    assert _count(store, "figures") == 5


def test_head_revision_is_alembics() -> None:
    """The serving path reads the head from the migration files without Alembic."""
    from alembic.script import ScriptDirectory

    from app.store.engine import _alembic_config

    expected = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()  # type: ignore[arg-type]
    assert head_revision() == expected
