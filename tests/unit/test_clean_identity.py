"""``clean.identity_codes`` groups rows exactly as ``DataFrame.duplicated`` over the
identity columns does (missing equal to missing), on the bundle and on made-up twins."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.queries import clean
from app.tables.compact import compact_text


def _same_groups(a: np.ndarray, frame: pd.DataFrame) -> None:
    want = frame.duplicated(subset=clean._IDENTITY, keep=False).to_numpy()
    got = pd.Series(a).duplicated(keep=False).to_numpy()
    assert (got == want).all()
    first = frame.duplicated(subset=clean._IDENTITY, keep="first").to_numpy()
    assert (pd.Series(a).duplicated(keep="first").to_numpy() == first).all()


def test_identity_codes_are_duplicated_on_the_bundle(bundle) -> None:  # type: ignore[no-untyped-def]
    f = bundle.figures
    _same_groups(clean.identity_codes(f), f)


def test_identity_codes_on_madeup_twins(bundle) -> None:  # type: ignore[no-untyped-def]
    """Copies of bundle rows, some changed in one identity column or with a cell missing."""
    rng = np.random.default_rng(7)
    base = bundle.figures.iloc[rng.choice(len(bundle.figures), 400, replace=False)]
    twins = base.astype({c: object for c in ("metric", "publisher", "document")}).copy()
    twins["figure_id"] = [f"madeup_twin_{i}" for i in range(len(twins))]
    changed = rng.random(len(twins)) < 0.3
    twins.loc[changed, "value"] = twins.loc[changed, "value"] + 1
    gone = rng.random(len(twins)) < 0.2
    twins.loc[gone, "document"] = None
    frame = pd.concat([base.astype(twins.dtypes.to_dict()), twins], ignore_index=True)
    assert frame.duplicated(subset=clean._IDENTITY, keep=False).sum() > 100  # twins exist
    _same_groups(clean.identity_codes(frame), frame)
    compact = compact_text(frame.copy())
    _same_groups(clean.identity_codes(compact), frame)
    kept = clean.drop_duplicates(compact)
    assert kept.index.tolist() == clean.drop_duplicates(frame).index.tolist()


def test_duplicate_mask_is_what_drop_duplicates_drops(bundle) -> None:  # type: ignore[no-untyped-def]
    """On made-up twins with and without notes, the mask drops exactly the rows the earlier
    (reference) implementation dropped, and ``drop_duplicates`` keeps the rest in order."""
    from tests.unit import reference_views as old

    rng = np.random.default_rng(11)
    base = bundle.figures.iloc[rng.choice(len(bundle.figures), 500, replace=False)]
    base = base.astype({c: object for c in base.columns if base[c].dtype == "category"})
    twins = base.copy()
    twins["figure_id"] = [f"madeup_twin_{i:03d}" for i in range(len(twins))]
    twins["note"] = np.where(rng.random(len(twins)) < 0.5, "madeup note", None)
    frame = pd.concat([base, twins.iloc[::-1]], ignore_index=True)
    frame.index = frame.index * 3 + 5  # labels that are not positions
    want = old.drop_duplicates(frame)
    assert len(want) < len(frame)
    mask = clean.duplicate_mask(frame)
    assert frame.index[~mask].tolist() == want.index.tolist()
    assert clean.drop_duplicates(frame).index.tolist() == want.index.tolist()
    small = pd.concat([frame.iloc[:100], frame.iloc[-100:]])  # 100 rows and their twins
    assert clean.duplicate_mask(small).sum() > 0
    assert small.index[~clean.duplicate_mask(small)].tolist() == (
        old.drop_duplicates(small).index.tolist()
    )
