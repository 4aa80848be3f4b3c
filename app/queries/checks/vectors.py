"""Vector helpers of the checks: numpy over integer codes (one code per key tuple, runs of
equal keys, ranges, a prefix query), knowing nothing about figures."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def _combine(*codes: np.ndarray) -> np.ndarray:
    """One code per row for the tuple of ``codes`` (-1, missing, is a value like any other).

    Codes are numbered in order of first appearance (as ``pd.factorize``), which is the order
    in which the record-by-record checks met their groups.
    """
    return _fold(codes)


def _fold(codes: Iterable[np.ndarray]) -> np.ndarray:
    """:func:`_combine` of ``codes`` taken one at a time: given a generator, only one
    column's codes are alive besides the key (ten identity columns of a million rows held
    at once were 80 MB of the checks' peak)."""
    out: np.ndarray | None = None
    span = 1  # out < span
    for c in codes:
        if out is None:
            out = np.zeros(len(c), dtype=np.int64)
        c = np.asarray(c, dtype=np.int64) + 1
        radix = int(c.max(initial=0)) + 1
        if span * radix >= 1 << 62:  # renumber before the mixed-radix number overflows
            out = pd.factorize(out)[0].astype(np.int64)
            span = int(out.max(initial=0)) + 1
        out, span = out * radix + c, span * radix
    assert out is not None, "no codes to combine"
    return pd.factorize(out)[0].astype(np.int64)


def _changes(*sorted_keys: np.ndarray) -> np.ndarray:
    """True where a row's key tuple differs from the previous row's (and for the first)."""
    n = len(sorted_keys[0])
    out = np.zeros(n, dtype=bool)
    out[:1] = True
    for k in sorted_keys:
        out[1:] |= k[1:] != k[:-1]
    return out


def _first_of(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """The smallest ``value`` of each row's group, for every row."""
    smallest = np.full(int(group.max(initial=-1)) + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, group, value)
    return smallest[group]


def _runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each element of a sorted array: where its run of equal keys starts and ends."""
    n = len(sorted_keys)
    new = np.ones(n, dtype=bool)
    new[1:] = sorted_keys[1:] != sorted_keys[:-1]
    starts = np.flatnonzero(new)
    run = np.cumsum(new) - 1
    return starts[run], np.append(starts[1:], n)[run]


def _ranges(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, item) for each i and each item in ``starts[i] .. starts[i] + counts[i] - 1``."""
    counts = np.maximum(np.asarray(counts, dtype=np.int64), 0)
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.cumsum(counts) - counts
    step = np.arange(int(counts.sum())) - np.repeat(first, counts)
    return owner, np.repeat(np.asarray(starts, dtype=np.int64), counts) + step


def _prefix_extreme(
    item_start: np.ndarray,
    item_rank: np.ndarray,
    query_start: np.ndarray,
    query_rank: np.ndarray,
    smallest: bool,
) -> np.ndarray:
    """For each query, among the items whose start is at most the query's start: the smallest
    rank >= ``query_rank`` (``smallest``) or the largest rank <= it; -1 when there is none.

    ``item_rank`` is a permutation of 0..n-1. A merge-sort tree: the items sorted by start,
    each prefix cut into at most log2(n) aligned blocks whose ranks are kept sorted, so each
    query is one binary search per block size: O((n + queries) log^2 n), all in numpy.
    """
    n, m = len(item_start), len(query_start)
    best = np.full(m, n if smallest else -1, dtype=np.int64)
    if n == 0 or m == 0:
        return np.full(m, -1, dtype=np.int64)
    by_start = np.argsort(item_start, kind="stable")
    ranks = np.asarray(item_rank, dtype=np.int64)[by_start]
    prefix = np.searchsorted(item_start[by_start], query_start, side="right")
    # ranks outside 0..n-1 would reach into the neighbouring block
    query_rank = np.clip(query_rank, 0, n) if smallest else np.clip(query_rank, -1, n - 1)
    level = 0
    while (1 << level) <= n:
        has = ((prefix >> level) & 1).astype(bool)
        if has.any():
            keys = np.sort((np.arange(n, dtype=np.int64) >> level) * n + ranks)
            base = ((prefix[has] >> level) - 1) * n
            q = base + query_rank[has]
            if smallest:
                p = np.searchsorted(keys, q, side="left")
                val = keys[np.minimum(p, n - 1)]
                found = (p < n) & (val < base + n)
                best[has] = np.minimum(best[has], np.where(found, val - base, n))
            else:
                p = np.searchsorted(keys, q, side="right") - 1
                val = keys[np.maximum(p, 0)]
                found = (p >= 0) & (val >= base)
                best[has] = np.maximum(best[has], np.where(found, val - base, -1))
        level += 1
    return np.where(best == n, -1, best) if smallest else best
