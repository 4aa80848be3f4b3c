"""Town names placed around their dots so that no two names meet (app/figures/label_layout.py)."""

from __future__ import annotations

import itertools

import pytest

from app.bundle.store import load_bundle
from app.figures import label_layout as L
from app.figures.map import LAT_RANGE, LON_RANGE, label_box, place_labels

FRAME = L.frame_box(LON_RANGE, LAT_RANGE)


def test_a_name_that_would_cover_another_moves_and_a_fixed_one_never_does() -> None:
    names = [
        L.Name(36.514, 36.200, "Harim", 11),
        L.Name(36.733, 36.235, "Dana (Sarmada)", 11),
        L.Name(36.60, 36.23, "An area", 12, "middle center", fixed=True),
    ]
    above = [L.text_box(n.lon, n.lat, n.text, n.size, "top center") for n in names[:2]]
    assert above[0].meets(above[1])  # both above their dots: they overlap
    got = L.place(names, FRAME)
    assert got[2] == "middle center"
    boxes = [L.text_box(n.lon, n.lat, n.text, n.size, p) for n, p in zip(names, got, strict=True)]
    assert not any(a.meets(b) for a, b in itertools.combinations(boxes, 2)), got


def test_a_name_stays_inside_the_frame() -> None:
    # a town by the west edge: its name may not go left, out of the opening frame
    west = L.Name(LON_RANGE[0] + 0.05, 36.0, "Jisr ash-Shughur", 11, "middle left")
    (position,) = L.place([west], FRAME)
    assert position != "middle left"
    assert L.text_box(west.lon, west.lat, west.text, 11, position).inside(FRAME)


def test_where_every_place_is_taken_the_least_overlap_wins() -> None:
    town = L.Name(37.0, 36.0, "Town", 11)
    walls = [
        L.Name(37.0 + dx, 36.0 + dy, "XXXXXXXXXXXXXXXXXXXX", 14, "middle center", fixed=True)
        for dx, dy in ((0, 0.03), (0, -0.03), (0.12, 0), (-0.12, 0))
    ]
    got = L.place([town, *walls], FRAME)
    costs = {
        p: sum(
            L.text_box(37.0, 36.0, "Town", 11, p).overlap(
                L.text_box(w.lon, w.lat, w.text, w.size, w.position)
            )
            for w in walls
        )
        for p in L.CANDIDATES
    }
    assert costs[got[0]] == min(costs.values())


@pytest.mark.parametrize("level", [1, 3])
def test_on_the_real_map_no_town_name_meets_another_name(level: int) -> None:
    """At admin 3 (the opening view) every name fits, by the estimate; at admin 1 the town
    names (the estimate is generous: the governorates' names, in larger type, are drawn
    clear of them, which the browser test, tests/e2e/test_map_labels.py, measures)."""
    labels = place_labels(load_bundle().areas, level)
    if level == 1:
        labels = [lb for lb in labels if lb.kind == "town"]
    towns = [lb for lb in labels if lb.kind == "town"]
    assert len(towns) == 14
    clashes = [
        (a.name, b.name)
        for a, b in itertools.combinations(labels, 2)
        if "town" in (a.kind, b.kind) and label_box(a).meets(label_box(b))
    ]
    assert clashes == []
    assert all(label_box(t).inside(FRAME) for t in towns)
    # the cluster by the border that overlapped: Dana's name no longer above its dot
    assert {lb.name: lb.position for lb in towns}["Dana (Sarmada)"] != "top center"
