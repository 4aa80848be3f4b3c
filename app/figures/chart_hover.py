"""The time-series chart's hovers: what a point says about its figure, and how a long
series of weekly counts writes it once per line instead of once per point.

A hover names publisher, value with qualifier, period, area, document, publication date,
sector and the figure's consistency flags (:func:`hover`). It is written as *slots*, one
per line, each with its own leading ``<br>`` ("" for a line the figure does not have), so
the slots of one series line up.

Four years of weekly counts are about 200 points a series, and their publisher, area,
document and publication date are the same week after week: writing every line for every
point made the killed metrics' chart 1.3 MB of hovers and most of its 60 ms. A weekly
series therefore carries one ``hovertemplate`` holding the lines its points share, and
each point's own lines as ``customdata`` (:func:`shared_hover`); :class:`SlotTable` writes
each distinct line once per chart.

Every piece of file text is escaped (:func:`app.figures.style.text`); the markup is ours.
Shared text goes into a template, where ``%{`` would start a placeholder: its ``%`` is
written as the entity ``&#37;``, which Plotly draws as ``%``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from app import format as fmt
from app.figures import plotly_locale, style
from app.i18n import N_, Language, _, current, translate
from app.vocab import METRICS

#: Ends every template: no trace name box beside the hover.
_NO_EXTRA = "<extra></extra>"


def hover(r: dict) -> str:
    """The hover of one figure (see module doc)."""
    return "".join(hover_slots(r))


def hover_slots(r: dict) -> list[str]:
    """The hover of ``r`` in :data:`SLOTS` order (see module doc)."""
    language = current()
    return [_written(k, r, language) for k in range(len(SLOTS))]


#: Lines already written, by slot, language and inputs, shared by every chart of the
#: process: the same weeks, values and documents come back from state to state. Cleared
#: when it reaches this many lines (about 100 bytes each).
_WRITTEN: dict[tuple, str] = {}
WRITTEN_MAX = 50_000


def _written(k: int, r: dict, language: Language) -> str:
    """Slot ``k`` of ``r`` in ``language``: written once per distinct inputs."""
    key = (k, language, *[r.get(c) for c in SLOT_INPUTS[k]])
    try:
        return _WRITTEN[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable cell (a list of flags): written each time
        return _SLOT_WRITERS[k](r)
    text = _SLOT_WRITERS[k](r)
    if len(_WRITTEN) >= WRITTEN_MAX:
        _WRITTEN.clear()
    _WRITTEN[key] = text
    return text


@functools.lru_cache(maxsize=1 << 12)
def wrap(text: str, width: int = 70) -> str:
    """Break a long document title so the hover box stays on screen (once per text: the
    same documents and notes come back in hover after hover)."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def _line(msgid: str, **values: object) -> str:
    """A line after a break: ``msgid`` (marked with ``N_``) translated, filled, escaped."""
    return "<br>" + style.text(_(msgid).format(**values))


def _value_line(r: dict) -> str:
    m = METRICS.get(r["metric"])
    label = translate(m.label) if m else r["metric"]
    value = fmt.value_with_qualifier(r["value"], r.get("qualifier"))
    return f"<br>{style.text(label)}: <b>{style.text(value)}</b>"


def _qualifier_line(r: dict) -> str:
    q = fmt.qualifier_text(r.get("qualifier"))
    rng = fmt.value_range(r["low"], r["high"])
    line = _("Qualifier: {qualifier}").format(qualifier=q or _("none (as published)"))
    if rng:
        line = _("{qualifier}; range {range}").format(qualifier=line, range=rng)
    return "<br>" + style.text(line)


def _period_line(r: dict) -> str:
    start, end = r.get("period_start"), r["period_end"]
    if is_week(start, end):  # the weekly sums of events: the week by its Monday
        return _line(N_("Period: week beginning {day} (Monday to Sunday)"), day=fmt.day(start))
    return _line(N_("Period: {period}"), period=fmt.period(start, end))


_SIX_DAYS = pd.Timedelta(days=6)


