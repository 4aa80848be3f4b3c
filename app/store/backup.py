"""Backup and restore of a SQLite workspace: the store and every original file, in one tar.

The store is copied with SQLite's online backup API (``sqlite3.Connection.backup``), page
by page under a read transaction, so it is consistent and safe while the server serves and
while ``add`` writes (a writer that commits mid-copy makes the copy restart, as SQLite
documents). Originals are content-addressed and never change once written, so copying the
files is enough; the archive's ``MANIFEST.json`` lists each one with its sha256, and
``restore`` checks every byte before it puts anything in place.

PostgreSQL is backed up with its own tools (README "Backup and restore"): ``pg_dump`` of the
database, and this module's ``backup --originals-only`` for the files.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.store import originals
from app.store.engine import SQLITE_NAME, StoreConfig, StoreError, dispose_all

MANIFEST = "MANIFEST.json"
FORMAT = "nwsyria-workspace-backup/1"


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    batches: int
    originals: int
    bytes: int


def _sqlite_path(store: StoreConfig) -> Path:
    return store.workspace / SQLITE_NAME


def _original_files(workspace: Path) -> list[Path]:
    folder = workspace / originals.FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("??/*") if p.is_file() and not p.name.startswith("."))


def backup(store: StoreConfig, target: Path, originals_only: bool = False) -> BackupSummary:
    """Write ``target`` (a .tar file): the store (SQLite, online) and the original files."""
    if not store.is_sqlite and not originals_only:
        raise StoreError(
            "the store is PostgreSQL: back it up with pg_dump (README \"Backup and restore\"), "
            "and its original files with `python -m app db backup PATH --originals-only`"
        )
    target = Path(target)
    if target.exists():
        raise StoreError(f"{target} exists: give a new file name (a backup never overwrites)")
    files = _original_files(store.workspace)
    n_batches = 0
    with tempfile.TemporaryDirectory(prefix="nws-backup-") as tmp:
        members: list[tuple[Path, str]] = []
        if not originals_only:
            source = _sqlite_path(store)
            if not source.is_file():
                raise StoreError(f"there is no store at {source} yet: nothing to back up")
            copy = Path(tmp) / SQLITE_NAME
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            dst = sqlite3.connect(copy)
            try:
                src.backup(dst)
                n_batches = int(dst.execute("SELECT count(*) FROM batches").fetchone()[0])
                check = dst.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                src.close()
                dst.close()
            if check != "ok":
                raise StoreError(f"the copy of the store failed its integrity check: {check}")
            members.append((copy, SQLITE_NAME))
        manifest = {
            "format": FORMAT,
            "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "store": None if originals_only else SQLITE_NAME,
            "batches": n_batches,
            "originals": {f.name: f.stat().st_size for f in files},
        }
        partial = target.with_name(f".{target.name}.partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for path, name in members:
                tar.add(path, arcname=name)
            for f in files:
                tar.add(f, arcname=f"{originals.FOLDER}/{f.parent.name}/{f.name}")
        partial.replace(target)
    return BackupSummary(target, n_batches, len(files), target.stat().st_size)


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Only the names a backup writes: the manifest, the store, ``originals/xx/<sha256>``."""
    out = []
    for m in tar.getmembers():
        parts = m.name.split("/")
        ok = m.isfile() and (
            m.name in (MANIFEST, SQLITE_NAME)
            or (len(parts) == 3 and parts[0] == originals.FOLDER and len(parts[2]) == 64
                and parts[1] == parts[2][:2] and all(c in "0123456789abcdef" for c in parts[2]))
        )  # fmt: skip
        if not ok:
            raise StoreError(f"unexpected member {m.name!r}: not a backup made by this dashboard")
        out.append(m)
    return out


def restore(store: StoreConfig, source: Path, replace: bool = False) -> BackupSummary:
    """Put a backup's store and originals into the configured (SQLite) workspace.

    Refuses to overwrite a store that has batches unless ``replace``; checks every original
    against its sha256 and the store's integrity before anything is put in place."""
    if not store.is_sqlite:
        raise StoreError("the store is PostgreSQL: restore it with pg_restore (README \"Backup "
                         "and restore\"); this command restores SQLite workspaces")  # fmt: skip
    source = Path(source)
    try:
        tar = tarfile.open(source, "r")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise StoreError(f"{source}: not a readable backup ({exc})") from exc
    with tar, tempfile.TemporaryDirectory(prefix="nws-restore-") as tmp:
        members = _safe_members(tar)
        names = {m.name for m in members}
        if MANIFEST not in names:
            raise StoreError(f"{source}: no {MANIFEST}: not a backup made by this dashboard")
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        if manifest.get("format") != FORMAT:
            raise StoreError(f"{source}: unknown backup format {manifest.get('format')!r}")
        tar.extractall(tmp, members=members, filter="data")
        staged = Path(tmp)
        files = _original_files(staged)
        for f in files:
            if originals.sha256(f.read_bytes()) != f.name:
                raise StoreError(f"{source}: original {f.name} does not match its sha256")
        missing = set(manifest["originals"]) - {f.name for f in files}
        if missing:
            raise StoreError(f"{source}: {len(missing)} original file(s) listed but missing")
        n_batches = 0
        if manifest.get("store"):
            db = staged / SQLITE_NAME
            conn = sqlite3.connect(db)
            try:
                if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise StoreError(f"{source}: the store in it fails its integrity check")
                n_batches = int(conn.execute("SELECT count(*) FROM batches").fetchone()[0])
            finally:
                conn.close()
            _install_store(store, db, replace)
        for f in files:
            target = originals.path_of(store.workspace, f.name)
            if not target.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, target)
    return BackupSummary(source, n_batches, len(files), source.stat().st_size)


def _install_store(store: StoreConfig, db: Path, replace: bool) -> None:
    target = _sqlite_path(store)
    if target.is_file():
        conn = sqlite3.connect(target)
        try:
            has = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'batches'"
            ).fetchone()[0]
            n = conn.execute("SELECT count(*) FROM batches").fetchone()[0] if has else 0
        finally:
            conn.close()
        if n and not replace:
            raise StoreError(f"{target} already holds {n} batch(es): restore into an empty "
                             "workspace, or give --replace (back the current one up first)")  # fmt: skip
    dispose_all()
    store.workspace.mkdir(parents=True, exist_ok=True)
    # copy through SQLite's backup API too: the target's WAL and shared memory stay coherent
    src = sqlite3.connect(db)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
