"""How figures read: the exact wording cards, hovers and the sources page share."""

from __future__ import annotations

import pandas as pd
import pytest

from app import format as fmt


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((800000, "more than", 800000, 880000), "more than 800,000 (800,000–880,000)"),
        ((1000000, "almost", 900000, 1000000), "almost 1,000,000 (900,000–1,000,000)"),
        ((700000, "some", 665000, 735000), "some 700,000 (665,000–735,000)"),
        ((248842, None, 248842, 248842), "248,842"),
        ((344000, 'chart label "344K"', 343500, 344500), "344,000 (343,500–344,500)"),
        ((float("nan"), None, float("nan"), float("nan")), "no data"),
    ],
)
def test_figure_text(args, text):
    assert fmt.figure_text(*args) == text


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ("2020-02-01", "2020-02-29", "Feb 2020"),
        ("2019-12-01", "2020-02-12", "1 Dec 2019 – 12 Feb 2020"),
        (None, "2020-02-16", "as of 16 Feb 2020"),
        ("2020-01-11", "2020-01-11", "11 Jan 2020"),
        ("2020-01-15", None, "from 15 Jan 2020 (end not stated)"),
        (None, None, "undated"),
    ],
)
def test_period(start, end, text):
    def ts(v):
        return pd.Timestamp(v) if v else pd.NaT

    assert fmt.period(ts(start), ts(end)) == text


def test_missing_numbers_never_read_as_zero():
    assert fmt.number(None) == "no data"
    assert fmt.number(float("nan")) == "no data"
    assert fmt.number(0) == "0"


def test_short_name_drops_asides():
    assert fmt.short_name("REACH (citing HNAP IDP Snapshot 8 March 2020)") == "REACH"
    assert fmt.short_name("HNAP (Humanitarian Needs Assessment Programme, UN)") == "HNAP"
    assert fmt.short_name("A very long publisher name indeed", 10) == "A very lo…"
