"""The bundle's UCDP GED events and the weekly figures summed from them, checked against
the raw release file with pandas (independently of ``app.events``)."""

from __future__ import annotations

import pandas as pd
import pytest

from app.tables.schemas import EVENT_COLUMNS, Events, Figures

pytestmark = pytest.mark.bundle

RAW = "events/ucdp_ged_syria_652.1601.1911.csv"
PUBLISHER = "UCDP GED Syria 652.1601.1911"


@pytest.fixture(scope="module")
def raw(shared_dir) -> pd.DataFrame:
    df = pd.read_csv(shared_dir / RAW, dtype={"id": str})
    df["date"] = pd.to_datetime(df["date_start"], format="%Y-%m-%d")
    return df


def test_events_satisfy_their_contract(bundle) -> None:
    events = Events.validate(bundle.events)
    assert list(events.columns) == [*EVENT_COLUMNS, "batch"]
    assert len(events) == 7243 and set(events["batch"]) == {"bundle"}
    assert set(events["adm1_pcode"]) == {"SY02", "SY05", "SY06", "SY07"}
    assert events["level"].value_counts().to_dict() == {3: 6281, 0: 500, 1: 303, 2: 159}
    assert events["event_id"].is_unique
    Figures.validate(bundle.event_figures)
    counts = bundle.event_figures["metric"].value_counts()  # categories: absent ones count 0
    assert counts[counts > 0].to_dict() == {
        "civilians_killed": 5862, "people_killed": 5862,
    }  # fmt: skip


def test_shipped_events_are_the_raw_rows(bundle, raw) -> None:
    """Every shipped event is its raw row: date, best, civilians, where_prec and row number
    (header = row 1; a few headlines span lines, so the row is looked up, not computed)."""
    ev = bundle.events.set_index("event_id")
    r = raw.set_index("id").loc[ev.index]
    assert (ev["date"] == r["date"]).all()
    assert (ev["fatalities"] == r["best"]).all()
    assert (ev["civilians"] == r["deaths_civilians"]).all()
    assert (ev["precision"] == r["where_prec"]).all()
    assert (ev["fatalities_low"] == r[["low", "best", "high"]].min(axis=1)).all()
    assert (ev["fatalities_high"] == r[["low", "best", "high"]].max(axis=1)).all()


def _idleb_weeks(bundle, raw, columns: list[str]) -> pd.DataFrame:
    """Idleb's weekly sums from the raw file, placed as the bundle places them: the events
    whose point is in SY07 and whose precision reaches the governorate (level >= 1)."""
    placed = bundle.events
    ids = placed.loc[(placed["adm1_pcode"] == "SY07") & (placed["level"] >= 1), "event_id"]
    rows = raw[raw["id"].isin(ids)].copy()
    rows["low_"] = rows[["low", "best", "high"]].min(axis=1)
    rows["high_"] = rows[["low", "best", "high"]].max(axis=1)
    rows["week"] = rows["date"] - pd.to_timedelta(rows["date"].dt.day_of_week, unit="D")
    return rows.groupby("week")[columns].sum()


def test_idleb_people_killed_in_august_2019_weeks(bundle, raw) -> None:
    expected = _idleb_weeks(bundle, raw, ["best", "low_", "high_"])
    f = bundle.event_figures
    got = f[(f["area_pcode"] == "SY07") & (f["metric"] == "people_killed")
            & (f["period_start"] >= "2019-08-01") & (f["period_start"] <= "2019-08-31")]  # fmt: skip
    assert got["period_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-08-05", "2019-08-12", "2019-08-19", "2019-08-26",
    ]  # fmt: skip
    for r in got.itertuples():
        e = expected.loc[r.period_start]
        assert (r.value, r.low, r.high) == (e["best"], e["low_"], e["high_"]), r.period_start
        assert r.period_end == r.period_start + pd.Timedelta(days=6)
        assert (r.publisher, r.kind, r.published_date) == (
            PUBLISHER,
            "flow",
            pd.Timestamp("2020-01-10"),
        )
        assert r.note.startswith("Sum of ") and "located to the governorate or finer" in r.note
    assert got["value"].tolist() == [131.0, 422.0, 182.0, 198.0]


def test_idleb_august_2019_total_is_close_to_the_readme(bundle, raw) -> None:
    """The README sums best over UCDP's own adm_1 == "Idlib Governorate": 950 in August
    2019. The bundle places by point and drops country-wide events: close, not equal."""
    in_august = raw["date"].dt.strftime("%Y-%m") == "2019-08"
    assert raw.loc[in_august & (raw["adm_1"] == "Idlib Governorate"), "best"].sum() == 950
    ev = bundle.events
    ours = ev[(ev["adm1_pcode"] == "SY07") & (ev["level"] >= 1)
              & (ev["date"].dt.strftime("%Y-%m") == "2019-08")]["fatalities"].sum()  # fmt: skip
    assert abs(ours - 950) / 950 < 0.05, ours


def test_idleb_civilians_weeks_match_the_raw_file(bundle, raw) -> None:
    expected = _idleb_weeks(bundle, raw, ["deaths_civilians"])["deaths_civilians"]
    f = bundle.event_figures
    got = f[(f["area_pcode"] == "SY07") & (f["metric"] == "civilians_killed")]
    got = got.set_index("period_start")["value"]
    assert got.index.is_unique
    assert got.index.tolist() == sorted(expected.index.tolist())
    assert got.sort_index().tolist() == expected.sort_index().astype(float).tolist()
    assert (
        f.loc[f["metric"] == "civilians_killed", "low"]
        == f.loc[f["metric"] == "civilians_killed", "value"]
    ).all()


def test_sub_areas_never_add_up_to_more_than_their_parent(bundle) -> None:
    f = bundle.event_figures
    f = f.assign(parent=f["area_pcode"].str[:-2], size=f["area_pcode"].str.len())
    for child_len in (8, 6):
        children = f[f["size"] == child_len]
        summed = children.groupby(["metric", "period_start", "parent"])["value"].sum()
        parents = f[f["size"] == child_len - 2].set_index(["metric", "period_start", "area_pcode"])
        parent_value = parents["value"].reindex(summed.index)
        assert parent_value.notna().all()  # every child week has its parent's figure
        assert (summed <= parent_value).all()


def test_every_weekly_figure_is_a_monday_to_sunday_week(bundle) -> None:
    f = bundle.event_figures
    assert (f["period_start"].dt.day_of_week == 0).all()
    assert ((f["period_end"] - f["period_start"]) == pd.Timedelta(days=6)).all()
    assert (
        f["figure_id"].is_unique and not f["figure_id"].isin(bundle.base_figures["figure_id"]).any()
    )
