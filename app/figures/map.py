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

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from app import format as fmt
from app.figures import label_layout, style
from app.i18n import N_, _, current, ngettext, translate
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
#: The same towns in the Arabic interface where the gazetteer's Arabic name of the
#: sub-district is not the town's: Jebel Saman's centre is Aleppo city, Dana's main town is
#: Sarmada. The others are the gazetteer's name without "مركز" ("centre of"): the
#: sub-district named after its town (see :func:`town_name_ar`).
MAIN_TOWNS_AR: dict[str, str] = {
    "SY020000": "حلب",
    "SY070301": "الدانا (سرمدا)",
}
#: Arabic names of the Turkish provinces drawn as context (their usual Arabic exonyms; the
#: context file has English and Turkish names only), by the file's feature id.
TURKEY_AR: dict[str, str] = {
    "TUR001": "أضنة",
    "TUR002": "أديامان",
    "TUR027": "غازي عنتاب",
    "TUR031": "هاتاي",
    "TUR046": "كهرمان مرعش",
    "TUR047": "ماردين",
    "TUR063": "شانلي أورفة",
    "TUR073": "شرناق",
    "TUR079": "كلس",
    "TUR080": "عثمانية",
}
#: The prefix "centre of" that the gazetteer's Arabic names of the town sub-districts carry.
_CENTRE_AR = "مركز "
PROJECTION = "mercator"
#: Font size of the names drawn on the map, by kind of place, px.
LABEL_SIZES: dict[str, int] = {"governorate": 14, "district": 12, "subdistrict": 9, "town": 11}
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
    border_name: str = N_("Turkey–Syria border")
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
    #: where the name sits around the point (plotly ``textposition``): areas' names on
    #: their centroid, towns' around their dot where no other name is (:mod:`label_layout`)
    position: str = "middle center"


def local_name(name_en: object, name_ar: object) -> str:
    """The name a reader of the current interface knows: the gazetteer's Arabic name in the
    Arabic interface (the English one when the gazetteer has none), else the English.

    >>> local_name("Dana", "الدانا")
    'Dana'
    """
    if current().lang == "ar" and isinstance(name_ar, str) and name_ar.strip():
        return name_ar.strip()
    return str(name_en)


