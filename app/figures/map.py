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
value ("no data", grey), areas with a value (coloured), the selected areas (outline), the
border line (legend entry), place names (governorates, districts or the sub-districts that
fit, and the main towns, as ``scattergeo`` text: no tiles, no fonts from anywhere) and a
scale bar.

Performance: the figure is built as plain dicts (a ``go.Figure`` validates every property,
about 20-40 ms for this map); ``tests/unit/test_figures_map.py`` validates the output
against the Plotly schema instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from app import format as fmt
from app.figures import style
from app.queries.catalogue import LEVELS
from app.queries.map_values import MapValues

#: The map's opening frame (lon, lat): the Idleb / western Aleppo belt of the offensive and
#: of arrival (Kafr Nobol and Ma'arrat an-Nu'man in the south to A'zaz and the border in the
#: north, Jisr ash-Shughur to Aleppo city), at about the overview panel's aspect (586 x 440
#: px at a 1400 px window, in mercator). The rest of the four governorates is a pan or a
#: zoom away (the whole map is drawn). The legend sits below the map and the coverage
#: note below the graph (components/map_view.py), so neither covers an area.
LON_RANGE = (35.85, 38.2)
LAT_RANGE = (35.3, 36.75)
#: The whole of the bundle's four governorates (35.73-38.72 E, 34.86-36.91 N), for tests
#: and for a reader who zooms out.
FULL_LON_RANGE = (35.0, 39.4)
FULL_LAT_RANGE = (34.45, 37.1)
#: Scale bar: its length and where it starts (the south-west corner of the opening frame).
SCALE_KM = 25
SCALE_START = (35.95, 35.37)
#: Main towns of the offensive and of arrival, labelled at the centroid of the sub-district
#: named after each (the gazetteer has no town points): P-code -> label.
MAIN_TOWNS: dict[str, str] = {
    "SY070200": "Ma'arrat an-Nu'man",
    "SY070203": "Kafr Nobol",
    "SY070003": "Saraqab",
    "SY070500": "Ariha",
    "SY070000": "Idleb",
    "SY070400": "Jisr ash-Shughur",
    "SY020001": "Atareb",
    "SY070301": "Dana (Sarmada)",
    "SY070302": "Salqin",
    "SY070300": "Harim",
    "SY020300": "Afrin",
    "SY020400": "A'zaz",
    "SY020200": "Al-Bab",
    "SY020000": "Aleppo",
}
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
    #: place names drawn on the map (:func:`place_labels`)
    labels: tuple[PlaceLabel, ...] = ()


@dataclass(frozen=True)
class PlaceLabel:
    """A name drawn on the map, offline (scattergeo text): an area's or a main town's."""

    name: str
    lon: float
    lat: float
    kind: str  # "governorate", "district", "subdistrict", "town"


