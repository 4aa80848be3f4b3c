"""The consistency flags of a table as arrays of row positions (an export's ``flags`` column).

:func:`app.queries.checks.run_checks` gives a frame of figure ids, check names and tuples of
related ids: a Python string, tuple and row per flag. A million generated figures have
209,417 flags, about 100 MB held that way from the checks until the last byte of the
download. An export needs only, per row, "check (severity, with ids)" cells, so it keeps
the flags as positions in the checked table and codes (a few bytes a flag) and writes the
cells of a slice of rows when the slice is written (:meth:`FlagIndex.cells_at`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from app.tables.compact import small_positions

#: Flag severities, in code order.
SEVERITY_CODES = ("warning", "note")


@dataclass(frozen=True, eq=False)
class FlagIndex:
    """Flags by row position: flag ``k`` is check ``checks[check[k]]`` on row ``rows[k]``
    with severity ``SEVERITY_CODES[severity[k]]``, comparing it with the rows
    ``related[related_start[k]:related_start[k + 1]]``. In flag order (:meth:`in_order`)
    the flags are by row, then by check name, each check's flags of a row as met: the order
    of ``checks._in_flag_order`` when a row's figure id is its own."""

    checks: tuple[str, ...]
    rows: np.ndarray
    check: np.ndarray
    severity: np.ndarray
    related_start: np.ndarray
    related: np.ndarray

    @classmethod
    def empty(cls, checks: Sequence[str]) -> FlagIndex:
        none = np.zeros(0, dtype=np.int32)
        return cls(tuple(checks), none, none.astype(np.int8), none.astype(np.int8),
                   np.zeros(1, dtype=np.int64), none)  # fmt: skip

    @classmethod
    def of(
        cls,
        checks: Sequence[str],
        check: str,
        rows: Sequence[int] | np.ndarray,
        severity: str | Sequence[str],
        related: Sequence[Sequence[int]],
    ) -> FlagIndex:
        """The flags of one check: a row position, a severity and related positions each."""
        rows = small_positions(np.asarray(rows, dtype=np.int64).reshape(-1))
        n = len(rows)
        if isinstance(severity, str):
            sev = np.full(n, SEVERITY_CODES.index(severity), dtype=np.int8)
        else:
            sev = np.array([SEVERITY_CODES.index(s) for s in severity], dtype=np.int8)
        sizes = np.fromiter((len(r) for r in related), dtype=np.int64, count=n)
        start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(sizes, out=start[1:])
        flat = np.fromiter((int(i) for r in related for i in r), dtype=np.int64, count=start[-1])
        flat = small_positions(flat)
        code = np.full(n, list(checks).index(check), dtype=np.int8)
        return cls(tuple(checks), rows, code, sev, start, flat)

    def __len__(self) -> int:
        return len(self.rows)

    @staticmethod
    def concat(parts: Sequence[FlagIndex], checks: Sequence[str]) -> FlagIndex:
        """The flags of ``parts`` one after another (then :meth:`in_order` for flag order)."""
        parts = [p for p in parts if len(p)]
        if not parts:
            return FlagIndex.empty(checks)
        if len(parts) == 1:
            return parts[0]
        offsets = np.cumsum([0] + [len(p.related) for p in parts[:-1]])
        start = np.concatenate(
            [p.related_start[:-1] + o for p, o in zip(parts, offsets, strict=True)]
            + [np.array([offsets[-1] + len(parts[-1].related)])]
        )
        return FlagIndex(
            parts[0].checks,
            np.concatenate([p.rows for p in parts]),
            np.concatenate([p.check for p in parts]),
            np.concatenate([p.severity for p in parts]),
            start,
            np.concatenate([p.related for p in parts]),
        )

    def in_order(self) -> FlagIndex:
        """The flags by row, then check name, a row's flags of one check in the order met."""
        rank = np.argsort(np.argsort(np.array(self.checks, dtype=object), kind="stable"))
        order = np.lexsort((rank[self.check], self.rows)) if len(self) else self.rows
        sizes = np.diff(self.related_start)[order]
        start = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(sizes, out=start[1:])
        take = _spans(self.related_start[:-1][order], sizes)
        return FlagIndex(
            self.checks, self.rows[order], self.check[order], self.severity[order], start,
            self.related[take],
        )  # fmt: skip

    def cells_at(
        self, positions: np.ndarray, ids_at: Callable[[np.ndarray], list[str]]
    ) -> list[str | None]:
        """The ``flags`` cell of the row at each of ``positions`` ("check (severity, with
        ids)" joined by "; ", as :func:`app.queries.checks.flag_cells` writes it), None for
        a row without flags. ``ids_at`` gives the figure ids of positions (of the related
        rows of these cells only). Needs flag order (:meth:`in_order`)."""
        positions = np.asarray(positions, dtype=np.int64)
        out: list[str | None] = [None] * len(positions)
        if not len(self) or not len(positions):
            return out
        first = np.searchsorted(self.rows, positions, side="left")
        last = np.searchsorted(self.rows, positions, side="right")
        hit = np.flatnonzero(last > first)
        if not len(hit):
            return out
        flags = _spans(first[hit], last[hit] - first[hit])
        starts = self.related_start[flags]
        rel = self.related[_spans(starts, self.related_start[flags + 1] - starts)]
        names = dict(zip(rel.tolist(), ids_at(rel), strict=True)) if len(rel) else {}
        for k in hit.tolist():
            parts = []
            for f in range(first[k], last[k]):
                related = self.related[self.related_start[f] : self.related_start[f + 1]]
                with_ids = f", with {' '.join(names[r] for r in related.tolist())}"
                check, severity = self.checks[self.check[f]], SEVERITY_CODES[self.severity[f]]
                parts.append(f"{check} ({severity}{with_ids if len(related) else ''})")
            out[k] = "; ".join(parts)
        return out


def _spans(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """``starts[i] .. starts[i] + sizes[i] - 1`` for every i, one after another."""
    sizes = np.asarray(sizes, dtype=np.int64)
    total = int(sizes.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    first = np.cumsum(sizes) - sizes
    return np.repeat(np.asarray(starts, dtype=np.int64) - first, sizes) + np.arange(total)
