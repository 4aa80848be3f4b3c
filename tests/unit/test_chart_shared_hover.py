"""Weekly series write the hover lines their weeks share once, in the trace's template;
the count and the week as placeholders plotly.js fills from the point (``%{y:,}``,
``%{x|...}``), and any other line of a week's own as ``customdata``
(app.figures.chart_hover.shared_hover): the hover plotly.js draws must be, week for week,
the hover written for that figure alone."""

from __future__ import annotations

import pandas as pd
import pytest

from app.figures.chart_hover import hover as _hover
from app.figures.chart_hover import hover_texts, trace_x
from app.figures.timeseries import timeseries_dict
from app.i18n import use

MADEUP = "MADE-UP weekly publisher"


def madeup_weeks(n: int = 30, document: str = "MADE-UP file.csv") -> pd.DataFrame:
    """Made-up weekly counts (not real data): one series of ``n`` Monday-Sunday weeks."""
    starts = pd.date_range("2019-01-07", periods=n, freq="7D")
    return pd.DataFrame(
        {
            "metric": "people_killed",
            "kind": "flow",
            "publisher": MADEUP,
            "area_label": "Idleb",
            "area_as_written": "Idleb",
            "value": [float(i % 5) for i in range(n)],
            "qualifier": None,
            "low": [float(i % 5) for i in range(n)],
            "high": [float(i % 5 + (i % 3)) for i in range(n)],
            "period_start": starts,
            "period_end": starts + pd.Timedelta(days=6),
            "document": document,
            "published_date": pd.Timestamp("2019-12-01"),
            "sector": None,
            "flags": None,
        }
    )


def weekly_trace(frame: pd.DataFrame) -> dict:
    fig = timeseries_dict(frame, [MADEUP], metrics=("people_killed",))
    (trace,) = [t for t in fig["data"] if t.get("type") == "scatter"]
    return trace


@pytest.mark.parametrize("language", ["en", "ar"])
def test_each_week_reads_as_its_own_hover(language: str) -> None:
    frame = madeup_weeks()
    with use(language):
        trace = weekly_trace(frame)
        expected = [_hover(r) for r in frame.to_dict("records")]
        assert hover_texts(trace) == expected
    assert "hovertext" not in trace and "x" not in trace
    # publisher, area, document, publication date are in the template, once; the count
    # and the week (its Monday) are the point's own y and x; only the range travels
    assert trace["hovertemplate"].count(MADEUP) == 1
    assert "%{y:,}" in trace["hovertemplate"]
    day = {"en": "%-d %b %Y", "ar": "%-d %B %Y"}[language]
    assert f"%{{x|{day}}}" in trace["hovertemplate"]
    assert all(len(row) == 1 for row in trace["customdata"])
    assert trace["x0"] == "2019-01-07" and trace["dx"] == 7 * 24 * 3600 * 1000
    assert trace["xperiodalignment"] == "middle" and trace["xperiod0"] == "2019-01-07"


def test_counts_travel_as_numbers_and_texts_only_where_plotly_cannot_write_them() -> None:
    """A value plotly.js would write otherwise (a fraction) travels as text."""
    frame = madeup_weeks(6)
    frame["value"] = frame["low"] = frame["high"] = [1.5, 2.0, 3.0, 4.0, 5.0, 6.0]
    trace = weekly_trace(frame)
    assert "%{y:,}" not in trace["hovertemplate"]
    assert trace["y"] == [1.5, 2, 3, 4, 5, 6]
    assert hover_texts(trace) == [_hover(r) for r in frame.to_dict("records")]
    big = madeup_weeks(5)
    big["value"] = big["low"] = big["high"] = [0.0, 999.0, 1000.0, 123456.0, 1234567.0]
    trace = weekly_trace(big)
    assert "%{y:,}" in trace["hovertemplate"]
    assert trace["y"] == [0, 999, 1000, 123456, 1234567]
    texts = hover_texts(trace)
    assert texts == [_hover(r) for r in big.to_dict("records")]
    assert "<b>1,234,567</b>" in texts[-1]


