"""With a date window the map adds up an area's weekly sums of events before making its
series (``map_values._premerge_at``): the same values, sources, counts and notes
as the long way (``_add_up_periods`` over one series row per week), on the real bundle's
north-west UCDP weekly sums, every level and kind of window."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from app.queries import map_values as mvq
from app.queries.catalogue import VIEW_METRICS
from app.queries.filters import FigureFilter

PRIORITY = ["OCHA", "UNHCR", "OHCHR"]
WINDOWS = [
    (None, pd.Timestamp("2020-02-15")),
    (pd.Timestamp("2017-01-01"), pd.Timestamp("2017-12-31")),
    (pd.Timestamp("2019-04-01"), None),
    (pd.Timestamp("2016-01-01"), pd.Timestamp("2020-03-31")),
]
AS_OF = [None, pd.Timestamp("2019-09-01")]


@pytest.mark.parametrize(
    ("metric", "level", "window", "as_of"),
    list(itertools.product(["civilians_killed", "people_killed"], [1, 2, 3], WINDOWS, AS_OF)),
)
def test_premerged_weekly_sums_are_the_long_way(bundle, metric, level, window, as_of) -> None:  # type: ignore[no-untyped-def]
    vm = VIEW_METRICS[metric]
    flt = FigureFilter(start=window[0], end=window[1], as_of=as_of)
    fast = mvq.map_values(bundle.figures, bundle.areas, vm, level, flt, PRIORITY)
    slow = mvq.map_values(bundle.figures, bundle.areas, vm, level, flt, PRIORITY, _premerge=False)
    pd.testing.assert_frame_equal(fast.values, slow.values)
    assert fast.notes == slow.notes


def test_premerge_takes_place(bundle) -> None:  # type: ignore[no-untyped-def]
    """Not a no-op on the bundle: many weeks are merged before the series are made."""
    f = bundle.figures
    rows = f[f["metric"].astype(str) == "civilians_killed"]
    rows = rows[rows["period_end"] <= pd.Timestamp("2020-02-15")]
    drop, merged = mvq._premerge_at(f, rows.index.to_numpy(), 1)
    kept = rows[~drop]
    assert len(merged) >= 2 and len(kept) < len(rows) - 100
    assert all(m["n_periods"] > 1 and m["periods_note"].startswith("sum of ") for m in merged.values())
