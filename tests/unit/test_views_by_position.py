"""The views' position paths and what they keep between states (docs/performance.md,
"Fifth pass"): the chart data, the map and the reconciliation give the same answers for a
table whatever its index, and the answers kept between states (weekly series, pair
answers, pair rows) are those a fresh computation gives."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import plotly.io.json as pj
import pytest
from dash import html

from app.figures import timeseries as ts
from app.figures.chart_hover import hover_texts
from app.queries import map_values as mvq
from app.queries import reconcile as rq
from app.queries.catalogue import VIEW_METRICS
from app.queries.chart_data import chart_data
from app.queries.filters import FigureFilter
from components.plain import element, plain
from tests.unit import reference_views as old

PRIORITY = ["OCHA", "OHCHR", "UNHCR", "SNHR", "SOHR"]
T = pd.Timestamp


def _shuffled_index(figures: pd.DataFrame) -> pd.DataFrame:
    """The same rows with an index that is not their positions (a table made elsewhere)."""
    return figures.set_axis(pd.Index(np.arange(len(figures))[::-1] * 3 + 7))


@pytest.mark.parametrize(
    ("metric", "pcodes"),
    [("people_killed", ()), ("people_killed", ("SY07",)), ("people_killed", ("SY0703", "SY0200")),
     ("idp_arrivals", ()), ("idp_arrivals", ("SY07",))],
)  # fmt: skip
def test_chart_data_is_the_same_for_any_index(bundle, metric, pcodes) -> None:  # type: ignore[no-untyped-def]
    vm = VIEW_METRICS[metric]
    flt = FigureFilter(as_of=T("2020-02-16"))
    canonical = chart_data.__wrapped__(bundle.figures, bundle.areas, bundle.regions, vm, pcodes, flt)
    other = chart_data.__wrapped__(
        _shuffled_index(bundle.figures), bundle.areas, bundle.regions, vm, pcodes, flt
    )
    assert len(canonical.figures) > 0
    pd.testing.assert_frame_equal(canonical.figures, other.figures)
    assert (canonical.n_inside, canonical.n_undated) == (other.n_inside, other.n_undated)


@pytest.mark.parametrize("level", [1, 3])
@pytest.mark.parametrize(
    "flt", [FigureFilter(), FigureFilter(end=T("2020-02-15")), FigureFilter(as_of=T("2020-02-16"))]
)
def test_map_values_are_the_same_for_any_index(bundle, level, flt) -> None:  # type: ignore[no-untyped-def]
    vm = VIEW_METRICS["people_killed"]
    canonical = mvq.map_values(bundle.figures, bundle.areas, vm, level, flt, PRIORITY)
    other = mvq.map_values(_shuffled_index(bundle.figures), bundle.areas, vm, level, flt, PRIORITY)
    assert len(canonical.values) > 0
    pd.testing.assert_frame_equal(canonical.values, other.values)
    assert canonical.notes == other.notes


def test_weekly_sums_of_whole_counts_are_python_sums() -> None:
    """``_run_sums`` adds whole counts all at once and anything else left to right, as
    Python's ``sum`` does: the floats are the same to the last bit."""
    whole = np.array([1.0, 2.0, 3.0, 10.0, 20.0])
    lo, hi, which = np.array([0, 3]), np.array([3, 5]), np.array([True, True])
    assert mvq._run_sums(whole, lo, hi, which) == [6.0, 30.0]
    tenths = np.array([0.1, 0.2, 0.3, 0.7, 0.1])
    assert mvq._run_sums(tenths, lo, hi, which) == [sum([0.1, 0.2, 0.3]), sum([0.7, 0.1])]
    assert mvq._run_sums(tenths, lo, hi, np.array([False, True])) == [sum([0.7, 0.1])]


def test_reconciliation_kept_pairs_are_what_a_fresh_table_gives(bundle) -> None:  # type: ignore[no-untyped-def]
    """Pair answers kept from earlier states (``reconcile._pair_answers``) give the same
    reconciliation as a table that never answered a pair."""
    states = [("killed", "SY07", None), ("killed", "idleb_enclave", T("2020-02-16")),
              ("people_killed", "SY0703", T("2020-01-05")), ("killed", "SY07", T("2020-03-20"))]  # fmt: skip
    def of(figures: pd.DataFrame, g: str, p: str, a: pd.Timestamp | None) -> rq.Reconciliation:
        return rq.reconciliation(
            figures, bundle.regions, g, p, None, None, a, areas=bundle.areas, priority=PRIORITY
        )

    warm = [of(bundle.figures, g, p, a) for g, p, a in states]
    assert any(len(r.pairs) for r in warm)
    for (g, p, a), kept in zip(states, warm, strict=True):
        fresh = of(bundle.figures.copy(), g, p, a)
        pd.testing.assert_frame_equal(kept.figures, fresh.figures)
        pd.testing.assert_frame_equal(kept.pairs, fresh.pairs)


