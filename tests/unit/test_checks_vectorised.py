"""The vectorised consistency checks give exactly the flags of the record-by-record ones.

``checks_reference.py`` is a frozen copy of the record-by-record implementation; every test
here runs both and compares the whole result (ids, checks, severities, messages, related
ids and row order). Inputs: the REAL bundle as known on several dates, GENERATED tables
crowded onto a few places, dates and values so that every check fires many times with ties,
and hypothesis-made tables (publishers "MADE-UP ...") for the corner cases.
"""

from __future__ import annotations

import checks_reference as ref
import numpy as np
import pandas as pd
import pytest
from generated_tables import (
    METRICS,
    NOTES,
    PCODES,
    PRIORITY,
    PUBLISHERS,
    REGIONS,
    generated_figures,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from app.queries import checks
from app.queries.filters import known_on
from app.tables.schemas import FIGURE_COLUMNS


def _same(figures: pd.DataFrame, regions: pd.DataFrame, areas: pd.DataFrame | None) -> None:
    want = ref.run_checks(figures, areas, regions, PRIORITY)
    got = checks.run_checks(figures, areas, regions, PRIORITY)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_index_type=False)


# --- the real bundle ----------------------------------------------------------------------
@pytest.mark.parametrize("as_of", [None, "2020-01-20", "2020-02-16", "2020-03-05", "2020-06-30"])
def test_real_bundle_as_known_on(bundle, as_of: str | None) -> None:
    when = pd.Timestamp(as_of) if as_of else None
    known = known_on(bundle.figures, when)
    _same(known[known["sector"].isna()], bundle.regions, bundle.areas)


def test_real_bundle_with_the_hno_rows(bundle) -> None:
    _same(bundle.figures, bundle.regions, bundle.areas)


def test_view_checks_are_run_checks_on_the_known_rows(bundle) -> None:
    when = pd.Timestamp("2020-02-16")
    checks._RECENT_VIEW_CHECKS.clear()
    got = checks.view_checks(bundle.figures, bundle.areas, bundle.regions, when, PRIORITY)
    known = known_on(bundle.figures, when)
    want = ref.run_checks(known[known["sector"].isna()], bundle.areas, bundle.regions, PRIORITY)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_without_messages_the_same_flags(bundle) -> None:
    """An export asks for the flags without their words: the same rows, message empty."""
    figures = generated_figures(600, 1)
    checks._RECENT_VIEW_CHECKS.clear()
    worded = checks.view_checks(figures, bundle.areas, bundle.regions, None, PRIORITY)
    checks._RECENT_VIEW_CHECKS.clear()
    bare = checks.view_checks(figures, bundle.areas, bundle.regions, None, PRIORITY, False)
    assert (bare["message"] == "").all() and len(bare) == len(worded) > 100
    pd.testing.assert_frame_equal(bare.drop(columns="message"), worded.drop(columns="message"))
    # a worded result serves a bare request; a bare one never serves a worded request
    again = checks.view_checks(figures, bundle.areas, bundle.regions, None, PRIORITY)
    assert (again["message"] != "").all()


# --- generated tables -----------------------------------------------------------------------
SEEDS = range(6)


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_tables(bundle, seed: int) -> None:
    _same(generated_figures(600, seed), bundle.regions, bundle.areas)


@pytest.mark.parametrize("seed", [0, 3])
def test_generated_tables_in_small_batches(bundle, monkeypatch, seed: int) -> None:
    """Large tables are checked (and their records read) a batch at a time: same flags."""
    monkeypatch.setattr(checks.limits, "_BATCH", 2)
    _same(generated_figures(600, seed), bundle.regions, bundle.areas)


def test_generated_tables_raise_every_flag(bundle) -> None:
    """So that the comparisons above compare something: every check and severity fires."""
    fired = set()
    for seed in SEEDS:
        found = checks.run_checks(generated_figures(600, seed), bundle.areas, bundle.regions)
        fired |= set(zip(found["check"], found["severity"], strict=True))
    assert fired == {
        ("published_twice", "warning"),
        ("published_twice", "note"),
        ("cumulative_falls", "warning"),
        ("cumulative_falls", "note"),
        ("flow_exceeds_change", "warning"),
        ("nationwide_in_nw_view", "note"),
        ("children_exceed_parent", "warning"),
    }


def test_generated_table_in_another_order_and_index(bundle) -> None:
    figures = generated_figures(500, 7).sample(frac=1.0, random_state=3)
    figures.index = figures.index * 3 + 11  # positions, never labels
    _same(figures, bundle.regions, bundle.areas)


