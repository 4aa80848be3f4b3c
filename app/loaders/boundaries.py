"""Boundary files (GeoJSON, Shapefile or a zip holding one, GeoPackage) -> an areas table.

Boundaries come from OCHA's COD-AB and its many re-exports, so the same fields appear under
several names (``ADM3_PCODE``, ``admin3Pcode``, the shapefile-truncated ``Admin3_Pco``);
:func:`find_field` recognises them. Real files also carry faults the loader repairs and
reports instead of refusing the file: invalid rings (repaired with ``shapely.make_valid``, a
warning per feature) and a P-code split over several features (merged, a warning per
P-code). The OCHA HNO 2019 microsite files are the reference case: 278 features, 9 invalid,
3 P-codes in pieces, and sector people-in-need and severity fields that are mapped to sector
names through :data:`~app.loaders.hno_fields.HNO_SECTOR_FIELDS`.

Rows are features: ``Problem.row`` is the 1-based feature number in the file.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from app.loaders.context import LoadContext
from app.loaders.hno_fields import HNO_SECTOR_FIELDS, MICROSITE_ADMIN_FIELDS
from app.loaders.report import LoadResult
from app.loaders.source import Source

PCODE_RE = re.compile(r"^SY(\d{2}(\d{2}(\d{2})?)?)?$")
POLYGONAL = {"Polygon", "MultiPolygon"}
#: Field names recognised (compared lower-case, "_" removed), per admin level.
PCODE_FIELD = {lv: re.compile(rf"^adm(in)?{lv}(pcode|pcod|pco)$") for lv in (1, 2, 3)}
NAME_FIELD = {
    (lv, lang): re.compile(rf"^adm(in)?{lv}(name|refname)?{lang}$")
    for lv in (1, 2, 3)
    for lang in ("en", "ar")
}
#: Field names a user is told about when no P-code field is found.
KNOWN_PCODE_FIELDS = (
    "ADM3_PCODE",
    "ADM2_PCODE",
    "ADM1_PCODE",
    "admin3Pcode",
    "admin2Pcode",
    "admin1Pcode",
    "Admin3_Pco",
    "pcode",
)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def find_field(names: Iterable[str], pattern: re.Pattern[str]) -> str | None:
    """The first field whose simplified name matches ``pattern``.

    >>> find_field(["OBJECTID", "admin3Pcode"], PCODE_FIELD[3])
    'admin3Pcode'
    >>> find_field(["ADM3_PCODE", "ADM2_PCODE"], PCODE_FIELD[2])
    'ADM2_PCODE'
    >>> find_field(["admin3Name_ar", "ADM3_EN"], NAME_FIELD[3, "en"])
    'ADM3_EN'
    """
    return next((n for n in names if pattern.match(_key(n))), None)


def _read(source: Source, kind: str):
    import geopandas as gpd

    if kind == "geojson":
        data = source.data.removeprefix(b"\xef\xbb\xbf")
        return gpd.read_file(io.BytesIO(data), engine="pyogrio", on_invalid="warn")
    if kind == "shapefile-zip":
        return _read_zipped_shapefile(source.data)
    if kind == "geopackage":
        import pyogrio

        layers = pyogrio.list_layers(source.path)
        polygonal = [name for name, geom in layers if geom and "Polygon" in str(geom)]
        layer = polygonal[0] if polygonal else (layers[0][0] if len(layers) else None)
        return gpd.read_file(source.path, layer=layer, engine="pyogrio", on_invalid="warn")
    return gpd.read_file(source.path, engine="pyogrio", on_invalid="warn")


def _read_zipped_shapefile(data: bytes):
    """The first Shapefile in a zip, extracted with its sibling files to a temporary folder.

    GDAL's ``/vsizip/`` wants a ``.zip`` name, and downloads are often saved as something
    else; only the members sharing the ``.shp`` stem are written, under safe names.
    """
    import geopandas as gpd

    with zipfile.ZipFile(io.BytesIO(data)) as z, tempfile.TemporaryDirectory() as folder:
        shp = next(n for n in z.namelist() if n.lower().endswith(".shp"))
        stem = shp[:-4]
        for name in z.namelist():
            if name.rsplit(".", 1)[0] == stem and "." in name:
                target = Path(folder) / ("layer." + name.rsplit(".", 1)[1].lower())
                target.write_bytes(z.read(name))
        return gpd.read_file(Path(folder) / "layer.shp", engine="pyogrio", on_invalid="warn")


def _geojson_problem(data: bytes) -> tuple[str, str] | None:
    """Why the bytes are not GeoJSON (found, expected), or None when they look like it."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return f"byte {exc.start} is not UTF-8", "expected GeoJSON text in UTF-8 (RFC 7946)"
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc})", "expected a GeoJSON FeatureCollection"
    kind = doc.get("type") if isinstance(doc, dict) else None
    if kind not in ("FeatureCollection", "Feature"):
        if not isinstance(doc, dict):
            found = "a JSON array or value"
        elif kind is None:
            found = 'JSON with no "type" member'
        else:
            found = f"JSON whose type is {kind!r}"
        return found, 'expected a GeoJSON object with "type": "FeatureCollection" or "Feature"'
    return None


