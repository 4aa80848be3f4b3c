"""Original files, content-addressed in the workspace: ``originals/ab/abcdef...`` (sha256).

Every batch keeps the exact bytes it was made from, so a report can always be checked
against its file and nothing a team added is ever lost. A file is written to a temporary
name and renamed into place (atomic on one file system): a killed ``add`` leaves at most an
unreferenced temporary file, never a half-written original. The same bytes added twice are
one file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

FOLDER = "originals"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_of(workspace: Path, digest: str) -> Path:
    return workspace / FOLDER / digest[:2] / digest


def keep(workspace: Path, data: bytes, digest: str | None = None) -> Path:
    """Write ``data`` under its hash (once) and return the path."""
    digest = digest or sha256(data)
    target = path_of(workspace, digest)
    if target.is_file() and target.stat().st_size == len(data):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{digest}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target


def read(workspace: Path, digest: str) -> bytes:
    return path_of(workspace, digest).read_bytes()
