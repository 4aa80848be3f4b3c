"""Codes of large columns without a hash table the size of the column
(``compact.codes_and_uniques``, ``compact.fold_codes``' renumbering by sorting): the same
groups as pandas' own, forced here with small chunks and limits on MADE-UP columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app.queries import clean
from app.tables import compact

RNG = np.random.default_rng(20200216)
COLUMNS = {
    "text with missing": pd.Series(RNG.choice(["a", "b", None, "c", ""], 500), dtype=object),
    "numbers": pd.Series(RNG.choice([1.0, -0.0, 0.0, np.nan, 2.5, 1e9], 500)),
    "dates": pd.Series(pd.to_datetime(RNG.choice(["2020-01-01", "2020-02-01", None], 500))),
    "categorical": pd.Series(RNG.choice(["x", "y", "z"], 500)).astype("category"),
    "ids": pd.Series([f"madeup_{i}" for i in RNG.permutation(500)], dtype="str"),
}


@pytest.mark.parametrize("name", list(COLUMNS))
@pytest.mark.parametrize("chunk", [7, 64, 1 << 16])
def test_codes_are_factorize(monkeypatch, name, chunk) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(compact, "_CODES_CHUNK", chunk)
    col = COLUMNS[name]
    codes, uniques = compact.codes_and_uniques(col)
    want, want_uniques = pd.factorize(col, use_na_sentinel=True)
    assert codes.dtype == np.int32
    assert codes.tolist() == want.tolist()
    assert [str(u) for u in uniques] == [str(u) for u in want_uniques]
    same = compact.codes_of(col)  # a categorical's own codes: the same groups
    assert ((same[:, None] == same[None, :]) == (want[:, None] == want[None, :])).all()
    assert ((same < 0) == (want < 0)).all()


def test_identity_codes_renumbered_by_sorting(bundle, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Renumbered before every column, the key still groups rows as ``duplicated`` does."""
    f = pd.concat([bundle.figures, bundle.figures.iloc[::7]], ignore_index=True)
    want = f.duplicated(subset=clean._IDENTITY, keep=False).to_numpy()
    assert want.sum() > 1000
    monkeypatch.setattr(compact, "_KEY_LIMIT", 2)
    monkeypatch.setattr(compact, "_CODES_CHUNK", 300)
    calls = []
    renumbered = compact._renumbered
    monkeypatch.setattr(compact, "_renumbered", lambda k: calls.append(1) or renumbered(k))
    key = clean.identity_codes(f)
    assert len(calls) == len(clean._IDENTITY)  # before every column
    assert (pd.Series(key).duplicated(keep=False).to_numpy() == want).all()
    assert clean._repeated(key).tolist() == np.flatnonzero(want).tolist()
    monkeypatch.setattr(clean, "_SMALL", 10)
    kept = ~clean.duplicate_mask(f)
    assert f.index[kept].tolist() == clean.drop_duplicates(f).index.tolist()


def test_renumbered_keeps_the_key_order() -> None:
    key, span = compact._renumbered(np.array([50, 7, 50, 9, 7], dtype=np.int64))
    assert key.tolist() == [2, 0, 2, 1, 0] and span == 3
