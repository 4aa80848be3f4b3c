"""``clean.for_areas(rows, table)`` compares only the rows with a twin in the table
(:class:`app.queries.clean.AreaMarks`): it must keep exactly the rows the full comparison
keeps, in every subset a view can take."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.queries import clean


def test_marks_find_every_twin_and_sub_area_row(bundle) -> None:  # type: ignore[no-untyped-def]
    figures = bundle.figures
    marks = clean.area_marks(figures)
    assert marks.twin.sum() > 0  # the bundle carries figures transcribed twice
    assert marks.sub_area.sum() > 0
    dropped = clean.duplicate_mask(figures)
    assert not (dropped & ~marks.twin).any()  # every dropped row is marked as a twin
    assert np.array_equal(marks.sub_area, clean.is_sub_area_row(figures).to_numpy())
    assert clean.area_marks(figures) is marks  # once per table


def test_subsets_keep_what_the_full_comparison_keeps(bundle) -> None:  # type: ignore[no-untyped-def]
    figures = bundle.figures
    twins = np.flatnonzero(clean.area_marks(figures).twin)
    rng = np.random.default_rng(7)
    subsets = [np.arange(len(figures)), twins, twins[::2], twins[1::2]]
    subsets += [np.sort(rng.choice(len(figures), size=n, replace=False)) for n in (50, 400, 3000)]
    subsets += [np.sort(np.r_[rng.choice(twins, size=len(twins) // 2, replace=False), 0, 1])]
    for at in subsets:
        rows = figures.iloc[np.unique(at)]
        fast = clean.for_areas(rows, figures)
        slow = clean.for_areas(rows)
        pd.testing.assert_frame_equal(fast, slow)


def test_rows_not_taken_from_the_table_are_compared_in_full(bundle) -> None:  # type: ignore[no-untyped-def]
    figures = bundle.figures
    rows = figures.iloc[:500].reset_index(drop=True).set_axis(
        pd.Index([f"r{i}" for i in range(500)])
    )
    pd.testing.assert_frame_equal(clean.for_areas(rows, figures), clean.for_areas(rows))
