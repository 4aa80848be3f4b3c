"""The choropleth of north-west Syria: values per area, "no data" in grey, Turkey as context.

Drawn with plotly.js's SVG ``geo`` subplot (``choropleth`` + ``scattergeo``), not MapLibre:
no WebGL (which headless or GPU-less browsers render in software, seconds per frame), and a
plotly.js bundle about 1.6 MB smaller (see assets/vendor/PLOTLY_BUILD.md).

Polygons never travel in the figure: every choropleth names its GeoJSON by URL
(``/geo/adm3.geojson?v=<hash>``, served with long caching by :mod:`app.web.geo`), so the
browser downloads each file once and a callback's figure carries only P-codes and values.
d3-geo (which ``geo`` uses) wants exterior rings clockwise: :mod:`app.web.geo` checks the
served files at start-up. The Turkey-Syria border is a line, which plotly.js can only take
inline (``scattergeo`` lon/lat; a ``choropleth`` draws polygons only): about 260 points,
1.5 KB compressed. Labels are legend entries and hovers.

Every graph that shows this figure needs ``config["topojsonURL"]`` pointing at the app's
own ``/assets/topojson/`` (see :func:`components.map_view.graph_config`): a ``choropleth``
makes plotly.js load ``world_110m.json`` even with the base map hidden, from a CDN by default.

Traces, bottom to top: Turkish provinces (grey, "approximate" in hover), areas without a
value ("no data", grey), areas with a value (coloured), the selected areas (outline), and
the border line (legend entry).

Performance: the figure is built as plain dicts (a ``go.Figure`` validates every property,
about 20-40 ms for this map); ``tests/unit/test_figures_map.py`` validates the output
against the Plotly schema instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app import format as fmt
from app.figures import style
from app.queries.catalogue import LEVELS
from app.queries.map_values import MapValues

#: The map's frame (lon, lat): the four governorates of the bundle (35.73-38.72 E,
#: 34.86-36.91 N) with the border strip, Hatay and Kilis, and room below for the legend and
#: the coverage note, so they cover no area. plotly.js clips a ``geo`` map to
#: this box, fitted into the graph with its aspect kept, so the box has the overview panel's
#: aspect (586 x 440 px at a 1400 px wide window, in mercator). Mercator is fine at ~300 km.
LON_RANGE = (35.0, 39.4)
LAT_RANGE = (34.45, 37.1)
PROJECTION = "mercator"
#: ``geo`` base layers drawn from the topojson, all off (assets/topojson/ has an empty one).
_BASE_LAYERS = (
    "showcoastlines",
    "showland",
    "showocean",
    "showlakes",
    "showrivers",
    "showcountries",
    "showsubunits",
)

Figure = dict[str, Any]


@dataclass(frozen=True)
class MapContext:
    """URLs of the cached geometry and the few names needed to label the context layers."""

    geojson_url: str  # admin boundaries of the level shown
    turkey_url: str
    turkey: tuple[tuple[str, str], ...]  # (feature id, English name) of the Turkish provinces
    border_url: str
    border_name: str = "Turkey–Syria border"
    #: the border line's (lon, lat) with None between parts (see app.web.geo.border_lonlat);
    #: empty: only the legend entry is drawn
    border_lon: tuple[float | None, ...] = ()
    border_lat: tuple[float | None, ...] = ()


def _area_hover(name_en: str, name_ar: object, pcode: str) -> str:
    t = style.text  # names and codes come from files: escaped; the markup here is ours
    ar = f" · <span dir='rtl'>{t(name_ar)}</span>" if isinstance(name_ar, str) and name_ar else ""
    return f"<b>{t(name_en)}</b>{ar}<br>{t(pcode)}"


def _value_hover(mv: MapValues, row: dict) -> str:
    metric = mv.metric
    if metric.unit == "km":
        value = f"{fmt.number(row['value'], 1)} km"
    elif metric.unit == "score":
        value = fmt.number(row["value"], 1)
    else:
        value = fmt.figure_text(row["value"], row["qualifier"], row["low"], row["high"])
    t = style.text  # publisher, document, sector and notes come from files: escaped
    label = t(metric.label + (f" – {mv.sector}" if mv.sector else ""))
    lines = [f"{label}: <b>{t(value)}</b>", f"Source: {t(row['source'])}"]
    if row.get("n_periods", 1) > 1:  # counts of one document added up over the window
        lines.append(f"<i>{t(str(row['periods_note']).capitalize())} in the window</i>")
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


def _flat(colour: str) -> list[list]:
    return [[0, colour], [1, colour]]


def _choropleth(url: str, locations: list[str], z: list, **props: Any) -> dict:
    return {
        "type": "choropleth",
        "geojson": url,
        "featureidkey": "id",
        "locationmode": "geojson-id",
        "locations": locations,
        "z": z,
        **props,
    }


def choropleth_map(
    mv: MapValues, ctx: MapContext, selected: tuple[str, ...] = (), height: int | None = None
) -> Figure:
    """The map of ``mv`` (one level, one metric) with context layers from ``ctx``, as the
    ``{"data": [...], "layout": {...}}`` dict ``dcc.Graph(figure=...)`` takes."""
    names = {
        r["pcode"]: _area_hover(r["name_en"], r["name_ar"], r["pcode"])
        for r in mv.areas[["pcode", "name_en", "name_ar"]].to_dict("records")
    }
    rows = {r["pcode"]: r for r in mv.values.to_dict("records")} if not mv.values.empty else {}
    order = list(names)
    have = [p for p in order if p in rows]
    missing = [p for p in order if p not in rows]

    context = _choropleth(
        ctx.turkey_url,
        [t[0] for t in ctx.turkey],
        [0] * len(ctx.turkey),
        name="Turkey (approximate, context only)",
        colorscale=_flat(style.CONTEXT),
        showscale=False,
        marker={"line": {"color": style.CONTEXT_LINE, "width": 0.8}},
        hovertext=[
            f"<b>{style.text(n)}</b> (Turkey)<br>Province outline approximate: context only"
            for _, n in ctx.turkey
        ],
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=True,
        meta={"role": "context"},
    )
    no_data = _choropleth(
        ctx.geojson_url,
        missing,
        [0] * len(missing),
        name="No data",
        colorscale=_flat(style.NO_DATA),
        showscale=False,
        marker={"line": {"color": "#ffffff", "width": 0.6}},
        hovertext=[names[p] + "<br><i>no data</i>" for p in missing],
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=bool(missing),
        meta={"role": "no-data"},
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
    z = [float(rows[p]["value"]) for p in have]
    zrange: dict = {}
    if unit == "people" and mv.metric.id != "population":
        # counts start at zero: a small count must not look like none
        zrange = {"zmin": 0, "zmax": max(z or [1.0])}
    if unit == "score":
        colorbar.update(tickvals=[1, 2, 3, 4, 5, 6])
        zrange = {"zmin": 1, "zmax": 6}
    elif unit == "km":
        colorbar.update(ticksuffix=" km")
    else:
        colorbar.update(tickformat="~s")
    values = _choropleth(
        ctx.geojson_url,
        have,
        z,
        name=mv.metric.label,
        colorscale=scale,
        colorbar=colorbar,
        marker={"line": {"color": "#ffffff", "width": 0.8}},
        hovertext=[names[p] + "<br>" + _value_hover(mv, rows[p]) for p in have],
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
        meta={"role": "values"},
        **zrange,
    )
    outline = [p for p in selected if p in names]
    selection = _choropleth(
        ctx.geojson_url,
        outline,
        [1] * len(outline),
        name="Selected",
        colorscale=_flat("rgba(0,0,0,0)"),
        showscale=False,
        marker={"line": {"color": "#111111", "width": 2.5}},
        hoverinfo="skip",
        showlegend=False,
        meta={"role": "selected"},
    )
    border = {
        "type": "scattergeo",
        "name": style.text(ctx.border_name),
        "lon": list(ctx.border_lon) or [None],
        "lat": list(ctx.border_lat) or [None],
        "mode": "lines",
        "line": {"color": style.BORDER, "width": 2.5},
        "hoverinfo": "skip",
        "showlegend": True,
        "meta": {"role": "border"},
    }

    layout: dict = {
        "geo": {
            # no base map (coastlines, countries, land: from topojson), only a thin frame
            **dict.fromkeys(_BASE_LAYERS, False),
            "showframe": True,
            "framecolor": "#c5ccd3",
            "framewidth": 1,
            "projection": {"type": PROJECTION},
            "lonaxis": {"range": list(LON_RANGE)},
            "lataxis": {"range": list(LAT_RANGE)},
            "bgcolor": "#ffffff",
        },
        "dragmode": "pan",
        "margin": {"l": 0, "r": 64, "t": 0, "b": 0},
        "uirevision": "nw-syria-map",
        "clickmode": "event",
        "font": {"family": style.FONT, "color": style.TEXT},
        "paper_bgcolor": "#ffffff",
        "hoverlabel": {
            "bgcolor": "#ffffff",
            "bordercolor": "#9aa5b1",
            "font": {"family": style.FONT, "size": 12, "color": style.TEXT},
        },
        "legend": {
            "x": 0.01,
            "y": 0.02,
            "xanchor": "left",
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.85)",
            "font": {"size": 11},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        "annotations": [_coverage_annotation(mv)],
    }
    if height is not None:
        layout["height"] = height
    return {"data": [context, no_data, values, selection, border], "layout": layout}


def _trace_index(fig: Figure, role: str) -> int:
    return next(i for i, t in enumerate(fig["data"]) if t.get("meta", {}).get("role") == role)


def outline_locations(fig: Figure, selected: tuple[str, ...]) -> tuple[int, list[str]]:
    """Where the selected-area outline is in ``fig`` and which of ``selected`` it can draw
    (the areas of the level shown, with or without data), in the order given."""
    shown = {
        p
        for role in ("no-data", "values")
        for p in fig["data"][_trace_index(fig, role)]["locations"]
    }
    return _trace_index(fig, "selected"), [p for p in selected if p in shown]


def with_selection(fig: Figure, selected: tuple[str, ...]) -> Figure:
    """``fig`` with the outline of ``selected``: a new dict sharing every other trace, so a
    cached figure of the unselected map is never changed."""
    index, outline = outline_locations(fig, selected)
    data = list(fig["data"])
    data[index] = {**data[index], "locations": outline, "z": [1] * len(outline)}
    return {**fig, "data": data}


def _colorbar_title(mv: MapValues) -> str:
    if mv.metric.unit == "km":
        return "km to border"
    if mv.metric.unit == "score":
        return f"Severity<br>{style.text(mv.sector or '')}".strip()
    if mv.metric.id == "people_in_need":
        return f"People in need<br>{style.text(mv.sector or '')}"
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
        f"<b>{style.text(mv.metric.label + (' – ' + mv.sector if mv.sector else ''))}</b>",
        f"{mv.coverage_text()} ({LEVELS[mv.level][1]} in grey: no data)"
        if mv.n_with_data < mv.n_areas
        else mv.coverage_text(),
    ]
    lines += [f"<i>{_wrap(style.text(n))}</i>" for n in mv.notes]
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
