"""The store through its command line, on real SQLite and real PostgreSQL: add (idempotent,
dry run, exit codes), imports, retract and restore, originals, and the batch report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.store import originals, reads
from app.store.engine import StoreConfig, engine

from .conftest import cli_env

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "canonical_figures_sample.csv"
UCDP4 = ROOT / "tests" / "fixtures" / "madeup_ucdp_ged_4_events.csv"
CORPUS = ROOT / "tests" / "corpus"


def app_cli(store: StoreConfig, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          env=cli_env(store), cwd=ROOT, timeout=300)  # fmt: skip


def batches(store: StoreConfig) -> list[dict]:
    with engine(store).connect() as conn:
        return reads.batches(conn)


def test_add_stores_a_batch_once(store: StoreConfig) -> None:
    first = app_cli(store, "add", str(SAMPLE), "--by", "im-officer", "--note", "weekly sitrep")
    assert first.returncode == 0, first.stderr
    assert "5 rows read, 5 accepted, 0 rejected, 0 unmatched" in first.stdout
    assert f"{SAMPLE}: stored as batch 1" in first.stdout
    again = app_cli(store, "add", str(SAMPLE))
    assert again.returncode == 0
    assert "already stored as batch 1 (same sha256); nothing stored" in again.stdout
    [b] = batches(store)
    assert (b["id"], b["file_name"], b["added_by"], b["note"], b["status"]) == (
        1, "canonical_figures_sample.csv", "im-officer", "weekly sitrep", "active")
    assert (b["rows_read"], b["accepted"], b["rejected"], b["unmatched"]) == (5, 5, 0, 0)
    data = SAMPLE.read_bytes()
    assert b["sha256"] == originals.sha256(data)
    assert originals.read(store.workspace, b["sha256"]) == data  # the original bytes kept
    with engine(store).connect() as conn:
        stored = reads.active_figures(conn)
    assert len(stored) == 5
    # a re-loaded export keeps the provenance it states: the figure's own file and row
    assert stored["source_row"].tolist() == [2, 19, 21, 3, 22]
    assert set(stored["batch_id"]) == {1}


def test_dry_run_stores_nothing(store: StoreConfig) -> None:
    out = app_cli(store, "add", "--dry-run", str(SAMPLE))
    assert out.returncode == 0
    assert "dry run: would store 5 rows; nothing stored" in out.stdout
    assert batches(store) == []


@pytest.mark.parametrize(
    "name", ["madeup_header_only.csv", "madeup_empty_0_bytes.csv", "madeup_png_renamed.csv"]
)
def test_nothing_acceptable_exits_1(store: StoreConfig, name: str) -> None:
    out = app_cli(store, "add", str(CORPUS / name))
    assert out.returncode == 1
    assert "nothing to store" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr
    assert batches(store) == []


def test_usage_errors_exit_2(store: StoreConfig) -> None:
    assert app_cli(store, "add").returncode == 2
    bad = app_cli(store, "add", str(SAMPLE), "--published", "2020-02-30")
    assert bad.returncode == 2 and "expected a day as YYYY-MM-DD" in bad.stderr
    assert app_cli(store, "retract", "1").returncode == 2  # --why is required


def test_rejected_rows_are_kept_in_the_report(store: StoreConfig) -> None:
    path = CORPUS / "madeup_date_31_04_2020.csv"
    out = app_cli(store, "add", str(path), "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)["files"][0]
    assert doc["status"] == "stored"
    s = doc["summary"]
    assert s["rows_read"] == s["accepted"] + s["rejected"] + s["unmatched"] == 3
    with engine(store).connect() as conn:
        report = reads.batch_report(conn, doc["batch"])
    assert report["summary"]["rejected"] == 1
    [problem] = [p for p in report["problems"] if p["severity"] == "error"]
    assert (problem["row"], problem["column"]) == (3, "period_end")


def test_retract_and_restore(store: StoreConfig) -> None:
    assert app_cli(store, "add", str(SAMPLE)).returncode == 0
    out = app_cli(store, "retract", "1", "--why", "sample, not a real sitrep", "--by", "lead")
    assert out.returncode == 0 and "retracted" in out.stdout
    with engine(store).connect() as conn:
        assert len(reads.active_figures(conn)) == 0
        assert len(conn.execute(sa.text("SELECT * FROM figures")).fetchall()) == 5  # kept
    [b] = batches(store)
    assert (b["status"], b["status_why"], b["status_by"]) == (
        "retracted", "sample, not a real sitrep", "lead")
    listing = app_cli(store, "imports")
    assert "retracted (sample, not a real sitrep)" in listing.stdout
    twice = app_cli(store, "retract", "1", "--why", "again")
    assert twice.returncode == 1 and "already retracted" in twice.stderr
    assert app_cli(store, "restore", "1").returncode == 0
    with engine(store).connect() as conn:
        assert len(reads.active_figures(conn)) == 5
        log = conn.execute(sa.text("SELECT action, why FROM batch_log ORDER BY id")).fetchall()
    assert [tuple(r) for r in log] == [
        ("add", None), ("retract", "sample, not a real sitrep"), ("restore", None)]
    missing = app_cli(store, "retract", "9", "--why", "x")
    assert missing.returncode == 1 and "there is no batch 9" in missing.stderr


def test_imports_json_lists_every_field(store: StoreConfig) -> None:
    app_cli(store, "add", str(SAMPLE))
    doc = json.loads(app_cli(store, "imports", "--json").stdout)
    [b] = doc["batches"]
    for key in ("id", "file_name", "sha256", "rows_read", "accepted", "rejected", "unmatched",
                "added_by", "added_at", "status"):
        assert key in b
    assert b["accepted"] == 5


def test_version_rises_with_every_change(store: StoreConfig) -> None:
    def version() -> int:
        with engine(store).connect() as conn:
            return reads.version(conn)

    app_cli(store, "imports")  # creates the store
    v0 = version()
    app_cli(store, "add", str(SAMPLE))
    app_cli(store, "add", str(SAMPLE))  # already stored: no change
    v1 = version()
    for args in (("retract", "1", "--why", "x"), ("restore", "1")):
        out = app_cli(store, *args)
        assert out.returncode == 0, out.stdout + out.stderr
    assert (v1 - v0, version() - v1) == (1, 2)
