"""The map reads only the weekly event sums that can decide a value (nested totals: an
area's own week beats a sum of its sub-areas; without a window only the latest week counts),
and draws exactly what it drew reading all of them (real bundle: UCDP GED 2016-2019)."""

from __future__ import annotations

import pandas as pd
import pytest

from app.queries import map_values as mvq
from app.queries.catalogue import VIEW_METRICS
from app.queries.filters import FigureFilter

PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]
WINDOWS = [FigureFilter(),
           FigureFilter(start=pd.Timestamp("2019-08-01"), end=pd.Timestamp("2019-08-31")),
           FigureFilter(start=pd.Timestamp("2019-11-01")),
           FigureFilter(as_of=pd.Timestamp("2020-02-16"))]  # fmt: skip
DRAWN = ["pcode", "value", "low", "high", "qualifier", "publisher", "document", "period",
         "summed", "n_parts", "partial", "n_periods"]  # fmt: skip


@pytest.mark.parametrize("metric", ["people_killed", "civilians_killed"])
@pytest.mark.parametrize("level", [1, 2, 3])
@pytest.mark.parametrize("flt", WINDOWS, ids=["all", "aug-2019", "from-nov-2019", "as-of"])
def test_same_map_as_reading_every_week(bundle, monkeypatch, metric, level, flt) -> None:  # type: ignore[no-untyped-def]
    vm = VIEW_METRICS[metric]
    pruned = mvq.map_values(bundle.figures, bundle.areas, vm, level, flt, PRIORITY)
    with monkeypatch.context() as m:
        m.setattr(mvq, "event_sums_that_can_win_at", lambda figures, at, *a: at)
        full = mvq.map_values(bundle.figures, bundle.areas, vm, level, flt, PRIORITY)
    assert len(pruned.values) == len(full.values) > 0
    def drawn(values: pd.DataFrame) -> list[list]:
        frame = values[DRAWN].astype(object)
        return frame.where(frame.notna(), None).values.tolist()

    assert drawn(pruned.values) == drawn(full.values)
