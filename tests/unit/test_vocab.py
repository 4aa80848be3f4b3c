"""The documented vocabularies: metric mapping and qualifier ranges."""

from __future__ import annotations

import math

import pytest

from app.vocab import METRICS, Kind, UnknownQualifier, canonical_metric, qualifier_range


@pytest.mark.parametrize(("written", "expected"), [
    ("displaced_since_2019-12-01", "idps_displaced_since"),
    ("displacements_since_2019-12-01", "idps_displaced_since"),
    ("displaced_in_period_2020-02-09_to_2020-02-12", "idp_displacements"),
    ("displaced_in_month_2020-02", "idp_displacements"),
    ("idps_displaced_from", "idp_departures"),
    ("received_idps_recently_dana_subdistrict", "idp_arrivals"),
    ("idps_hosted_before_wave", "idps_present"),
    ("civilian_deaths_recorded", "civilians_killed"),
    ("people_killed_airstrikes_shelling", "people_killed"),
    ("people_at_risk_could_head_for_border", "people_at_risk"),
    ("communities_changed_control_since_2019-12-01", None),
])
def test_canonical_metric(written, expected):
    assert canonical_metric(written) == expected


def test_kinds_keep_stocks_flows_and_totals_apart():
    assert METRICS["idps_displaced_since"].kind is Kind.CUMULATIVE
    assert METRICS["idp_arrivals"].kind is Kind.FLOW
    assert METRICS["idps_present"].kind is Kind.STOCK
    assert METRICS["people_at_risk"].kind is Kind.PROJECTION
    assert not METRICS["severity"].summable


@pytest.mark.parametrize(("value", "qualifier", "low", "high"), [
    (299, "", 299, 299),
    (800000, "more than", 800000, 880000),
    (1800, "over", 1800, 1980),
    (100, "at least", 100, 110),
    (350000, "almost", 315000, 350000),
    (390000, "nearly", 351000, 390000),
    (284000, "some", 269800, 298200),
    (3000000, "estimated", 2700000, 3300000),
    (900000, "some / almost", 810000, 945000),
    (344000, "344K", 343500, 344500),
    (1200000, "1.2M", 1150000, 1250000),
])
def test_qualifier_ranges(value, qualifier, low, high):
    assert qualifier_range(value, qualifier) == (low, high)


@pytest.mark.parametrize("bad", ["roughly-ish", "more or less", "~"])
def test_unknown_qualifier_is_reported_not_guessed(bad):
    with pytest.raises(UnknownQualifier) as err:
        qualifier_range(100, bad)
    assert "more than" in err.value.known


def test_nan_value_gives_nan_range():
    low, high = qualifier_range(math.nan, "some")
    assert math.isnan(low) and math.isnan(high)
