"""The documented vocabularies: canonical metrics and qualifier -> range rules.

Sources mix cumulative totals ("displaced since 1 December"), flows over a period
("displaced between 9 and 12 February", "arrivals in February") and stocks ("IDPs present
on 8 March"). Adding or charting them together gives wrong numbers, so every figure is
mapped to one canonical metric whose *kind* says which of these it is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from app.i18n import N_, translate


class Kind(StrEnum):
    """What a number measures over time; decides what may be summed or drawn together."""

    CUMULATIVE = "cumulative"  # running total since period_start, as of period_end
    FLOW = "flow"  # count of events within [period_start, period_end]
    STOCK = "stock"  # a level on period_end (people present, population, in need)
    PROJECTION = "projection"  # a forecast or a claim about what could happen
    INDEX = "index"  # a score (severity 1-6): never summed
    OTHER = "other"


@dataclass(frozen=True)
class Metric:
    id: str
    label: str
    kind: Kind
    #: May values for sub-areas be added up to a parent area?
    summable: bool
    unit: str = "people"
    description: str = ""


METRICS: dict[str, Metric] = {
    m.id: m
    for m in [
        Metric("idps_displaced_since", N_("IDPs displaced since start date"), Kind.CUMULATIVE, True,
               description="People displaced since period_start (e.g. 1 Dec 2019), as of period_end."),
        Metric("idp_displacements", N_("Displacements in period"), Kind.FLOW, True,
               description="Displacements recorded within the period (a flow)."),
        Metric("idp_arrivals", N_("IDP arrivals in period"), Kind.FLOW, True,
               description="Newly displaced people arriving in the area within the period."),
        Metric("idp_departures", N_("IDP departures in period"), Kind.FLOW, True,
               description="Newly displaced people leaving the area (area of origin) within the period."),
        Metric("idps_present", N_("IDPs present"), Kind.STOCK, True,
               description="Internally displaced people present in the area on period_end."),
        Metric("idps_in_camps", N_("IDPs in camps"), Kind.STOCK, True,
               description="IDPs living in camps or informal sites on period_end."),
        Metric("civilians_killed", N_("Civilians killed in period"), Kind.FLOW, True,
               description="Civilian deaths recorded or reported within the period."),
        Metric("civilians_injured", N_("Civilians injured in period"), Kind.FLOW, True),
        Metric("people_killed", N_("People killed in period (not only civilians)"), Kind.FLOW, True,
               description="Deaths where the source does not restrict to civilians."),
        Metric("people_injured", N_("People injured in period (not only civilians)"), Kind.FLOW, True),
        Metric("people_at_risk", N_("People at risk of displacement (projection or claim)"),
               Kind.PROJECTION, False,
               description="A forecast or claim of people who could be displaced; not a count."),
        Metric("people_moving_claimed", N_("People on the move (claim)"), Kind.PROJECTION, False,
               description="A statement of people moving, made without a published count."),
        Metric("people_in_need", N_("People in need"), Kind.STOCK, True,
               description="HNO people in need; per sector, never summed across sectors."),
        Metric("severity", N_("Severity (1-6)"), Kind.INDEX, False, unit="score",
               description="HNO severity score per sector; not summable."),
        Metric("population", N_("Population"), Kind.STOCK, True),
        Metric("other", N_("Other figure"), Kind.OTHER, False,
               description="A figure outside this vocabulary; metric_as_written says what."),
    ]
}


def metric(metric_id: str) -> Metric:
    return METRICS[metric_id]


def metric_label(metric_id: str) -> str:
    """A metric's label in the request's language (the id itself when unknown)."""
    m = METRICS.get(str(metric_id))
    return translate(m.label) if m else str(metric_id)


# --- Source metric names -> canonical -------------------------------------------------
# Order matters: the first pattern that matches wins. Each row: (regex on the metric as
# written, canonical id). Used by the figures loaders; unknown names map to "other" with a warning.
METRIC_PATTERNS: list[tuple[str, str]] = [
    (r"^(idps_)?displace(d|ments)_since_", "idps_displaced_since"),
    (r"^displaced_to_.*_since_", "idps_displaced_since"),
    (r"^displace(d|ments)_in_(period|month)", "idp_displacements"),
    (r"^received_idps", "idp_arrivals"),
    (r"^idp_arrivals", "idp_arrivals"),
    (r"^idps?_displaced_from|^idp_departures", "idp_departures"),
    (r"^idps_in_camps", "idps_in_camps"),
    (r"^idps_(present|hosted)", "idps_present"),
    (r"^civilian_deaths", "civilians_killed"),
    (r"^civilians?_killed", "civilians_killed"),
    (r"^civilian_injur", "civilians_injured"),
    (r"^people_killed", "people_killed"),
    (r"^people_injured", "people_injured"),
    (r"^people_at_risk|could_head|could_flee", "people_at_risk"),
    (r"^people_moving", "people_moving_claimed"),
    (r"^people_in_need", "people_in_need"),
    (r"^severity", "severity"),
    (r"^population", "population"),
]


def canonical_metric(as_written: str) -> str | None:
    """Map a source metric name to the vocabulary; None when nothing matches.

    >>> canonical_metric("displaced_since_2019-12-01")
    'idps_displaced_since'
    >>> canonical_metric("civilian_deaths_recorded")
    'civilians_killed'
    """
    key = as_written.strip().lower()
    if key in METRICS:
        return key
    for pattern, target in METRIC_PATTERNS:
        if re.search(pattern, key):
            return target
    return None


# --- Qualifiers -> ranges --------------------------------------------------------------
@dataclass(frozen=True)
class QualifierRule:
    words: tuple[str, ...]
    low: float  # multiplier of the value for the low end
    high: float  # multiplier for the high end
    meaning: str


#: The documented table (README "Ranges from qualifiers"). A qualifier is matched as a whole
#: phrase after lower-casing; several qualifiers ("some / almost") give the union of ranges.
QUALIFIER_RULES: list[QualifierRule] = [
    QualifierRule(("", "exact"), 1.0, 1.0, "as published: the figure is the count"),
    QualifierRule(("more than", "over", "in excess of", "upwards of"), 1.0, 1.10,
                  "a floor: the true value is above it; upper end taken as +10%"),
    QualifierRule(("at least", "a minimum of"), 1.0, 1.10,
                  "a floor (often a verified minimum): upper end taken as +10%"),
    QualifierRule(("almost", "nearly", "close to", "up to", "just under"), 0.90, 1.0,
                  "a ceiling: the true value is below it; lower end taken as -10%"),
    QualifierRule(("some", "about", "around", "approximately", "roughly", "circa", "an estimated"),
                  0.95, 1.05, "a rounded figure: +/-5%"),
    QualifierRule(("estimated", "estimate", "projected"), 0.90, 1.10,
                  "an estimate or projection: +/-10%"),
]

_RULES_BY_WORD = {w: r for r in QUALIFIER_RULES for w in r.words}
_SI = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "million": 1_000_000, "thousand": 1_000}
_LABEL = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(k|m|mn|million|thousand)\s*$", re.I)


class UnknownQualifier(ValueError):
    """A qualifier outside the documented table; the caller reports it, never guesses."""

    @property
    def known(self) -> str:
        return ", ".join(repr(w) for w in sorted(_RULES_BY_WORD) if w) + ', or a chart label like "344K"'


def chart_label_range(label: str) -> tuple[float, float, float] | None:
    """A rounded chart label such as "344K" -> (value, low, high) at half a unit of its last digit.

    >>> chart_label_range("344K")
    (344000.0, 343500.0, 344500.0)
    >>> chart_label_range("1.2M")
    (1200000.0, 1150000.0, 1250000.0)
    """
    m = _LABEL.match(label)
    if not m:
        return None
    digits, unit = m.group(1), m.group(2).lower()
    scale = _SI[unit]
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    half = 0.5 * scale / (10**decimals)
    value = float(digits) * scale
    return value, value - half, value + half


def qualifier_range(value: float, qualifier: str | None) -> tuple[float, float]:
    """Low/high bounds for a figure from its qualifier, by :data:`QUALIFIER_RULES`.

    >>> qualifier_range(800000, "more than")
    (800000.0, 880000.0)
    >>> qualifier_range(900000, "some / almost")
    (810000.0, 945000.0)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return (math.nan, math.nan)
    q = (qualifier or "").strip().lower()
    label = chart_label_range(q) if q else None
    if label is not None:
        return label[1], label[2]
    parts = [p.strip() for p in re.split(r"\s*(?:/|,|;|\bor\b)\s*", q)] if q else [""]
    lows, highs = [], []
    for part in parts:
        rule = _RULES_BY_WORD.get(part)
        if rule is None:
            raise UnknownQualifier(
                f"qualifier {part!r} is not in the documented table "
                f"(known: {', '.join(repr(w) for w in sorted(_RULES_BY_WORD) if w)})"
            )
        lows.append(rule.low)
        highs.append(rule.high)
    return float(round(value * min(lows), 6)), float(round(value * max(highs), 6))
