"""The views with weekly casualty counts from conflict-event datasets (UCDP GED style):
the people_killed view metric, the map's sum over a window, the chart's time axis and
the reconciliation of consecutive weeks. Every figure here is made up (``madeup_``)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest

from app.export.params import ExportParams, View
from app.export.rows import export_table
from app.figures.chart_hover import SLOTS as _SLOTS
from app.figures.chart_hover import hover_texts, trace_x
from app.figures.map import _value_hover
from app.figures.timeseries import timeseries_dict
from app.queries.catalogue import CASUALTIES, VIEW_METRICS
from app.queries.chart_data import chart_data
from app.queries.filters import FigureFilter
from app.queries.map_values import map_values
from app.queries.reconcile import reconciliation
from app.state import parse_query, to_query
from app.tables.columns import FIGURE_COLUMNS

PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]
PUBLISHER = "UCDP GED Syria 652.1601.1911 (made up)"
DOCUMENT = "madeup_ged_syria_weekly.csv"
AUGUST = FigureFilter(start=pd.Timestamp("2019-08-01"), end=pd.Timestamp("2019-08-31"))

#: Idleb's weeks that overlap August 2019 (Mon 29 Jul ... Sun 1 Sep): best, low, high
AUGUST_WEEKS = {
    "2019-07-29": (3, 2, 4),
    "2019-08-05": (5, 4, 7),
    "2019-08-12": (7, 6, 9),
    "2019-08-19": (11, 10, 15),
    "2019-08-26": (13, 12, 20),
}


def madeup_weekly_figure(
    fid: str,
    pcode: str,
    monday: str,
    best: float,
    low: float,
    high: float,
    metric: str = "people_killed",
    publisher: str = PUBLISHER,
    document: str = DOCUMENT,
    days: int = 6,
) -> dict:
    """One canonical figure as the event aggregation writes it: one area, one ISO week."""
    start = pd.Timestamp(monday)
    return {
        "figure_id": fid,
        "metric": metric,
        "kind": "flow",
        "metric_as_written": "best" if metric == "people_killed" else "civilian deaths",
        "sector": None,
        "value": float(best),
        "qualifier": None,
        "low": float(low),
        "high": float(high),
        "period_start": start,
        "period_end": start + pd.Timedelta(days=days),
        "area_pcode": pcode,
        "region": None,
        "area_as_written": pcode,
        "publisher": publisher,
        "document": document,
        "url": None,
        "published_date": pd.Timestamp("2020-01-10"),
        "note": None,
        "source_file": document,
        "source_row": 2,
    }


@pytest.fixture
def madeup_weeks() -> pd.DataFrame:
    """Idleb (SY07) for the five weeks overlapping August 2019 and one week either side,
    Dana (SY070301, the precise events only) for the same weeks, civilians for two weeks."""
    rows = [
        madeup_weekly_figure("w-jul22", "SY07", "2019-07-22", 100, 90, 110),
        madeup_weekly_figure("w-sep02", "SY07", "2019-09-02", 200, 180, 220),
    ]
    for i, (monday, (best, low, high)) in enumerate(AUGUST_WEEKS.items()):
        rows.append(madeup_weekly_figure(f"w-aug{i}", "SY07", monday, best, low, high))
        rows.append(madeup_weekly_figure(f"d-aug{i}", "SY070301", monday, 1, 1, 2))
    rows.append(madeup_weekly_figure("c-aug0", "SY07", "2019-08-05", 2, 2, 3, "civilians_killed"))
    rows.append(madeup_weekly_figure("c-aug1", "SY07", "2019-08-12", 4, 3, 6, "civilians_killed"))
    return pd.DataFrame(rows)[FIGURE_COLUMNS]


def _with(bundle, extra: pd.DataFrame):  # type: ignore[no-untyped-def]
    figures = pd.concat([bundle.figures, extra], ignore_index=True)
    return dataclasses.replace(bundle, figures=figures)


# --- the view metric -------------------------------------------------------------------


def test_people_killed_is_a_view_metric() -> None:
    vm = VIEW_METRICS["people_killed"]
    assert (vm.source, vm.column, vm.unit) == ("figures", "people_killed", "people")
    assert vm.label == "People killed in period (all, not only civilians)"
    assert vm.family[0] == "people_killed" and set(vm.family) == set(CASUALTIES)
    assert "conflict-event datasets" in vm.note.lower() and "week" in vm.note
    assert "published" in vm.note


def test_state_parser_accepts_people_killed() -> None:
    state, notices = parse_query({"metric": "people_killed", "start": "2019-08-01",
                                  "end": "2019-08-31"})
    assert notices == []
    assert state.metric == "people_killed"
    assert state.view_metric.column == "people_killed"
    assert to_query(state) == "?metric=people_killed&start=2019-08-01&end=2019-08-31"


def test_readme_lists_people_killed() -> None:
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `metric` |"))
    for metric in VIEW_METRICS:
        assert f"`{metric}`" in row, metric


# --- the map: weekly counts added up over the window ------------------------------------


def test_map_adds_up_a_months_weekly_counts(bundle, madeup_weeks) -> None:
    mv = map_values(
        madeup_weeks, bundle.areas, VIEW_METRICS["people_killed"], 1, AUGUST, PRIORITY
    )
    row = mv.values.set_index("pcode").loc["SY07"].to_dict()
    assert (row["value"], row["low"], row["high"]) == (39.0, 34.0, 55.0)
    assert row["period"] == "29 Jul 2019 – 1 Sep 2019"
    assert row["source"] == f"{PUBLISHER}, 29 Jul 2019 – 1 Sep 2019"
    assert (row["n_periods"], row["periods_note"], row["n_figures"]) == (
        5, "sum of 5 weekly counts", 5
    )
    assert row["qualifier"] is None and not row["summed"]
    # the sum of Dana's weeks (same document, a sub-area) is the one other figure
    assert row["n_other"] == 1
    hover = _value_hover(mv, {**row, "pcode": "SY07"})
    assert "<b>39 (34–55)</b>" in hover
    assert "Sum of 5 weekly counts in the window" in hover
    assert any("added up over the window (1 area(s))" in n for n in mv.notes)


def test_map_sub_district_weeks_and_district_sum(bundle, madeup_weeks) -> None:
    vm = VIEW_METRICS["people_killed"]
    dana = map_values(madeup_weeks, bundle.areas, vm, 3, AUGUST, PRIORITY).values
    assert dana[["pcode", "value", "low", "high", "n_periods"]].to_dict("records") == [
        {"pcode": "SY070301", "value": 5.0, "low": 5.0, "high": 10.0, "n_periods": 5}
    ]
    # the district is Dana's weeks added up: a partial sum of sub-areas over 5 weeks
    harem = map_values(madeup_weeks, bundle.areas, vm, 2, AUGUST, PRIORITY).values
    row = harem.set_index("pcode").loc["SY0703"]
    assert (row["value"], row["n_periods"], bool(row["summed"]), bool(row["partial"])) == (
        5.0, 5, True, True
    )


def test_map_without_a_window_keeps_the_latest_week(bundle, madeup_weeks) -> None:
    mv = map_values(
        madeup_weeks, bundle.areas, VIEW_METRICS["people_killed"], 1, FigureFilter(), PRIORITY
    )
    row = mv.values.set_index("pcode").loc["SY07"]
    assert (row["value"], row["period"], row["n_periods"]) == (
        200.0, "2 Sep 2019 – 8 Sep 2019", 1
    )
    assert row["n_other"] == 7 + 5 - 1  # Idleb's other weeks and Dana's 5 weekly sums


def test_map_never_adds_overlapping_periods(bundle, madeup_weeks) -> None:
    # a second edition of one week in the same document, and a month of another publisher
    extra = pd.DataFrame(
        [
            madeup_weekly_figure("w-aug1-rev", "SY07", "2019-08-05", 6, 5, 8),
            madeup_weekly_figure(
                "m-aug", "SY07", "2019-08-01", 50, 50, 50, publisher="SNHR (made up)",
                document="madeup_monthly.pdf", days=30,
            ),
        ]
    )[FIGURE_COLUMNS]
    figures = pd.concat([madeup_weeks, extra], ignore_index=True)
    mv = map_values(figures, bundle.areas, VIEW_METRICS["people_killed"], 1, AUGUST, PRIORITY)
    row = mv.values.set_index("pcode").loc["SY07"]
    # the document's weeks overlap (two editions of 5 Aug): none of them is added up; the
    # latest period end is UCDP's last week (1 Sep), after SNHR's month (31 Aug)
    assert (row["value"], row["n_periods"], row["period"]) == (13.0, 1, "26 Aug 2019 – 1 Sep 2019")


def test_map_export_holds_every_added_up_week(bundle, madeup_weeks) -> None:
    b = _with(bundle, madeup_weeks)
    params = ExportParams(
        metrics=("people_killed",), level=1, view=View.MAP,
        start=date(2019, 8, 1), end=date(2019, 8, 31),
    )
    out = export_table(b, params, PRIORITY).frame
    ucdp = out[out["publisher"] == PUBLISHER]
    assert sorted(ucdp["figure_id"]) == sorted(
        [f"w-aug{i}" for i in range(5)] + [f"d-aug{i}" for i in range(5)]
    )
    idleb = ucdp[ucdp["area_pcode"] == "SY07"]
    assert (idleb["value"].sum(), idleb["low"].sum(), idleb["high"].sum()) == (39, 34, 55)


def test_bundle_figures_are_never_added_up(bundle) -> None:
    """The bundle's transcribed figures (without those summed from events): no document
    holds consecutive flows of one area, so the map with any window shows them as before."""
    base = getattr(bundle, "base_figures", bundle.figures)
    for metric in ("idp_arrivals", "idp_departures", "civilians_killed", "people_killed"):
        for level in (1, 2, 3):
            flt = FigureFilter(start=pd.Timestamp("2019-01-01"), end=pd.Timestamp("2020-12-31"))
            mv = map_values(base, bundle.areas, VIEW_METRICS[metric], level, flt, PRIORITY)
            assert set(mv.values["n_periods"]) <= {1}, (metric, level)


# --- the chart: all the data reachable, the winter shown first --------------------------


@pytest.fixture
def madeup_years() -> pd.DataFrame:
    """Idleb's weekly counts from the first week of 2016 to the last of Nov 2019."""
    mondays = pd.date_range("2016-01-04", "2019-11-25", freq="W-MON")
    return pd.DataFrame(
        [
            madeup_weekly_figure(f"y{i}", "SY07", str(m.date()), i % 9, i % 9, i % 9 + 2)
            for i, m in enumerate(mondays)
        ]
    )[FIGURE_COLUMNS]


