"""Query parameters of the export endpoints -> :class:`ExportParams`, or every problem at once.

Pure (no Flask, no bundle access): the route hands over the parameters and the P-codes and
publishers the bundle holds. Unlike the dashboard's URL state (:mod:`app.state`), which
drops a bad value so a shared link still opens, an export refuses it: a file with silently
different rows would be copied into a report. So every problem is an
:class:`ExportParamError` naming its parameter, and the route answers HTTP 400.

The dashboard's views link here through :func:`export_query`, the one mapping from a
:class:`~app.state.ViewState` to an export query string.

Parameters (all optional)::

    metric=<id>[,<id>...]    canonical metrics (app.vocab.METRICS); one view metric for view=
    area=<P-code>[,...]      admin 1-3 areas; figures for places inside them are included
    level=1|2|3              figures for areas at that admin level or inside them
    sector=<HNO sector>      per-sector figures of that sector (others have no sector)
    from=YYYY-MM-DD          figures whose period ends on/after this day
    to=YYYY-MM-DD            ... and starts on/before this day
    publisher=<name>[|...]   publishers as written, |-separated (names hold commas)
    as_of=YYYY-MM-DD         only what had been published by that day (filters.known_on)
    view=map|timeseries|card exactly the rows that view of the dashboard draws
    card=displaced|killed|at_risk   the headline card (with view=card; with one area=, that
                             area's card, as the dashboard shows it)
    hxl=1                    an HXL hashtag row under the header (CSV, XLSX)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from urllib.parse import urlencode

import pandas as pd

from app import format as fmt
from app.i18n import LANG_PARAMS, N_, _
from app.queries.catalogue import DEFAULT_LEVEL, DEFAULT_SECTOR, LEVELS, SECTORS, VIEW_METRICS
from app.queries.filters import FigureFilter
from app.queries.headline import CARDS
from app.state import ViewState
from app.vocab import METRICS


class Endpoint(StrEnum):
    """Which export: the figures table (CSV, XLSX) or the map's areas (GeoJSON)."""

    FIGURES = "figures"
    AREAS = "areas"


class View(StrEnum):
    MAP = "map"
    TIMESERIES = "timeseries"
    CARD = "card"


#: Every parameter, with its one-line documentation (README "Export API"; a test compares).
PARAMETERS: dict[str, str] = {
    "metric": "canonical metric id(s), comma-separated (one view metric with view= and for GeoJSON)",
    "area": "P-code(s) of admin 1-3 areas, comma-separated; includes the places inside them",
    "level": "1, 2 or 3: figures for areas at that admin level or inside them (GeoJSON: the map level, default 3)",
    "sector": "HNO sector (Shelter, WASH, ...): per-sector figures of that sector",
    "from": "YYYY-MM-DD: figures whose period ends on or after this day",
    "to": "YYYY-MM-DD: figures whose period starts on or before this day",
    "publisher": "publisher name(s) exactly as written, |-separated",
    "as_of": "YYYY-MM-DD: only figures known by that day (published date, else period end)",
    "view": "map, timeseries or card: exactly the rows that view of the dashboard draws",
    "card": "displaced, killed or at_risk: the headline card exported with view=card",
    "hxl": "1: add an HXL hashtag row under the header (CSV and XLSX)",
}

