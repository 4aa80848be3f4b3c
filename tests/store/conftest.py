"""Stores for the tests: a real SQLite file and a real PostgreSQL server, never a mock.

PostgreSQL is Debian's ``postgresql`` package (installed by ``.ci/run`` and the README's
test command). Each test process starts one throwaway cluster in a temporary folder, as the
``postgres`` user when it runs as root (PostgreSQL refuses to run as root), and each test
gets a new database in it. ``NWS_TEST_POSTGRES_URL`` (a server URL without a database) uses
an existing server instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e.harness import free_port

from app.config import override
from app.store.engine import StoreConfig, dispose_all

PG_BIN = Path("/usr/lib/postgresql")


def _pg_bin() -> Path:
    versions = sorted(PG_BIN.glob("*/bin/pg_ctl"))
    if not versions:
        pytest.fail("PostgreSQL is not installed: apt-get install -y postgresql (see .ci/run)")
    return versions[-1].parent


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of a running PostgreSQL server (no database part)."""
    given = os.environ.get("NWS_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    bin_dir = _pg_bin()
    folder = Path(tempfile.mkdtemp(prefix="nws-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    subprocess.run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust",
                                 "-U", "postgres", "-E", "UTF8"]),
                   check=True, capture_output=True, env=env)  # fmt: skip
    subprocess.run(
        _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(data / "server.log"),
                      "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
                      "-w", "start"]),
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                     "stop"]), capture_output=True)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def new_database(server: str) -> str:
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.replace("postgresql+psycopg", "postgresql") + "/postgres",
                         autocommit=True) as conn:  # fmt: skip
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreConfig]:
    """An empty store of each kind, with its workspace, as the configured one."""
    workspace = tmp_path / "workspace"
    url = ""
    if request.param == "postgresql":
        url = new_database(request.getfixturevalue("pg_server"))
    with override(workspace=workspace, database_url=url) as cfg:
        yield StoreConfig.from_config(cfg)
    dispose_all()


def cli_env(store: StoreConfig) -> dict[str, str]:
    """Environment for ``python -m app`` subprocesses on ``store``."""
    env = {**os.environ, "NWS_WORKSPACE": str(store.workspace)}
    env["NWS_DATABASE_URL"] = "" if store.is_sqlite else store.url
    return env