def test_chart_opens_on_the_winter_and_reaches_2016(bundle, madeup_years) -> None:
    vm = VIEW_METRICS["people_killed"]
    data = chart_data(madeup_years, bundle.areas, bundle.regions, vm, (), FigureFilter())
    assert len(data.figures) == 204
    fig = timeseries_dict(data.figures, PRIORITY, height=440, metrics=vm.family)
    layout = fig["layout"]
    lo, hi = layout["xaxis"]["range"]
    assert (pd.Timestamp(lo), pd.Timestamp(hi)) == (
        pd.Timestamp("2019-10-29"), pd.Timestamp("2020-04-03")
    )
    (menu,) = layout["updatemenus"]
    assert [b["label"] for b in menu["buttons"]] == ["Winter 2019-20", "2019", "All"]
    assert menu["buttons"][0]["args"] == [{"xaxis.range": ["2019-10-29", "2020-04-03"]}]
    assert menu["buttons"][1]["args"] == [{"xaxis.range": ["2018-12-27", "2020-01-05"]}]
    first, last = menu["buttons"][2]["args"][0]["xaxis.range"]
    assert pd.Timestamp(first) < pd.Timestamp("2016-01-04")  # the first week is in view
    assert pd.Timestamp(last) > pd.Timestamp("2019-12-01")
    assert layout["margin"]["t"] == 50  # room for the buttons above the panel title


