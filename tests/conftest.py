"""Shared path fixtures (hdx-python-country style): tests read saved files, never the network."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


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