def is_week(start: object, end: object) -> bool:
    """Whether a period is one week, Monday to Sunday."""
    if fmt.is_missing(start) or fmt.is_missing(end):
        return False
    start = pd.Timestamp(start)
    return start.weekday() == 0 and pd.Timestamp(end) - start == _SIX_DAYS


def _area_line(r: dict) -> str:
    area = r.get("area_label") or r.get("area_as_written") or ""
    return _line(N_("Area: {area}"), area=area)


def _document_line(r: dict) -> str:
    text = style.text
    return "<br>" + text(_("Document: {document}")).format(document=wrap(text(r["document"])))


def _published_line(r: dict) -> str:
    published = r.get("published_date")
    if fmt.is_missing(published):
        return ""
    return _line(N_("Published: {date}"), date=fmt.day(published))


def _sector_line(r: dict) -> str:
    sector = r.get("sector")
    return _line(N_("Sector: {sector}"), sector=translate(sector)) if sector else ""


def _flag_lines(r: dict) -> str:
    return "".join("<br>" + wrap(style.text(m)) for m in (r.get("flags") or ()))


#: The hover's lines in order, the columns each is written from, and its writer.
SLOTS = (
    "publisher", "value", "qualifier", "period", "area", "document", "published", "sector",
    "flags",
)  # fmt: skip
SLOT_INPUTS: tuple[tuple[str, ...], ...] = (
    ("publisher",), ("metric", "value", "qualifier"), ("qualifier", "low", "high"),
    ("period_start", "period_end"), ("area_label", "area_as_written"), ("document",),
    ("published_date",), ("sector",), ("flags",),
)  # fmt: skip
_SLOT_WRITERS: tuple[Callable[[dict], str], ...] = (
    lambda r: f"<b>{style.text(r['publisher'])}</b>",
    _value_line,
    _qualifier_line,
    _period_line,
    _area_line,
    _document_line,
    _published_line,
    _sector_line,
    _flag_lines,
)


def _codes(values: pd.Series) -> np.ndarray:
    """One code per distinct value (missing cells one code), in order of first sight."""
    try:
        return pd.factorize(values, use_na_sentinel=False)[0]
    except TypeError:  # lists (the flags): by their contents
        keyed = [tuple(v) if isinstance(v, list) else v for v in values.tolist()]
        return pd.factorize(pd.Series(keyed, dtype=object), use_na_sentinel=False)[0]


class SlotTable:
    """Every slot of every row of one chart, each distinct line written once.

    ``frame`` holds the chart's rows and ``cells(i, columns)`` gives those cells of row
    ``i`` as a dict (a writer's input: the slot's own columns). Slot ``k`` of row ``i`` is
    ``texts[k][codes[k][i]]``."""

    def __init__(
        self, frame: pd.DataFrame, cells: Callable[[int, list[str]], dict]
    ) -> None:
        n, language = len(frame), current()
        self.codes: list[np.ndarray] = []
        self.texts: list[np.ndarray] = []
        for k, inputs in enumerate(SLOT_INPUTS):
            cols = [c for c in inputs if c in frame.columns]
            code = np.zeros(n, dtype=np.int64)
            for c in cols:  # one code per distinct combination of the inputs
                part = _codes(frame[c])
                code = pd.factorize(code * (int(part.max(initial=0)) + 1) + part)[0]
            n_codes = int(code.max(initial=-1)) + 1
            first = np.empty(n_codes, dtype=np.intp)
            first[code[::-1]] = np.arange(n - 1, -1, -1)  # each code's first row
            # inputs that differ can write the same line (an area spelled two ways)
            lines = [_written(k, cells(i, cols), language) for i in first.tolist()]
            same, texts = pd.factorize(pd.Series(lines, dtype=object))
            self.codes.append(same[code])
            self.texts.append(np.asarray(texts, dtype=object))


#: A week in milliseconds: the step and the period of a weekly series' x (plotly.js counts a
#: date axis in milliseconds).
WEEK_MS = 7 * 24 * 3600 * 1000