def test_chart_with_the_users_dates_has_no_buttons(bundle, madeup_years) -> None:
    vm = VIEW_METRICS["people_killed"]
    data = chart_data(madeup_years, bundle.areas, bundle.regions, vm, (), AUGUST)
    fig = timeseries_dict(
        data.figures, PRIORITY, x_range=(date(2019, 8, 1), date(2019, 8, 31)), metrics=vm.family
    )
    assert "updatemenus" not in fig["layout"]
    assert fig["layout"]["xaxis"]["range"] == [pd.Timestamp("2019-08-01"), pd.Timestamp("2019-08-31")]


def test_chart_of_figures_inside_the_winter_has_no_buttons(bundle, madeup_weeks) -> None:
    winter = madeup_weeks.assign(
        period_start=madeup_weeks["period_start"] + pd.Timedelta(days=7 * 18),
        period_end=madeup_weeks["period_end"] + pd.Timedelta(days=7 * 18),
    )
    vm = VIEW_METRICS["people_killed"]
    data = chart_data(winter, bundle.areas, bundle.regions, vm, (), FigureFilter())
    assert "updatemenus" not in timeseries_dict(data.figures, PRIORITY)["layout"]


# --- reconciliation: a dataset's weeks are not rival claims -------------------------------


def test_weekly_counts_of_one_dataset_are_not_paired(bundle, madeup_years) -> None:
    rival = madeup_weekly_figure(
        "rival", "SY07", "2019-11-18", 40, 40, 40, publisher="SNHR (made up)",
        document="madeup_snhr_weekly.pdf",
    )
    figures = pd.concat([madeup_years, pd.DataFrame([rival])[FIGURE_COLUMNS]], ignore_index=True)
    rec = reconciliation(figures, bundle.regions, "killed", "nw_syria", areas=bundle.areas,
                         priority=PRIORITY)
    assert len(rec.figures) == 205
    pairs = {(p["a_id"], p["b_id"]) for p in rec.pairs.to_dict("records")}
    # the rival week meets the dataset's weeks of 11, 18 and 25 Nov (ends within 7 days)
    assert {frozenset(p) for p in pairs} == {
        frozenset({"rival", f"y{i}"}) for i in (201, 202, 203)
    }
    status = dict(zip(rec.figures["figure_id"], rec.figures["status"], strict=True))
    assert status["y202"] == "contradiction"  # the same week, 4 vs 40
    assert status["y100"] == "alone"