def town_name_ar(pcode: str, name_ar: object) -> str | None:
    """A main town's Arabic name: :data:`MAIN_TOWNS_AR`, else the gazetteer's Arabic name of
    the sub-district named after it without "مركز" (None when the gazetteer has none).

    >>> town_name_ar("SY070000", "مركز إدلب"), town_name_ar("SY020000", "مركز جبل سمعان")
    ('إدلب', 'حلب')
    """
    if pcode in MAIN_TOWNS_AR:
        return MAIN_TOWNS_AR[pcode]
    if not isinstance(name_ar, str) or not name_ar.strip():
        return None
    name = name_ar.strip()
    return name[len(_CENTRE_AR) :].strip() if name.startswith(_CENTRE_AR) else name


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
    a name already drawn (``taken``, the towns, or a larger sub-district), or when its name
    would meet one (:func:`label_box`). The others keep their name in the hover."""
    rows = areas[areas["level"] == 3]
    if "area_km2" not in rows.columns:
        return ()
    min_km2 = SUBDISTRICT_MIN_SHARE * frame_area_km2()
    rows = rows[rows["area_km2"].astype(float) >= min_km2].sort_values(
        ["area_km2", "pcode"], ascending=[False, True]
    )
    placed = [(lb.lon, lb.lat) for lb in taken]
    boxes = [label_box(lb) for lb in taken]
    out: list[PlaceLabel] = []
    for r in rows.itertuples():
        at = (float(r.centroid_lon), float(r.centroid_lat))
        if any(distance_km(at, other) < min_km for other in placed):
            continue
        label = PlaceLabel(local_name(r.name_en, _name_ar(r)), at[0], at[1], "subdistrict")
        box = label_box(label)
        if any(box.meets(other) for other in boxes):  # a town's name moved over it
            continue
        placed.append(at)
        boxes.append(box)
        out.append(label)
    return tuple(out)


def place_labels(areas: Any, level: int) -> tuple[PlaceLabel, ...]:
    """Names for the map at ``level`` from the areas table (names, centroids): the
    governorates at level 1, the districts at level 2, the sub-districts that fit at level 3
    (:func:`subdistrict_labels`), and the main towns (:data:`MAIN_TOWNS`) at every level.
    In the Arabic interface the names are the gazetteer's Arabic ones (:func:`local_name`,
    :func:`town_name_ar`), so a cache of labels must be keyed by the language."""
    out: list[PlaceLabel] = []
    kinds = {1: "governorate", 2: "district"}
    arabic = current().lang == "ar"
    if level in kinds:
        rows = areas[areas["level"] == level]
        out += [
            PlaceLabel(
                local_name(r.name_en, _name_ar(r)),
                float(r.centroid_lon),
                float(r.centroid_lat),
                kinds[level],
            )
            for r in rows.itertuples()
        ]
    towns = areas[areas["pcode"].isin(list(MAIN_TOWNS))]
    out += [
        PlaceLabel(
            (arabic and town_name_ar(r.pcode, _name_ar(r))) or MAIN_TOWNS[r.pcode],
            float(r.centroid_lon),
            float(r.centroid_lat),
            "town",
            "top center",
        )
        for r in towns.itertuples()
    ]
    out = _placed(out)
    if level == 3:
        out += subdistrict_labels(areas, taken=tuple(out))
    return tuple(out)


def _placed(labels: list[PlaceLabel]) -> list[PlaceLabel]:
    """``labels`` with each town's name moved around its dot where it would meet another
    name (:func:`label_layout.place`); areas' names stay on their centroids."""
    names = [
        label_layout.Name(
            lb.lon, lb.lat, lb.name, LABEL_SIZES[lb.kind], lb.position, lb.kind != "town"
        )
        for lb in labels
    ]
    positions = label_layout.place(names, label_layout.frame_box(LON_RANGE, LAT_RANGE))
    return [dataclasses.replace(lb, position=p) for lb, p in zip(labels, positions, strict=True)]


def label_box(label: PlaceLabel) -> label_layout.Box:
    """The box a name takes on the map at a desktop width (:mod:`label_layout`)."""
    return label_layout.text_box(
        label.lon, label.lat, label.name, LABEL_SIZES[label.kind], label.position
    )


def _name_ar(row: Any) -> object:
    """The Arabic name of an ``itertuples`` row (None when the table has no such column)."""
    return getattr(row, "name_ar", None)


def km_in_degrees_lon(km: float, lat: float) -> float:
    """How many degrees of longitude ``km`` spans at latitude ``lat`` (spherical Earth).

    >>> round(km_in_degrees_lon(25, 35.37), 4)
    0.2754
    """
    return km / (111.32 * math.cos(math.radians(lat)))


def _area_hover(name_en: str, name_ar: object, pcode: str) -> str:
    t = style.text  # names and codes come from files: escaped; the markup here is ours
    has_ar = isinstance(name_ar, str) and bool(name_ar)
    if current().lang == "ar" and has_ar:  # the Arabic name first; the English for reports
        return f"<b>{t(name_ar)}</b> · {t(fmt.isolate(name_en))}<br>{t(fmt.isolate(pcode))}"
    ar = f" · <span dir='rtl'>{t(name_ar)}</span>" if has_ar else ""
    return f"<b>{t(name_en)}</b>{ar}<br>{t(pcode)}"


def metric_title(mv: MapValues) -> str:
    """The metric (and sector) the map shows, in the interface's language."""
    label = translate(mv.metric.label)
    return label + (f" – {translate(mv.sector)}" if mv.sector else "")


