"""The fast paths give what the code gave before them, row for row and byte for byte.

Each restructured query and builder is compared with its earlier version
(``tests/unit/reference_views.py``, kept verbatim) on many real view states over the
bundle in ``data/`` (every metric, level and sector, as-of dates, areas, publishers,
dates), and the small pieces (deduplication, grouping, memos) on made-up tables with the
awkward cells (None, NaN, NaT, duplicates) too.
"""

from __future__ import annotations

import gc
import itertools
import json
import random
from datetime import date

import numpy as np
import pandas as pd
import pytest
from dash._utils import to_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bundle.store import load_bundle
from app.figures import reconcile as rfig
from app.figures import style
from app.figures import timeseries as tsfig
from app.queries import cards, chart_data, checks, clean, derived, filters, headline, reconcile
from app.queries import map_values as mv
from app.queries import timeseries as ts
from app.queries.catalogue import LEVELS, SECTORS, VIEW_METRICS
from app.state import ViewState
from app.vocab import METRICS
from tests.unit import reference_views as old

PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]
AS_OF = (None, date(2020, 1, 15), date(2020, 2, 16), date(2020, 2, 20), date(2020, 3, 10))
DATES = ((None, None), (date(2020, 1, 1), date(2020, 2, 29)), (date(2020, 2, 1), None))


@pytest.fixture(scope="module")
def bundle():  # type: ignore[no-untyped-def]
    return load_bundle()


def _states(bundle, n: int, seed: int) -> list[ViewState]:  # type: ignore[no-untyped-def]
    """Real view states: every metric x level (x sector), plus seeded random filters."""
    rng = random.Random(seed)
    pcodes = sorted(bundle.areas.loc[bundle.areas["level"].between(1, 3), "pcode"])
    pubs = sorted(set(bundle.figures["publisher"]))
    out = [
        ViewState(level=lv, metric=m, sector=s)
        for m, lv in itertools.product(VIEW_METRICS, LEVELS)
        for s in (SECTORS[:2] if VIEW_METRICS[m].needs_sector else ("Shelter",))
    ]
    out += [ViewState(areas=("SY070301",)), ViewState(areas=("SY0703", "SY07")),
            ViewState(metric="idps_displaced_since", as_of=date(2020, 2, 16))]
    for _ in range(n):
        metric = rng.choice(list(VIEW_METRICS))
        start, end = rng.choice(DATES)
        out.append(
            ViewState(
                level=rng.choice(list(LEVELS)),
                metric=metric,
                sector=rng.choice(SECTORS) if VIEW_METRICS[metric].needs_sector else "Shelter",
                areas=() if rng.random() < 0.5 else tuple(rng.sample(pcodes, rng.choice([1, 2]))),
                publishers=() if rng.random() < 0.7 else (rng.choice(pubs),),
                start=start,
                end=end,
                as_of=rng.choice(AS_OF),
            )
        )
    return list(dict.fromkeys(out))


def _json(fig) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(to_json(fig))


def _one_label_a_day(fig: dict) -> dict:
    """The reconcile figure with the value label of a lane's day kept on its largest point
    only (equal values: the first figure id), as ``app.figures.reconcile._hidden_labels``
    has done since the reference was frozen; the rule is written again here, on the JSON."""
    days: dict[tuple, list[tuple]] = {}
    for trace in fig["data"]:
        if trace.get("meta", {}).get("role") != "figures":
            continue
        for i, (x, y, fid) in enumerate(zip(trace["x"], trace["y"], trace["meta"]["figure_ids"], strict=True)):
            days.setdefault((trace.get("xaxis"), x), []).append((-y, fid, trace, i))
    for points in days.values():
        for _y, _fid, trace, i in sorted(points, key=lambda p: (p[0], p[1]))[1:]:
            trace["text"][i] = ""
    return fig


def _without_time_buttons(fig: dict) -> dict:
    """The chart without its time-axis buttons (added after the fast paths: the reference
    has none) and the top margin they take."""
    layout = fig["layout"]
    if layout.pop("updatemenus", None) is not None:
        assert layout["margin"]["t"] == 50
        layout["margin"]["t"] = 28
    return fig


def _same_record(a: dict | None, b: dict | None) -> None:
    assert (a is None) == (b is None)
    if a is not None and b is not None:
        assert a.keys() == b.keys()
        for k in a:
            x, y = a[k], b[k]
            assert (pd.isna(x) and pd.isna(y)) if pd.isna(x) is True else x == y, k


# --- the views over the real bundle -------------------------------------------------------


