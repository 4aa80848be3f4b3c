"""Nothing is lost and nothing is changed: every row is accounted for, loading never writes
to a source file, and what the dashboard exports loads back as the same figures.

- every corpus and bundle file: rows read = accepted + rejected + unmatched;
- every corpus file and every bundle file hashes the same before and after all of them
  were loaded (and no file appears next to them: no lock, cache or sidecar file);
- ``/export/figures.csv`` and ``.xlsx`` (with and without the HXL row, whole and filtered),
  loaded by :func:`app.loaders.load`, give back the bundle's canonical rows exactly
  (``pandas.testing.assert_frame_equal`` on ``FIGURE_COLUMNS``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from app.loaders import LoadResult, default_context, load
from app.tables.schemas import FIGURE_COLUMNS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = ROOT / "data"


def _files() -> list[Path]:
    corpus = sorted(p for p in HERE.iterdir() if p.name.startswith("madeup_"))
    bundle = sorted(p for p in DATA.rglob("*") if p.is_file())
    return corpus + bundle


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing() -> set[Path]:
    return {p for d in (HERE, DATA) for p in d.rglob("*")} - {
        p for p in HERE.rglob("*") if "__pycache__" in p.parts
    }


@pytest.fixture(scope="module")
def loaded_everything() -> Iterator[tuple[dict[Path, str], dict[Path, str], list[LoadResult]]]:
    before = {p: _digest(p) for p in _files()}
    listing = _listing()
    ctx = default_context()
    results = [load(p, ctx) for p in _files()]
    after = {p: _digest(p) for p in _files()}
    assert _listing() == listing, "loading created or removed files next to the sources"
    yield before, after, results


def test_every_row_is_accounted_for(loaded_everything: Any) -> None:
    _, _, results = loaded_everything
    assert len(results) >= 30
    for r in results:
        assert r.rows_read == r.accepted + r.rejected + r.unmatched, r.summary()
        assert not any("internal error" in p.found for p in r.problems), r.path
        if r.table is not None:
            assert len(r.table) == r.accepted, r.summary()


def test_loading_changes_no_source_file(loaded_everything: Any) -> None:
    before, after, _ = loaded_everything
    assert before.keys() == after.keys()
    changed = [str(p.relative_to(ROOT)) for p in before if before[p] != after[p]]
    assert changed == []


# --- export -> load round trip ------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Any:
    from app.web.server import create_app

    return create_app().server.test_client()


@pytest.fixture(scope="module")
def bundle_figures() -> pd.DataFrame:
    from app.bundle.store import load_bundle

    return load_bundle().figures


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in figure-id order; text columns as object. pandas 3 gives a text column with no
    empty cell the ``str`` dtype and one with ``None`` the object dtype, so a filtered
    subset and the whole bundle differ there by dtype alone; values are compared exactly,
    and numbers and dates keep their dtype check."""
    out = frame[FIGURE_COLUMNS].sort_values("figure_id").reset_index(drop=True)
    text = [c for c in FIGURE_COLUMNS if pd.api.types.is_string_dtype(out[c])]
    return out.astype(dict.fromkeys(text, object))


@pytest.mark.parametrize(
    "url",
    [
        "/export/figures.csv",
        "/export/figures.csv?hxl=1",
        "/export/figures.xlsx",
        "/export/figures.xlsx?hxl=1",
        "/export/figures.csv?metric=civilians_killed",
        "/export/figures.csv?area=SY0703&from=2020-02-01&to=2020-02-29",
    ],
)
def test_export_loads_back_to_the_same_figures(
    client: Any, bundle_figures: pd.DataFrame, tmp_path: Path, url: str
) -> None:
    resp = client.get(url)
    assert resp.status_code == 200, resp.get_data()[:300]
    path = tmp_path / ("figures" + Path(url.split("?")[0]).suffix)
    path.write_bytes(resp.get_data())
    result = load(path)
    assert result.table_name == "figures" and result.format.endswith(":canonical-figures")
    assert result.problems == [] and result.rejected == result.unmatched == 0
    got = _canonical(result.table)
    assert len(got) > 0
    expected = _canonical(bundle_figures[bundle_figures["figure_id"].isin(got["figure_id"])])
    pd.testing.assert_frame_equal(got, expected)
    if "?" not in url or url.endswith("hxl=1"):
        assert len(got) == len(bundle_figures)  # the whole bundle, not a subset