@dataclass(frozen=True)
class Known:
    """What plotly.js holds of each point of a weekly series, by position in the chart's
    table: the value (the point's ``y``) and the week's first day (its ``x``, with period
    alignment). A line made only of these travels as placeholders that plotly.js fills
    (``%{y:,}``, ``%{x|%-d %b %Y}``), not as text per point: the count and the week were
    half of the killed metrics' chart on the wire. (A week is named by its Monday: its
    last day would have to travel per point, since a template cannot add days.)"""

    value: np.ndarray
    start: np.ndarray


def shared_hover(
    table: SlotTable, rows: np.ndarray, known: Known | None = None
) -> tuple[str, list[list[str]] | None]:
    """The hover template of a series of ``rows`` (positions in ``table``) and each
    point's ``customdata`` (None when no point needs any): the lines every point shares
    are in the template; a line plotly.js can write from ``known`` is a placeholder; the
    others travel per point."""
    template: list[str] = []
    varying: list[list[str]] = []
    for k, (codes, texts) in enumerate(zip(table.codes, table.texts, strict=True)):
        mine = codes[rows]
        if len(mine) and (mine == mine[0]).all():
            template.append(_shared(texts[mine[0]]))
            continue
        distinct, first, inverse = np.unique(mine, return_index=True, return_inverse=True)
        fitted = _fit(SLOTS[k], texts[distinct].tolist(), rows[first], known)
        if fitted is not None:
            template.append(fitted)
            continue
        # what the series' lines of this slot start and end with is shared too
        head, middles, tail = _common_ends(texts[distinct].tolist())
        template += [_shared(head), f"%{{customdata[{len(varying)}]}}", _shared(tail)]
        varying.append(np.asarray(middles, dtype=object)[inverse].tolist())
    data = [list(t) for t in zip(*varying, strict=True)] if varying else None
    return "".join(template) + _NO_EXTRA, data


def _fit(slot: str, texts: list[str], at: np.ndarray, known: Known | None) -> str | None:
    """The template of a line ``slot`` whose distinct ``texts`` (one per row ``at``) are
    plotly.js's own rendering of the value or the week between text they all share, or
    None. Checked line by line against what plotly.js writes (:func:`plotly_number`,
    :func:`plotly_day`), so a hover never says other than the figure's own line."""
    if known is None or slot not in ("value", "period"):
        return None
    if slot == "value":
        pieces = [(plotly_number(v),) for v in known.value[at].tolist()]
        placeholders = ["%{y:,}"]
    else:
        lang = current().lang
        day_format = _DAY_FORMATS.get(lang)
        if day_format is None:
            return None
        starts = known.start[at].astype("datetime64[D]").astype(np.int64).tolist()
        pieces = [(_plotly_day(s, day_format, lang),) for s in starts]
        placeholders = [f"%{{x|{day_format}}}"]
    seps = {_split(t, p) for t, p in zip(texts, pieces, strict=True)}
    if len(seps) != 1 or None in seps:
        return None
    (between,) = seps
    out = [_shared(between[0])]
    for placeholder, after in zip(placeholders, between[1:], strict=True):
        out += [placeholder, _shared(after)]
    return "".join(out)


def _split(text: str, pieces: tuple[str | None, ...]) -> tuple[str, ...] | None:
    """The text before, between and after ``pieces`` found in order in ``text``; None when
    one is missing (or None: a value plotly.js would write otherwise)."""
    out, at = [], 0
    for piece in pieces:
        j = text.find(piece, at) if piece is not None else -1
        if j < 0:
            return None
        out.append(text[at:j])
        at = j + len(piece)
    out.append(text[at:])
    return tuple(out)


def plotly_number(value: float) -> str | None:
    """``%{y:,}`` as plotly.js writes a count (d3-format ``,``: both the English and the
    Arabic locale group thousands with ","), or None for a value this does not cover
    (fractions, negatives, which d3 writes with its own minus sign)."""
    v = float(value)
    if not np.isfinite(v) or v < 0 or not v.is_integer() or v >= 1e15:
        return None
    return f"{int(v):,}"