def load_boundaries(source: Source, result: LoadResult, ctx: LoadContext, kind: str) -> None:
    """Read ``source`` (``kind``: geojson, shapefile, shapefile-zip, geopackage) into ``result``."""
    result.table_name = "areas"
    if kind == "geojson" and (why := _geojson_problem(source.data)):
        result.add(0, "", *why)
        return
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            gdf = _read(source, kind)
    except Exception as exc:  # GDAL raises many types; each becomes a report line
        message = re.sub(r"/vsi\w+/\S+?(?=['\s]|$)", source.path.name, str(exc))
        result.add(
            0,
            "",
            f"cannot be read as {kind} ({type(exc).__name__}: {message})",
            "expected a readable GeoJSON, Shapefile (with .shx, .dbf, .prj) or GeoPackage",
        )
        return
    for message in dict.fromkeys(str(w.message).split(". To avoid")[0] for w in caught):
        result.add(
            0, "", f"the reader warns: {message}", "expected a file GDAL reads cleanly", "warning"
        )
    result.table = build_areas(gdf, result, ctx)


def build_areas(gdf, result: LoadResult, ctx: LoadContext):
    """An areas GeoDataFrame from features; every feature accepted, rejected or unmatched."""
    import geopandas as gpd

    from app.bundle import geo

    result.rows_read += len(gdf)
    gdf = gdf.rename(columns={k: v for k, v in MICROSITE_ADMIN_FIELDS.items() if k in gdf})
    fields = [c for c in gdf.columns if c != "geometry"]
    level, pcode_field = next(
        ((lv, f) for lv in (3, 2, 1) if (f := find_field(fields, PCODE_FIELD[lv]))), (None, None)
    )
    if pcode_field is None and "pcode" in {f.lower() for f in fields}:
        pcode_field = next(f for f in fields if f.lower() == "pcode")
    if pcode_field is None:
        result.rejected += len(gdf)
        result.add(
            0,
            "",
            f"no P-code field among the properties {', '.join(fields) or '(none)'}",
            f"expected a P-code field such as {', '.join(KNOWN_PCODE_FIELDS)}",
        )
        return None
    if gdf.crs is None:
        result.add(
            0,
            "",
            "no coordinate reference system given",
            "expected a CRS (.prj); EPSG:4326 longitude/latitude assumed",
            "warning",
        )
        gdf = gdf.set_crs("EPSG:4326")
    if gdf.crs.to_epsg() != 4326:
        with warnings.catch_warnings():  # points outside the CRS's area become inf: checked below
            warnings.simplefilter("ignore", RuntimeWarning)
            gdf = gdf.to_crs("EPSG:4326")

    keep: list[int] = []
    pcodes: list[str] = []
    geoms = list(gdf.geometry)
    for i, (pcode_value, geom) in enumerate(zip(gdf[pcode_field], geoms, strict=True)):
        row = i + 1
        pcode = (
            "" if pcode_value is None or pd.isna(pcode_value) else str(pcode_value).strip().upper()
        )
        if not geom_problem(row, pcode, geom, result) and not pcode_problem(
            row, pcode, pcode_field, ctx, result
        ):
            if not geom.is_valid:
                geom = geoms[i] = repaired(row, pcode, geom, result)
            if geom is not None:
                result.accepted += 1
                keep.append(i)
                pcodes.append(pcode)
    gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))
    features = gdf.iloc[keep].copy()
    features["pcode"] = pd.Series(pcodes, index=features.index, dtype="str")
    features["feature"] = [i + 1 for i in keep]
    features = _merge_parts(features, result)
    return _areas(features, fields, level, ctx, geo)


def geom_problem(row: int, pcode: str, geom, result: LoadResult) -> bool:
    """Report (and count as rejected) a feature whose geometry is missing, not a polygon or
    not in longitude/latitude; True when there was a problem."""
    import numpy as np

    what = f"feature {row} ({pcode or 'no P-code'})"
    if geom is None or geom.is_empty:
        found = f"{what} has no geometry"
    elif geom.geom_type not in POLYGONAL:
        found = f"{what} is a {geom.geom_type}"
    else:
        west, south, east, north = geom.bounds
        if (
            np.isfinite(geom.bounds).all()
            and -180 <= west <= east <= 180
            and -90 <= south <= north <= 90
        ):
            return False
        result.rejected += 1
        result.add(
            row,
            "geometry",
            f"{what} has coordinates outside longitude/latitude "
            f"({west:.6g}, {south:.6g}, {east:.6g}, {north:.6g})",
            "expected longitudes -180 to 180 and latitudes -90 to 90, or a CRS that says "
            "how to convert them",
        )
        return True
    result.rejected += 1
    result.add(row, "geometry", found, "expected a Polygon or MultiPolygon")
    return True


