"""Reconciliation: every figure for a metric group and a place on one timeline, by publisher,
with the pairs from the same weeks marked and the reasons the data gives for differences.

The product exists to show disagreeing sources side by side instead of picking one. Two
numbers that differ are not necessarily in conflict: they may count from a different start
(the seed article's 1,800 is TRT World's count since the Sochi deal of 17 Sep 2018; OHCHR's
299 counts from 1 Jan 2020), for a different area (nationwide vs north-west), or a different
kind of thing (a running total vs one month's flow, a projection vs a count). This module
says which, in words, from the columns of the canonical table only - it never guesses.

Statuses of a pair of figures whose dates are at most :data:`WEEK_DAYS` apart
(README "Reconciliation"; two weekly counts of one publisher and document, an event
dataset's consecutive weeks, are not a pair):

- ``consistent``: comparable figures whose qualifier ranges overlap;
- ``contradiction``: comparable figures whose ranges do not overlap;
- ``different``: not comparable (different metric, kind, area or period start): the
  reasons say how they differ, and no agreement is expected.

*Comparable* means: same metric, same area or named region (a community counted on its
sub-district's P-code is not the sub-district), and the same period start, or a start that
one of them does not state (then "period not stated" is listed as a possible reason).
Pure functions: DataFrames in, DataFrames and dataclasses out; no Dash, no I/O.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from app import format as fmt
from app.i18n import N_, _, current, ngettext, translate
from app.queries import clean
from app.queries.derived import canonical, memo
from app.queries.filters import FigureFilter, positions
from app.queries.headline import publisher_rank
from app.tables.compact import codes_and_uniques, codes_of, fold_codes
from app.tables.records import records
from app.vocab import METRICS, QUALIFIER_RULES, Kind, chart_label_range, metric_label

#: Two figures are "of the same weeks" (and compared) when their dates are this close.
WEEK_DAYS = 7

#: Metrics compared with each other (README "Reconciliation"). Comparing across metrics of a
#: group is where "cumulative vs a single month" and "projection vs count" reasons come from.
METRIC_GROUPS: dict[str, tuple[str, ...]] = {
    "displaced": (
        "idps_displaced_since",
        "idp_displacements",
        "idp_arrivals",
        "idp_departures",
        "idps_present",
        "idps_in_camps",
        "people_at_risk",
        "people_moving_claimed",
    ),
    "killed": ("civilians_killed", "people_killed"),
}
#: (English, marked with N_: translate where shown, ``translate(GROUP_LABELS[g])``)
GROUP_LABELS: dict[str, str] = {
    "displaced": N_("All displacement figures (running totals, flows, stocks, projections)"),
    "killed": N_("All figures of people killed (civilians and all people)"),
}
DEFAULT_GROUP = "displaced"
DEFAULT_PLACE = "nw_syria"
#: The seed news article's publisher starts with this (reference/article_figures.csv).
SEED_PUBLISHER = "News article of 16 Feb 2020"

STATUS_ORDER = ("contradiction", "different", "consistent", "alone")
#: What each status means (English, marked: ``status_text(status)`` translates).
STATUS_TEXT = {
    "contradiction": N_("contradiction: comparable figures whose ranges do not overlap"),
    "different": N_("different measures: the reasons say how they differ"),
    "consistent": N_("consistent: comparable figures whose ranges overlap"),
    "alone": N_("no other figure within a week"),
}
#: A status in a word (badges, the reasons' "contradiction with ..."): the status itself in
#: English, as before.
STATUS_WORDS = {
    "contradiction": N_("contradiction"),
    "different": N_("different"),
    "consistent": N_("consistent"),
    "alone": N_("alone"),
}
#: Kinds of figure in words (app.vocab.Kind values).
KIND_WORDS = {
    Kind.CUMULATIVE.value: N_("cumulative"),
    Kind.FLOW.value: N_("flow"),
    Kind.STOCK.value: N_("stock"),
    Kind.PROJECTION.value: N_("projection"),
    Kind.INDEX.value: N_("index"),
    Kind.OTHER.value: N_("other"),
}
#: Names of the named regions (data/tables/regions.csv: written by this project, so they
#: are translated; the CSV has no Arabic column).
REGION_NAMES = {
    n: n
    for n in (
        N_("Syria (nationwide)"), N_("North-west Syria (OCHA)"), N_("Northern Aleppo"),
        N_("Idleb enclave (de-escalation zone)"), N_("Idleb enclave and northern Aleppo"),
        N_("Idleb and Aleppo governorates"),
        N_("Southern Idleb (east of the M5 and Jabal al-Zawiya)"),
    )
}


def status_text(status: str) -> str:
    """What ``status`` means, in the request's language."""
    return translate(STATUS_TEXT.get(status, status))


def status_word(status: str) -> str:
    """``status`` in a word or two, in the request's language."""
    return translate(STATUS_WORDS.get(status, status))


def kind_word(kind: object) -> str:
    return translate(KIND_WORDS.get(str(kind), str(kind)))


def region_name(name: str) -> str:
    """A region's name in the request's language (as in regions.csv when unknown)."""
    return _(name) if name in REGION_NAMES else name


# --- places ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """Where a figure counts: a named region or an admin area, as a set of P-code prefixes."""

    key: str
    name: str
    pcodes: tuple[str, ...]
    nationwide: bool = False
    #: admin level of a P-coded area (None for a named region)
    level: int | None = None
    #: a smaller place carried on this P-code (a community on its sub-district): only a part
    part: bool = False
    #: the gazetteer's Arabic name of a P-coded place ("" when none or a part); not part of
    #: the place's identity
    name_ar: str = field(default="", compare=False)

    @property
    def shown(self) -> str:
        """The place's name in the request's language: a region's translated name, the
        gazetteer's Arabic name with the P-code isolated, else as written."""
        if not current().rtl:
            return self.name
        if self.name_ar and len(self.pcodes) == 1:
            return f"{self.name_ar} ({fmt.isolate(self.pcodes[0])})"
        return region_name(self.name)