def test_a_missing_week_breaks_the_line_and_has_no_hover() -> None:
    frame = madeup_weeks().drop(index=[4]).reset_index(drop=True)
    trace = weekly_trace(frame)
    assert len(trace["y"]) == 30  # the grid keeps the missing week, without a value
    assert trace["y"][4] is None and trace["customdata"][4] is None
    assert trace_x(trace)[3:6] == ["2019-01-28", "2019-02-04", "2019-02-11"]
    texts = hover_texts(trace)
    assert texts[4] == ""
    assert [t for t in texts if t] == [_hover(r) for r in frame.to_dict("records")]


def test_file_text_cannot_become_a_placeholder_or_markup() -> None:
    """A document named like a placeholder stays text: its % is written as an entity in
    the shared template, so Plotly does not fill it in; its markup is escaped."""
    name = 'Report %{customdata[0]} <a href="https://evil.example">x</a> 100%'
    trace = weekly_trace(madeup_weeks(document=name))
    template = trace["hovertemplate"]
    assert "%{customdata[0]} &lt;a" not in template
    assert "&#37;{customdata[0]} &lt;a" in template
    assert "<a href" not in template
    texts = hover_texts(trace)
    assert all("Report %{customdata[0]} &lt;a" in t for t in texts)
    assert all("100%" in t for t in texts)


def test_lines_that_differ_per_week_stay_per_week() -> None:
    """Only the lines that change from week to week travel with each week."""
    frame = madeup_weeks(8)
    frame["document"] = ["MADE-UP a.csv"] * 4 + ["MADE-UP b.csv"] * 4
    trace = weekly_trace(frame)
    assert "MADE-UP a.csv" not in trace["hovertemplate"]
    assert MADEUP in trace["hovertemplate"]
    assert hover_texts(trace) == [_hover(r) for r in frame.to_dict("records")]
    # every point shares the publication date: no week carries it
    assert not any("1 Dec 2019" in cell for row in trace["customdata"] for cell in row)


def test_a_series_whose_lines_are_all_shared_has_empty_rows() -> None:
    frame = madeup_weeks(5)
    frame["value"] = frame["low"] = frame["high"] = 3.0
    frame["period_start"] = pd.Timestamp("2019-01-07")  # not weekly: one text per point
    assert "hovertext" in weekly_trace(frame)


@pytest.mark.parametrize(
    ("start", "end", "line"),
    [
        ("2019-01-07", "2019-01-13", "Period: week beginning 7 Jan 2019 (Monday to Sunday)"),
        ("2019-01-09", "2019-01-15", "Period: 9 Jan 2019 – 15 Jan 2019"),  # not Monday
        ("2019-01-07", "2019-01-14", "Period: 7 Jan 2019 – 14 Jan 2019"),  # eight days
        (None, "2019-01-13", "Period: as of 13 Jan 2019"),
    ],
)
def test_a_week_is_named_by_its_monday(start: str | None, end: str, line: str) -> None:
    """A Monday-to-Sunday week reads by its Monday (the weekly sums of events); any other
    period by its days, as everywhere else."""
    r = madeup_weeks(1).to_dict("records")[0]
    r["period_start"] = pd.Timestamp(start) if start else None
    r["period_end"] = pd.Timestamp(end)
    with use("en"):
        assert f"<br>{line}<br>" in _hover(r)


def test_weeks_from_another_weekday_keep_their_days() -> None:
    """Weeks that start on a Saturday are still a weekly series (its periods from its own
    first day), and their hover names both days: only a Monday week reads by its Monday."""
    frame = madeup_weeks(6)
    frame["period_start"] = pd.date_range("2019-01-05", periods=6, freq="7D")  # Saturdays
    frame["period_end"] = frame["period_start"] + pd.Timedelta(days=6)
    with use("en"):
        trace = weekly_trace(frame)
        expected = [_hover(r) for r in frame.to_dict("records")]
        assert hover_texts(trace) == expected
    assert (trace["x0"], trace["xperiod0"]) == ("2019-01-05", "2019-01-05")
    assert "Period: 5 Jan 2019 – 11 Jan 2019" in expected[0]
    assert all(len(row) == 2 for row in trace["customdata"])  # the range and the period
