"""The lean export (rows by position, built slice by slice, text by Arrow kernels) gives
exactly what the whole-table, cell-by-cell export gave.

Oracles: ``export_rows_reference.py`` and ``export_csv_reference.py``, frozen copies of the
earlier implementation. Inputs: the REAL bundle under many parameter sets, a bundle whose
figures are GENERATED (``generated_tables.py``), and hypothesis-made frames of every column
type, including the dtypes a fast path must refuse (objects holding numbers, NaN, None).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import export_csv_reference as ref_csv
import export_rows_reference as ref_rows
import numpy as np
import pandas as pd
import pytest
from generated_tables import PRIORITY, generated_figures
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.export.columns import EXPORT_COLUMNS, ColumnType, column_type
from app.export.csv_writer import column_fields, csv_bytes, csv_chunks
from app.export.params import ExportParams, View
from app.export.rows import SORT, ExportTable, export_table, sort_order
from app.export.text import cell_text
from app.tables.compact import compact_text

PARAMS = [
    ExportParams(),
    ExportParams(as_of=dt.date(2020, 2, 16)),
    ExportParams(metrics=("idp_arrivals",), areas=("SY07",), as_of=dt.date(2020, 3, 1)),
    ExportParams(level=2),
    ExportParams(level=3, sector="Shelter"),
    ExportParams(sector="WASH", start=dt.date(2020, 1, 1), end=dt.date(2020, 2, 29)),
    ExportParams(publishers=("OCHA",)),
    ExportParams(view=View.MAP, metrics=("idp_arrivals",), level=3),
    ExportParams(view=View.MAP, metrics=("people_in_need",), level=2, sector="Shelter"),
    ExportParams(view=View.TIMESERIES, metrics=("idp_arrivals",), areas=("SY07",)),
    ExportParams(view=View.TIMESERIES, metrics=("civilians_killed",)),
    ExportParams(view=View.CARD, card="displaced"),
    ExportParams(view=View.CARD, card="killed", as_of=dt.date(2020, 2, 16)),
]


def _same_table(bundle, p: ExportParams) -> None:
    got = export_table(bundle, p, PRIORITY)
    want = ref_rows.export_table(bundle, p, PRIORITY)
    pd.testing.assert_frame_equal(got.frame, want.frame)
    assert got.metrics == want.metrics
    for hxl in (False, True):
        text = ref_csv.csv_text(want.frame, want.metrics, hxl=hxl)
        assert "".join(csv_chunks(got, hxl=hxl)) == text
        small = 7 if len(got) < 300 else 501  # many slices, each a few rows: same text
        assert "".join(csv_chunks(got, hxl=hxl, chunk_rows=small)) == text


@pytest.mark.parametrize("p", PARAMS, ids=lambda p: repr(p)[13:80])
def test_real_bundle(bundle, p: ExportParams) -> None:
    _same_table(bundle, p)


@pytest.fixture(scope="module")
def generated_bundle(bundle):
    """The real areas and regions with 3,000 GENERATED figures in place of the real ones."""
    figures = generated_figures(3000, 11)
    figures["sector"] = np.where(np.arange(3000) % 50 == 0, "Shelter", None)
    return dataclasses.replace(bundle, figures=figures)


@pytest.mark.parametrize("p", PARAMS[:7], ids=lambda p: repr(p)[13:80])
def test_generated_bundle(generated_bundle, p: ExportParams) -> None:
    _same_table(generated_bundle, p)


def test_an_unfiltered_export_does_not_copy_the_table(bundle) -> None:
    t = export_table(bundle, ExportParams(), PRIORITY)
    assert t.source is bundle.figures
    assert sorted(t.order) == list(range(len(bundle.figures)))
    sizes = [len(s) for s in t.slices(1000)]
    assert sizes[:-1] == [1000] * (len(sizes) - 1) and sum(sizes) == len(bundle.figures)


def test_bytes_are_the_text_in_utf8(bundle) -> None:
    t = export_table(bundle, ExportParams(as_of=dt.date(2020, 2, 16)), PRIORITY)
    assert b"".join(csv_bytes(t)) == "".join(csv_chunks(t)).encode("utf-8")


@pytest.mark.parametrize("seed", range(3))
def test_sort_order_is_sort_values(seed: int) -> None:
    rows = generated_figures(800, seed).sample(frac=1.0, random_state=seed)
    want = rows.reset_index(drop=True).sort_values(SORT, na_position="last", kind="stable")
    assert sort_order(rows, SORT).tolist() == want.index.tolist()
    # the text columns as the composed tables hold them (categories, shared objects)
    compact = compact_text(rows.reset_index(drop=True))
    assert any(isinstance(compact[c].dtype, pd.CategoricalDtype) for c in SORT)
    assert sort_order(compact, SORT).tolist() == want.index.tolist()
    # a large table's repeated text sorted by the ranks of its distinct texts
    import app.export.rows as export_rows

    with pytest.MonkeyPatch.context() as m:
        m.setattr(export_rows, "_LARGE", 10)
        assert export_rows._text_ranks(compact["area_pcode"]) is not None
        assert sort_order(compact, SORT).tolist() == want.index.tolist()


# --- every column type, fast path or not ---------------------------------------------------
TEXT = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["=1+1", "-5", "+x", "@a", "\tt", "\rr", '"q"', "a,b", "إدلب", "", "'="]),
)
FLOAT = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e15, 1e15 - 1, -1e15, 1e16, 12.5, 1500.0, 2.0**53]),
)
DATE = st.one_of(
    st.none(),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)


def _values(draw: st.DrawFn, kind: ColumnType, n: int) -> list:
    if kind is ColumnType.TEXT:
        return [draw(TEXT) for _ in range(n)]
    if kind is ColumnType.NUMBER:
        return [draw(FLOAT) for _ in range(n)]
    if kind is ColumnType.INTEGER:
        return [draw(st.one_of(st.none(), st.integers(-(10**12), 10**12))) for _ in range(n)]
    if kind is ColumnType.DATE:
        return [draw(DATE) for _ in range(n)]
    return [draw(st.one_of(st.none(), st.booleans())) for _ in range(n)]


DTYPES = {
    ColumnType.TEXT: [None, object, "str", "category"],
    ColumnType.NUMBER: [None, object, "float64"],
    ColumnType.INTEGER: [None, object, "Int64", "float64"],
    ColumnType.DATE: [None, object, "datetime64[us]"],
    ColumnType.BOOLEAN: [None, object, "boolean"],
}


@st.composite
def columns(draw: st.DrawFn) -> tuple[pd.Series, ColumnType]:
    kind = draw(st.sampled_from(list(ColumnType)))
    n = draw(st.integers(1, 8))
    values = _values(draw, kind, n)
    dtype = draw(st.sampled_from(DTYPES[kind]))
    if dtype is None:
        series = pd.Series(values)
    else:
        try:
            series = pd.Series(values, dtype=dtype)
        except (TypeError, ValueError, OverflowError):
            series = pd.Series(values, dtype=object)
    if draw(st.booleans()):  # a column that looks numeric but is held as objects
        series = series.astype(object)
    return series, kind


def _expected(series: pd.Series, kind: ColumnType) -> list[str]:
    return [ref_csv._field(v, kind) for v in series]


@settings(deadline=None)  # a loaded 2-core machine: timings say nothing here
@given(columns())
@example((pd.Series([-0.0, 1e15, 999999999999999.0, float("inf"), None]), ColumnType.NUMBER))
@example((pd.Series([1, None], dtype="Int64"), ColumnType.INTEGER))
@example((pd.Series([7.9, -7.9, float("nan")]), ColumnType.INTEGER))
@example((pd.Series([None, None]), ColumnType.TEXT))
@example((pd.Series([1.5, "x", None], dtype=object), ColumnType.TEXT))
@example((pd.Series([True, None], dtype=object), ColumnType.BOOLEAN))
@example((pd.Series(pd.to_datetime(["2020-02-16 13:45", None])), ColumnType.DATE))
def test_column_fields_are_cell_text_cell_by_cell(column) -> None:
    series, kind = column
    try:
        want = _expected(series, kind)
    except (TypeError, ValueError, OverflowError):
        with pytest.raises((TypeError, ValueError, OverflowError)):
            column_fields(series, kind).to_pylist()
        return
    assert column_fields(series, kind).to_pylist() == want


@settings(deadline=None)  # a loaded 2-core machine: timings say nothing here
@given(st.lists(columns(), min_size=1, max_size=4))
def test_frames_of_any_columns(cols) -> None:
    n = min(len(s) for s, _ in cols)
    names = [f"c{i}" for i in range(len(cols))]
    frame = pd.DataFrame(
        {name: s.iloc[:n].reset_index(drop=True) for name, (s, _) in zip(names, cols, strict=True)}
    )
    kinds = [k for _, k in cols]
    try:
        rows = [
            ",".join(ref_csv._field(v, k) for v, k in zip(r, kinds, strict=True)) + "\r\n"
            for r in frame.itertuples(index=False, name=None)
        ]
    except (TypeError, ValueError, OverflowError):
        return
    from app.export.csv_writer import chunk_bytes

    assert chunk_bytes(frame, kinds).decode("utf-8") == "".join(rows)


def test_export_columns_keep_their_fast_paths(bundle) -> None:
    """On the bundle's own table no column takes the cell-by-cell path (speed, not bytes)."""
    import app.export.csv_writer as w

    frame = export_table(bundle, ExportParams(), PRIORITY).frame
    for c in EXPORT_COLUMNS:
        assert w._FAST[column_type(c)](frame[c]) is not None, c


def test_number_text_edge_cases() -> None:
    values = pd.Series([0.1 + 0.2, 1e-300, 123456789.125, -2.5e-7, 1e22, math.pi])
    assert column_fields(values, ColumnType.NUMBER).to_pylist() == [
        cell_text(v, ColumnType.NUMBER) for v in values
    ]


def test_made_up_table_round_trip_is_unchanged(bundle) -> None:
    t = ExportTable(export_table(bundle, ExportParams(), PRIORITY).frame, ())
    assert "".join(csv_chunks(t)) == ref_csv.csv_text(t.frame, ())


@pytest.mark.parametrize("dtype", [object, "str", "category"])
def test_repeated_text_is_escaped_once_per_value_the_same_way(dtype: object) -> None:
    """Long columns of few distinct texts take the dictionary path: same fields."""
    payloads = ["=1+1", "-5", "+x", "@a", "\tt", "\rr", '"q"', "a,b", "إدلب", "", None, "OCHA"]
    values = pd.Series([payloads[i % len(payloads)] for i in range(1000)], dtype=dtype)
    got = column_fields(values, ColumnType.TEXT).to_pylist()
    assert got == [ref_csv._field(v, ColumnType.TEXT) for v in values]
