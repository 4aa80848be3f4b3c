"""The overview's view state and its URL query string, in both directions.

The whole view (level, metric, sector, areas, publishers, dates, "as known on") lives
in the query string so that reloading or sharing a link shows the same thing. This
module is the only place that reads or writes that string: :func:`parse_query` never
raises. A value it cannot use is dropped for its default, with a notice the page shows
("Ignored level=9: expected 1, 2 or 3"), because a shared link with one bad parameter
should still open, and say what was ignored.

Parameters (all optional; defaults are left out of the URL)::

    level=1|2|3          admin level of the map (3: sub-districts)
    metric=<id>          a key of app.queries.catalogue.VIEW_METRICS (idp_arrivals)
    sector=<HNO sector>  for people_in_need / severity (Shelter)
    area=SY07,SY070301   selected areas, comma-separated P-codes
    publisher=A|B        only figures of these publishers, |-separated (names hold commas)
    start=YYYY-MM-DD     figures whose period ends on/after start
    end=YYYY-MM-DD       ... and starts on/before end
    as_of=YYYY-MM-DD     only what had been published by that day
    lang=en|ar           the interface's language (app.i18n: kept in every link when given)
    digits=latn|arab     Arabic-Indic digits in the Arabic interface
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import pandas as pd

from app.i18n import LANG_PARAMS, _, parse_params, query_params
from app.queries.catalogue import (
    DEFAULT_LEVEL,
    DEFAULT_METRIC,
    DEFAULT_SECTOR,
    LEVELS,
    SECTORS,
    VIEW_METRICS,
    ViewMetric,
)
from app.queries.filters import FigureFilter

PARAMS = ("level", "metric", "sector", "area", "publisher", "start", "end", "as_of")
_PCODE = re.compile(r"^SY\d{2}(\d{2}(\d{2})?)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ViewState:
    """Everything that decides what the overview shows."""

    level: int = DEFAULT_LEVEL
    metric: str = DEFAULT_METRIC
    sector: str = DEFAULT_SECTOR
    areas: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    as_of: date | None = None

    @property
    def view_metric(self) -> ViewMetric:
        return VIEW_METRICS[self.metric]

    @property
    def sector_or_none(self) -> str | None:
        """The sector when the metric is per sector, else None (sector is then irrelevant)."""
        return self.sector if self.view_metric.needs_sector else None

    def figure_filter(self, metrics: tuple[str, ...] = ()) -> FigureFilter:
        """The table filter of this view (dates, publishers, as-of) for the given metrics."""
        return FigureFilter(
            metrics=metrics,
            publishers=self.publishers,
            start=_ts(self.start),
            end=_ts(self.end),
            as_of=_ts(self.as_of),
        )

    def replace(self, **changes: object) -> ViewState:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Choices:
    """What the bundle holds, to check P-codes and publishers against (None: not checked)."""

    pcodes: Collection[str] | None = None
    publishers: Collection[str] | None = None


def _ts(d: date | None) -> pd.Timestamp | None:
    return None if d is None else pd.Timestamp(d)


def _parse_date(raw: str) -> date | None:
    if not _DATE.match(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _single(key: str, raw: object, notices: list[str]) -> str:
    """Dash hands a repeated parameter over as a list: keep the first, say so."""
    if isinstance(raw, list | tuple):
        if len(raw) > 1:
            notices.append(
                _("Ignored repeated {key}: kept the first value {value}").format(
                    key=key, value=repr(raw[0])
                )
            )
        raw = raw[0] if raw else ""
    return str(raw).strip()


def parse_query(
    query: Mapping[str, object], choices: Choices | None = None
) -> tuple[ViewState, list[str]]:
    """Query parameters -> (view state, notices). Never raises; bad values fall back.

    >>> parse_query({"level": "9"})
    (ViewState(level=3, metric='idp_arrivals', sector='Shelter', areas=(), publishers=(), start=None, end=None, as_of=None), ['Ignored level=9: expected 1, 2 or 3'])
    """
    choices = choices or Choices()
    notices: list[str] = []
    values: dict[str, object] = {}
    for key in query:
        if key not in PARAMS and key not in LANG_PARAMS:
            notices.append(_("Ignored unknown parameter {key}").format(key=repr(key)))
    notices += parse_params(
        _single("lang", query.get("lang", ""), notices), _single("digits", query.get("digits", ""), notices)
    )[2]  # the language itself is the request's (app.i18n.web): only the notices here
    raw = {k: _single(k, query[k], notices) for k in PARAMS if k in query}

    if raw.get("level"):
        if raw["level"] in {str(lv) for lv in LEVELS}:
            values["level"] = int(raw["level"])
        else:
            notices.append(_("Ignored level={value}: expected 1, 2 or 3").format(value=raw["level"]))
    if raw.get("metric"):
        if raw["metric"] in VIEW_METRICS:
            values["metric"] = raw["metric"]
        else:
            notices.append(
                _("Ignored metric={value}: unknown metric (expected one of {choices})").format(
                    value=raw["metric"], choices=", ".join(VIEW_METRICS)
                )
            )
    if raw.get("sector"):
        match = {s.lower(): s for s in SECTORS}.get(raw["sector"].lower())
        if match:
            values["sector"] = match
        else:
            notices.append(
                _("Ignored sector={value}: expected one of {choices}").format(
                    value=raw["sector"], choices=", ".join(SECTORS)
                )
            )
    if raw.get("area"):
        areas: list[str] = []
        for part in (p.strip().upper() for p in raw["area"].split(",")):
            if not part:
                continue
            known = choices.pcodes is None or part in choices.pcodes
            if _PCODE.match(part) and known and part != "SY":
                if part not in areas:
                    areas.append(part)
            else:
                notices.append(_("Ignored area={value}: unknown P-code").format(value=part))
        values["areas"] = tuple(areas)
    if raw.get("publisher"):
        pubs: list[str] = []
        for part in (p.strip() for p in raw["publisher"].split("|")):
            if not part:
                continue
            if choices.publishers is None or part in choices.publishers:
                if part not in pubs:
                    pubs.append(part)
            else:
                notices.append(
                    _("Ignored publisher={value}: no figures from this publisher").format(value=part)
                )
        values["publishers"] = tuple(pubs)
    for key in ("start", "end", "as_of"):
        if raw.get(key):
            parsed = _parse_date(raw[key])
            if parsed is None:
                notices.append(
                    _("Ignored {key}={value}: expected a date as YYYY-MM-DD").format(
                        key=key, value=raw[key]
                    )
                )
            else:
                values[key] = parsed
    start, end = values.get("start"), values.get("end")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        notices.append(
            _("Ignored end={end}: before start={start}").format(
                end=end.isoformat(), start=start.isoformat()
            )
        )
        del values["end"]
    return ViewState(**values), notices  # type: ignore[arg-type]


def to_query(state: ViewState) -> str:
    """The state as a query string ("" for the default view), defaults left out.

    >>> to_query(ViewState(level=1, areas=("SY07",)))
    '?level=1&area=SY07'
    """
    default = ViewState()
    out: list[tuple[str, str]] = []
    if state.level != default.level:
        out.append(("level", str(state.level)))
    if state.metric != default.metric:
        out.append(("metric", state.metric))
    if state.view_metric.needs_sector and state.sector != default.sector:
        out.append(("sector", state.sector))
    if state.areas:
        out.append(("area", ",".join(state.areas)))
    if state.publishers:
        out.append(("publisher", "|".join(state.publishers)))
    for key in ("start", "end", "as_of"):
        value = getattr(state, key)
        if value is not None:
            out.append((key, value.isoformat()))
    out += query_params()  # lang=ar when the URL chose it: permalinks keep the language
    return "?" + urlencode(out, safe=",|") if out else ""


def parse_search(search: str | None, choices: Choices | None = None) -> tuple[ViewState, list[str]]:
    """``parse_query`` for a raw ``location.search`` string ("?level=2&...")."""
    from urllib.parse import parse_qs

    text = search.lstrip("?") if isinstance(search, str) else ""  # a crafted request: defaults
    parsed = parse_qs(text, keep_blank_values=True)
    return parse_query({k: v[0] if len(v) == 1 else v for k, v in parsed.items()}, choices)
