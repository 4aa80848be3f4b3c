"""An export's flags as row positions (``checks.export_flags``, ``FlagIndex``,
``rows.SliceFlags``) write the same ``flags`` cells as the frame of ids the views use
(``checks.flag_cells(checks.view_checks(...))``): on the real bundle at several dates, and
on GENERATED tables crowded with flags run as a large table (in parts, by place)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from app.export.rows import SliceFlags
from app.queries import checks
from app.queries.filters import known_date
from app.queries.flag_index import FlagIndex
from tests.unit.generated_tables import PRIORITY as GEN_PRIORITY
from tests.unit.generated_tables import generated_figures

PRIORITY = ["OCHA", "UNHCR", "OHCHR"]


def _want(figures, areas, regions, as_of, priority) -> list[str | None]:  # type: ignore[no-untyped-def]
    found = checks.view_checks(figures, areas, regions, as_of, priority, messages=False)
    cells = checks.flag_cells(found)
    return [cells.get(f) for f in figures["figure_id"].tolist()]


@pytest.mark.parametrize("as_of", [None, "2020-02-16", "2020-03-05"])
def test_bundle_cells_by_position_and_by_id(bundle, as_of) -> None:  # type: ignore[no-untyped-def]
    when = None if as_of is None else pd.Timestamp(as_of)
    f = bundle.figures
    want = _want(f, bundle.areas, bundle.regions, when, PRIORITY)
    assert sum(c is not None for c in want) >= 5  # the real bundle has flagged figures
    flags = SliceFlags(checks.export_flags(f, bundle.areas, bundle.regions, when, PRIORITY), f)
    at = np.arange(len(f))
    assert flags.cells(f, at) == want  # the checked table: by position
    # another table (a filtered copy, reversed): by figure id
    other = f.iloc[::-1].reset_index(drop=True)
    assert flags.cells(other, at) == want[::-1]
    made_up = pd.DataFrame({"figure_id": ["madeup_not_a_figure"]})
    assert flags.cells(made_up, np.array([0])) == [None]


@pytest.mark.parametrize("seed", range(3))
def test_generated_large_table_cells(bundle, monkeypatch, seed) -> None:  # type: ignore[no-untyped-def]
    f = generated_figures(3000, seed)
    want = _want(f, bundle.areas, bundle.regions, None, GEN_PRIORITY)
    assert sum(c is not None for c in want) > 300
    assert any(c and "; " in c for c in want)  # cells with several flags
    assert any(c and ", with " in c for c in want)
    monkeypatch.setattr(checks.limits, "_LARGE", 500)  # in parts: flows by place, then metrics
    monkeypatch.setattr(checks.limits, "_PLACE_ROWS", 150)
    found = checks.export_flags(f, bundle.areas, bundle.regions, None, GEN_PRIORITY)
    assert len(checks._parts(f, np.arange(len(f)))) > 10
    flags = SliceFlags(found, f)
    assert flags.cells(f, np.arange(len(f))) == want
    # slices of the export in any order give the same cells
    order = np.random.default_rng(seed).permutation(len(f))
    got = [c for i in range(0, len(f), 700) for c in flags.cells(f, order[i : i + 700])]
    assert got == [want[k] for k in order]


def test_flag_index_order_and_cells() -> None:
    """MADE-UP flags on rows 0-3 of a four-figure table."""
    names = ("published_twice", "cumulative_falls", "flow_exceeds_change")
    one = FlagIndex.of(names, "published_twice", [2, 0, 2], ["warning", "note", "note"],
                       [(0,), (2,), (1, 3)])  # fmt: skip
    two = FlagIndex.of(names, "cumulative_falls", [2], "warning", [()])
    flags = FlagIndex.concat([one, FlagIndex.empty(names), two], names).in_order()
    assert flags.rows.tolist() == [0, 2, 2, 2]
    ids = np.array(["f-a", "f-b", "f-c", "f-d"], dtype=object)
    cells = flags.cells_at(np.array([3, 2, 0, 1]), lambda p: ids[p].tolist())
    assert cells == [
        None,
        # check names in alphabetical order, one check's flags as met
        "cumulative_falls (warning); published_twice (warning, with f-a); "
        "published_twice (note, with f-b f-d)",
        "published_twice (note, with f-c)",
        None,
    ]
    assert FlagIndex.empty(names).cells_at(np.array([0]), lambda p: []) == [None]


def test_large_export_flags_kept_per_table(bundle, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A large table's flags are kept (the last few): the same download in another format
    does not run the checks again; a new version of the tables lets them go."""
    f = generated_figures(3000, 1)
    monkeypatch.setattr(checks.limits, "_LARGE", 500)
    monkeypatch.setattr(checks.views, "_RECENT_LARGE_EXPORT_FLAGS", [])
    first = checks.export_flags(f, bundle.areas, bundle.regions, None, GEN_PRIORITY)
    assert checks.export_flags(f, bundle.areas, bundle.regions, None, GEN_PRIORITY) is first
    day = pd.Timestamp("2019-12-15")
    other = checks.export_flags(f, bundle.areas, bundle.regions, day, GEN_PRIORITY)
    assert other is not first and len(other) < len(first)
    checks.export_flags(f, bundle.areas, bundle.regions, None, ["OCHA"])
    assert len(checks.views._RECENT_LARGE_EXPORT_FLAGS) == checks.LARGE_EXPORT_FLAGS_KEPT
    checks.forget_tables(keep=bundle.figures)
    assert checks.views._RECENT_LARGE_EXPORT_FLAGS == []


def test_checks_keyed_by_the_days_checked_rows_became_known(bundle, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The flags as known on any date are those as known on the last day before it on which
    a checked row (no sector, not a weekly event sum) became known: one cached result for
    all the weeks of event sums in between, and the same flags as computed for the date."""
    f = bundle.figures
    days = checks.checked_days(f)
    assert 3 < len(days) < len(np.unique(known_date(f).dropna()))  # weekly sums too
    a, b = pd.Timestamp(days[-3]), pd.Timestamp(days[-2])
    between = a + (b - a) / 2
    assert checks.checked_key(f, between) == a == checks.checked_key(f, a)
    assert checks.checked_key(f, pd.Timestamp("1990-01-01")) < pd.Timestamp(days[0])
    assert checks.checked_key(f, None) is None
    monkeypatch.setattr(checks.views, "_RECENT_VIEW_CHECKS", [])
    keyed = checks.view_checks(f, bundle.areas, bundle.regions, between, PRIORITY)
    assert len(checks.views._RECENT_VIEW_CHECKS) == 1
    checks.view_checks(f, bundle.areas, bundle.regions, a, PRIORITY)
    assert len(checks.views._RECENT_VIEW_CHECKS) == 1  # the same entry
    # computed for the date itself, without the key: the same flags
    dated, pos = checks._without_sector(f)
    pos = pos[(known_date(dated) <= between).to_numpy()[pos]]
    direct = checks._run(dated, pos, bundle.areas, bundle.regions, PRIORITY)
    pd.testing.assert_frame_equal(keyed, direct)
    assert len(direct) > 0