#: Sub-district names are drawn only where they fit: at least this share of the opening
#: frame's area (about 34,000 km2: 0.7 % is about 240 km2, a box of some 15 x 15 km, room
#: for a short name in a small font at the opening zoom) ...
SUBDISTRICT_MIN_SHARE = 0.007
#: ... and with their centroid at least this far from every other name drawn (the towns',
#: and the larger sub-districts' placed before), so no two names overlap at the opening zoom
#: (0.36 km a pixel at a 586 px wide map: 14 km is about 39 px, a name's half width).
LABEL_MIN_KM = 14.0


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (lon, lat) points, equirectangular: good to a few per cent at the
    scale of north-west Syria, which is all a label's spacing needs.

    >>> round(distance_km((36.0, 36.0), (36.0, 36.1)), 2)
    11.13
    """
    mean_lat = math.radians((a[1] + b[1]) / 2)
    dx = (a[0] - b[0]) * math.cos(mean_lat)
    dy = a[1] - b[1]
    return 111.32 * math.hypot(dx, dy)


def frame_area_km2(
    lon: tuple[float, float] = LON_RANGE, lat: tuple[float, float] = LAT_RANGE
) -> float:
    """The area on the ground of a lon/lat frame (the opening one by default)."""
    mid = (lat[0] + lat[1]) / 2
    width = distance_km((lon[0], mid), (lon[1], mid))
    height = distance_km((lon[0], lat[0]), (lon[0], lat[1]))
    return width * height


def subdistrict_labels(
    areas: Any, taken: tuple[PlaceLabel, ...] = (), min_km: float = LABEL_MIN_KM
) -> tuple[PlaceLabel, ...]:
    """Sub-district names where they fit: the large ones (:data:`SUBDISTRICT_MIN_SHARE` of
    the opening frame), largest first, each skipped when its centroid is within ``min_km`` of
    a name already drawn (``taken``, the towns, or a larger sub-district). The others keep
    their name in the hover."""
    rows = areas[areas["level"] == 3]
    if "area_km2" not in rows.columns:
        return ()
    min_km2 = SUBDISTRICT_MIN_SHARE * frame_area_km2()
    rows = rows[rows["area_km2"].astype(float) >= min_km2].sort_values(
        ["area_km2", "pcode"], ascending=[False, True]
    )
    placed = [(lb.lon, lb.lat) for lb in taken]
    out: list[PlaceLabel] = []
    for r in rows.itertuples():
        at = (float(r.centroid_lon), float(r.centroid_lat))
        if any(distance_km(at, other) < min_km for other in placed):
            continue
        placed.append(at)
        out.append(PlaceLabel(str(r.name_en), at[0], at[1], "subdistrict"))
    return tuple(out)


def place_labels(areas: Any, level: int) -> tuple[PlaceLabel, ...]:
    """Names for the map at ``level`` from the areas table (name_en, centroids): the
    governorates at level 1, the districts at level 2, the sub-districts that fit at level 3
    (:func:`subdistrict_labels`), and the main towns (:data:`MAIN_TOWNS`) at every level."""
    out: list[PlaceLabel] = []
    kinds = {1: "governorate", 2: "district"}
    if level in kinds:
        rows = areas[areas["level"] == level]
        out += [
            PlaceLabel(str(r.name_en), float(r.centroid_lon), float(r.centroid_lat), kinds[level])
            for r in rows.itertuples()
        ]
    towns = areas[areas["pcode"].isin(list(MAIN_TOWNS))]
    out += [
        PlaceLabel(MAIN_TOWNS[r.pcode], float(r.centroid_lon), float(r.centroid_lat), "town")
        for r in towns.itertuples()
    ]
    if level == 3:
        out += subdistrict_labels(areas, taken=tuple(out))
    return tuple(out)


def km_in_degrees_lon(km: float, lat: float) -> float:
    """How many degrees of longitude ``km`` spans at latitude ``lat`` (spherical Earth).

    >>> round(km_in_degrees_lon(25, 35.37), 4)
    0.2754
    """
    return km / (111.32 * math.cos(math.radians(lat)))


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
    labels = _label_traces(ctx.labels)
    scale = _scale_bar()

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
        "margin": {"l": 0, "r": 64, "t": 0, "b": 4},
        "uirevision": "nw-syria-map",
        "clickmode": "event",
        "font": {"family": style.FONT, "color": style.TEXT},
        "paper_bgcolor": "#ffffff",
        "hoverlabel": {
            "bgcolor": "#ffffff",
            "bordercolor": "#9aa5b1",
            "font": {"family": style.FONT, "size": 12, "color": style.TEXT},
        },
        # below the map, never over it: plotly.js makes room for it (the map shrinks)
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": 0,
            "xanchor": "left",
            "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0)",
            "font": {"size": 11},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        # the coverage note, for the page to print below the graph (no annotation on the map)
        "meta": {"coverage": coverage_lines(mv), "n_with_data": mv.n_with_data},
    }
    if height is not None:
        layout["height"] = height
    data = [context, no_data, values, selection, border, *labels, scale]
    return {"data": data, "layout": layout}


def _label_traces(labels: tuple[PlaceLabel, ...]) -> list[dict]:
    """One text trace per kind of place, larger for larger areas; not in the legend."""
    sizes = {"governorate": 14, "district": 12, "subdistrict": 9, "town": 11}
    out = []
    for kind in ("governorate", "district", "subdistrict", "town"):
        of_kind = [lb for lb in labels if lb.kind == kind]
        if not of_kind:
            continue
        out.append(
            {
                "type": "scattergeo",
                "name": f"{kind} names",
                "lon": [lb.lon for lb in of_kind],
                "lat": [lb.lat for lb in of_kind],
                "text": [style.text(lb.name) for lb in of_kind],
                "mode": "text+markers" if kind == "town" else "text",
                "marker": {"size": 4, "color": "#1f2933"},
                "textposition": "top center" if kind == "town" else "middle center",
                "textfont": {
                    "size": sizes[kind],
                    "color": {"town": "#1f2933", "subdistrict": "#52606d"}.get(kind, "#3e4c59"),
                    "family": style.FONT,
                },
                "hoverinfo": "skip",
                "showlegend": False,
                "meta": {"role": f"labels-{kind}"},
            }
        )
    return out


def _scale_bar() -> dict:
    """A bar of :data:`SCALE_KM` km on the ground: drawn in lon/lat, so it stays true when
    the map is zoomed (it zooms with it)."""
    lon0, lat = SCALE_START
    lon1 = lon0 + km_in_degrees_lon(SCALE_KM, lat)
    return {
        "type": "scattergeo",
        "name": "scale",
        "lon": [lon0, lon0, lon1, lon1],
        "lat": [lat + 0.012, lat, lat, lat + 0.012],
        "mode": "lines+text",
        "line": {"color": "#1f2933", "width": 2},
        "hoverinfo": "skip",
        "showlegend": False,
        "meta": {"role": "scale"},
        "text": ["", "", "", f"{SCALE_KM} km"],  # the label rides on the bar's last point
        "textposition": "middle right",
        "textfont": {"size": 11, "color": "#1f2933", "family": style.FONT},
    }


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


def coverage_lines(mv: MapValues) -> list[str]:
    """What is shown and how much of the map it covers (sparse must look sparse), as plain
    text lines for the page to show below the map (never over it)."""
    lines = [
        mv.metric.label + (" – " + mv.sector if mv.sector else ""),
        f"{mv.coverage_text()} ({LEVELS[mv.level][1]} in grey: no data)"
        if mv.n_with_data < mv.n_areas
        else mv.coverage_text(),
    ]
    return lines + [str(n) for n in mv.notes]
