"""The view state <-> URL query string: round trips, and every bad value falls back visibly."""

from __future__ import annotations

from datetime import date

import pytest

from app.state import Choices, ViewState, parse_query, parse_search, to_query

CHOICES = Choices(
    pcodes={"SY07", "SY0703", "SY070301", "SY070302"},
    publishers={
        "OCHA",
        "HNAP (Humanitarian Needs Assessment Programme, UN)",
        "Government of Turkey (President Erdogan, via Reuters/Al Arabiya)",
    },
)


def test_default_view_is_the_empty_query():
    assert to_query(ViewState()) == ""
    assert parse_query({}) == (ViewState(), [])


def test_full_state_serialises_exactly():
    state = ViewState(
        level=2,
        metric="people_in_need",
        sector="WASH",
        areas=("SY07", "SY070301"),
        publishers=("OCHA",),
        start=date(2019, 12, 1),
        end=date(2020, 3, 31),
        as_of=date(2020, 2, 16),
    )
    assert to_query(state) == (
        "?level=2&metric=people_in_need&sector=WASH&area=SY07,SY070301"
        "&publisher=OCHA&start=2019-12-01&end=2020-03-31&as_of=2020-02-16"
    )


@pytest.mark.parametrize(
    "state",
    [
        ViewState(),
        ViewState(level=1, metric="civilians_killed"),
        ViewState(metric="severity", sector="Protection", areas=("SY070302",)),
        ViewState(
            publishers=(
                "HNAP (Humanitarian Needs Assessment Programme, UN)",
                "Government of Turkey (President Erdogan, via Reuters/Al Arabiya)",
            )
        ),
        ViewState(start=date(2020, 1, 1), as_of=date(2020, 2, 16)),
    ],
)
def test_round_trip(state):
    assert parse_search(to_query(state), CHOICES) == (state, [])


def test_sector_is_only_written_for_per_sector_metrics():
    assert to_query(ViewState(metric="idp_arrivals", sector="WASH")) == ""
    assert to_query(ViewState(metric="severity", sector="WASH")) == "?metric=severity&sector=WASH"


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"level": "9"}, "Ignored level=9: expected 1, 2 or 3"),
        ({"level": "two"}, "Ignored level=two: expected 1, 2 or 3"),
        ({"metric": "bananas"}, "Ignored metric=bananas: unknown metric"),
        ({"sector": "Fishing"}, "Ignored sector=Fishing: expected one of"),
        ({"area": "SY999999"}, "Ignored area=SY999999: unknown P-code"),
        ({"area": "Idlib"}, "Ignored area=IDLIB: unknown P-code"),
        ({"publisher": "Nobody"}, "Ignored publisher=Nobody: no figures from this publisher"),
        ({"start": "2020-13-01"}, "Ignored start=2020-13-01: expected a date as YYYY-MM-DD"),
        ({"as_of": "16/02/2020"}, "Ignored as_of=16/02/2020: expected a date as YYYY-MM-DD"),
        ({"end": "2020-02-30"}, "Ignored end=2020-02-30: expected a date as YYYY-MM-DD"),
        ({"zoom": "7"}, "Ignored unknown parameter 'zoom'"),
    ],
)
def test_invalid_values_fall_back_with_a_notice(query, notice):
    state, notices = parse_query(query, CHOICES)
    assert state == ViewState()
    assert len(notices) == 1
    assert notices[0].startswith(notice)


def test_good_values_survive_next_to_bad_ones():
    state, notices = parse_query(
        {"level": "9", "area": "SY070301,SY999999", "as_of": "2020-02-16"}, CHOICES
    )
    assert state == ViewState(areas=("SY070301",), as_of=date(2020, 2, 16))
    assert notices == [
        "Ignored level=9: expected 1, 2 or 3",
        "Ignored area=SY999999: unknown P-code",
    ]


def test_end_before_start_is_dropped():
    state, notices = parse_query({"start": "2020-03-01", "end": "2020-02-01"})
    assert (state.start, state.end) == (date(2020, 3, 1), None)
    assert notices == ["Ignored end=2020-02-01: before start=2020-03-01"]


def test_repeated_parameter_keeps_the_first():
    state, notices = parse_query({"level": ["1", "2"]})
    assert state.level == 1
    assert notices == ["Ignored repeated level: kept the first value '1'"]


def test_pcodes_are_case_insensitive_and_deduplicated():
    state, _ = parse_query({"area": "sy070301, SY070301,sy07"}, CHOICES)
    assert state.areas == ("SY070301", "SY07")


def test_without_choices_only_the_pcode_shape_is_checked():
    state, notices = parse_query({"area": "SY020400,SY1"})
    assert state.areas == ("SY020400",)
    assert notices == ["Ignored area=SY1: unknown P-code"]


def test_figure_filter_carries_dates_and_publishers():
    f = ViewState(
        publishers=("OCHA",), start=date(2020, 1, 1), as_of=date(2020, 2, 16)
    ).figure_filter(metrics=("idp_arrivals",))
    assert f.metrics == ("idp_arrivals",)
    assert f.publishers == ("OCHA",)
    assert str(f.start.date()) == "2020-01-01"
    assert f.end is None
    assert str(f.as_of.date()) == "2020-02-16"