#: The day format of a hover's dates in plotly.js, per interface language, written as
#: :func:`app.format.day` writes a day ("5 Mar 2020"; Arabic: the month's full name, as
#: Babel's "d MMMM y"). The Arabic month names come from the graph's locale
#: (:mod:`app.figures.plotly_locale`), which every graph of the chart must carry.
_DAY_FORMATS = {"en": "%-d %b %Y", "ar": "%-d %B %Y"}
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def plotly_day(value: object, day_format: str) -> str:
    """``value`` as plotly.js writes it with ``day_format`` (one of :data:`_DAY_FORMATS`)
    in the interface's locale."""
    days = pd.Timestamp(value).to_datetime64().astype("datetime64[D]").astype(np.int64)
    return _plotly_day(int(days), day_format, current().lang)


@functools.lru_cache(maxsize=1 << 14)
def _plotly_day(days: int, day_format: str, lang: str) -> str:
    """:func:`plotly_day` of a day (days since 1970), once per day, format and language: a
    chart of weekly counts checks each week's two days in every series."""
    ts = pd.Timestamp(days, unit="D")
    if "%b" in day_format:
        month = _EN_MONTHS[ts.month - 1]
    else:
        month = plotly_locale.month_names(lang)[ts.month - 1]
    return f"{ts.day} {month} {ts.year}"


def _shared(text: str) -> str:
    """Text for the template: its ``%`` cannot start a placeholder (see module doc)."""
    return text.replace("%", "&#37;")


def _common_ends(texts: list[str]) -> tuple[str, list[str], str]:
    """The start and end every text shares, and what each has between them: a line such as
    "<br>Civilians killed in period: <b>418</b>" travels as "418". Plotly fills the
    template before it reads its markup, so a cut inside a tag or an entity is harmless."""
    head = _common_start(texts)
    shortest = min(len(t) for t in texts) - len(head)
    tail = _common_start([t[::-1] for t in texts])[:shortest][::-1]
    return head, [t[len(head) : len(t) - len(tail)] for t in texts], tail


def _common_start(texts: list[str]) -> str:
    """The longest start every text shares (that of the first and last in sort order)."""
    first, last = min(texts), max(texts)
    n = 0
    while n < len(first) and n < len(last) and first[n] == last[n]:
        n += 1
    return first[:n]


def trace_x(trace: dict) -> list:
    """Each point's x as plotly.js reads it: ``x``, or ``x0`` and a step of ``dx`` (a
    weekly series: ISO days)."""
    if "x" in trace:
        return list(trace["x"])
    x0, n = pd.Timestamp(trace["x0"]), len(trace["y"])
    step = pd.Timedelta(milliseconds=trace["dx"])
    return [(x0 + i * step).strftime("%Y-%m-%d") for i in range(n)]


_PLACEHOLDER = re.compile(r"%\{(x|y|customdata\[(\d+)\])(?:([:|])([^}]*))?\}")


def hover_texts(trace: dict) -> list[str]:
    """The hover of each point of a chart trace as plotly.js writes it, whether the trace
    carries ``hovertext`` or a shared template (with ``customdata`` and placeholders for
    value and week, :func:`shared_hover`): for the tests and for anyone reading a chart's
    data. A point without a value (a week without a count) has no hover: ""."""
    template = trace.get("hovertemplate") or ""
    if "%{hovertext}" in template or not template:
        return [str(h) for h in trace.get("hovertext") or []]
    template = template.removesuffix(_NO_EXTRA)
    xs, data = trace_x(trace), trace.get("customdata")
    out = []
    for i, y in enumerate(trace["y"]):
        if y is None:
            out.append("")
            continue

        def fill(m: re.Match, i: int = i, y: object = y) -> str:
            name, column, kind, spec = m.groups()
            value = y if name == "y" else xs[i] if name == "x" else data[i][int(column)]
            if kind == ":":
                return str(plotly_number(value))
            if kind == "|":
                return plotly_day(value, spec)
            return str(value)

        # the shared text between placeholders has its % written &#37;
        text, at = [], 0
        for m in _PLACEHOLDER.finditer(template):
            text += [template[at : m.start()].replace("&#37;", "%"), fill(m)]
            at = m.end()
        out.append("".join([*text, template[at:].replace("&#37;", "%")]))
    return out
