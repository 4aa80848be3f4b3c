"""Path fixtures for the loader tests: small files in ``tests/fixtures`` and the bundle's context.

Files named ``madeup_*`` are made up (publisher "MADE-UP"); the others are slices of the
real reference data or of the bundle. Larger inputs (XLSX, Shapefiles, a 100k-row export)
are generated in the tests themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.loaders import LoadResult, load
from app.loaders.context import LoadContext

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
MICROSITE = ROOT.parent / "shared" / "data" / "raw" / "ocha-hno-microsite"
FIGURES = ROOT.parent / "shared" / "data" / "figures"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def microsite() -> Path:
    if not MICROSITE.exists():
        pytest.fail(f"{MICROSITE} is missing: the reference data must sit beside the clone")
    return MICROSITE


@pytest.fixture(scope="session")
def figures_dir() -> Path:
    return FIGURES


@pytest.fixture(scope="session")
def ctx() -> LoadContext:
    """The bundle's gazetteer, regions, aliases and boundaries, as ``load()`` uses by default."""
    tables = ROOT / "data" / "tables"
    if not (tables / "gazetteer.csv").exists():
        pytest.fail("data/tables is missing: run scripts/build_bundle.py")
    return LoadContext.from_dir(tables, ROOT / "data" / "boundaries")


@pytest.fixture(scope="session")
def load_fixture(ctx: LoadContext) -> Callable[[str], LoadResult]:
    """Load ``tests/fixtures/NAME`` and check the row accounting."""

    def run(name: str) -> LoadResult:
        result = load(FIXTURES / name, ctx)
        result.check_accounting()
        return result

    return run


@pytest.fixture(scope="session")
def lines() -> Callable[[LoadResult], list[str]]:
    """Problem lines without the ``FILE:`` prefix (the file name is asserted elsewhere)."""
    return lambda result: [p.line().split(":", 1)[1] for p in result.problems]