def _covers(outer: Iterable[str], inner: Iterable[str]) -> bool:
    """Every P-code of ``inner`` lies in one of ``outer`` (P-codes nest by prefix)."""
    outer = tuple(outer)
    return all(any(i.startswith(o) for o in outer) for i in inner)


def _touches(a: Iterable[str], b: Iterable[str]) -> bool:
    b = tuple(b)
    return any(x.startswith(y) or y.startswith(x) for x in a for y in b)


@functools.lru_cache(maxsize=4096, typed=True)  # performance: pure, on immutable places
def relation(a: Place, b: Place) -> str:
    """How place ``a`` relates to ``b``: same, inside, contains, overlap or disjoint."""
    if not a.pcodes or not b.pcodes:
        return "same" if a.key == b.key and a.part == b.part else "overlap"
    a_in_b, b_in_a = _covers(b.pcodes, a.pcodes), _covers(a.pcodes, b.pcodes)
    if a_in_b and b_in_a:
        if a.part == b.part:
            return "same"
        return "inside" if a.part else "contains"
    if a_in_b:
        return "inside"
    if b_in_a:
        return "contains"
    return "overlap" if _touches(a.pcodes, b.pcodes) else "disjoint"


class PlaceIndex:
    """Regions and area names looked up once, for building many :class:`Place` objects."""

    def __init__(self, regions: pd.DataFrame, areas: pd.DataFrame | None = None) -> None:
        self.regions: dict[str, dict] = {str(r["region"]): r for r in regions.to_dict("records")}
        self.names: dict[str, str] = (
            {}
            if areas is None or areas.empty
            else dict(zip(areas["pcode"], areas["name_en"], strict=False))
        )
        self.names_ar: dict[str, str] = (
            {}
            if areas is None or areas.empty or "name_ar" not in areas
            else {p: str(n) for p, n in zip(areas["pcode"], areas["name_ar"], strict=False)
                  if isinstance(n, str) and n.strip()}
        )  # fmt: skip
        #: performance: the place of each distinct (region, P-code, note, area as written)
        self._places: dict[tuple, Place] = {}

    def of(self, row: dict | pd.Series) -> Place:
        known = row.get(_PLACE_OF) if isinstance(row, dict) else None
        if known is not None:  # looked up once for the row (see _pair_list)
            return known
        cells = tuple(row.get(c) for c in ("region", "area_pcode", "note", "area_as_written"))
        key = tuple(_NAN if isinstance(v, float) and v != v else v for v in cells)
        try:
            place = self._places.get(key)
        except TypeError:  # an unhashable cell (a crafted row): not kept
            return self._of(row)
        if place is None:
            place = self._places[key] = self._of(row)
        return place

    def _of(self, row: dict | pd.Series) -> Place:
        region = row.get("region")
        if isinstance(region, str) and region:
            r = self.regions.get(region)
            if r is None:
                return Place(region, region, ())
            pcodes = tuple(p for p in str(r["pcodes"]).split("|") if p)
            return Place(region, str(r["name"]), pcodes, bool(r["nationwide"]), None)
        pcode = str(row.get("area_pcode") or "")
        part = bool(re.search(clean.SUB_AREA_NOTE, str(row.get("note") or "")))
        written = str(row.get("area_as_written") or "")
        name = (written if part else self.names.get(pcode, "")) or written or pcode
        name = name if pcode in name else f"{name} ({pcode})"
        level = {2: 0, 4: 1, 6: 2, 8: 3}.get(len(pcode))
        name_ar = "" if part else self.names_ar.get(pcode, "")
        return Place(pcode + ("#part" if part else ""), name, (pcode,), pcode == "SY", level, part,
                     name_ar)  # fmt: skip

    def by_key(self, key: str) -> Place:
        if key in self.regions:
            return self.of({"region": key})
        return self.of({"area_pcode": key})


RegionsLike = pd.DataFrame | PlaceIndex
#: A NaN cell in a PlaceIndex key (NaN is not equal to itself, and not None: "nan" or "")
_NAN = ("NaN",)


#: The key under which :func:`_pair_list` keeps a row's place in the row's own dict: a pair's
#: comparison asks for both places several times, for each pair the row is in.
_PLACE_OF = "_place_of"


def place_index(regions: RegionsLike, areas: pd.DataFrame | None = None) -> PlaceIndex:
    """``regions`` as a :class:`PlaceIndex` (passed through when it is one), built once per
    regions and areas table (performance: the index also keeps every place it has made)."""
    if isinstance(regions, PlaceIndex):
        return regions
    from app.queries.derived import memo

    # the index holds dicts of the rows, never the tables; keyed by the areas table too
    return memo(regions, f"place_index:{id(areas)}", lambda r: PlaceIndex(r, areas))


def place_of(
    row: dict | pd.Series, regions: RegionsLike, areas: pd.DataFrame | None = None
) -> Place:
    """The :class:`Place` of a figure row (its named region, else its P-code)."""
    return place_index(regions, areas).of(row)


def place_by_key(key: str, regions: RegionsLike, areas: pd.DataFrame | None = None) -> Place:
    """The place a view selected: a region id (``nw_syria``) or a P-code (``SY07``)."""
    return place_index(regions, areas).by_key(key)


