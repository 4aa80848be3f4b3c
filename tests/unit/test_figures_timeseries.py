"""The time-series builder: kinds on separate axes, one trace per publisher, ranges as error bars."""

from __future__ import annotations

import pandas as pd
import pytest

from app.figures.timeseries import outside_range, time_range, timeseries_figure

PRIORITY = ["OCHA", "OHCHR"]


def _row(metric, kind, value, low, high, start, end, publisher, area="North-west Syria"):
    return {
        "figure_id": f"{publisher}-{end}-{value}",
        "metric": metric,
        "kind": kind,
        "value": float(value),
        "qualifier": "some",
        "low": float(low),
        "high": float(high),
        "period_start": pd.Timestamp(start) if start else pd.NaT,
        "period_end": pd.Timestamp(end),
        "publisher": publisher,
        "document": "doc",
        "url": None,
        "published_date": pd.Timestamp(end),
        "area_label": area,
        "area_as_written": area,
        "sector": None,
    }


@pytest.fixture
def figures() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _row(
                "idps_displaced_since",
                "cumulative",
                800000,
                800000,
                880000,
                "2019-12-01",
                "2020-02-12",
                "OCHA",
            ),
            _row(
                "idps_displaced_since",
                "cumulative",
                900000,
                810000,
                945000,
                "2019-12-01",
                "2020-02-20",
                "OCHA",
            ),
            _row(
                "idps_displaced_since",
                "cumulative",
                700000,
                665000,
                735000,
                None,
                "2020-02-16",
                "News article of 16 Feb 2020 (outlet not recorded)",
            ),
            _row(
                "idp_displacements",
                "flow",
                142000,
                134900,
                149100,
                "2020-02-09",
                "2020-02-12",
                "OCHA",
            ),
        ]
    )


def _traces(fig, **meta):
    return [t for t in fig.data if all(t.meta.get(k) == v for k, v in meta.items())]


def test_one_trace_per_publisher(figures):
    fig = timeseries_figure(figures, PRIORITY)
    cum = _traces(fig, kind="cumulative")
    assert sorted(t.meta["publisher"] for t in cum) == ["News article of 16 Feb 2020", "OCHA"]
    ocha = _traces(fig, kind="cumulative", publisher="OCHA")[0]
    assert list(ocha.y) == [800000.0, 900000.0]


def test_kinds_on_separate_axes(figures):
    fig = timeseries_figure(figures, PRIORITY)
    cum_axes = {t.yaxis for t in _traces(fig, kind="cumulative")}
    flow_axes = {t.yaxis for t in _traces(fig, kind="flow")}
    assert len(cum_axes) == 1 and len(flow_axes) == 1
    assert cum_axes.isdisjoint(flow_axes)
    titles = [a.text for a in fig.layout.annotations]
    assert titles[0].startswith("Running totals") and titles[1].startswith("Counts over a period")


def test_error_bars_are_the_qualifier_range(figures):
    fig = timeseries_figure(figures, PRIORITY)
    ocha = _traces(fig, kind="cumulative", publisher="OCHA")[0]
    assert list(ocha.error_y.array) == [80000.0, 45000.0]  # high - value
    assert list(ocha.error_y.arrayminus) == [0.0, 90000.0]  # value - low


def test_flows_span_their_period(figures):
    fig = timeseries_figure(figures, PRIORITY)
    flow = _traces(fig, kind="flow")[0]
    start, mid, end, gap = flow.x
    assert (pd.Timestamp(start), pd.Timestamp(end)) == (
        pd.Timestamp("2020-02-09"),
        pd.Timestamp("2020-02-12"),
    )
    assert pd.Timestamp(start) < pd.Timestamp(mid) < pd.Timestamp(end) and gap is None
    assert list(flow.y[:3]) == [142000.0] * 3
    assert flow.error_y.array[1] == pytest.approx(7100.0)
    assert flow.error_y.arrayminus[1] == pytest.approx(7100.0)
    assert list(flow.marker.size[:3]) == [0, 9, 0]  # one visible point per flow, mid-period


def test_hover_names_publisher_document_date_qualifier(figures):
    fig = timeseries_figure(figures, PRIORITY)
    seed = _traces(fig, publisher="News article of 16 Feb 2020")[0]
    text = seed.hovertext[0]
    for part in (
        "News article of 16 Feb 2020 (outlet not recorded)",
        "some 700,000",
        "Qualifier: some; range 665,000–735,000",
        "as of 16 Feb 2020",
        "Document: doc",
    ):
        assert part in text


def test_seed_article_stands_out(figures):
    fig = timeseries_figure(figures, PRIORITY)
    seed = _traces(fig, publisher="News article of 16 Feb 2020")[0]
    ocha = _traces(fig, kind="cumulative", publisher="OCHA")[0]
    assert seed.line.color != ocha.line.color


def test_empty_selection_says_so():
    fig = timeseries_figure(pd.DataFrame(), PRIORITY, empty_message="Nothing here.")
    assert not fig.data
    assert fig.layout.annotations[0].text == "Nothing here."


def test_time_axis_keeps_the_focus_months_and_counts_what_reaches_outside(figures):
    since_sochi = _row(
        "civilians_killed", "flow", 1800, 1800, 1980, "2018-09-17", "2020-02-13", "TRT World"
    )
    df = pd.concat([figures, pd.DataFrame([since_sochi])], ignore_index=True)
    lo, hi = time_range(df)
    assert lo < pd.Timestamp("2019-11-01") and hi > pd.Timestamp("2020-03-31")
    assert hi - lo < pd.Timedelta(days=160)  # not stretched back to 2018
    assert outside_range(df, lo, hi) == 1
    fig = timeseries_figure(df, PRIORITY)
    assert pd.Timestamp(fig.layout.xaxis.range[0]) == lo


def test_time_axis_of_a_single_date_is_months_wide():
    one = pd.DataFrame([_row("severity", "index", 5, 5, 5, None, "2018-12-31", "OCHA")])
    lo, hi = time_range(one)
    assert hi - lo >= pd.Timedelta(days=60)
    assert lo < pd.Timestamp("2018-12-31") < hi


def test_user_dates_win():
    one = pd.DataFrame([_row("severity", "index", 5, 5, 5, None, "2018-12-31", "OCHA")])
    assert time_range(one, ("2020-01-01", "2020-01-31")) == (
        pd.Timestamp("2020-01-01"),
        pd.Timestamp("2020-01-31"),
    )
