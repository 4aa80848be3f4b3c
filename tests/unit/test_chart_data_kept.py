"""``chart_data`` keeps its last results per table and language: the chart and its PNG
footer ask for the same state one after the other."""

from __future__ import annotations

import pandas as pd

from app.i18n import Language, reset_current, set_current
from app.queries import chart_data as cd
from app.queries.catalogue import VIEW_METRICS
from app.queries.filters import FigureFilter


def _data(bundle, figures=None, as_of=None):  # type: ignore[no-untyped-def]
    return cd.chart_data(figures if figures is not None else bundle.figures, bundle.areas,
                         bundle.regions, VIEW_METRICS["civilians_killed"], (),
                         FigureFilter(as_of=as_of))  # fmt: skip


def test_kept_per_state_table_and_language(bundle) -> None:  # type: ignore[no-untyped-def]
    first = _data(bundle)
    assert _data(bundle) is first
    assert _data(bundle, as_of=pd.Timestamp("2020-02-16")) is not first
    token = set_current(Language(lang="ar"))
    try:
        arabic = _data(bundle)
    finally:
        reset_current(token)
    assert arabic is not first and arabic.scope != first.scope  # words in the language asked
    other = bundle.figures.copy()  # another version of the tables
    assert _data(bundle, figures=other) is not first
    pd.testing.assert_frame_equal(_data(bundle, figures=other).figures, first.figures)


def test_only_the_last_few_kept(bundle) -> None:  # type: ignore[no-untyped-def]
    days = pd.date_range("2019-06-01", periods=cd.CHART_DATA_KEPT + 3, freq="7D")
    first = _data(bundle, as_of=days[0])
    for day in days[1:]:
        _data(bundle, as_of=day)
    assert _data(bundle, as_of=days[0]) is not first  # pushed out, made again