# --- describing figures ---------------------------------------------------------------
def publisher_family(publisher: str, priority: Iterable[str]) -> str:
    """The lane a publisher's figures go in: its priority-list family, else its short name.

    >>> publisher_family("OHCHR (via UNRIC)", ["OCHA", "OHCHR"])
    'OHCHR'
    >>> publisher_family("TRT World", ["OCHA"])
    'TRT World'
    """
    priority = list(priority)
    rank = publisher_rank(str(publisher), priority)
    if rank < len(priority):
        return priority[rank].strip()
    if str(publisher).startswith(SEED_PUBLISHER):
        return SEED_PUBLISHER
    return fmt.short_name(str(publisher), 40)


def qualifier_class(qualifier: object) -> str:
    """What a qualifier makes of a number, in words, by :data:`app.vocab.QUALIFIER_RULES`.

    >>> qualifier_class("more than")
    'a floor'
    >>> qualifier_class("some / almost")
    'a rounded figure or a ceiling'
    >>> qualifier_class(None)
    'an exact count'
    """
    key = current().key  # the words are in the request's language: cached per language
    try:
        return _qualifier_class(qualifier, key)
    except TypeError:  # an unhashable value: not kept
        return _qualifier_class.__wrapped__(qualifier, key)


#: What a qualifier makes of a number (the head of app.vocab.QUALIFIER_RULES' meanings).
QUALIFIER_CLASSES = {
    c: c
    for c in (
        N_("an exact count"), N_("a number read from a rounded chart label"), N_("a floor"),
        N_("a ceiling"), N_("a rounded figure"), N_("an estimate or projection"),
    )
}


@functools.lru_cache(maxsize=1024, typed=True)  # performance: pure, called for every pair
def _qualifier_class(qualifier: object, lang_key: str) -> str:
    q = "" if fmt.is_missing(qualifier) else str(qualifier).strip().lower()
    if not q or q == "exact":
        return _("an exact count")
    if q.startswith("chart label") or chart_label_range(q) is not None:
        return _("a number read from a rounded chart label")
    classes: list[str] = []
    for part in (p.strip() for p in re.split(r"\s*(?:/|,|;|\bor\b)\s*", q)):
        rule = next((r for r in QUALIFIER_RULES if part in r.words), None)
        if rule is None:
            return _("qualified {qualifier}").format(qualifier=fmt.isolate(repr(q)))
        if rule.low == rule.high == 1.0:
            classes.append(_("an exact count"))
        else:
            head = re.sub(r"\s*\(.*?\)", "", rule.meaning.split(":")[0]).strip()
            classes.append(_(head) if head in QUALIFIER_CLASSES else head)
    out = ""
    for c in dict.fromkeys(classes):
        out = c if not out else _("{first} or {second}").format(first=out, second=c)
    return out


def label(row: dict | pd.Series) -> str:
    """A figure as the reasons name it: "OCHA more than 800,000" (the publisher's name as
    published, isolated in Arabic text)."""
    publisher, value, qualifier = str(row["publisher"]), row["value"], row.get("qualifier")
    try:  # once per figure and language: a pair's reasons name both figures again
        return _label(publisher, value, qualifier, current())
    except TypeError:  # an unhashable cell
        return _label.__wrapped__(publisher, value, qualifier, current())


@functools.lru_cache(maxsize=1 << 12)
def _label(publisher: str, value: object, qualifier: object, language: object) -> str:
    return (
        f"{fmt.isolate(fmt.short_name(publisher, 30))} "
        f"{fmt.value_with_qualifier(value, qualifier)}"
    )


def _period_words(start: object, end: object) -> str:
    """ "Feb 2020" -> "a single month (Feb 2020)"; a day; else "a 4-day period (9 – 12 Feb 2020)"."""
    text = fmt.period(start, end)
    if fmt.is_missing(start) or fmt.is_missing(end):
        return text
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    if s == e:
        return _("a single day ({period})").format(period=text)
    if s.day == 1 and (e + pd.Timedelta(days=1)).day == 1 and s.to_period("M") == e.to_period("M"):
        return _("a single month ({period})").format(period=text)
    n = (e - s).days + 1
    return ngettext("a {n}-day period ({period})", "a {n}-day period ({period})", n).format(
        n=fmt.number(n), period=text
    )


def _kind(row: dict | pd.Series) -> str:
    m = METRICS.get(str(row["metric"]))
    return m.kind.value if m else str(row.get("kind") or "other")


# --- comparing two figures -------------------------------------------------------------
@dataclass(frozen=True)
class Reason:
    """One way two figures differ, as the data shows it. ``code`` is stable, ``text`` is shown."""

    code: str
    text: str


#: Reason codes, in the order they are listed (README "Reconciliation").
REASON_CODES = (
    "projection",
    "nationwide",
    "area",
    "kind",
    "metric",
    "period",
    "period_unstated",
    "end",
    "qualifier",
    "published_unknown",
)


def _same_number_elsewhere(row: dict, others: pd.DataFrame | list[dict] | None) -> dict | None:
    """A figure with the same value, metric and place that does state its period start."""
    if others is None or len(others) == 0:
        return None
    recs = others.to_dict("records") if isinstance(others, pd.DataFrame) else others

    def key(r: dict) -> tuple:
        return tuple(
            None if fmt.is_missing(r.get(c)) else r.get(c) for c in ("region", "area_pcode")
        )

    twins = [
        r
        for r in recs
        if r["value"] == row["value"]
        and r["metric"] == row["metric"]
        and not fmt.is_missing(r.get("period_start"))
        and r["figure_id"] != row["figure_id"]
        and key(r) == key(row)
    ]
    return min(twins, key=lambda r: r["period_end"]) if twins else None