@pytest.mark.parametrize("chunk", range(4))
def test_chart_and_map_are_what_they_were(bundle, chunk: int) -> None:  # type: ignore[no-untyped-def]
    b = bundle
    for state in _states(b, 25, seed=3)[chunk::4]:
        flt, m = state.figure_filter(), state.view_metric
        args = (b.figures, b.areas, b.regions, m, state.areas, flt)
        was = old.chart_data(*args, sector=state.sector_or_none)
        now = chart_data.chart_data(*args, sector=state.sector_or_none)
        pd.testing.assert_frame_equal(now.figures, was.figures, check_exact=True)
        assert (now.scope, now.n_undated, now.n_inside) == (was.scope, was.n_undated, was.n_inside)
        kw = {"height": 440, "metrics": m.family, "x_range": (state.start, state.end)}
        fig_was = _json(old.timeseries_figure(was.figures, PRIORITY, **kw))
        now_fig = _json(tsfig.timeseries_figure(now.figures, PRIORITY, **kw))
        assert _without_time_buttons(now_fig) == fig_was, state
        now_dict = _json(tsfig.timeseries_dict(now.figures, PRIORITY, **kw))
        assert _without_time_buttons(now_dict) == fig_was, state

        # the figures as they were then: the weekly figures from events came later, and the
        # map adds those up over a window (tests/unit/test_weekly_events_views.py)
        margs = (getattr(b, "base_figures", b.figures), b.areas, m, state.level, flt, PRIORITY)
        mv_was = old.map_values(*margs, sector=state.sector_or_none)
        mv_now = mv.map_values(*margs, sector=state.sector_or_none)
        # the columns of the sum over a window (added later): one period each in the bundle
        added = ["n_periods", "periods_note"]
        assert set(mv_now.values["n_periods"]) <= {1}
        assert set(mv_now.values["periods_note"]) <= {""}
        pd.testing.assert_frame_equal(
            mv_now.values.drop(columns=added), mv_was.values.drop(columns=added), check_exact=True
        )
        pd.testing.assert_frame_equal(mv_now.areas, mv_was.areas, check_exact=True)
        assert (mv_now.notes, mv_now.sector) == (mv_was.notes, mv_was.sector), state


def test_cards_are_what_they_were(bundle) -> None:  # type: ignore[no-untyped-def]
    # the figures the old code knew: weekly sums of events came later, and the cards treat
    # them by a rule of their own (tests/unit/test_event_sums_on_cards.py)
    figures = bundle.base_figures
    for as_of in (*AS_OF, date(2019, 12, 1), date(2020, 2, 1)):
        ts_ = None if as_of is None else pd.Timestamp(as_of)
        for c_was, c_now in zip(
            old.card_data(figures, PRIORITY, ts_), cards.card_data(figures, PRIORITY, ts_),
            strict=True,
        ):
            assert (c_now.key, c_now.title, c_now.rule) == (c_was.key, c_was.title, c_was.rule)
            _same_record(c_now.figure, c_was.figure)
            pd.testing.assert_frame_equal(c_now.alternatives, c_was.alternatives, check_exact=True)


def test_card_components_are_what_they_were(bundle) -> None:  # type: ignore[no-untyped-def]
    from components.cards import card

    b = bundle
    for as_of in (*AS_OF, date(2019, 12, 1)):
        ts_ = None if as_of is None else pd.Timestamp(as_of)
        found = checks.view_checks(b.figures, b.areas, b.regions, ts_, PRIORITY)
        messages = checks.messages_by_id(found)
        for c in cards.card_data(b.figures, PRIORITY, ts_):
            flags = messages.get(c.figure["figure_id"], []) if c.figure else None
            assert _json(card(c, flags)) == _json(old.card(c, flags)), (as_of, c.key)


@pytest.mark.parametrize("window", [3, 14, 60])
@pytest.mark.parametrize("card", list(headline.CARDS))
def test_headline_rule_is_what_it_was(bundle, card: str, window: int) -> None:  # type: ignore[no-untyped-def]
    figures = clean.drop_duplicates(bundle.base_figures)  # (event sums: their own rule)
    for prio in (PRIORITY, ["SOHR", "OHCHR"], []):
        for as_of in (None, "2019-12-20", "2020-02-16", "2020-03-01"):
            ts_ = None if as_of is None else pd.Timestamp(as_of)
            was = old.headline(figures, card, prio, ts_, window)
            now = headline.headline(figures, card, prio, ts_, window)
            assert (now.card, now.title, now.rule) == (was.card, was.title, was.rule)
            _same_record(now.figure, was.figure)
            pd.testing.assert_frame_equal(now.alternatives, was.alternatives, check_exact=True)


def test_regional_series_is_what_it_was(bundle) -> None:  # type: ignore[no-untyped-def]
    f = bundle.figures
    metrics = [m for m in METRICS if m in set(f["metric"])]
    for metric, level in itertools.product(metrics, (0, 1, 2, 3)):
        hno = metric in ("people_in_need", "severity")
        for sector in (None, *SECTORS[:2]) if hno else (None, "Shelter"):
            was = old.regional_series(f, metric, level, sector)
            pd.testing.assert_frame_equal(
                ts.regional_series(f, metric, level, sector), was, check_exact=True
            )


