"""Weekly series write the hover lines their weeks share once, in the trace's template,
and each week's own lines as ``customdata`` (app.figures.timeseries._shared_hover): the
hover Plotly draws must be, week for week, the hover written for that figure alone."""

from __future__ import annotations

import pandas as pd
import pytest

from app.figures.chart_hover import hover as _hover
from app.figures.chart_hover import hover_texts
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
    assert "customdata" in trace and "hovertext" not in trace
    assert hover_texts(trace) == expected
    # publisher, area, document, publication date are in the template, once
    assert trace["hovertemplate"].count(MADEUP) == 1
    assert all(MADEUP not in "".join(row) for row in trace["customdata"])


def test_a_missing_week_breaks_the_line_and_has_no_hover() -> None:
    frame = madeup_weeks().drop(index=[4]).reset_index(drop=True)
    trace = weekly_trace(frame)
    assert trace["x"][4] is None and trace["customdata"][4] is None
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