_ALLOWED: dict[Endpoint | View | None, tuple[str, ...]] = {
    Endpoint.FIGURES: tuple(PARAMETERS),
    Endpoint.AREAS: ("metric", "area", "level", "sector", "from", "to", "publisher", "as_of"),
    None: ("metric", "area", "level", "sector", "from", "to", "publisher", "as_of", "view", "hxl"),
    View.MAP: (
        "metric",
        "area",
        "level",
        "sector",
        "from",
        "to",
        "publisher",
        "as_of",
        "view",
        "hxl",
    ),
    View.TIMESERIES: (
        "metric",
        "area",
        "sector",
        "from",
        "to",
        "publisher",
        "as_of",
        "view",
        "hxl",
    ),
    View.CARD: ("view", "card", "area", "as_of", "hxl"),
}
#: The dashboard's names for parameters the export spells differently.
_RENAMED = {"start": "from", "end": "to"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE, _FALSE = {"1", "true", "yes"}, {"0", "false", "no"}


@dataclass(frozen=True)
class ParamProblem:
    parameter: str
    message: str

    def __str__(self) -> str:
        return f"{self.parameter}: {self.message}"


class ExportParamError(ValueError):
    """One or more parameters cannot be used; each problem names its parameter."""

    def __init__(self, problems: list[ParamProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class Choices:
    """What the bundle holds: P-codes of admin 1-3 areas and publishers as written."""

    pcodes: Collection[str]
    publishers: Collection[str]


@dataclass(frozen=True)
class ExportParams:
    """A parsed, valid export request."""

    endpoint: Endpoint = Endpoint.FIGURES
    metrics: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    level: int | None = None
    sector: str | None = None
    start: date | None = None
    end: date | None = None
    publishers: tuple[str, ...] = ()
    as_of: date | None = None
    view: View | None = None
    card: str | None = None
    hxl: bool = False
    #: the parameters as given (for the README sheet and the file name), in PARAMETERS order
    given: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def figure_filter(
        self, metrics: tuple[str, ...] | None = None, with_areas: bool = True
    ) -> FigureFilter:
        """The shared table filter: dates, publishers, as-of and (unless ``with_areas`` is
        False, as for the views, which place areas themselves) the areas by P-code prefix.
        Figures for named regions never match an area: they are not figures for a place
        inside it."""
        return FigureFilter(
            metrics=self.metrics if metrics is None else metrics,
            pcodes=self.areas if with_areas else (),
            publishers=self.publishers,
            start=_ts(self.start),
            end=_ts(self.end),
            as_of=_ts(self.as_of),
            include_regions=False,
        )

    @property
    def as_of_ts(self) -> pd.Timestamp | None:
        return _ts(self.as_of)


def _ts(d: date | None) -> pd.Timestamp | None:
    return None if d is None else pd.Timestamp(d)


def _one(key: str, values: Sequence[str], problems: list[ParamProblem]) -> str:
    """A single-valued parameter: repeating it with different values is a problem."""
    distinct = list(dict.fromkeys(v.strip() for v in values))
    if len(distinct) > 1:
        problems.append(
            ParamProblem(
                key,
                _say(
                    N_("given {n} times ({values}): give it once"),
                    n=len(values),
                    values=", ".join(distinct),
                ),
            )
        )
    return distinct[0] if distinct else ""


def _many(values: Sequence[str], sep: str) -> list[str]:
    """A list parameter: separated values and repeated parameters both count."""
    out: list[str] = []
    for v in values:
        for part in v.split(sep):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def parse_day(key: str, raw: str, problems: list[ParamProblem]) -> date | None:
    """A strict YYYY-MM-DD day; an impossible day (2020-02-30) is a problem, not a guess."""
    if not raw:
        return None
    if _DATE.match(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    problems.append(
        ParamProblem(
            key,
            _say(
                N_("{given} is not a date: expected YYYY-MM-DD, e.g. 2020-02-16"),
                given=f"{key}={raw}",
            ),
        )
    )
    return None


def _choice_list(options: Sequence[str]) -> str:
    return ", ".join(options)


def _say(template: str, **values: object) -> str:
    """A problem's words in the request's language (:func:`app.i18n._`); the values (what
    was given, parameter names, choices) as typed, isolated inside Arabic text."""
    return _(template).format(**{k: fmt.isolate(str(v)) for k, v in values.items()})


def parse_export_params(
    args: Mapping[str, Sequence[str]], endpoint: Endpoint, choices: Choices
) -> ExportParams:
    """Validate ``args`` (parameter -> values as given) for ``endpoint``.

    Raises :class:`ExportParamError` listing every problem; never anything else.
    Empty values (``metric=``) count as not given, as an HTML form sends them.
    """
    problems: list[ParamProblem] = []
    given = {str(k): [str(v) for v in vs] for k, vs in args.items()}
    filled = {k: vs for k, vs in given.items() if any(v.strip() for v in vs)}

    known = _ALLOWED[endpoint]
    for key in given:
        if key in LANG_PARAMS:  # the request's language (app.i18n.web): README sheet, labels
            continue
        if key not in PARAMETERS:
            message = (
                _say(N_("unknown parameter {key}: the export names it {name}"),
                     key=repr(key), name=f"{_RENAMED[key]}=")
                if key in _RENAMED
                else _say(N_("unknown parameter {key} (expected one of {choices})"),
                          key=repr(key), choices=_choice_list(known))
            )  # fmt: skip
            problems.append(ParamProblem(key, message))
        elif key not in known:
            problems.append(
                ParamProblem(
                    key,
                    _say(
                        N_(
                            "{key} does not apply to {endpoint} exports (expected one of {choices})"
                        ),
                        key=f"{key}=",
                        endpoint=endpoint.value,
                        choices=_choice_list(known),
                    ),
                )
            )
    raw = {k: vs for k, vs in filled.items() if k in known}

    view: View | None = None
    if "view" in raw:
        text = _one("view", raw["view"], problems).lower()
        if text in {v.value for v in View}:
            view = View(text)
        else:
            problems.append(
                ParamProblem(
                    "view",
                    _say(
                        N_("{given}: expected one of {choices}"),
                        given=f"view={text}",
                        choices=_choice_list([v.value for v in View]),
                    ),
                )
            )
    if endpoint is Endpoint.FIGURES:
        allowed = _ALLOWED[view]
        for key in raw:
            if key not in allowed:
                message = (
                    _say(N_("{key} does not apply to {view} (expected one of {choices})"),
                         key=f"{key}=", view=f"view={view.value}",
                         choices=_choice_list(allowed))
                    if view
                    else _say(N_("{key} does not apply to an export without view= (expected one "
                              "of {choices})"), key=f"{key}=", choices=_choice_list(allowed))
                )  # fmt: skip
                problems.append(ParamProblem(key, message))

    # metric: canonical ids; one view metric when a view (or the map's GeoJSON) is exported
    metrics: list[str] = _many(raw.get("metric", []), ",")
    one_view_metric = endpoint is Endpoint.AREAS or view in (View.MAP, View.TIMESERIES)
    if one_view_metric:
        if not metrics:
            metrics = [next(iter(VIEW_METRICS))] if endpoint is Endpoint.AREAS else []
            if not metrics:
                problems.append(
                    ParamProblem(
                        "metric",
                        _say(
                            N_("{view} needs one metric= (one of {choices})"),
                            view=f"view={view}",
                            choices=_choice_list(VIEW_METRICS),
                        ),
                    )
                )
        elif len(metrics) > 1:
            problems.append(
                ParamProblem(
                    "metric",
                    _say(
                        N_("{given}: this export draws one metric; give one"),
                        given=f"metric={','.join(metrics)}",
                    ),
                )
            )
        else:
            m = metrics[0]
            # the chart of an area attribute draws the dated figures of its family (OCHA's
            # "population before the wave"): those rows export; the map's values do not
            figure_views = [
                k
                for k, v in VIEW_METRICS.items()
                if endpoint is Endpoint.AREAS
                or v.source == "figures"
                or (view is View.TIMESERIES and v.family)
            ]
            if m not in figure_views:
                if m in VIEW_METRICS:
                    problems.append(
                        ParamProblem(
                            "metric",
                            _say(
                                N_(
                                    "{given} is an attribute of the areas, not a figure: "
                                    "export it with {url}"
                                ),
                                given=f"metric={m}",
                                url="/export/areas.geojson",
                            ),
                        )
                    )
                else:
                    problems.append(
                        ParamProblem(
                            "metric",
                            _say(
                                N_(
                                    "{given} is not a metric this view draws: expected one of "
                                    "{choices}"
                                ),
                                given=f"metric={m}",
                                choices=_choice_list(figure_views),
                            ),
                        )
                    )
    else:
        for m in metrics:
            if m not in METRICS:
                message = (
                    _say(N_("{given} is not in the vocabulary (an attribute of the areas: export "
                         "it with {url}): expected one of {choices}"), given=f"metric={m}",
                         url="/export/areas.geojson", choices=_choice_list(METRICS))
                    if m in VIEW_METRICS
                    else _say(N_("{given} is not in the vocabulary: expected one of {choices}"),
                              given=f"metric={m}", choices=_choice_list(METRICS))
                )  # fmt: skip
                problems.append(ParamProblem("metric", message))

    areas: list[str] = []
    for part in _many(raw.get("area", []), ","):
        code = part.upper()
        if code in choices.pcodes:
            areas.append(code)
        elif code == "SY":
            problems.append(
                ParamProblem(
                    "area",
                    _say(
                        N_("{given} is the whole country: leave area out to export everything"),
                        given="area=SY",
                    ),
                )
            )
        else:
            problems.append(
                ParamProblem(
                    "area",
                    _say(
                        N_(
                            "{given} is not a P-code of an admin 1-3 area in the bundle (e.g. "
                            "{examples})"
                        ),
                        given=f"area={part}",
                        examples="SY07, SY0703, SY070301",
                    ),
                )
            )

    level: int | None = DEFAULT_LEVEL if endpoint is Endpoint.AREAS or view is View.MAP else None
    if "level" in raw:
        text = _one("level", raw["level"], problems)
        if text in {str(lv) for lv in LEVELS}:
            level = int(text)
        else:
            problems.append(
                ParamProblem(
                    "level",
                    _say(
                        N_(
                            "{given}: expected 1 (governorates), 2 (districts) or 3 (sub-districts)"
                        ),
                        given=f"level={text}",
                    ),
                )
            )

    sector: str | None = None
    if "sector" in raw:
        text = _one("sector", raw["sector"], problems)
        sector = {s.lower(): s for s in SECTORS}.get(text.lower())
        if sector is None:
            problems.append(
                ParamProblem(
                    "sector",
                    _say(
                        N_("{given}: expected one of {choices}"),
                        given=f"sector={text}",
                        choices=_choice_list(SECTORS),
                    ),
                )
            )
    elif (
        one_view_metric
        and metrics
        and metrics[0] in VIEW_METRICS
        and VIEW_METRICS[metrics[0]].needs_sector
    ):
        sector = DEFAULT_SECTOR  # as the map and the chart do

    days = {
        key: parse_day(key, _one(key, raw[key], problems), problems) if key in raw else None
        for key in ("from", "to", "as_of")
    }
    if days["from"] and days["to"] and days["from"] > days["to"]:
        problems.append(
            ParamProblem(
                "from",
                _say(
                    N_("{start} is after {end}: an impossible range"),
                    start=f"from={days['from']}",
                    end=f"to={days['to']}",
                ),
            )
        )

    publishers: list[str] = []
    for name in _many(raw.get("publisher", []), "|"):
        if name in choices.publishers:
            publishers.append(name)
        else:
            near = sorted(p for p in choices.publishers if name.lower() in p.lower())[:5]
            message = _say(
                N_("{given}: no figures from this publisher (names must match exactly)."),
                given=f"publisher={name}",
            )
            if near:
                message += " " + _say(N_("Did you mean: {names}?"), names=" | ".join(near))
            problems.append(ParamProblem("publisher", message))

    card: str | None = None
    if "card" in raw:
        card = _one("card", raw["card"], problems)
        if card not in CARDS:
            problems.append(
                ParamProblem(
                    "card",
                    _say(
                        N_("{given}: expected one of {choices}"),
                        given=f"card={card}",
                        choices=_choice_list(CARDS),
                    ),
                )
            )
    if view is View.CARD and card is None and "card" not in raw:
        problems.append(
            ParamProblem(
                "card",
                _say(
                    N_("{view} needs card= (one of {choices})"),
                    view="view=card",
                    choices=_choice_list(CARDS),
                ),
            )
        )

    hxl = False
    if "hxl" in raw:
        text = _one("hxl", raw["hxl"], problems).lower()
        if text in _TRUE | _FALSE:
            hxl = text in _TRUE
        else:
            problems.append(
                ParamProblem("hxl", _say(N_("{given}: expected 1 or 0"), given=f"hxl={text}"))
            )

    if problems:
        raise ExportParamError(problems)
    return ExportParams(
        endpoint=endpoint,
        metrics=tuple(metrics),
        areas=tuple(areas),
        level=level,
        sector=sector,
        start=days["from"],
        end=days["to"],
        publishers=tuple(publishers),
        as_of=days["as_of"],
        view=view,
        card=card,
        hxl=hxl,
        given=tuple(
            (k, ",".join(v.strip() for v in raw[k] if v.strip())) for k in PARAMETERS if k in raw
        ),
    )


_SLUG = re.compile(r"[^A-Za-z0-9._]+")


def filename(params: ExportParams, stem: str, extension: str, limit: int = 120) -> str:
    """``nw-syria-<stem>-<filters>.<extension>``: ASCII, safe in a header, says what it holds.

    >>> filename(ExportParams(metrics=("idp_arrivals",), areas=("SY07",)), "figures", "csv")
    'nw-syria-figures-idp_arrivals-SY07.csv'
    """
    parts: list[str] = []
    if params.view:
        parts.append(params.view.value)
    if params.card:
        parts.append(params.card)
    parts += ["+".join(params.metrics)] if params.metrics else []
    parts += ["+".join(params.areas)] if params.areas else []
    if params.level is not None:
        parts.append(f"adm{params.level}")
    if params.sector:
        parts.append(params.sector)
    if params.start or params.end:
        parts.append(f"{params.start or ''}_{params.end or ''}")
    if params.publishers:
        parts.append("+".join(params.publishers))
    if params.as_of:
        parts.append(f"asof-{params.as_of}")
    slug = "-".join(s for s in (_SLUG.sub("-", p).strip("-") for p in parts) if s) or "all"
    slug = re.sub(r"-{2,}", "-", slug)[:limit].rstrip("-.")
    return f"nw-syria-{stem}-{slug}.{extension}"


# --- from the dashboard's view state ------------------------------------------------------

#: Export endpoints, relative to the app's base path.
FIGURES_CSV = "/export/figures.csv"
FIGURES_XLSX = "/export/figures.xlsx"
AREAS_GEOJSON = "/export/areas.geojson"


def export_query(state: ViewState, view: str, card: str | None = None) -> str:
    """The export query string ("?..."; "" for everything) holding exactly ``view``'s rows.

    ``view`` is ``map``, ``timeseries``,
    ``card`` (with ``card``), ``sources`` (the filters alone) or ``geojson`` (the map's areas).
    The map shows every area at its level, so the map's export has no ``area``; the chart
    draws the selected areas, so the chart's has. Defaults are written out so a link says
    what it holds.
    """
    out: list[tuple[str, str]] = []
    if view == "card":
        out += [("view", "card"), ("card", card or next(iter(CARDS)))]
        if len(state.areas) == 1:  # the cards follow one selected area (cards.card_area)
            out.append(("area", state.areas[0]))
        if state.as_of:
            out.append(("as_of", state.as_of.isoformat()))
        return "?" + urlencode(out)
    if view in ("map", "timeseries"):
        out.append(("view", view))
    if view in ("map", "timeseries", "geojson"):
        out.append(("metric", state.metric))
    elif view == "sources" and state.view_metric.family:
        out.append(("metric", ",".join(state.view_metric.family)))
    if view in ("map", "geojson"):
        out.append(("level", str(state.level)))
    if state.sector_or_none:
        out.append(("sector", state.sector_or_none))
    if state.areas and view in ("timeseries", "sources"):
        out.append(("area", ",".join(state.areas)))
    if state.start:
        out.append(("from", state.start.isoformat()))
    if state.end:
        out.append(("to", state.end.isoformat()))
    if state.publishers:
        out.append(("publisher", "|".join(state.publishers)))
    if state.as_of:
        out.append(("as_of", state.as_of.isoformat()))
    return "?" + urlencode(out, safe=",|") if out else ""
