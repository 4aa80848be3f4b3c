"""Weekly sums of conflict events on the headline cards: never the headline, and among the
alternatives only for the north-west's governorates (real bundle: UCDP GED 2016-2019)."""

from __future__ import annotations

import pandas as pd

from app.queries.cards import card_data
from app.queries.clean import is_event_sum

PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]


def test_bundle_event_sums_are_recognised(bundle) -> None:  # type: ignore[no-untyped-def]
    sums = is_event_sum(bundle.figures)
    assert int(sums.sum()) == len(bundle.event_figures)
    assert not is_event_sum(bundle.base_figures).any()


def test_a_week_of_ucdp_is_never_the_killed_headline(bundle) -> None:  # type: ignore[no-untyped-def]
    # UCDP's weekly sums alone, as known once released (10 Jan 2020): the newest weeks
    # (Nov 2019) of Idleb and Aleppo governorates are in the window, yet none is the
    # headline, and the alternatives hold the governorates' weeks only
    only_ucdp = bundle.event_figures
    [card] = [c for c in card_data(only_ucdp, PRIORITY, pd.Timestamp("2020-01-15"))
              if c.key == "killed"]  # fmt: skip
    assert card.figure is None
    alt = card.alternatives
    assert len(alt) > 0 and set(alt["publisher"]) == {"UCDP GED Syria 652.1601.1911"}
    assert set(alt["area_pcode"].str.len()) == {4}  # governorates only
    assert alt["period_end"].max() == pd.Timestamp("2019-12-01")  # the week of 25 Nov 2019


def test_cards_without_as_of_are_unchanged_by_the_events(bundle) -> None:  # type: ignore[no-untyped-def]
    now = {c.key: c.figure for c in card_data(bundle.figures, PRIORITY)}
    was = {c.key: c.figure for c in card_data(bundle.base_figures, PRIORITY)}
    assert {k: (f or {}).get("figure_id") for k, f in now.items()} == {
        k: (f or {}).get("figure_id") for k, f in was.items()
    }
    assert now["killed"]["value"] == 299  # OHCHR, 1 Jan - 18 Feb 2020


def test_reconcile_shows_weekly_sums_from_the_winter_unless_asked(bundle) -> None:  # type: ignore[no-untyped-def]
    from app.queries.clean import is_event_sum
    from app.queries.reconcile import WEEKLY_FROM, reconciliation

    rec = reconciliation(bundle.figures, bundle.regions, "killed", "nw_syria", areas=bundle.areas)
    sums = rec.figures[is_event_sum(rec.figures).to_numpy()]
    assert len(sums) > 0 and (sums["x"] >= WEEKLY_FROM).all()  # Nov 2019 weeks only
    assert rec.weeks_left_out == 796  # Idleb governorate, Jan 2016 - Oct 2019, two measures
    asked = reconciliation(bundle.figures, bundle.regions, "killed", "nw_syria",
                           start=pd.Timestamp("2019-08-01"), areas=bundle.areas)  # fmt: skip
    august = asked.figures[is_event_sum(asked.figures).to_numpy()]
    assert august["x"].min() < pd.Timestamp("2019-08-08") and asked.weeks_left_out == 0
