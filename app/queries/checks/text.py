"""The flags in words: a figure's messages, warnings first (hovers, card badges), and the
export's ``flags`` cell ("published_twice (warning, with f975af954e22)")."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from app.queries.checks.run import run_checks
from app.queries.checks.spec import SEVERITIES, severity_word


def flags_by_figure(
    figures: pd.DataFrame,
    areas: pd.DataFrame | None,
    regions: pd.DataFrame,
    checks: pd.DataFrame | None = None,
    priority: Iterable[str] | None = None,
) -> pd.Series:
    """The ``flags`` cell (see :func:`flags_text`) per figure of ``figures``, indexed by
    figure id ("" when none). ``checks``: when already computed on the same figures."""
    checks = run_checks(figures, areas, regions, priority) if checks is None else checks
    cells = flags_text(checks, figures["figure_id"])
    return pd.Series(
        [c or "" for c in cells], index=figures["figure_id"].to_numpy(), name="flags", dtype=object
    )


def messages_by_id(checks: pd.DataFrame) -> dict[str, list[str]]:
    """:func:`messages_for` for every flagged figure at once (views with many figures)."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    out: dict[str, list[tuple[int, str]]] = {}
    for r in checks.to_dict("records") if len(checks) else []:
        out.setdefault(r["figure_id"], []).append(
            (order[r["severity"]], f"⚑ {severity_word(r['severity'])}: {r['message']}")
        )
    return {fid: [m for _unused, m in sorted(ms, key=lambda t: t[0])] for fid, ms in out.items()}


def messages_for(checks: pd.DataFrame, figure_id: str) -> list[str]:
    """The flag messages of one figure, warnings first (hover texts, card badges)."""
    if checks.empty:
        return []
    mine = checks[checks["figure_id"] == figure_id]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    mine = mine.assign(_o=mine["severity"].map(order)).sort_values("_o", kind="stable")
    return [
        f"⚑ {severity_word(s)}: {m}" for s, m in zip(mine["severity"], mine["message"], strict=True)
    ]


def flag_cells(checks: pd.DataFrame) -> dict[str, str]:
    """The export's ``flags`` cell of every flagged figure, by figure id (see
    :func:`flags_text`): one pass over the flags, whatever the size of the table."""
    by_id: dict[str, list[str]] = {}
    for fid, check, severity, related in zip(
        checks["figure_id"], checks["check"], checks["severity"], checks["related_ids"], strict=True
    ):
        with_ids = f", with {' '.join(related)}" if related else ""
        by_id.setdefault(fid, []).append(f"{check} ({severity}{with_ids})")
    return {fid: "; ".join(cells) for fid, cells in by_id.items()}


def flags_text(checks: pd.DataFrame, figure_ids: Iterable[str]) -> list[str | None]:
    """The export's ``flags`` cell per figure id: "published_twice (warning, with f975af954e22);
    nationwide_in_nw_view (note)", None when the figure has no flag."""
    cells = flag_cells(checks)
    return [cells.get(f) for f in figure_ids]
