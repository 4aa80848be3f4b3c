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

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from app import format as fmt
from app.figures import style
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


def wrap(text: str, width: int = 70) -> str:
    """Break a long document title so the hover box stays on screen."""
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
    return _line(N_("Period: {period}"), period=fmt.period(r.get("period_start"), r["period_end"]))


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

    ``frame`` holds the chart's rows and ``records`` the same rows as dicts (the writers'
    input). Slot ``k`` of row ``i`` is ``texts[k][codes[k][i]]``."""

    def __init__(self, frame: pd.DataFrame, records: list[dict]) -> None:
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
            lines = [_written(k, records[i], language) for i in first]
            same, texts = pd.factorize(pd.Series(lines, dtype=object))
            self.codes.append(same[code])
            self.texts.append(np.asarray(texts, dtype=object))


def shared_hover(
    table: SlotTable, rows: np.ndarray, breaks: np.ndarray
) -> tuple[str, list[list[str] | None]]:
    """The hover template of a series of ``rows`` (positions in ``table``) and each
    point's ``customdata``: the lines every point shares are in the template, the others
    per point; a ``None`` goes before each position in ``breaks`` (a gap in the line)."""
    template: list[str] = []
    varying: list[list[str]] = []
    for codes, texts in zip(table.codes, table.texts, strict=True):
        mine = codes[rows]
        if len(mine) and (mine == mine[0]).all():
            template.append(_shared(texts[mine[0]]))
            continue
        # what the series' lines of this slot start and end with is shared too
        distinct, inverse = np.unique(mine, return_inverse=True)
        head, middles, tail = _common_ends(texts[distinct].tolist())
        template += [_shared(head), f"%{{customdata[{len(varying)}]}}", _shared(tail)]
        varying.append(np.asarray(middles, dtype=object)[inverse].tolist())
    data: list[list[str] | None] = [list(t) for t in zip(*varying, strict=True)]
    if not varying:
        data = [[] for _ in range(len(rows))]
    for at in breaks[::-1]:
        data.insert(int(at), None)
    return "".join(template) + _NO_EXTRA, data


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


def hover_texts(trace: dict) -> list[str]:
    """The hover of each point of a chart trace as Plotly writes it, whether the trace
    carries ``hovertext`` or a shared template with ``customdata``: for the tests and for
    anyone reading a chart's data."""
    if trace.get("customdata") is None:
        return [str(h) for h in trace.get("hovertext") or []]
    template = (trace.get("hovertemplate") or "").removesuffix(_NO_EXTRA)
    # the placeholders and the shared text between them (whose % was written &#37;)
    parts = re.split(r"%\{customdata\[(\d+)\]\}", template)
    out = []
    for row in trace["customdata"]:
        if row is None:
            out.append("")
            continue
        out.append(
            "".join(
                str(row[int(p)]) if i % 2 else p.replace("&#37;", "%")
                for i, p in enumerate(parts)
            )
        )
    return out