def compare(
    a: dict | pd.Series,
    b: dict | pd.Series,
    regions: RegionsLike,
    areas: pd.DataFrame | None = None,
    others: pd.DataFrame | list[dict] | None = None,
) -> list[Reason]:
    """Why figures ``a`` and ``b`` may differ, as the data says it (empty: nothing to say).

    ``others`` (optional): the other figures in view, used to name the period of a figure
    that does not state it when another source gives the same number with a period
    (the seed article's 1,800 and TRT World's 1,800 since 17 Sep 2018).
    """
    a, b = dict(a), dict(b)
    index = place_index(regions, areas)
    la, lb = label(a), label(b)
    reasons: list[Reason] = []
    ka, kb = _kind(a), _kind(b)
    pa, pb = index.of(a), index.of(b)

    if (ka == Kind.PROJECTION) != (kb == Kind.PROJECTION):
        proj, count = (la, lb) if ka == Kind.PROJECTION else (lb, la)
        reasons.append(
            Reason(
                "projection",
                _(
                    "a claim or projection vs a count: {projection} is a projection or claim "
                    "of what could happen, {count} a count"
                ).format(projection=proj, count=count),
            )
        )
    if pa.nationwide != pb.nationwide:
        nat, nw = (la, lb) if pa.nationwide else (lb, la)
        nw_place = pb.shown if pa.nationwide else pa.shown
        reasons.append(
            Reason(
                "nationwide",
                _(
                    "nationwide vs north-west: {nationwide} counts all of Syria, {north_west} "
                    "only {place}"
                ).format(nationwide=nat, north_west=nw, place=nw_place),
            )
        )
    rel = relation(pa, pb)
    if rel != "same":
        na, nb = pa.shown, pb.shown
        how = {
            "inside": _("{inner} lies inside {outer}").format(inner=na, outer=nb),
            "contains": _("{inner} lies inside {outer}").format(inner=nb, outer=na),
            "overlap": _("{a} and {b} overlap in part").format(a=na, b=nb),
            "disjoint": _("{a} and {b} do not overlap").format(a=na, b=nb),
        }[rel]
        if pa.part or pb.part:
            how += " " + _("(a community counted on its sub-district's P-code is only part of it)")
        reasons.append(Reason("area", _("different area: {how}").format(how=how)))
    if ka != kb and Kind.PROJECTION not in (ka, kb):
        reasons.append(Reason("kind", _kind_text(a, b, ka, kb, la, lb)))
    if a["metric"] != b["metric"] and (ka == kb or Kind.PROJECTION in (ka, kb)):
        reasons.append(
            Reason(
                "metric",
                _("different measure: {a} counts {what_a}, {b} {what_b}").format(
                    a=la, what_a=_lower(metric_label(a["metric"])),
                    b=lb, what_b=_lower(metric_label(b["metric"])),
                ),
            )
        )  # fmt: skip
    sa, sb = a.get("period_start"), b.get("period_start")
    starts_matter = Kind.STOCK not in (ka, kb) and Kind.PROJECTION not in (ka, kb)
    if starts_matter and not fmt.is_missing(sa) and not fmt.is_missing(sb) and sa != sb:
        reasons.append(
            Reason(
                "period",
                _("different period: {a} counts from {start_a}, {b} from {start_b}").format(
                    a=la, start_a=fmt.day(sa), b=lb, start_b=fmt.day(sb)
                ),
            )
        )
    if starts_matter:
        for row, lab, s, other_lab, other_s in ((a, la, sa, lb, sb), (b, lb, sb, la, sa)):
            if not fmt.is_missing(s):
                continue
            text = _("period not stated: {figure} does not say since when it counts").format(
                figure=lab
            )
            twin = _same_number_elsewhere(row, others)
            if twin is not None:
                text += _("; {figure} ({published}) gives the same number counted from {start}"
                          ).format(figure=label(twin), published=fmt.day(twin.get("published_date")),
                                   start=fmt.day(twin["period_start"]))  # fmt: skip
            if not fmt.is_missing(other_s):
                text += _("; {figure} counts from {start}").format(
                    figure=other_lab, start=fmt.day(other_s)
                )
            reasons.append(Reason("period_unstated", text))
    ea, eb = a.get("period_end"), b.get("period_end")
    if not fmt.is_missing(ea) and not fmt.is_missing(eb) and ea != eb:
        days = abs((pd.Timestamp(ea) - pd.Timestamp(eb)).days)
        text = ngettext(
            "different date: {a} is as of {end_a}, {b} as of {end_b} ({n} day apart)",
            "different date: {a} is as of {end_a}, {b} as of {end_b} ({n} days apart)",
            days,
        ).format(a=la, end_a=fmt.day(ea), b=lb, end_b=fmt.day(eb), n=fmt.number(days))
        if a["metric"] == b["metric"] and _running(a, b) and relation(pa, pb) == "same":
            late = b if pd.Timestamp(eb) > pd.Timestamp(ea) else a
            early = a if late is b else b
            if float(late["low"]) > float(early["high"]):
                text += _("; the later running total is higher, as a running total grows")
            elif float(late["high"]) < float(early["low"]):
                text += _("; the later figure is lower, which one running total cannot be")
        reasons.append(Reason("end", text))
    for lab, e in ((la, ea), (lb, eb)):
        if fmt.is_missing(e):
            reasons.append(
                Reason(
                    "end",
                    _("date not stated: {figure} gives no end date for its period").format(
                        figure=lab
                    ),
                )
            )
    qa, qb = qualifier_class(a.get("qualifier")), qualifier_class(b.get("qualifier"))
    if qa != qb:
        reasons.append(
            Reason(
                "qualifier",
                _("different qualifier: {a} is {class_a}, {b} {class_b}").format(
                    a=la, class_a=qa, b=lb, class_b=qb
                ),
            )
        )
    for row, lab in ((a, la), (b, lb)):
        if fmt.is_missing(row.get("published_date")):
            end = row.get("period_end")
            text = (
                _("publication date unknown: {figure} is taken as known from its period end "
                  "({end})").format(figure=lab, end=fmt.day(end))
                if not fmt.is_missing(end)
                else _("publication date unknown: {figure} is never shown in an as-of view"
                       ).format(figure=lab)
            )  # fmt: skip
            reasons.append(Reason("published_unknown", text))
    order = {c: i for i, c in enumerate(REASON_CODES)}
    return sorted(reasons, key=lambda r: order.get(r.code, len(order)))


