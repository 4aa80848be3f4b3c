"""The composed tables (``app.store.live.compose``): one copy of every figure per process.

Bundle + store rows give the same values in the same order as a plain concatenation; the
base figures (bundle base + stored) are built on demand from that one table, and repeated
text is held compactly (``app.tables.compact``: codes, or one object per distinct value)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.bundle.store import load_bundle
from app.store.live import Composed, compose
from app.tables.columns import FIGURE_COLUMNS
from app.tables.compact import compact_text, sort_codes


def _madeup_stored(base: pd.DataFrame, n: int = 40) -> pd.DataFrame:
    """``n`` made-up stored figures (copies of base rows with new ids) in two batches."""
    rows = base.iloc[:n].copy().reset_index(drop=True)
    rows["figure_id"] = [f"madeup_{i:03d}" for i in range(n)]
    rows["publisher"] = np.where(np.arange(n) % 2, "Madeup publisher A", "Madeup publisher B")
    rows.insert(0, "batch_id", np.repeat([1, 2], [n // 2, n - n // 2]))
    return rows


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    for c in a.columns:
        left, right = a[c].astype(object).tolist(), b[c].astype(object).tolist()
        assert [None if pd.isna(x) else x for x in left] == [
            None if pd.isna(x) else x for x in right
        ], c


def test_compose_keeps_one_copy_and_the_order() -> None:
    bundle = load_bundle()
    stored = _madeup_stored(bundle.base_figures)
    out = compose(bundle, stored, None)
    assert isinstance(out, Composed) and out.base is None  # no second copy is kept
    want = pd.concat(
        [bundle.base_figures, bundle.event_figures, stored.drop(columns="batch_id")],
        ignore_index=True,
    )
    _same(out.figures[FIGURE_COLUMNS], want[FIGURE_COLUMNS])
    assert len(out.figures) == len(bundle.figures) + 40
    # aggregates in force: a slice of the one table, the same rows as the bundle's
    _same(out.event_figures.reset_index(drop=True), bundle.event_figures.reset_index(drop=True))
    # base figures: the bundle's base, then the stored ones, built when asked for
    base = out.base_figures
    assert len(base) == len(bundle.base_figures) + 40
    assert base["figure_id"].iloc[-1] == "madeup_039"
    assert not base["figure_id"].isin(bundle.event_figures["figure_id"]).any()


def test_compose_renames_an_id_seen_in_an_earlier_layer() -> None:
    bundle = load_bundle()
    stored = _madeup_stored(bundle.base_figures, 4)
    first = str(bundle.base_figures["figure_id"].iloc[0])
    stored.loc[3, "figure_id"] = first
    out = compose(bundle, stored, None)
    assert out.figures["figure_id"].iloc[-1] == f"{first}~b2"
    assert out.figures["figure_id"].is_unique


def test_compose_consuming_the_stored_figures() -> None:
    """``consume=True`` (the store's reader): the same tables, the read frame emptied a
    column at a time, and a repeated id still labelled with its batch."""
    bundle = load_bundle()
    stored = _madeup_stored(bundle.base_figures, 6)
    stored.loc[5, "figure_id"] = str(bundle.base_figures["figure_id"].iloc[0])
    want = compose(bundle, stored.copy(), None)
    got = compose(bundle, stored, None, consume=True)
    _same(got.figures, want.figures)
    assert got.figures["figure_id"].iloc[-1].endswith("~b2")
    assert list(stored.columns) == [] and len(stored) == 6  # emptied, not copied
    assert len(bundle.base_figures.columns) == len(FIGURE_COLUMNS)  # the bundle untouched


def test_compact_text_codes_or_shared_objects() -> None:
    frame = pd.DataFrame(
        {
            "figure_id": pd.Series([f"madeup_{i}" for i in range(6)], dtype="str"),
            "publisher": pd.Series(["UNHCR", "OCHA"] * 3, dtype="str"),
            "note": pd.Series(["a", None, "a", None, "a", "b"], dtype=object),
            "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    out = compact_text(frame.copy())
    # no missing cell: a code per cell, categories in text order (sorting is unchanged)
    assert out["publisher"].tolist() == ["UNHCR", "OCHA"] * 3
    assert isinstance(out["publisher"].dtype, pd.CategoricalDtype)
    assert list(out["publisher"].cat.categories) == ["OCHA", "UNHCR"]
    assert out["publisher"].cat.codes.dtype == np.int8
    assert (
        out.sort_values("publisher", kind="stable")["publisher"].tolist()
        == ["OCHA"] * 3 + ["UNHCR"] * 3
    )
    assert sort_codes(out["publisher"]).tolist() == [1, 0] * 3
    # a missing cell: shared objects, None (not NaN) where missing, as the views expect
    assert out["note"].dtype == object
    assert out["note"].iloc[0] is out["note"].iloc[2]  # shared, not copied
    assert out["note"].tolist() == ["a", None, "a", None, "a", "b"]
    assert out["note"].iloc[1] is None
    assert str(out["figure_id"].dtype) == "str"  # distinct ids: left as they are
    assert out["value"].tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
