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
    monkeypatch.setattr(checks, "_LARGE", 50)
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
    monkeypatch.setattr(checks, "_LARGE", 500)
    assert len(checks._metric_families(f, pos)) == 4  # 7 metrics, 3 flows with their total
    parts = checks._parts(f, pos)  # a metric at a time, and the flows with their total
    assert [len(c) for _p, c in parts] == [1] + [4] * 7
    assert parts[0][1] == ("flow_exceeds_change",)
    by_family = checks._run(f, pos, bundle.areas, bundle.regions, GEN_PRIORITY, messages=True)
    pd.testing.assert_frame_equal(by_family, whole)


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