def test_a_run_of_weekly_counts_is_one_point_per_week(bundle, madeup_years) -> None:
    """204 made-up weeks: one point each, drawn mid-week, one hover each, the line broken
    where a week is missing; not four points and three hovers per week."""
    gap = madeup_years.drop(index=[10])  # the 11th week has no count
    vm = VIEW_METRICS["people_killed"]
    data = chart_data(gap, bundle.areas, bundle.regions, vm, (), FigureFilter())
    fig = timeseries_dict(data.figures, PRIORITY, height=440, metrics=vm.family)
    (trace,) = [t for t in fig["data"] if len(t["y"]) > 100]
    xs = trace_x(trace)
    assert len(xs) == 204  # 203 weeks and the missing one
    assert trace["y"][10] is None and sum(y is not None for y in trace["y"]) == 203
    assert xs[0] == "2016-01-04" and xs[10] == "2016-03-14"  # Mondays: the weeks' starts
    assert (trace["xperiod"], trace["xperiodalignment"]) == (7 * 86_400_000, "middle")
    assert trace["y"][:3] == [0, 1, 2]
    assert trace["error_y"]["array"][:3] == [2.0, 2.0, 2.0]
    hovers = hover_texts(trace)
    assert sum(bool(h) for h in hovers) == 203
    # the hover gives the week itself, by its Monday
    assert "Period: week beginning 4 Jan 2016 (Monday to Sunday)" in hovers[0]
    assert "hovertext" not in trace  # the lines every week shares are written once
    assert len(trace["customdata"][0]) < len(_SLOTS)
