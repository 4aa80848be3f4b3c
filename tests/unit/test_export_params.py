"""Export parameters: valid and invalid inputs side by side, and the view -> query mapping."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.export.params import (
    PARAMETERS,
    Choices,
    Endpoint,
    ExportParamError,
    ExportParams,
    View,
    export_query,
    filename,
    parse_export_params,
)
from app.queries.catalogue import VIEW_METRICS
from app.state import ViewState

CHOICES = Choices(
    pcodes={"SY07", "SY0703", "SY070301", "SY02"},
    publishers={"OCHA", "OCHA / IDP Task Force", "WFP citing CCCM Cluster, Syria"},
)
F, A = Endpoint.FIGURES, Endpoint.AREAS


def parse(endpoint: Endpoint = F, **args: str | list[str]) -> ExportParams:
    given_args = {k.rstrip("_"): v if isinstance(v, list) else [v] for k, v in args.items()}
    return parse_export_params(given_args, endpoint, CHOICES)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, {"metrics": (), "level": None, "areas": ()}),
        (
            {"metric": "idp_arrivals,civilians_killed"},
            {"metrics": ("idp_arrivals", "civilians_killed")},
        ),
        (
            {"metric": ["idp_arrivals", "civilians_killed"]},
            {"metrics": ("idp_arrivals", "civilians_killed")},
        ),
        ({"area": "sy07, SY070301"}, {"areas": ("SY07", "SY070301")}),
        ({"level": "2"}, {"level": 2}),
        ({"sector": "shelter"}, {"sector": "Shelter"}),
        (
            {"from_": "2020-02-01", "to": "2020-02-29"},
            {"start": date(2020, 2, 1), "end": date(2020, 2, 29)},
        ),
        ({"from_": "2020-02-01", "to": "2020-02-01"}, {"start": date(2020, 2, 1)}),
        ({"as_of": "2020-02-16"}, {"as_of": date(2020, 2, 16)}),
        (
            {"publisher": "OCHA|WFP citing CCCM Cluster, Syria"},
            {"publishers": ("OCHA", "WFP citing CCCM Cluster, Syria")},
        ),
        ({"hxl": "1"}, {"hxl": True}),
        ({"hxl": "0"}, {"hxl": False}),
        ({"metric": ""}, {"metrics": ()}),  # an empty form field is "not given"
        ({"view": "map", "metric": "idp_arrivals"}, {"view": View.MAP, "level": 3}),
        ({"view": "map", "metric": "people_in_need"}, {"sector": "Shelter"}),
        (
            {"view": "timeseries", "metric": "civilians_killed", "area": "SY0703"},
            {"view": View.TIMESERIES, "level": None, "areas": ("SY0703",)},
        ),
        (
            {"view": "card", "card": "killed", "as_of": "2020-02-16"},
            {"view": View.CARD, "card": "killed"},
        ),
    ],
)
def test_valid(args: dict, expected: dict) -> None:
    p = parse(**args)
    for key, value in expected.items():
        assert getattr(p, key) == value, key


@pytest.mark.parametrize(
    ("args", "parameter", "message"),
    [
        ({"foo": "1"}, "foo", "unknown parameter 'foo'"),
        ({"start": "2020-02-01"}, "start", "the export names it from="),
        ({"metric": "idp_arrival"}, "metric", "metric=idp_arrival is not in the vocabulary"),
        ({"metric": "border_distance_km"}, "metric", "an attribute of the areas"),
        ({"area": "SY99"}, "area", "area=SY99 is not a P-code"),
        ({"area": "SY"}, "area", "area=SY is the whole country"),
        ({"area": "Idlib"}, "area", "area=Idlib is not a P-code"),
        ({"level": "0"}, "level", "level=0: expected 1 (governorates)"),
        ({"level": "4"}, "level", "level=4"),
        ({"level": "two"}, "level", "level=two"),
        ({"level": ["1", "2"]}, "level", "given 2 times"),
        ({"from_": "2020-02-30"}, "from", "from=2020-02-30 is not a date"),
        ({"to": "16/02/2020"}, "to", "to=16/02/2020 is not a date"),
        ({"as_of": "2020-13-01"}, "as_of", "as_of=2020-13-01 is not a date"),
        (
            {"from_": "2020-03-01", "to": "2020-02-01"},
            "from",
            "from=2020-03-01 is after to=2020-02-01: an impossible range",
        ),
        ({"publisher": "OCH"}, "publisher", "Did you mean: OCHA | OCHA / IDP Task Force"),
        ({"sector": "Food"}, "sector", "sector=Food: expected one of"),
        ({"hxl": "maybe"}, "hxl", "hxl=maybe: expected 1 or 0"),
        ({"view": "table"}, "view", "view=table: expected one of map, timeseries, card"),
        ({"view": "map"}, "metric", "view=map needs one metric="),
        ({"view": "map", "metric": "idp_arrivals,civilians_killed"}, "metric", "give one"),
        ({"view": "map", "metric": "population"}, "metric", "an attribute of the areas"),
        (
            {"view": "timeseries", "metric": "border_distance_km"},
            "metric",
            "an attribute of the areas",
        ),
        (
            {"view": "timeseries", "metric": "idp_arrivals", "level": "2"},
            "level",
            "level= does not apply to view=timeseries",
        ),
        ({"view": "card"}, "card", "view=card needs card="),
        ({"view": "card", "card": "wounded"}, "card", "card=wounded: expected one of"),
        ({"card": "killed"}, "card", "card= does not apply to an export without view="),
    ],
)
def test_invalid(args: dict, parameter: str, message: str) -> None:
    with pytest.raises(ExportParamError) as err:
        parse(**args)
    assert any(p.parameter == parameter and message in p.message for p in err.value.problems), (
        err.value.problems
    )


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ExportParamError) as err:
        parse(level="9", area="SY99", foo="x", to="2020-02-31")
    assert sorted(p.parameter for p in err.value.problems) == ["area", "foo", "level", "to"]


@pytest.mark.parametrize(
    ("args", "parameter", "message"),
    [
        ({"hxl": "1"}, "hxl", "hxl= does not apply to areas exports"),
        ({"view": "map"}, "view", "view= does not apply to areas exports"),
        ({"metric": "idps_present"}, "metric", "not a metric this view draws"),
    ],
)
def test_invalid_for_geojson(args: dict, parameter: str, message: str) -> None:
    with pytest.raises(ExportParamError) as err:
        parse(A, **args)
    assert any(p.parameter == parameter and message in p.message for p in err.value.problems)


def test_geojson_defaults_are_the_dashboards() -> None:
    p = parse(A)
    assert (p.metrics, p.level, p.sector) == (("idp_arrivals",), 3, None)
    assert parse(A, metric="population").metrics == ("population",)  # area attributes map too
    assert parse(A, metric="severity").sector == "Shelter"


@given(
    st.dictionaries(
        st.sampled_from([*PARAMETERS, "x", "start"]),
        st.lists(st.text(max_size=12), max_size=3),
        max_size=6,
    )
)
def test_never_raises_anything_but_a_param_error(args: dict) -> None:
    for endpoint in Endpoint:
        try:
            parse_export_params(args, endpoint, CHOICES)
        except ExportParamError as exc:
            assert exc.problems


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (ExportParams(), "nw-syria-figures-all.csv"),
        (
            ExportParams(
                metrics=("idp_arrivals",),
                areas=("SY07",),
                level=3,
                start=date(2020, 2, 1),
                end=date(2020, 2, 29),
                as_of=date(2020, 3, 1),
            ),
            "nw-syria-figures-idp_arrivals-SY07-adm3-2020-02-01_2020-02-29-asof-2020-03-01.csv",
        ),
        (
            ExportParams(publishers=('A "quoted"; name/with slash',)),
            "nw-syria-figures-A-quoted-name-with-slash.csv",
        ),
        (ExportParams(view=View.CARD, card="at_risk"), "nw-syria-figures-card-at_risk.csv"),
    ],
)
def test_filename(params: ExportParams, expected: str) -> None:
    assert filename(params, "figures", "csv") == expected


def test_filename_is_bounded() -> None:
    long = ExportParams(publishers=tuple(f"Publisher number {i}" for i in range(30)))
    assert len(filename(long, "figures", "csv")) <= len("nw-syria-figures-.csv") + 120


STATE = ViewState(
    level=2,
    metric="people_in_need",
    sector="WASH",
    areas=("SY0703",),
    publishers=("OCHA",),
    start=date(2020, 1, 1),
    end=date(2020, 2, 29),
    as_of=date(2020, 3, 1),
)


@pytest.mark.parametrize(
    ("view", "card", "expected"),
    [
        (
            "map",
            None,
            "?view=map&metric=people_in_need&level=2&sector=WASH&from=2020-01-01"
            "&to=2020-02-29&publisher=OCHA&as_of=2020-03-01",
        ),
        (
            "geojson",
            None,
            "?metric=people_in_need&level=2&sector=WASH&from=2020-01-01"
            "&to=2020-02-29&publisher=OCHA&as_of=2020-03-01",
        ),
        (
            "timeseries",
            None,
            "?view=timeseries&metric=people_in_need&sector=WASH&area=SY0703"
            "&from=2020-01-01&to=2020-02-29&publisher=OCHA&as_of=2020-03-01",
        ),
        (
            "sources",
            None,
            f"?metric={','.join(VIEW_METRICS['people_in_need'].family)}"
            "&sector=WASH&area=SY0703"
            "&from=2020-01-01&to=2020-02-29&publisher=OCHA&as_of=2020-03-01",
        ),
        ("card", "killed", "?view=card&card=killed&area=SY0703&as_of=2020-03-01"),
    ],
)
def test_export_query_of_a_view(view: str, card: str | None, expected: str) -> None:
    assert export_query(STATE, view, card) == expected


@pytest.mark.parametrize("view", ["map", "timeseries", "sources", "card", "geojson"])
def test_export_query_parses_back(view: str) -> None:
    """Every link a view makes is a valid export request (a 200, never a 400)."""
    from urllib.parse import parse_qs

    query = export_query(STATE, view, "displaced")
    endpoint = A if view == "geojson" else F
    p = parse_export_params(parse_qs(query[1:]), endpoint, CHOICES)
    assert p.as_of == date(2020, 3, 1)


def test_default_state_exports_everything_but_names_its_view() -> None:
    family = VIEW_METRICS[ViewState().metric].family
    assert export_query(ViewState(), "sources") == f"?metric={','.join(family)}"
    assert export_query(ViewState(), "map") == "?view=map&metric=idp_arrivals&level=3"
