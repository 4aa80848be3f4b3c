"""Shared path fixtures (hdx-python-country style): tests read saved files, never the network."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def pytest_configure(config: pytest.Config) -> None:
    """Every test process (each xdist worker too) gets its own empty workspace, so no test
    writes the project's ``workspace/`` and servers started by tests inherit it."""
    if os.environ.get("NWS_TEST_WORKSPACE_SET"):
        return
    folder = tempfile.mkdtemp(prefix="nws-test-workspace-")
    os.environ["NWS_WORKSPACE"] = folder
    os.environ["NWS_TEST_WORKSPACE_SET"] = "1"
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return ROOT / "data"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.exists():
        pytest.fail(f"{SHARED} is missing: the reference data must sit beside the clone")
    return SHARED


@pytest.fixture(scope="session")
def bundle(data_dir):
    from app.bundle.store import load_bundle

    return load_bundle(data_dir)