def _kind_text(a: dict, b: dict, ka: str, kb: str, la: str, lb: str) -> str:
    def what(row: dict, kind: str, lab: str) -> str:
        if kind == Kind.CUMULATIVE:
            start = row.get("period_start")
            if fmt.is_missing(start):
                return _("{figure} is a running total since a date not stated").format(figure=lab)
            return _("{figure} is a running total since {start}").format(
                figure=lab, start=fmt.day(start)
            )
        if kind == Kind.FLOW:
            return _("{figure} counts only {period}").format(
                figure=lab, period=_period_words(row.get("period_start"), row.get("period_end"))
            )
        if kind == Kind.STOCK:
            return _("{figure} counts people present on {day}").format(
                figure=lab, day=fmt.day(row.get("period_end"))
            )
        return _("{figure} is {kind}").format(figure=lab, kind=kind_word(kind))

    kinds = {ka, kb}
    if kinds == {Kind.CUMULATIVE, Kind.FLOW}:
        flow = a if ka == Kind.FLOW else b
        start, end = flow.get("period_start"), flow.get("period_end")
        words = _period_words(start, end)
        if "(" not in words:
            words = _("a period")
        elif fmt.is_missing(start) or fmt.is_missing(end):
            words = words.split(" (")[0]
        else:  # "a single month (Feb 2020)" -> "a single month"
            words = words.replace(f" ({fmt.period(start, end)})", "")
        head = _("cumulative vs {period}").format(period=words)
    else:
        head = _("{kind_a} vs {kind_b}").format(kind_a=kind_word(ka), kind_b=kind_word(kb))
    return f"{head}: {what(a, ka, la)}; {what(b, kb, lb)}"


def _lower(text: str) -> str:
    """A metric label inside a sentence: lower case in English (Arabic has no case)."""
    return text.lower() if not current().rtl else text


def comparable(a: dict | pd.Series, b: dict | pd.Series, regions: RegionsLike) -> bool:
    """Same metric, same place, same period start (or one unstated), dates within a week."""
    if a["metric"] != b["metric"] or _kind(a) == Kind.PROJECTION:
        return False
    index = place_index(regions)
    if relation(index.of(a), index.of(b)) != "same":
        return False
    sa, sb = a.get("period_start"), b.get("period_start")
    if _kind(a) != Kind.STOCK and not fmt.is_missing(sa) and not fmt.is_missing(sb) and sa != sb:
        return False
    ea, eb = a.get("period_end"), b.get("period_end")
    if fmt.is_missing(ea) or fmt.is_missing(eb):
        return False
    return abs((pd.Timestamp(ea) - pd.Timestamp(eb)).days) <= WEEK_DAYS


def ranges_overlap(a: dict | pd.Series, b: dict | pd.Series) -> bool:
    return float(a["low"]) <= float(b["high"]) and float(b["low"]) <= float(a["high"])


def _running(a: dict | pd.Series, b: dict | pd.Series) -> bool:
    """Both count everything since one start (cumulatives, or flows from the same start)."""
    if _kind(a) == Kind.CUMULATIVE:
        return True
    sa, sb = a.get("period_start"), b.get("period_start")
    return _kind(a) == Kind.FLOW and not fmt.is_missing(sa) and sa == sb


def pair_status(a: dict | pd.Series, b: dict | pd.Series, regions: RegionsLike) -> str:
    """``consistent`` / ``contradiction`` (comparable pairs) or ``different`` (see module doc).

    Comparable figures whose ranges overlap are consistent. When they do not overlap: on the
    same date they contradict each other; for running totals (a cumulative, or two flows
    from the same start) on different dates, the later one being higher is what a running
    total does (consistent), the later one being lower is a contradiction; any other pair
    of comparable figures that do not overlap contradicts.
    """
    if not comparable(a, b, regions):
        return "different"
    if ranges_overlap(a, b):
        return "consistent"
    ea, eb = pd.Timestamp(a["period_end"]), pd.Timestamp(b["period_end"])
    if ea == eb or not _running(a, b):
        return "contradiction"
    early, late = (a, b) if ea < eb else (b, a)
    return "consistent" if float(late["low"]) > float(early["high"]) else "contradiction"


# --- the view -------------------------------------------------------------------------
@dataclass(frozen=True)
class Reconciliation:
    """What the reconciliation view shows (all DataFrames already as known on ``as_of``)."""

    place: Place
    metrics: tuple[str, ...]
    #: one row per figure on the timeline: canonical columns + lane, lane_rank, x, relation,
    #: status, reasons, related_ids, n_contradictions
    figures: pd.DataFrame
    #: one row per pair of figures within a week: a_id, b_id, a_label, b_label, status,
    #: reason_codes, reasons
    pairs: pd.DataFrame
    #: figures in scope that cannot be placed in time (no period end, no published date)
    undated: pd.DataFrame = field(repr=False)
    as_of: pd.Timestamp | None = None
    #: weekly sums of conflict events left out because they end before
    #: :data:`WEEKLY_FROM` and the view gave no start date
    weeks_left_out: int = 0