def test_relations_kept_per_table_are_what_in_place_gives(bundle) -> None:  # type: ignore[no-untyped-def]
    """Places related once per table (``reconcile._relations``), asked for again with the
    other ``include_inside`` and after other places, keep the rows and relations the frozen
    reference's ``in_place`` gives on a fresh copy."""
    table = bundle.figures
    index = rq.place_index(bundle.regions, bundle.areas)
    at = np.arange(len(table))
    asked = [("SY07", False), ("SY0703", True), ("idleb_enclave", False), ("SY07", True),
             ("SY0703", False), ("SY07", False)]  # fmt: skip
    rows = {}
    for key, inside in asked:
        place = index.by_key(key)
        kept, rel = rq.in_place_at(table, at, place, index, inside)
        want = old.in_place(bundle.figures.copy(), place, index, inside)
        assert kept.tolist() == want.index.tolist(), key
        assert rel.tolist() == want["relation"].tolist(), key
        rows[key, inside] = len(kept)
    assert rows["SY07", True] > rows["SY07", False] > 0  # the districts' own figures


def test_a_weekly_series_is_kept_by_content_and_handed_out_as_a_copy() -> None:
    """Two charts with the same weekly rows share a built series; a changed document makes
    another; changing one chart's lists does not change the next chart's."""
    starts = pd.date_range("2019-01-07", periods=8, freq="7D")
    frame = pd.DataFrame(
        {
            "metric": "people_killed", "kind": "flow", "publisher": "MADE-UP publisher",
            "area_label": "Idleb", "area_as_written": "Idleb", "value": [float(i) for i in range(8)],
            "qualifier": None, "low": [float(i) for i in range(8)],
            "high": [float(i) for i in range(8)], "period_start": starts,
            "period_end": starts + pd.Timedelta(days=6), "document": "MADE-UP a.csv",
            "published_date": T("2019-12-01"), "sector": None, "flags": None,
        }
    )  # fmt: skip
    ts._WEEKLY_BUILT.clear()
    first = ts.timeseries_dict(frame, [], metrics=("people_killed",))["data"][0]
    assert len(ts._WEEKLY_BUILT) == 1
    first["y"][0] = 999  # a caller changing its own figure
    again = ts.timeseries_dict(frame, [], metrics=("people_killed",))["data"][0]
    assert len(ts._WEEKLY_BUILT) == 1 and again["y"][0] == 0
    other = ts.timeseries_dict(frame.assign(document="MADE-UP b.csv"), [],
                               metrics=("people_killed",))["data"][0]  # fmt: skip
    assert len(ts._WEEKLY_BUILT) == 2
    assert all("MADE-UP b.csv" in h for h in hover_texts(other))
    assert all("MADE-UP a.csv" in h for h in hover_texts(again))


def test_element_is_the_json_of_the_dash_component() -> None:
    """``components.plain.element`` writes what Dash sends for the component; file text
    stays a prop value (text), never markup."""
    text = '<a href="https://evil.example">x</a>'
    made = element("Td", [element("Span", text, title="t")], className="c",
                   **{"data-label": "L"})  # fmt: skip
    component = html.Td([html.Span(text, title="t")], className="c", **{"data-label": "L"})
    assert json.loads(pj.to_json_plotly(made)) == json.loads(pj.to_json_plotly(component))
    assert plain(component) == made
    assert element("Li", None, className=None) == {
        "props": {}, "type": "Li", "namespace": "dash_html_components"
    }


@pytest.mark.parametrize(
    "flt",
    [FigureFilter(as_of=T("2020-02-16")), FigureFilter(start=T("2019-12-01"), end=T("2020-01-31")),
     FigureFilter(metrics=("idp_arrivals",), as_of=T("2020-02-16")),
     FigureFilter(pcodes=("SY07",), end=T("2019-12-31"))],
)  # fmt: skip
def test_filter_positions_are_the_same_on_numpy_dates_and_on_objects(bundle, flt) -> None:  # type: ignore[no-untyped-def]
    """The date filters read numpy datetimes; a frame whose dates are Python objects goes
    the pandas way, to the same rows."""
    from app.queries.filters import positions

    publishers = tuple(bundle.figures["publisher"].astype(str).value_counts().index[:3])
    flt = dataclasses.replace(flt, publishers=publishers)  # and the publisher filter
    fast = positions(bundle.figures, flt)
    dates = ["published_date", "period_start", "period_end"]
    objects = bundle.figures.astype({c: object for c in dates})
    slow = positions(objects, flt)
    assert fast is not None and 0 < len(fast) < len(bundle.figures)
    assert np.array_equal(fast, slow)
