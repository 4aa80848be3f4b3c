"""Where each town's name sits around its dot, so that no two names on the map overlap.

The main towns of the offensive lie close together: Dana, Harim and Salqin 8-20 km apart by
the border, Jisr ash-Shughur 24 km west of Ariha, Saraqab inside Idlib district's label. With
every name above its dot, "Dana (Sarmada)" covered "Harim" and ran into "Aleppo", and at
admin 2 the district names sat on town names. Names are placed greedily: the areas' names
first (they stay at their centroids), then the towns, most crowded first, each at the first
position around its dot (:data:`CANDIDATES`, above first) whose box meets no box already
placed and stays inside the opening frame, else where it overlaps the least.

Boxes are estimated, not measured: text width from the number of characters, at the scale
of the overview's map at a desktop width (:data:`PX_PER_DEG_LON`). Narrower maps (phones)
draw the same text larger relative to the map, so some names may still touch there.
Pure functions, no plotly: tested in ``tests/unit/test_label_layout.py``, and in the
browser (``tests/e2e/test_map_labels.py``), which measures the drawn names.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Positions tried around a town's dot, in order (plotly ``textposition``).
CANDIDATES: tuple[str, ...] = (
    "top center",
    "bottom center",
    "middle right",
    "middle left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)
#: The overview's map at a desktop width: 2.35 degrees of longitude on about 460 px.
PX_PER_DEG_LON = 195.0
#: Average advance of a character, as a share of the font size (Latin and Arabic, sans).
CHAR_EM = 0.56
#: Gap between a dot and its name, and around every box, px.
GAP_PX = 4.0
PAD_PX = 1.0
#: Names closer than this (px, between points) count as crowding each other.
NEAR_PX = 80.0


@dataclass(frozen=True)
class Box:
    """A rectangle in map pixels (x east, y north) at the scale of :data:`PX_PER_DEG_LON`."""

    left: float
    right: float
    bottom: float
    top: float

    def meets(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.bottom < other.top
            and other.bottom < self.top
        )

    def overlap(self, other: Box) -> float:
        """The area both boxes cover, px²."""
        w = min(self.right, other.right) - max(self.left, other.left)
        h = min(self.top, other.top) - max(self.bottom, other.bottom)
        return w * h if w > 0 and h > 0 else 0.0

    def inside(self, frame: Box) -> bool:
        return (
            frame.left <= self.left
            and self.right <= frame.right
            and frame.bottom <= self.bottom
            and self.top <= frame.top
        )


def _mercator_y(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def to_px(lon: float, lat: float) -> tuple[float, float]:
    """(lon, lat) -> map pixels at the desktop scale (mercator, as the map is drawn)."""
    return lon * PX_PER_DEG_LON, _mercator_y(lat) * PX_PER_DEG_LON


def _start(at: float, extent: float, side: str) -> float:
    """Where a text of ``extent`` px starts along one axis, at ``side`` of the point ``at``:
    centred on it, after it (right, top) or before it (left, bottom), :data:`GAP_PX` away."""
    if side in ("center", "middle"):
        return at - extent / 2
    if side in ("right", "top"):
        return at + GAP_PX
    return at - GAP_PX - extent


def text_box(lon: float, lat: float, text: str, size: float, position: str) -> Box:
    """The box of ``text`` at font ``size`` placed at ``position`` around (lon, lat)."""
    x, y = to_px(lon, lat)
    width = len(text) * size * CHAR_EM
    height = size * 1.2
    vertical, horizontal = position.split()
    left, bottom = _start(x, width, horizontal), _start(y, height, vertical)
    return Box(left - PAD_PX, left + width + PAD_PX, bottom - PAD_PX, bottom + height + PAD_PX)


def frame_box(lon: tuple[float, float], lat: tuple[float, float]) -> Box:
    (x0, y0), (x1, y1) = to_px(lon[0], lat[0]), to_px(lon[1], lat[1])
    return Box(x0, x1, y0, y1)


@dataclass(frozen=True)
class Name:
    """A name to place: its point, text and font size; ``fixed``: drawn at ``position``."""

    lon: float
    lat: float
    text: str
    size: float
    position: str = "top center"
    fixed: bool = False


def place(names: Sequence[Name], frame: Box) -> list[str]:
    """The position of each name: fixed names keep theirs. The others are placed most
    crowded first (most other names within :data:`NEAR_PX`), so the names with the fewest
    free places choose first; each takes the first of its own position then
    :data:`CANDIDATES` whose box is inside ``frame`` and meets no box placed so far, else the
    one inside ``frame`` that overlaps the least."""
    boxes: dict[int, Box] = {
        i: text_box(n.lon, n.lat, n.text, n.size, n.position)
        for i, n in enumerate(names)
        if n.fixed
    }
    out = {i: n.position for i, n in enumerate(names) if n.fixed}
    points = [to_px(n.lon, n.lat) for n in names]

    def crowd(i: int) -> int:
        return sum(1 for j, q in enumerate(points) if j != i and math.dist(points[i], q) < NEAR_PX)

    free = sorted((i for i, n in enumerate(names) if not n.fixed), key=lambda i: -crowd(i))
    for i in free:
        n = names[i]
        best: tuple[float, str, Box] | None = None
        for position in _unique((n.position, *CANDIDATES)):
            box = text_box(n.lon, n.lat, n.text, n.size, position)
            if not box.inside(frame):
                continue
            cost = sum(box.overlap(other) for other in boxes.values())
            if best is None or cost < best[0]:
                best = (cost, position, box)
            if cost == 0:
                break
        if best is None:  # no position inside the frame: its own
            best = (0.0, n.position, text_box(n.lon, n.lat, n.text, n.size, n.position))
        out[i], boxes[i] = best[1], best[2]
    return [out[i] for i in range(len(names))]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
