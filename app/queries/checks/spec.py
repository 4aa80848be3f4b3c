"""What the checks are and what a flag looks like: the list of checks (README "Consistency
checks" is the same list, a test keeps the two in step), the columns of a flag, its
severities and their words, and which flows add to which running total. The other modules of
the package read these; this one reads none of them."""

from __future__ import annotations

import pandas as pd

from app.i18n import N_, translate

#: check id -> (severity or severities, what it means). README "Consistency checks".
CHECKS: dict[str, str] = {
    "published_twice": (
        "the same figure (value, metric, area, period) in two rows or documents; warning "
        "when identical, note when only the date, qualifier or a stated start differ"
    ),
    "cumulative_falls": (
        "a running total lower at a later date than earlier (same metric, area, publisher "
        "family and start); warning when the later high is below the earlier low, else note"
    ),
    "flow_exceeds_change": (
        "a flow over a period larger than the running total grew over it (nearest running "
        "totals before and after, ranges compared); warning"
    ),
    "nationwide_in_nw_view": "a nationwide figure shown in a north-west view; note",
    "children_exceed_parent": (
        "sub-areas adding up to more than their parent (summable metric, same period; sum of "
        "lows above the parent's high; community rows marked 'do not sum' left out); warning"
    ),
}
COLUMNS = ["figure_id", "check", "severity", "message", "related_ids"]
SEVERITIES = ("warning", "note")
#: Severities in words (English, marked): :func:`severity_word` translates.
SEVERITY_WORDS = {"warning": N_("warning"), "note": N_("note")}


def severity_word(severity: str) -> str:
    """A flag's severity in the request's language ("warning" in English)."""
    return translate(SEVERITY_WORDS.get(severity, severity))


#: Flows whose period a running total covers (same place): displacement counts.
FLOW_TO_CUMULATIVE: dict[str, str] = {
    "idp_displacements": "idps_displaced_since",
    "idp_arrivals": "idps_displaced_since",
    "idp_departures": "idps_displaced_since",
}


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})


def _default_priority() -> list[str]:
    from app.config import get_config

    return [p.strip() for p in get_config().publisher_priority.split("|") if p.strip()]
