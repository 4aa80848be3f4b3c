"""``app.tables.records.records`` gives what ``DataFrame.to_dict("records")`` gives: the
same keys, equal values, the same Python types (a missing cell stays None, nan or NaT as
pandas has it). MADE-UP rows: every column type the views' tables hold."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from app.tables.records import records


def _same(a: object, b: object) -> bool:
    if type(a) is not type(b):
        return False
    if a is pd.NaT or (isinstance(a, float) and math.isnan(a)):
        return a is b or (isinstance(b, float) and math.isnan(b))
    return a == b


def _assert_same(frame: pd.DataFrame) -> None:
    want = frame.to_dict("records")
    got = records(frame)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert list(g) == list(w)
        bad = {k: (g[k], w[k]) for k in w if not _same(g[k], w[k])}
        assert not bad, bad


def _made_up_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "figure_id": pd.Series(["made-up-1", "made-up-2", None], dtype="str"),
            "metric": pd.Categorical(["displaced", None, "killed"]),
            "note": pd.Series(["a note", None, "ملاحظة"], dtype=object),
            "numpy_in_object": pd.Series([np.float64(1.5), np.int64(3), pd.NA], dtype=object),
            "value": [1.0, np.nan, 3.5],
            "source_row": np.array([2, 3, 4], dtype=np.int64),
            "small": np.array([2, 3, 4], dtype=np.int32),
            "flag": [True, False, True],
            "period_end": pd.to_datetime(["2020-02-16", None, "2019-08-05"]).astype("datetime64[us]"),
            "tuples": pd.Series([("a",), (), ("b", "c")], dtype=object),
            "nullable": pd.array([1, None, 3], dtype="Int64"),
            "arrow_text": pd.array(["x", None, "z"], dtype=pd.ArrowDtype(pa.string())),
        }
    )


def test_every_column_type_reads_as_pandas_reads_it() -> None:
    _assert_same(_made_up_frame())


def test_an_index_that_is_not_positions_and_an_empty_table() -> None:
    frame = _made_up_frame().set_axis([10, 5, 7])
    _assert_same(frame)
    _assert_same(frame.iloc[0:0])
    assert records(pd.DataFrame()) == []


@pytest.mark.filterwarnings("ignore:DataFrame columns are not unique")
def test_repeated_column_names_fall_back_to_pandas() -> None:
    frame = pd.DataFrame([[1, 2]], columns=["a", "a"])
    assert records(frame) == frame.to_dict("records")


@pytest.mark.parametrize("rows", [slice(0, 50), slice(None)])
def test_the_bundles_figures_read_as_pandas_reads_them(rows: slice) -> None:
    from app.bundle.store import load_bundle
    from app.config import get_config

    figures = load_bundle(get_config().data_dir).figures.iloc[rows]
    _assert_same(figures)
