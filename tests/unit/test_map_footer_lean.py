"""A map's footer reads only the weekly event sums that can decide a value
(``rows.view_figures``, lean) and says what the full export's rows say: the same
publishers, the same documents and the same newest date (the real bundle holds the
north-west's UCDP weekly sums)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from app.export import rows
from app.export.params import ExportParams, View

PRIORITY = ["OCHA", "UNHCR", "OHCHR"]
CASES = [
    ExportParams(view=View.MAP, metrics=(metric,), level=level, as_of=as_of, start=start)
    for metric in ("people_killed", "civilians_killed")
    for level in (1, 2, 3)
    for as_of in (None, dt.date(2019, 8, 5), dt.date(2020, 2, 16))
    for start in (None, dt.date(2019, 6, 1))
]


@pytest.mark.parametrize("p", CASES, ids=str)
def test_lean_map_rows_say_what_the_export_says(bundle, p) -> None:  # type: ignore[no-untyped-def]
    full_rows, full_pos = rows._select(bundle, p, PRIORITY)
    full = full_rows.iloc[full_pos]
    lean = rows.view_figures(bundle, p, PRIORITY)
    assert set(lean["figure_id"]) <= set(full["figure_id"])
    assert set(zip(lean["publisher"], lean["document"], strict=True)) == set(
        zip(full["publisher"], full["document"], strict=True)
    )
    if len(full):
        assert lean["period_end"].max() == full["period_end"].max()


def test_lean_map_leaves_out_weeks(bundle) -> None:  # type: ignore[no-untyped-def]
    """Not a no-op: without a date window, earlier weeks' sums are left out."""
    p = ExportParams(view=View.MAP, metrics=("people_killed",), level=1)
    full_rows, full_pos = rows._select(bundle, p, PRIORITY)
    lean = rows.view_figures(bundle, p, PRIORITY)
    assert len(lean) < len(full_pos) / 10
    assert np.isin(lean.index, full_rows.index[full_pos]).all()