def test_generated_table_as_pyarrow_strings_and_objects(bundle) -> None:
    """The bundle's columns are arrow strings (NaN missing); made-up ones objects (None)."""
    figures = generated_figures(400, 8)
    text = [c for c in FIGURE_COLUMNS if figures[c].dtype == object]
    _same(figures.astype({c: "str" for c in text}), bundle.regions, bundle.areas)


def test_no_rows_and_one_row(bundle) -> None:
    figures = generated_figures(50, 9)
    _same(figures.iloc[0:0], bundle.regions, bundle.areas)
    _same(figures.iloc[0:1], bundle.regions, bundle.areas)


def test_without_areas_table(bundle) -> None:
    _same(generated_figures(300, 10), bundle.regions, None)


# --- hypothesis: small tables, all corner cases --------------------------------------------
DAY = st.integers(min_value=0, max_value=12).map(
    lambda d: pd.Timestamp("2020-01-01") + pd.Timedelta(days=d)
)


@st.composite
def figure_rows(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=0, max_value=14))
    rows = []
    for i in range(n):
        metric = draw(st.sampled_from(METRICS))
        value = draw(st.sampled_from([0.0, 10.0, 20.0, 30.0, 50.0, 12.5]))
        low = value * draw(st.sampled_from([1.0, 0.9, 0.95]))
        high = value * draw(st.sampled_from([1.0, 1.1, 1.05]))
        start = draw(st.one_of(st.none(), DAY))
        end = draw(st.one_of(st.none(), DAY))
        if start is not None and end is not None and start > end:
            start, end = end, start
        on_region = draw(st.booleans())
        rows.append(
            {
                "figure_id": f"madeup{draw(st.integers(0, 99)):02d}{i:02d}",
                "metric": metric,
                "kind": "cumulative" if metric == "idps_displaced_since" else "flow",
                "metric_as_written": metric,
                "sector": draw(st.sampled_from([None, None, None, "Shelter"])),
                "value": value,
                "qualifier": draw(st.sampled_from([None, "about"])),
                "low": low,
                "high": high,
                "period_start": start,
                "period_end": end,
                "area_pcode": None if on_region else draw(st.sampled_from(PCODES)),
                "region": draw(st.sampled_from(REGIONS)) if on_region else None,
                "area_as_written": "MADE-UP place",
                "publisher": draw(st.sampled_from(PUBLISHERS)),
                "document": draw(st.sampled_from(["MADE-UP doc 1", "MADE-UP doc 2"])),
                "url": None,
                "published_date": end,
                "note": draw(st.sampled_from(NOTES)),
                "source_file": "madeup.csv",
                "source_row": i + 2,
            }
        )
    df = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    for c in ("period_start", "period_end", "published_date"):
        df[c] = pd.to_datetime(df[c])
    return df


@pytest.fixture(scope="module")
def regions(bundle) -> pd.DataFrame:
    return bundle.regions


@settings(deadline=None)  # a loaded 2-core machine: timings say nothing here
@given(figure_rows())
def test_any_small_table(regions, figures: pd.DataFrame) -> None:
    _same(figures, regions, None)


# --- the sorted-index query -------------------------------------------------------------------
@settings(deadline=None)  # a loaded 2-core machine: timings say nothing here
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 30)), min_size=0, max_size=30),
    st.lists(st.tuples(st.integers(-1, 7), st.integers(-1, 31)), min_size=1, max_size=10),
)
def test_prefix_extreme_is_the_brute_force(items, queries) -> None:
    """Smallest rank >= q (largest rank <= q) among items starting by the query's start."""
    start = np.array([s for s, _ in items], dtype=np.int64)
    rank = np.random.default_rng(len(items)).permutation(len(items)).astype(np.int64)
    q_start = np.array([s for s, _ in queries], dtype=np.int64)
    q_rank = np.array([r for _, r in queries], dtype=np.int64)
    small = checks._prefix_extreme(start, rank, q_start, q_rank, smallest=True)
    large = checks._prefix_extreme(start, rank, q_start, q_rank, smallest=False)
    for i, (qs, qr) in enumerate(queries):
        eligible = [int(r) for s, r in zip(start, rank, strict=True) if s <= qs]
        assert small[i] == min([r for r in eligible if r >= qr], default=-1)
        assert large[i] == max([r for r in eligible if r <= qr], default=-1)