def pcode_problem(row: int, pcode: str, field: str, ctx: LoadContext, result: LoadResult) -> bool:
    """Report a malformed P-code (rejected) or one the gazetteer lacks (unmatched)."""
    if not PCODE_RE.match(pcode):
        result.rejected += 1
        result.add(
            row,
            field,
            f"{pcode!r}" if pcode else "empty",
            "expected a Syrian P-code such as SY07, SY0705 or SY070500",
        )
        return True
    if pcode not in ctx.known_pcodes:
        result.unmatched += 1
        result.add(
            row,
            field,
            f"P-code {pcode!r} is not in the gazetteer",
            "expected a P-code of the gazetteer",
            "unmatched",
        )
        return True
    return False


def repaired(row: int, pcode: str, geom, result: LoadResult):
    """``make_valid``'s polygon, with a warning; None (rejected) when nothing polygonal is left."""
    import shapely
    from shapely.validation import explain_validity

    reason = explain_validity(geom)
    fixed = _polygonal(shapely.make_valid(geom))
    if fixed.is_empty or fixed.geom_type not in POLYGONAL:
        result.rejected += 1
        result.add(
            row,
            "geometry",
            f"feature {row} ({pcode}): invalid geometry ({reason})",
            "expected valid rings; shapely.make_valid leaves no polygon to keep",
        )
        return None
    result.add(
        row,
        "geometry",
        f"feature {row} ({pcode}): invalid geometry ({reason})",
        "expected valid rings; repaired with shapely.make_valid, check the shape",
        "warning",
    )
    return fixed


def _polygonal(geom):
    """The polygon part of what ``make_valid`` returns (it may add stray lines or points)."""
    import shapely

    if geom.geom_type in POLYGONAL:
        return geom
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in POLYGONAL]
    return shapely.union_all(parts) if parts else geom


def _merge_parts(features, result: LoadResult):
    """One row per P-code: parts unioned, attributes of the first part, a warning per merge."""
    import shapely

    counts = features["pcode"].value_counts()
    split = counts[counts > 1]
    if split.empty:
        return features.reset_index(drop=True)
    geometry = features.geometry.name
    merged = features.drop_duplicates("pcode", keep="first").set_index("pcode")
    for pcode, n in split.items():
        parts = features[features["pcode"] == pcode]
        numbers = ", ".join(map(str, parts["feature"]))
        merged.loc[pcode, geometry] = shapely.union_all(list(parts.geometry))
        result.add(
            int(parts["feature"].iloc[0]),
            "geometry",
            f"P-code {pcode} is split into {n} parts (features {numbers})",
            "expected one feature per P-code; the parts were merged into one area",
            "warning",
        )
    return merged.reset_index().set_geometry(geometry)


def _areas(features, fields: list[str], level: int | None, ctx: LoadContext, geo):
    import geopandas as gpd

    gaz = ctx.gazetteer.set_index("pcode") if "pcode" in ctx.gazetteer else pd.DataFrame()
    pcode = features["pcode"]
    lengths = pcode.str.len()

    def gazetteer_column(name: str) -> pd.Series:
        if name in gaz:
            return pcode.map(gaz[name]).replace({"": None})
        return pd.Series(None, index=features.index, dtype=object)

    def names(lang: str) -> pd.Series:
        field = find_field(fields, NAME_FIELD[level, lang]) if level else None
        field = field or next((f for f in fields if f.lower() == f"name_{lang}"), None)
        fallback = gazetteer_column(f"name_{lang}")
        if field is None:
            return fallback
        written = features[field].astype(object).where(features[field].notna(), None)
        written = written.map(lambda v: str(v).strip() if v is not None else None).replace(
            {"": None}
        )
        return written.fillna(fallback)

    projected = features.to_crs(geo.METRIC_CRS).centroid.to_crs("EPSG:4326")
    out = pd.DataFrame(
        {
            "pcode": pcode,
            "level": (lengths // 2 - 1).astype(int),
            "name_en": names("en"),
            "name_ar": names("ar"),
            "parent_pcode": pcode.map(
                lambda p: p[:-2] if len(p) > 4 else "SY" if len(p) == 4 else None
            ),
            "adm1_pcode": pcode.str[:4].where(lengths >= 4, None),
            "adm2_pcode": pcode.str[:6].where(lengths >= 6, None),
            "adm3_pcode": pcode.where(lengths == 8, None),
            "centroid_lat": projected.y.round(5).to_numpy(),
            "centroid_lon": projected.x.round(5).to_numpy(),
            "area_km2": geo.area_km2(features),
        }
    )
    for sector, (pin_field, severity_field) in HNO_SECTOR_FIELDS.items():
        for prefix, field in (("people_in_need", pin_field), ("severity", severity_field)):
            if field in features:
                out[f"{prefix}_{sector}"] = pd.to_numeric(features[field], errors="coerce")
    out = gpd.GeoDataFrame(out, geometry=features.geometry.to_numpy(), crs="EPSG:4326")
    return out.sort_values("pcode").reset_index(drop=True)