def _value_hover(mv: MapValues, row: dict) -> str:
    metric = mv.metric
    if metric.unit == "km":
        value = _("{number} km").format(number=fmt.number(row["value"], 1))
    elif metric.unit == "score":
        value = fmt.number(row["value"], 1)
    else:
        value = fmt.figure_text(row["value"], row["qualifier"], row["low"], row["high"])
    t = style.text  # publisher, document, sector and notes come from files: escaped
    lines = [
        f"{t(metric_title(mv))}: <b>{t(value)}</b>",
        t(_("Source: {source}").format(source=row["source"])),
    ]
    n_periods = int(row.get("n_periods", 1) or 1)
    if n_periods > 1:  # counts of one document added up over the window
        length = periods_length(str(row.get("periods_note") or ""))
        lines.append(f"<i>{t(periods_sentence(n_periods, length))}</i>")
    if row.get("summed"):
        n_parts, n_expected = int(row["n_parts"]), int(row["n_expected"])
        note = (
            ngettext(
                "Partial: sum for {n} of {total} place inside (the others not reported)",
                "Partial: sum for {n} of {total} places inside (the others not reported)",
                n_expected,
            ).format(n=fmt.number(n_parts), total=fmt.number(n_expected))
            if row["partial"]
            else ngettext(
                "Sum for the {n} place inside", "Sum for all {n} places inside", n_parts
            ).format(n=fmt.number(n_parts))
        )
        lines.append(f"<i>{t(note)}</i>")
    if row["n_other"]:
        n_other = int(row["n_other"])
        other = ngettext(
            "+{n} other figure for this area: see the chart",
            "+{n} other figures for this area: see the chart",
            n_other,
        ).format(n=fmt.number(n_other))
        lines.append(f"<i>{t(other)}</i>")
    return "<br>".join(lines)


def periods_length(note: str) -> str:
    """ "weekly" from map_values' English data note "sum of 5 weekly counts" ("" for none).

    >>> periods_length("sum of 5 weekly counts"), periods_length("sum of 2 counts")
    ('weekly', '')
    """
    words = note.split()
    return next((w for w in ("weekly", "monthly", "daily") if w in words), "")


