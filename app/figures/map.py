"""The choropleth of north-west Syria: values per area, "no data" in grey, Turkey as context.

Geometry never travels in the figure: every polygon layer names its GeoJSON by URL
(``/geo/adm3.geojson?v=<hash>``, served with long caching by :mod:`app.web.geo`), so the
browser downloads each file once and a callback's figure carries only P-codes and values.
The Turkey-Syria border is a map layer whose source is likewise a URL. Labels are legend
entries and hovers, not map text: MapLibre text needs glyph files from a CDN.

Traces, bottom to top: Turkish provinces (grey, "approximate" in hover), areas without a
value ("no data", grey), areas with a value (coloured), the selected areas (outline), and
a legend entry for the border line.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from app import format as fmt
from app.figures import style
from app.queries.catalogue import LEVELS
from app.queries.map_values import MapValues

#: Initial view: the four governorates of the bundle with the border strip and Hatay/Kilis.
CENTER = {"lat": 35.72, "lon": 37.2}
ZOOM = 6.75


@dataclass(frozen=True)
class MapContext:
    """URLs of the cached geometry and the few names needed to label the context layers."""

    geojson_url: str  # admin boundaries of the level shown
    turkey_url: str
    turkey: tuple[tuple[str, str], ...]  # (feature id, English name) of the Turkish provinces
    border_url: str
    border_name: str = "Turkey–Syria border"


def _area_hover(name_en: str, name_ar: object, pcode: str) -> str:
    ar = f" · <span dir='rtl'>{name_ar}</span>" if isinstance(name_ar, str) and name_ar else ""
    return f"<b>{name_en}</b>{ar}<br>{pcode}"


def _value_hover(mv: MapValues, row: dict) -> str:
    metric = mv.metric
    if metric.unit == "km":
        value = f"{fmt.number(row['value'], 1)} km"
    elif metric.unit == "score":
        value = fmt.number(row["value"], 1)
    else:
        value = fmt.figure_text(row["value"], row["qualifier"], row["low"], row["high"])
    label = metric.label + (f" – {mv.sector}" if mv.sector else "")
    lines = [f"{label}: <b>{value}</b>", f"Source: {row['source']}"]
    if row.get("summed"):
        note = (
            f"Partial: sum for {row['n_parts']} of {row['n_expected']} places inside "
            "(the others not reported)"
            if row["partial"]
            else f"Sum for all {row['n_parts']} places inside"
        )
        lines.append(f"<i>{note}</i>")
    if row["n_other"]:
        lines.append(f"<i>+{row['n_other']} other figure(s) for this area: see the chart</i>")
    return "<br>".join(lines)


def choropleth_map(
    mv: MapValues, ctx: MapContext, selected: tuple[str, ...] = (), height: int | None = None
) -> go.Figure:
    """The map of ``mv`` (one level, one metric) with context layers from ``ctx``."""
    names = mv.areas.set_index("pcode")
    values = mv.values.set_index("pcode") if not mv.values.empty else mv.values
    have = [p for p in mv.areas["pcode"] if p in values.index]
    missing = [p for p in mv.areas["pcode"] if p not in values.index]
    fig = go.Figure()

    fig.add_trace(
        go.Choroplethmap(
            name="Turkey (approximate, context only)",
            geojson=ctx.turkey_url,
            locations=[t[0] for t in ctx.turkey],
            z=[0] * len(ctx.turkey),
            colorscale=[[0, style.CONTEXT], [1, style.CONTEXT]],
            showscale=False,
            marker={"line": {"color": style.CONTEXT_LINE, "width": 0.8}},
            hovertext=[
                f"<b>{n}</b> (Turkey)<br>Province outline approximate: context only"
                for _, n in ctx.turkey
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=True,
            meta={"role": "context"},
        )
    )
    fig.add_trace(
        go.Choroplethmap(
            name="No data",
            geojson=ctx.geojson_url,
            locations=missing,
            z=[0] * len(missing),
            colorscale=[[0, style.NO_DATA], [1, style.NO_DATA]],
            showscale=False,
            marker={"line": {"color": "#ffffff", "width": 0.6}},
            hovertext=[
                _area_hover(names.loc[p, "name_en"], names.loc[p, "name_ar"], p)
                + "<br><i>no data</i>"
                for p in missing
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=bool(missing),
            meta={"role": "no-data"},
        )
    )
    unit = mv.metric.unit
    scale = style.SEQUENTIAL[
        "population"
        if mv.metric.id == "population"
        else unit
        if unit in style.SEQUENTIAL
        else "people"
    ]
    colorbar: dict = {
        "title": {"text": _colorbar_title(mv), "side": "right", "font": {"size": 11}},
        "thickness": 12,
        "len": 0.75,
        "x": 1.0,
        "xanchor": "left",
        "y": 0.5,
        "xpad": 6,
        "bgcolor": "rgba(255,255,255,0.85)",
        "outlinewidth": 0,
        "tickfont": {"size": 10},
    }
    zrange: dict = {}
    if unit == "people" and mv.metric.id != "population":
        # counts start at zero: a small count must not look like none
        zrange = {"zmin": 0, "zmax": max([float(v) for v in values["value"]] or [1.0])}
    if unit == "score":
        colorbar.update(tickvals=[1, 2, 3, 4, 5, 6])
        zrange = {"zmin": 1, "zmax": 6}
    elif unit == "km":
        colorbar.update(ticksuffix=" km")
    else:
        colorbar.update(tickformat="~s")
    rows = {p: values.loc[p].to_dict() | {"pcode": p} for p in have}
    fig.add_trace(
        go.Choroplethmap(
            name=mv.metric.label,
            geojson=ctx.geojson_url,
            locations=have,
            z=[rows[p]["value"] for p in have],
            colorscale=scale,
            colorbar=colorbar,
            marker={"line": {"color": "#ffffff", "width": 0.8}},
            hovertext=[
                _area_hover(names.loc[p, "name_en"], names.loc[p, "name_ar"], p)
                + "<br>"
                + _value_hover(mv, rows[p])
                for p in have
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            meta={"role": "values"},
            **zrange,
        )
    )
    outline = [p for p in selected if p in names.index]
    fig.add_trace(
        go.Choroplethmap(
            name="Selected",
            geojson=ctx.geojson_url,
            locations=outline,
            z=[1] * len(outline),
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            showscale=False,
            marker={"line": {"color": "#111111", "width": 2.5}},
            hoverinfo="skip",
            showlegend=False,
            meta={"role": "selected"},
        )
    )
    fig.add_trace(
        go.Scattermap(
            name=ctx.border_name,
            lat=[None],
            lon=[None],
            mode="lines",
            line={"color": style.BORDER, "width": 2.5},
            hoverinfo="skip",
            showlegend=True,
            meta={"role": "border-legend"},
        )
    )

    fig.update_layout(
        map={
            "style": "white-bg",
            "center": CENTER,
            "zoom": ZOOM,
            "layers": [
                {
                    "sourcetype": "geojson",
                    "source": ctx.border_url,
                    "type": "line",
                    "color": style.BORDER,
                    "line": {"width": 2.5},
                    "below": "",
                }
            ],
        },
        margin={"l": 0, "r": 64, "t": 0, "b": 0},
        height=height,
        uirevision="nw-syria-map",
        clickmode="event",
        font={"family": style.FONT, "color": style.TEXT},
        paper_bgcolor="#ffffff",
        hoverlabel={
            "bgcolor": "#ffffff",
            "bordercolor": "#9aa5b1",
            "font": {"family": style.FONT, "size": 12, "color": style.TEXT},
        },
        legend={
            "x": 0.01,
            "y": 0.02,
            "xanchor": "left",
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.85)",
            "font": {"size": 11},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        annotations=[_coverage_annotation(mv)],
    )
    return fig


def _colorbar_title(mv: MapValues) -> str:
    if mv.metric.unit == "km":
        return "km to border"
    if mv.metric.unit == "score":
        return f"Severity<br>{mv.sector or ''}".strip()
    if mv.metric.id == "people_in_need":
        return f"People in need<br>{mv.sector or ''}"
    if mv.metric.id == "population":
        return "Population"
    return "People"


def _wrap(text: str, width: int = 58) -> str:
    """Break a note into lines: Plotly annotations do not wrap by themselves."""
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "<br>".join([*lines, line] if line else lines)


def _coverage_annotation(mv: MapValues) -> dict:
    """Info box: what is shown and how much of the map it covers (sparse must look sparse)."""
    lines = [
        f"<b>{mv.metric.label}{' – ' + mv.sector if mv.sector else ''}</b>",
        f"{mv.coverage_text()} ({LEVELS[mv.level][1]} in grey: no data)"
        if mv.n_with_data < mv.n_areas
        else mv.coverage_text(),
    ]
    lines += [f"<i>{_wrap(n)}</i>" for n in mv.notes]
    # bottom right: the empty desert south-east of Aleppo, away from the border and the legend
    return {
        "text": "<br>".join(lines),
        "x": 0.99,
        "y": 0.01,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "right",
        "yanchor": "bottom",
        "align": "left",
        "showarrow": False,
        "bgcolor": "rgba(255,255,255,0.92)",
        "bordercolor": "#c5ccd3",
        "borderwidth": 1,
        "borderpad": 6,
        "font": {"size": 12, "color": style.TEXT},
    }