def test_reconciliation_and_its_figure_are_what_they_were(bundle) -> None:  # type: ignore[no-untyped-def]
    b = bundle
    choices = [*reconcile.METRIC_GROUPS, "civilians_killed", "idp_arrivals", "people_at_risk"]
    places = [*b.regions["region"], "SY07", "SY0703", "SY070301", "SY02"]
    rng = random.Random(5)
    cases = [(c, p, None, False) for c in reconcile.METRIC_GROUPS for p in places[:4]]
    cases += [
        (rng.choice(choices), rng.choice(places), rng.choice(AS_OF), rng.random() < 0.3)
        for _ in range(30)
    ]
    # the figures as they were then: weekly figures from events came later, and two weekly
    # counts of one dataset are no longer a pair (tests/unit/test_weekly_events_views.py)
    figures = getattr(b, "base_figures", b.figures)
    for choice, place, as_of, inside in cases:
        ts_ = None if as_of is None else pd.Timestamp(as_of)
        kw = {"areas": b.areas, "include_inside": inside, "priority": PRIORITY}
        was = old.reconciliation(figures, b.regions, choice, place, None, None, ts_, **kw)
        now = reconcile.reconciliation(figures, b.regions, choice, place, None, None, ts_, **kw)
        for a, c in ((now.figures, was.figures), (now.pairs, was.pairs), (now.undated, was.undated)):
            pd.testing.assert_frame_equal(a, c, check_exact=True)
        assert now.place == was.place
        found = checks.view_checks(b.figures, b.areas, b.regions, ts_, PRIORITY)
        flags = {k: v for k, v in checks.messages_by_id(found).items() if v}
        fig_was = _one_label_a_day(_json(old.reconcile_figure(was, PRIORITY, flags=flags)))
        assert _json(rfig.reconcile_figure(now, PRIORITY, flags=flags)) == fig_was
        assert _json(rfig.reconcile_figure_dict(now, PRIORITY, flags=flags)) == fig_was


# --- the pieces, on made-up tables ------------------------------------------------------------

_MISSING = st.sampled_from([None, np.nan])
_TEXT = st.one_of(st.sampled_from(["a", "b", "Idleb"]), _MISSING)


@st.composite
def madeup_figures(draw) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """Made-up figure tables with repeated rows and every kind of missing cell."""
    n = draw(st.integers(0, 12))
    rows = []
    for i in range(n):
        rows.append(
            {
                "figure_id": f"madeup{draw(st.integers(0, 20)):02d}{i}",
                "metric": draw(st.sampled_from(["idp_arrivals", "civilians_killed"])),
                "sector": draw(_TEXT),
                "value": draw(st.sampled_from([1.0, 2.0, 800000.0, np.nan])),
                "qualifier": draw(_TEXT),
                "period_start": draw(st.sampled_from([pd.NaT, pd.Timestamp("2020-02-01")])),
                "period_end": draw(st.sampled_from([pd.NaT, pd.Timestamp("2020-02-29")])),
                "area_pcode": draw(st.one_of(st.sampled_from(["SY07", "SY0703"]), _MISSING)),
                "region": draw(_TEXT),
                "publisher": draw(st.sampled_from(["OCHA", "HNAP"])),
                "document": draw(st.sampled_from(["doc", "other doc"])),
                "note": draw(st.one_of(st.sampled_from(["", "x", "do not sum"]), _MISSING)),
            }
        )
    df = pd.DataFrame(rows, columns=[*clean._IDENTITY, "figure_id", "note"])
    df["note"] = df["note"].astype(object)  # as in the canonical table
    if draw(st.booleans()) and len(df):  # a filtered table: index with gaps
        df = df.iloc[::2]
    return df


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(madeup_figures(), st.booleans())
def test_drop_duplicates_is_what_it_was(df: pd.DataFrame, columnwise: bool) -> None:
    with pytest.MonkeyPatch.context() as mp:
        if columnwise:  # the path of large tables (DataFrame.duplicated), on small ones
            mp.setattr(clean, "_SMALL", -1)
        pd.testing.assert_frame_equal(clean.drop_duplicates(df), old.drop_duplicates(df))


def test_drop_duplicates_of_the_bundle_is_what_it_was(bundle) -> None:  # type: ignore[no-untyped-def]
    f = bundle.figures
    pd.testing.assert_frame_equal(clean.drop_duplicates(f), old.drop_duplicates(f))
    for metric in f["metric"].unique():
        sub = f[f["metric"] == metric]
        pd.testing.assert_frame_equal(clean.drop_duplicates(sub), old.drop_duplicates(sub))