#: Without a start date, weekly sums of conflict events (2016 onwards in the bundle) are
#: shown from this day, the chart's winter 2019-20: thousands of weeks of one dataset would
#: bury the few published figures the view is for (and took seconds with a large store).
WEEKLY_FROM = pd.Timestamp("2019-11-01")


def metrics_for(choice: str) -> tuple[str, ...]:
    """A group id -> its metrics; a metric id -> that metric alone."""
    if choice in METRIC_GROUPS:
        return METRIC_GROUPS[choice]
    if choice in METRICS:
        return (choice,)
    raise KeyError(choice)


#: A note that marks a sub-area row (matches clean.SUB_AREA_NOTE), for PlaceIndex.of.
_PART_NOTE = "do not sum"

_PLACE_COLUMNS = ("region", "area_pcode", "area_as_written")


def _place_keys(figures: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of a table, the code of its place (region, area P-code, area as written,
    sub-area row or not); the first row of each code; whether each code is a sub-area row.
    Found once per table: thousands of weekly event figures share a few hundred places."""
    part = clean.area_marks(figures).sub_area
    key = fold_codes(  # (the region and name codes are not kept: 8 bytes a row)
        [*(codes_of(figures[name]) for name in _PLACE_COLUMNS), part.astype(np.int32)]
    )
    _unused, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return inverse.reshape(-1).astype(np.int32), first, part[first]


def place_keys(figures: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_place_keys` of a table, found once per table."""
    return memo(figures, "place_keys", _place_keys)


def in_place_at(
    figures: pd.DataFrame,
    at: np.ndarray,
    place: Place,
    index: PlaceIndex,
    include_inside: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """The rows at positions ``at`` of a canonical table for ``place``: for places containing
    or overlapping it, and - only when ``include_inside`` - for districts, sub-districts and
    communities inside it (parts, not the whole; named regions and governorates inside a
    region are always kept). Returns the positions kept and each one's relation. Each
    distinct place is related to ``place`` once per table (:func:`_relations`)."""
    mine = place_keys(figures)[0][at]
    rels, fine = _relations(figures, index, place, mine)
    keep_of = (rels == "same") | (rels == "contains") | (rels == "overlap")
    keep_of |= (rels == "inside") & (include_inside | ((place.level is None) & ~fine))
    keep = keep_of[mine]
    return at[keep], rels[mine][keep]


#: Places whose relations to a table's places are kept (:func:`_relations`).
RELATIONS_KEPT = 512


def _relations(
    figures: pd.DataFrame, index: PlaceIndex, place: Place, mine: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct place of ``figures`` (:func:`place_keys`): its relation to ``place``
    and whether it is finer than a district (a sub-area row, or a P-code of 6 characters
    or more), filled in for the places ``mine`` names and kept with the table for the
    next view of ``place`` (the killed metrics of a million events: about 600 distinct
    places, each related on every view)."""
    _inverse, first, part = place_keys(figures)
    by_index = memo(figures, "place_relations", lambda _t: weakref.WeakKeyDictionary())
    kept = by_index.setdefault(index, {})
    entry = kept.get(place)
    if entry is None:
        if len(kept) >= RELATIONS_KEPT:
            kept.clear()
        n = len(first)
        entry = kept[place] = (np.full(n, None, dtype=object), np.zeros(n, dtype=bool),
                               np.zeros(n, dtype=bool))  # fmt: skip
    rels, fine, done = entry
    wanted = np.zeros(len(first), dtype=bool)
    wanted[mine] = True
    todo = np.flatnonzero(wanted & ~done)
    if len(todo):
        cells = figures[list(_PLACE_COLUMNS)].iloc[first[todo]].to_numpy(dtype=object)
        for d, (region, pcode, written) in zip(todo.tolist(), cells.tolist(), strict=True):
            row = {name: v if isinstance(v, str) else None
                   for name, v in zip(_PLACE_COLUMNS, (region, pcode, written), strict=True)}  # fmt: skip
            row["note"] = _PART_NOTE if part[d] else None
            rels[d] = relation(index.of(row), place)
            fine[d] = bool(part[d]) or len(pcode if isinstance(pcode, str) else "") >= 6
        done[todo] = True
    return rels, fine


def reconciliation(
    figures: pd.DataFrame,
    regions: pd.DataFrame,
    choice: str = DEFAULT_GROUP,
    place: str = DEFAULT_PLACE,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    as_of: pd.Timestamp | None = None,
    areas: pd.DataFrame | None = None,
    include_inside: bool = False,
    priority: Iterable[str] = (),
) -> Reconciliation:
    """Every figure of ``choice`` (group or metric) for ``place`` known on ``as_of``, in the
    window [start, end], with lanes, pair statuses and reasons (see module doc).

    Figures are taken as known on ``as_of`` *before* anything is compared, so no reason or
    status can mention a figure published later. Duplicated transcriptions count once.
    """
    priority = list(priority)
    metrics = metrics_for(choice)
    index = place_index(regions, areas)
    the_place = index.by_key(place)
    # performance: what is known on as_of, the duplicates and the place as positions in the
    # table, the rows taken once (the killed metrics of a million events: 67,000 rows
    # compared and taken for the 50 a governorate shows, 70 ms)
    table = canonical(figures)
    at = positions(table, FigureFilter(metrics=tuple(metrics), as_of=as_of))
    at = np.arange(len(table)) if at is None else at
    at, rel = in_place_at(table, clean.drop_duplicates_at(table, at), the_place, index,
                          include_inside)  # fmt: skip
    x = table["period_end"].iloc[at].fillna(table["published_date"].iloc[at])
    dated = x.notna().to_numpy()
    keep = dated.copy()
    weeks_left_out = 0
    if start is not None:
        keep &= (x >= start).to_numpy()
    else:  # weekly sums of events before WEEKLY_FROM are counted, not drawn
        early = dated & clean.event_sum_rows(table)[at] & (x < WEEKLY_FROM).to_numpy()
        weeks_left_out = int(early.sum())
        keep &= ~early
    if end is not None:
        begin = table["period_start"].iloc[at].fillna(x)
        keep &= (begin <= end).to_numpy()

    def rows(mask: np.ndarray) -> pd.DataFrame:
        """The rows ``mask`` of ``at`` with their relation and x (taken once)."""
        frame = table.iloc[at[mask]]
        relations = pd.Series(rel[mask].tolist(), index=frame.index, dtype="str")
        return frame.assign(relation=relations, x=x[mask])

    df = rows(keep)
    undated = rows(~dated) if not dated.all() else df.iloc[0:0]
    # performance: lane and rank once per publisher (thousands of weekly figures share one)
    lane_of = {
        p: (
            publisher_family(str(p), priority),
            -1 if str(p).startswith(SEED_PUBLISHER) else publisher_rank(str(p), priority),
        )
        for p in dict.fromkeys(df["publisher"])
    }
    lanes = pd.Series([lane_of[p][0] for p in df["publisher"]], index=df.index, dtype="str")
    lane_rank = [lane_of[p][1] for p in df["publisher"]]
    df = (
        df.assign(lane=lanes, lane_rank=lane_rank)
        .sort_values(["lane_rank", "lane", "x", "metric", "figure_id"])
        .reset_index(drop=True)
    )
    pairs = _pair_list(df, index, table)
    return Reconciliation(
        the_place, metrics, _summarise(df, pairs), _pair_frame(pairs),
        undated.reset_index(drop=True), as_of,
        weeks_left_out,
    )


def reconcile(
    figures: pd.DataFrame,
    metric: str,
    place: str,
    regions: pd.DataFrame,
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
    as_of: pd.Timestamp | None = None,
    **kwargs: object,
) -> pd.DataFrame:
    """The figure table of :func:`reconciliation`: one row per figure with ``lane``,
    ``status`` and ``reasons`` columns."""
    return reconciliation(figures, regions, metric, place, start, end, as_of, **kwargs).figures  # type: ignore[arg-type]


_PAIR_COLUMNS = ["a_id", "b_id", "a_label", "b_label", "status", "reason_codes", "reasons"]


def _pair_list(df: pd.DataFrame, index: PlaceIndex, table: pd.DataFrame | None = None) -> list[dict]:
    """The pairs of ``df``'s figures to compare (:func:`_close_pairs`), each a dict with its
    labels, status and reasons, worst status first (sorted in Python: a table of a hundred
    pairs built, sorted and read back as dicts took 3 ms). ``table``: the table the figures
    come from; a pair's answer is then kept with it (:func:`_pair_answers`)."""
    rows = records(df)
    for r in rows:
        r[_PLACE_OF] = index.of(r)
    kept = _pair_answers(table) if table is not None else {}
    twins: dict[object, object] = {}
    language = current()

    def twin(r: dict) -> object:
        """The figure ``compare`` names for a row that does not state its start."""
        fid = r["figure_id"]
        if fid not in twins:
            found = _same_number_elsewhere(r, rows) if fmt.is_missing(r.get("period_start")) else None
            twins[fid] = None if found is None else found["figure_id"]
        return twins[fid]

    out = []
    # performance: which pairs are within a week, at once ("abs(a - b).days <= WEEK_DAYS":
    # less than WEEK_DAYS + 1 whole days apart)
    for i, j in zip(*_close_pairs(df), strict=True):  # i < j, row order
        a, b = rows[i], rows[j]
        key = (a["figure_id"], b["figure_id"], twin(a), twin(b), language)
        answer = kept.get(key)
        if answer is None:
            reasons = compare(a, b, index, others=rows)
            answer = {
                "a_id": a["figure_id"],
                "b_id": b["figure_id"],
                "a_label": label(a),
                "b_label": label(b),
                "status": pair_status(a, b, index),
                "reason_codes": tuple(dict.fromkeys(r.code for r in reasons)),
                "reasons": tuple(r.text for r in reasons),
            }
            if len(kept) >= PAIR_ANSWERS_MAX:
                kept.clear()
            kept[key] = answer
        out.append(answer)
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    out.sort(key=lambda p: (rank[p["status"]], p["a_id"], p["b_id"]))  # stable
    return out


def _pair_frame(pairs: list[dict]) -> pd.DataFrame:
    """The pairs of :func:`_pair_list` as the table :class:`Reconciliation` holds."""
    if not pairs:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _PAIR_COLUMNS})
    return pd.DataFrame(pairs, columns=_PAIR_COLUMNS)


#: Pair answers kept per table (:func:`_pair_answers`, about 1 KB each); cleared when full.
PAIR_ANSWERS_MAX = 5_000


def _pair_answers(table: pd.DataFrame) -> dict:
    """The answers of pairs already compared, kept with their table: by the two figures
    (a figure id names the same figure for as long as its table lives), the figures
    :func:`compare` names for a row without a period start, and the language. States that
    differ by their dates or their place compare many of the same pairs again."""
    return memo(table, "pair_answers", lambda _t: {})


def _close_pairs(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) with i < j of the rows to compare: dated at most WEEK_DAYS apart, except two
    weekly counts (a flow over one ISO week, as the sums of conflict events are) unless they
    are for the same place from different publishers or documents.

    One dataset's counts for consecutive weeks, other areas or the other measure are parts of
    it, not rival claims; two datasets' counts for two different places are not rivals
    either (README "Reconciliation"). Performance: never an n x n matrix: the few published
    figures are paired among themselves and, by binary search on time, with the weekly
    counts near them; weekly counts only within their place. With a million events in the
    store the view holds ~55,000 weekly figures: the matrix alone took gigabytes."""
    n = len(df)
    if n < 2:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    x = df["x"].to_numpy().astype("datetime64[ns]").astype(np.int64)
    span = (WEEK_DAYS + 1) * 86_400 * 10**9  # "abs(a - b).days <= WEEK_DAYS"
    start, end = (_days(df[c]) for c in ("period_start", "period_end"))
    six = (end - start) == np.timedelta64(6, "D")  # NaT compares unequal
    weekly = six & (df["kind"].to_numpy(dtype=object) == Kind.FLOW.value)
    other = np.flatnonzero(~weekly)
    weeks = np.flatnonzero(weekly)
    pairs: list[tuple[np.ndarray, np.ndarray]] = []
    if len(other) > 1:  # published figures among themselves
        xo = x[other]
        close = np.abs(xo[:, None] - xo[None, :]) < span
        a, b = np.nonzero(np.triu(close, k=1))
        pairs.append((other[a], other[b]))
    if len(other) and len(weeks):  # each published figure with the weekly counts near it
        order = weeks[np.argsort(x[weeks], kind="stable")]
        xs = x[order]
        lo = np.searchsorted(xs, x[other] - span, side="right")
        hi = np.searchsorted(xs, x[other] + span, side="left")
        counts = hi - lo
        a = np.repeat(other, counts)
        b = order[np.concatenate([np.arange(s, e) for s, e in zip(lo, hi, strict=True)])
                  ] if counts.sum() else np.zeros(0, dtype=np.intp)  # fmt: skip
        pairs.append((a, b))
    if len(weeks) > 1:  # weekly counts: same place, another dataset
        place_codes = _text_key(df, ("area_pcode", "region"))
        data_codes = _text_key(df, ("publisher", "document"))
        by_place = pd.Series(weeks).groupby(place_codes[weeks]).indices
        for members in by_place.values():
            rows = weeks[members]
            if len(np.unique(data_codes[rows])) < 2:
                continue
            xr = x[rows]
            close = (np.abs(xr[:, None] - xr[None, :]) < span) & (
                data_codes[rows][:, None] != data_codes[rows][None, :])
            a, b = np.nonzero(np.triu(close, k=1))
            pairs.append((rows[a], rows[b]))
    if not pairs:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    i = np.concatenate([p[0] for p in pairs])
    j = np.concatenate([p[1] for p in pairs])
    i, j = np.minimum(i, j), np.maximum(i, j)
    order = np.lexsort((j, i))  # row order, as np.nonzero of the upper triangle gave
    return i[order], j[order]


def _days(col: pd.Series) -> np.ndarray:
    """A date column as numpy days (``NaT`` where missing), whatever holds its dates."""
    if col.dtype.kind != "M":
        col = pd.to_datetime(col)
    return col.to_numpy().astype("datetime64[D]")


def _text_key(df: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """Per row, a key equal for rows whose ``columns`` read the same as text (a missing
    cell reads as "", as an empty one does); each column's distinct values are read once."""

    def codes(name: str) -> np.ndarray:
        codes, uniques = codes_and_uniques(df[name])
        texts = ["" if fmt.is_missing(u) else str(u) for u in uniques] + [""]
        return pd.factorize(np.asarray(texts, dtype=object))[0][codes]  # -1 picks the ""

    return fold_codes(codes(name) for name in columns)


def _summarise(df: pd.DataFrame, pairs: pd.DataFrame | list[dict]) -> pd.DataFrame:
    """Per figure: its worst pair status, the figures it was compared with, the reasons."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    mine: dict[str, list[tuple[str, dict]]] = {}
    if isinstance(pairs, pd.DataFrame):
        pairs = records(pairs) if len(pairs) else []
    for p in pairs:
        mine.setdefault(p["a_id"], []).append((p["b_id"], p))
        mine.setdefault(p["b_id"], []).append((p["a_id"], p))
    status, related, reasons, n_contra = [], [], [], []
    for fid in df["figure_id"]:
        ps = mine.get(fid, [])
        status.append(min((p["status"] for _unused, p in ps), key=lambda s: rank[s], default="alone"))
        related.append(tuple(other for other, _unused in ps))
        lines = []
        for _unused, p in ps:
            them = p["b_label"] if p["a_id"] == fid else p["a_label"]
            why = "; ".join(p["reasons"]) or _("nothing in the data tells them apart")
            lines.append(
                _("{status} with {figure}: {why}").format(
                    status=status_word(p["status"]), figure=them, why=why
                )
            )
        reasons.append(tuple(lines))
        n_contra.append(sum(p["status"] == "contradiction" for _unused, p in ps))
    return df.assign(status=status, related_ids=related, reasons=reasons, n_contradictions=n_contra)


def known_date_text(row: dict | pd.Series) -> str:
    """When a figure became known, in words (README "As known on")."""
    if not fmt.is_missing(row.get("published_date")):
        return _("published {day}").format(day=fmt.day(row["published_date"]))
    if not fmt.is_missing(row.get("period_end")):
        return _("publication date unknown: known from its period end, {day}").format(
            day=fmt.day(row["period_end"])
        )
    return _("undated: never shown in an as-of view")