def periods_sentence(n: int, length: str) -> str:
    """ "Sum of 5 weekly counts in the window": the hover of a value added up over a window
    (``length``: :func:`periods_length`)."""
    if length == "weekly":
        text = ngettext(
            "Sum of {n} weekly count in the window", "Sum of {n} weekly counts in the window", n
        )
    elif length == "monthly":
        text = ngettext(
            "Sum of {n} monthly count in the window", "Sum of {n} monthly counts in the window", n
        )
    elif length == "daily":
        text = ngettext(
            "Sum of {n} daily count in the window", "Sum of {n} daily counts in the window", n
        )
    else:
        text = ngettext("Sum of {n} count in the window", "Sum of {n} counts in the window", n)
    return text.format(n=fmt.number(n))


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
    rtl = current().rtl
    order = list(names)
    have = [p for p in order if p in rows]
    missing = [p for p in order if p not in rows]

    context = _choropleth(
        ctx.turkey_url,
        [t[0] for t in ctx.turkey],
        [0] * len(ctx.turkey),
        name=_("Turkey (approximate, context only)"),
        colorscale=_flat(style.CONTEXT),
        showscale=False,
        marker={"line": {"color": style.CONTEXT_LINE, "width": 0.8}},
        hovertext=[_turkey_hover(fid, n) for fid, n in ctx.turkey],
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=True,
        meta={"role": "context"},
    )
    no_data = _choropleth(
        ctx.geojson_url,
        missing,
        [0] * len(missing),
        name=_("No data"),
        colorscale=_flat(style.NO_DATA),
        showscale=False,
        marker={"line": {"color": "#ffffff", "width": 0.6}},
        hovertext=[names[p] + "<br><i>" + style.text(_("no data")) + "</i>" for p in missing],
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
        # above the bar in Arabic, whose tick labels are full numbers ("150,000"): beside
        # them the title needs a wider margin than the map can spare on a phone
        "title": {
            "text": _colorbar_title(mv),
            "side": "top" if rtl else "right",
            "font": {"size": 11},
        },
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
        colorbar.update(ticksuffix=" " + _("km"))
    else:
        colorbar.update(tickformat=fmt.axis_number_format())  # SI letters only in English
    values = _choropleth(
        ctx.geojson_url,
        have,
        z,
        name=style.text(metric_title(mv)),
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
        name=_("Selected"),
        colorscale=_flat("rgba(0,0,0,0)"),
        showscale=False,
        marker={"line": {"color": "#111111", "width": 2.5}},
        hoverinfo="skip",
        showlegend=False,
        meta={"role": "selected"},
    )
    border = {
        "type": "scattergeo",
        "name": style.text(translate(ctx.border_name)),
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
            **({"align": "right"} if rtl else {}),
        },
        # below the map, never over it: plotly.js makes room for it (the map shrinks); on
        # the right in the Arabic interface, where a reader of Arabic starts, its first
        # entry rightmost
        "legend": {
            "orientation": "h",
            "x": 1 if rtl else 0,
            "y": 0,
            "xanchor": "right" if rtl else "left",
            **({"traceorder": "reversed"} if rtl else {}),
            "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0)",
            "font": {"size": 11},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        # the coverage note, for the page to print below the graph (no annotation on the map)
        "meta": {
            "coverage": coverage_lines(mv),
            "n_with_data": mv.n_with_data,
            # for phones, where the graph is fitted to the map (assets/phone_map.js)
            "home_aspect": round(home_aspect(), 4),
        },
    }
    if height is not None:
        layout["height"] = height
    data = [context, no_data, values, selection, border, *labels, scale]
    return {"data": data, "layout": layout}


def home_aspect() -> float:
    """Height over width of the opening frame as drawn (``LON_RANGE`` x ``LAT_RANGE`` in
    the mercator projection plotly.js fits into the plot area): 0.763. A phone's graph is
    made this shape (plus the legend's margin), so the map fills it with no white band."""
    north, south = (math.log(math.tan(math.pi / 4 + math.radians(v) / 2)) for v in LAT_RANGE[::-1])
    return (north - south) / math.radians(LON_RANGE[1] - LON_RANGE[0])


def _label_traces(labels: tuple[PlaceLabel, ...]) -> list[dict]:
    """One text trace per kind of place, larger for larger areas; not in the legend."""
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
                "textposition": [lb.position for lb in of_kind],
                "textfont": {
                    "size": LABEL_SIZES[kind],
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
        "name": _("Scale"),
        "lon": [lon0, lon0, lon1, lon1],
        "lat": [lat + 0.012, lat, lat, lat + 0.012],
        "mode": "lines+text",
        "line": {"color": "#1f2933", "width": 2},
        "hoverinfo": "skip",
        "showlegend": False,
        "meta": {"role": "scale"},
        # the label rides on the bar's last point
        "text": ["", "", "", _("{number} km").format(number=fmt.number(SCALE_KM))],
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
    sector = style.text(translate(mv.sector)) if mv.sector else ""
    if mv.metric.unit == "km":
        return style.text(_("km to border"))
    if mv.metric.unit == "score":
        return (style.text(_("Severity")) + "<br>" + sector).strip()
    if mv.metric.id == "people_in_need":
        return style.text(_("People in need")) + "<br>" + sector
    if mv.metric.id == "population":
        return style.text(_("Population"))
    return style.text(_("People"))


def _turkey_hover(feature_id: str, name_en: str) -> str:
    """A Turkish province's hover: its name (Arabic in the Arabic interface) and that its
    outline is context only."""
    t = style.text
    name = TURKEY_AR.get(feature_id, name_en) if current().lang == "ar" else name_en
    return (
        t(_("{province} (Turkey)").format(province=name))
        + "<br>"
        + t(_("Province outline approximate: context only"))
    )


def coverage_lines(mv: MapValues) -> list[str]:
    """What is shown and how much of the map it covers (sparse must look sparse), as plain
    text lines for the page to show below the map (never over it)."""
    lines = [
        metric_title(mv),
        _("{coverage} ({no_data})").format(coverage=mv.coverage_text(), no_data=mv.no_data_text())
        if mv.n_with_data < mv.n_areas
        else mv.coverage_text(),
    ]
    return lines + [str(n) for n in mv.notes]
