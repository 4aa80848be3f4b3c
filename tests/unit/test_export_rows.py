"""Export rows on the real bundle: the filters, and exactly the rows each view draws."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from app.export.params import ExportParams, View
from app.export.rows import adm_columns, export_table
from app.queries import clean
from app.queries.cards import card_data
from app.queries.catalogue import LEVELS, VIEW_METRICS
from app.queries.chart_data import chart_data
from app.queries.filters import FigureFilter, known_date
from app.queries.map_values import map_values
from app.queries.timeseries import area_at_level
from app.tables.schemas import FIGURE_COLUMNS

PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]
FIGURE_VIEWS = [k for k, v in VIEW_METRICS.items() if v.source == "figures"]


def rows(bundle, **kwargs: object) -> pd.DataFrame:
    return export_table(bundle, ExportParams(**kwargs), PRIORITY).frame  # type: ignore[arg-type]


def test_everything_is_the_bundles_figures(bundle) -> None:
    out = rows(bundle)
    figures = out[FIGURE_COLUMNS].sort_values("figure_id").reset_index(drop=True)
    expected = bundle.figures.sort_values("figure_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(figures, expected[FIGURE_COLUMNS])


def test_flags(bundle) -> None:
    out = rows(bundle)
    assert int(out["duplicate"].sum()) == len(bundle.figures) - len(
        clean.drop_duplicates(bundle.figures)
    )
    assert out["sub_area"].sum() == clean.is_sub_area_row(bundle.figures).sum() > 0


def test_adm_columns_follow_the_pcode(bundle) -> None:
    names = bundle.areas.set_index("pcode")
    adm = adm_columns(pd.Series(["SY070301", "SY0703", "SY07", None]), bundle.areas)
    assert list(adm.loc[0, ["ADM1_PCODE", "ADM2_PCODE", "ADM3_PCODE"]]) == [
        "SY07",
        "SY0703",
        "SY070301",
    ]
    assert adm.loc[0, "ADM3_AR"] == names.loc["SY070301", "name_ar"]
    assert (
        adm.loc[1, "ADM3_PCODE"] is None and adm.loc[1, "ADM2_EN"] == names.loc["SY0703", "name_en"]
    )
    assert adm.loc[3].isna().all()


def test_area_includes_what_is_inside_and_no_region(bundle) -> None:
    out = rows(bundle, areas=("SY0703",))
    assert len(out) > 0 and out["area_pcode"].str.startswith("SY0703").all()
    assert out["region"].isna().all()
    assert (out["ADM2_PCODE"] == "SY0703").all()


@pytest.mark.parametrize("level", [1, 2, 3])
def test_level_keeps_areas_at_the_level_or_inside(bundle, level: int) -> None:
    out = rows(bundle, level=level)
    assert (out["area_pcode"].str.len() >= 2 + 2 * level).all()
    inside = bundle.figures["area_pcode"].fillna("").str.len() >= 2 + 2 * level
    assert len(out) == int(inside.sum())


def test_as_of_dates_and_publishers(bundle) -> None:
    out = rows(
        bundle,
        as_of=date(2020, 2, 16),
        start=date(2020, 2, 1),
        end=date(2020, 2, 29),
        publishers=("OCHA",),
    )
    assert len(out) > 0 and (out["publisher"] == "OCHA").all()
    assert (known_date(out) <= pd.Timestamp("2020-02-16")).all()
    assert (out["period_end"] >= pd.Timestamp("2020-02-01")).all()


@pytest.mark.parametrize("metric", FIGURE_VIEWS)
@pytest.mark.parametrize("level", list(LEVELS))
def test_map_rows_are_the_maps(bundle, metric: str, level: int) -> None:
    """Every area the map colours has rows, and every row belongs to a coloured area."""
    vm = VIEW_METRICS[metric]
    sector = "Shelter" if vm.needs_sector else None
    out = rows(bundle, view=View.MAP, metrics=(metric,), level=level, sector=sector)
    mv = map_values(
        bundle.figures, bundle.areas, vm, level, FigureFilter(), PRIORITY, sector=sector
    )
    assert set(area_at_level(out["area_pcode"], level)) == set(mv.values["pcode"])
    assert not out["duplicate"].any() and not out["sub_area"].any()
    # each area's value is one exported figure, or the sum of the exported figures for the
    # places inside it from one publisher for one period (summable metrics)
    for r in mv.values.to_dict("records"):
        mine = out[area_at_level(out["area_pcode"], level) == r["pcode"]]
        finer = mine[mine["area_pcode"].str.len() > 2 + 2 * level]
        keys = ["publisher", "document", "period_start", "period_end"]
        sums = finer.groupby(keys, dropna=False)["value"].sum()
        assert r["value"] in set(mine["value"]) | set(sums), r


@pytest.mark.parametrize("metric", FIGURE_VIEWS)
@pytest.mark.parametrize("areas", [(), ("SY0703",), ("SY07", "SY02")])
def test_timeseries_rows_are_the_charts(bundle, metric: str, areas: tuple[str, ...]) -> None:
    vm = VIEW_METRICS[metric]
    out = rows(bundle, view=View.TIMESERIES, metrics=(metric,), areas=areas)
    drawn = chart_data(
        bundle.figures, bundle.areas, bundle.regions, vm, areas, FigureFilter(), sector=None
    ).figures
    assert list(out["figure_id"]) == list(drawn["figure_id"])


@pytest.mark.parametrize("card", ["displaced", "killed", "at_risk"])
@pytest.mark.parametrize("as_of", [None, date(2020, 2, 16)])
def test_card_rows_are_the_cards(bundle, card: str, as_of: date | None) -> None:
    out = rows(bundle, view=View.CARD, card=card, as_of=as_of)
    c = {
        c.key: c
        for c in card_data(bundle.figures, PRIORITY, pd.Timestamp(as_of) if as_of else None)
    }[card]
    assert c.figure is not None
    assert list(out["figure_id"]) == [c.figure["figure_id"], *c.alternatives["figure_id"]]