def test_filters_are_what_they_were(bundle) -> None:  # type: ignore[no-untyped-def]
    f = bundle.figures
    rng = random.Random(9)
    pubs = sorted(set(f["publisher"]))
    for _ in range(40):
        start, end = rng.choice(DATES)
        flt = filters.FigureFilter(
            metrics=tuple(rng.sample(sorted(METRICS), rng.choice([0, 1, 3]))),
            pcodes=tuple(rng.sample(["SY07", "SY0703", "SY070301", "SY02"], rng.choice([0, 1]))),
            publishers=() if rng.random() < 0.6 else tuple(rng.sample(pubs, 2)),
            start=None if start is None else pd.Timestamp(start),
            end=None if end is None else pd.Timestamp(end),
            as_of=None if (d := rng.choice(AS_OF)) is None else pd.Timestamp(d),
        )
        pd.testing.assert_frame_equal(filters.apply(f, flt), old.apply(f, flt))


def test_rows_by_metric_and_sector_are_the_masks(bundle) -> None:  # type: ignore[no-untyped-def]
    f = bundle.figures
    for metric in [*f["metric"].unique(), "no such metric"]:
        mask = f["metric"].isin([metric, "civilians_killed"])
        pd.testing.assert_frame_equal(
            derived.rows_for_metrics(f, [metric, "civilians_killed"]), f[mask]
        )
        for sector in (*SECTORS[:3], "") if metric in ("people_in_need", "severity") else ("",):
            mask = (f["metric"] == metric) & (f["sector"].fillna("") == sector)
            pd.testing.assert_frame_equal(derived.rows_for_metric_sector(f, metric, sector), f[mask])


def test_as_of_key_keeps_the_same_known_figures(bundle) -> None:  # type: ignore[no-untyped-def]
    f = bundle.figures
    days = pd.date_range("2019-11-25", "2020-03-31", freq="D")
    for day in [*days[::2], *days[1:40:2], pd.Timestamp("2018-01-01"), pd.Timestamp("2021-01-01")]:
        key = derived.as_of_key(f, day)
        assert key <= day
        assert filters.known_on(f, key).index.equals(filters.known_on(f, day).index), day
    assert derived.as_of_key(f, None) is None


def test_a_memo_goes_with_its_table() -> None:
    df = pd.DataFrame({"metric": ["a", "b", "a"]})
    assert derived.rows_for_metrics(df, ["a"]).index.tolist() == [0, 2]
    key = id(df)
    assert key in derived._MEMO
    del df
    gc.collect()
    assert key not in derived._MEMO


def test_place_index_lookups_are_what_they_were(bundle) -> None:  # type: ignore[no-untyped-def]
    index = reconcile.PlaceIndex(bundle.regions, bundle.areas)
    rows = bundle.figures.to_dict("records")
    rows += [{"area_pcode": np.nan}, {"area_pcode": None}, {"region": "syria"}, {}]
    for row in rows + rows:  # the second time from the index's memo
        assert index.of(row) == index._of(row)
    assert index.of({"area_pcode": np.nan}) != index.of({"area_pcode": None})  # "nan" vs ""


def test_sort_records_orders_as_pandas_does() -> None:
    rng = random.Random(2)
    for n in (0, 1, 5, 17, 40):
        days = [pd.Timestamp("2020-02-01") + pd.Timedelta(days=rng.randint(0, 4)) for _ in range(n)]
        records = [{"x": d, "i": i} for i, d in enumerate(days)]
        expected = pd.DataFrame(records).sort_values("x")["i"].tolist() if n else []
        assert [r["i"] for r in style.sort_records(records, "x")] == expected


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_subplot_grid_is_make_subplots_grid(n: int) -> None:
    from plotly.subplots import make_subplots

    layout = make_subplots(rows=n, cols=1, shared_xaxes=True, vertical_spacing=0.09).layout
    xs, ys = tsfig.subplot_grid(n)
    for i, (x, y) in enumerate(zip(xs, ys, strict=True), start=1):
        k = "" if i == 1 else str(i)
        assert layout[f"xaxis{k}"].to_plotly_json() == x
        assert layout[f"yaxis{k}"].to_plotly_json() == y


def test_figure_dict_is_what_a_figure_sends() -> None:
    data = [{"type": "scatter", "x": [pd.Timestamp("2020-02-01")], "y": [1.0]}]
    layout = {"height": 300, "annotations": [{"text": "a", "x": 0, "y": 1}]}
    assert _json(style.figure_dict(data, layout)) == _json(style.figure(data, layout))
    assert _json(style.figure(data, layout)) == _json(
        __import__("plotly.graph_objects", fromlist=["Figure"]).Figure(
            {"data": data, "layout": layout}
        )
    )
