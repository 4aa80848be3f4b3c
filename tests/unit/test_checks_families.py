"""The checks of a large table run one family of metrics at a time
(``checks._metric_families``) and give the same flags, in the same order, as one run over
every row: forced here, by lowering the size that counts as large, on the real bundle and on
GENERATED tables crowded with flags (tests/unit/generated_tables.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app.queries import checks
from tests.unit.generated_tables import PRIORITY as GEN_PRIORITY
from tests.unit.generated_tables import generated_figures

PRIORITY = ["OCHA", "UNHCR", "OHCHR"]


@pytest.mark.parametrize("as_of", [None, "2020-02-16", "2020-03-05"])
def test_families_give_the_same_flags(bundle, monkeypatch, as_of) -> None:  # type: ignore[no-untyped-def]
    when = None if as_of is None else pd.Timestamp(as_of)
    whole = checks._run(*_args(bundle, when), PRIORITY, messages=True)
    assert len(whole) > 0
    monkeypatch.setattr(checks.limits, "_LARGE", 50)
    dated, pos = _args(bundle, when)[:2]
    assert len(checks._metric_families(dated, pos)) > 3
    by_family = checks._run(*_args(bundle, when), PRIORITY, messages=True)
    pd.testing.assert_frame_equal(by_family, whole)


@pytest.mark.parametrize("seed", range(3))
def test_families_give_the_same_flags_on_generated_tables(bundle, monkeypatch, seed) -> None:  # type: ignore[no-untyped-def]
    f = generated_figures(3000, seed)
    pos = np.arange(len(f))
    whole = checks._run(f, pos, bundle.areas, bundle.regions, GEN_PRIORITY, messages=True)
    assert len(whole) > 100 and whole["check"].nunique() == 5  # every check flags something
    monkeypatch.setattr(checks.limits, "_LARGE", 500)
    assert len(checks._metric_families(f, pos)) == 4  # 7 metrics, 3 flows with their total
    parts = checks._parts(f, pos)  # a metric at a time, and the flows with their total
    assert [len(c) for _p, c in parts] == [1] + [4] * 7
    assert parts[0][1] == ("flow_exceeds_change",)
    by_family = checks._run(f, pos, bundle.areas, bundle.regions, GEN_PRIORITY, messages=True)
    pd.testing.assert_frame_equal(by_family, whole)


@pytest.mark.parametrize("seed", range(3))
def test_places_give_the_same_flags_on_generated_tables(bundle, monkeypatch, seed) -> None:  # type: ignore[no-untyped-def]
    """Parts of a few places each, for every check but children_exceed_parent (the only one
    that compares two places), give the flags of one run over every row."""
    f = generated_figures(3000, seed)
    pos = np.arange(len(f))
    whole = checks._run(f, pos, bundle.areas, bundle.regions, GEN_PRIORITY, messages=True)
    monkeypatch.setattr(checks.limits, "_LARGE", 500)
    monkeypatch.setattr(checks.limits, "_PLACE_ROWS", 150)
    parts = checks._parts(f, pos)
    flows = [p for p, c in parts if c == ("flow_exceeds_change",)]
    local = [p for p, c in parts if "published_twice" in c and len(c) == 3]
    assert len(flows) > 3 and len(local) > 7
    local_checks = ("published_twice", "cumulative_falls", "nationwide_in_nw_view")
    runs = {c for _p, c in parts}  # children_exceed_parent never by place
    assert runs - {(*local_checks, "children_exceed_parent")} == {
        ("flow_exceeds_change",), local_checks, ("children_exceed_parent",)}  # fmt: skip
    for check in ("published_twice", "children_exceed_parent"):  # every row once
        rows = np.concatenate([p for p, c in parts if check in c])
        assert sorted(rows.tolist()) == list(range(len(f)))
    place = checks._place_keys(f, pos)
    for p, family in [(p, True) for p in flows] + [(p, False) for p in local]:
        assert (np.diff(p) > 0).all()  # table order
        others = np.setdiff1d(_same_metrics(f, p, family), p)
        assert not np.isin(place[p], place[others]).any()  # whole places
    by_place = checks._run(f, pos, bundle.areas, bundle.regions, GEN_PRIORITY, messages=True)
    pd.testing.assert_frame_equal(by_place, whole)


def _same_metrics(f: pd.DataFrame, p: np.ndarray, family: bool) -> np.ndarray:
    """The rows of the metrics found at ``p`` (``family``: with their flows' running total)."""
    metric = f["metric"].astype(str)
    if family:
        metric = metric.map(lambda m: checks.FLOW_TO_CUMULATIVE.get(m, m))
    return np.flatnonzero(metric.isin(set(metric.iloc[p])))


def test_by_place_keeps_places_whole() -> None:
    pos = np.arange(10, 20)
    place = np.array([3, 1, 3, 2, 1, 2, 3, 0, 0, 1])
    parts = checks._by_place(pos, place, rows=4)
    assert [p.tolist() for p in parts] == [[11, 14, 17, 18, 19], [10, 12, 13, 15, 16]]
    assert [p.tolist() for p in checks._by_place(pos, place, rows=10)] == [pos.tolist()]
    assert [p.tolist() for p in checks._by_place(pos, place, rows=1)] == [
        [17, 18], [11, 14, 19], [13, 15], [10, 12, 16]]  # fmt: skip


def test_flows_are_with_their_running_total(bundle) -> None:  # type: ignore[no-untyped-def]
    f = bundle.figures
    parts = checks._metric_families(f, np.arange(len(f)))
    assert sorted(np.concatenate(parts).tolist()) == list(range(len(f)))  # every row once
    family = {}
    for i, part in enumerate(parts):
        assert (np.diff(part) > 0).all()  # table order
        for m in set(f["metric"].iloc[part].astype(str)):
            family[m] = i
    assert family["idp_arrivals"] == family["idps_displaced_since"] == family["idp_displacements"]
    assert family["civilians_killed"] != family["idps_displaced_since"]


def _args(bundle, when):  # type: ignore[no-untyped-def]
    dated, pos = checks._without_sector(bundle.figures)
    if when is not None:
        from app.queries.filters import known_date

        pos = pos[(known_date(dated) <= when).to_numpy()[pos]]
    return dated, pos, bundle.areas, bundle.regions
