"""``db backup`` / ``db restore`` of a SQLite workspace: a restored backup has every batch,
row and original file again; a backup is taken while the store is being read; a damaged or
foreign archive is refused with a message. Real files, real SQLite, GENERATED events."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

import sqlalchemy as sa

from app.store import originals, reads
from app.store.engine import StoreConfig, dispose_all, engine

from .conftest import cli_env

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "tests" / "fixtures" / "canonical_figures_sample.csv"
sys.path.insert(0, str(ROOT / "bench"))
from generated_events import write_generated_ucdp  # noqa: E402


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def _snapshot(store: StoreConfig) -> tuple:
    with engine(store).connect() as conn:
        batches = [(b["id"], b["sha256"], b["status"], b["accepted"]) for b in reads.batches(conn)]
        counts = tuple(conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                       for t in ("figures", "events", "event_figures", "batch_log"))  # fmt: skip
        version = reads.version(conn)
    return batches, counts, version


def test_backup_then_restore_gives_everything_back(tmp_path: Path) -> None:
    a = StoreConfig(f"sqlite:///{tmp_path / 'a' / 'store.sqlite3'}", tmp_path / "a")
    b = StoreConfig(f"sqlite:///{tmp_path / 'b' / 'store.sqlite3'}", tmp_path / "b")
    env_a, env_b = cli_env(a), cli_env(b)
    events = write_generated_ucdp(tmp_path / "generated_ucdp_ged_backup.csv", 2_000)
    assert run(env_a, "add", str(SAMPLE)).returncode == 0
    assert run(env_a, "add", str(events), "--publisher", "GENERATED events").returncode == 0
    assert run(env_a, "retract", "1", "--why", "testing backups").returncode == 0
    before = _snapshot(a)
    out = run(env_a, "db", "backup", str(tmp_path / "backup.tar"))
    assert out.returncode == 0, out.stderr
    assert "2 batch(es) and 2 original file(s)" in out.stdout
    again = run(env_a, "db", "backup", str(tmp_path / "backup.tar"))
    assert again.returncode == 1 and "never overwrites" in again.stderr
    restored = run(env_b, "db", "restore", str(tmp_path / "backup.tar"))
    assert restored.returncode == 0, restored.stderr
    dispose_all()
    assert _snapshot(b) == before
    for f in (SAMPLE, events):
        data = f.read_bytes()
        assert originals.read(b.workspace, originals.sha256(data)) == data
    listing = run(env_b, "imports")
    assert "retracted (testing backups)" in listing.stdout
    # a second restore over a store with batches is refused unless --replace
    twice = run(env_b, "db", "restore", str(tmp_path / "backup.tar"))
    assert twice.returncode == 1 and "--replace" in twice.stderr
    assert run(env_b, "db", "restore", str(tmp_path / "backup.tar"), "--replace").returncode == 0
    dispose_all()
    assert _snapshot(b) == before


def test_a_foreign_or_damaged_archive_is_refused(tmp_path: Path) -> None:
    ws = StoreConfig(f"sqlite:///{tmp_path / 'w' / 'store.sqlite3'}", tmp_path / "w")
    env = cli_env(ws)
    evil = tmp_path / "evil.tar"
    payload = tmp_path / "x.txt"
    payload.write_text("MADE-UP")
    with tarfile.open(evil, "w") as tar:
        tar.add(payload, arcname="../../etc/cron.d/x")
    out = run(env, "db", "restore", str(evil))
    assert out.returncode == 1 and "unexpected member" in out.stderr
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"MADE-UP not a tar file")
    out = run(env, "db", "restore", str(junk))
    assert out.returncode == 1 and "not a readable backup" in out.stderr
    assert "Traceback" not in out.stderr
