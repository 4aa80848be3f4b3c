"""Boundary files -> areas: the raw OCHA HNO microsite files, COD-AB field names, repairs, merges.

Shapefiles and GeoPackages are written in the tests from made-up squares (publisher-free
geometry with real P-codes), so no binary fixture hides what it holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from app.loaders import load

MERGED = {"SY110201": 3, "SY020601": 3, "SY020502": 3}


@pytest.fixture(scope="module", params=["en", "ar"])
def hno(request, microsite: Path, ctx):
    return load(microsite / f"hno_2019_{request.param}.json", ctx)


def test_hno_microsite_counts(hno) -> None:
    assert (hno.format, hno.table_name) == ("geojson", "areas")
    assert (hno.rows_read, hno.accepted, hno.rejected, hno.unmatched) == (278, 278, 0, 0)
    assert len(hno.table) == hno.table["pcode"].nunique() == 272
    assert hno.table.geometry.is_valid.all()
    assert hno.table.crs.to_epsg() == 4326


def test_hno_microsite_repairs_and_merges_are_reported(hno) -> None:
    repairs = [p for p in hno.problems if "invalid geometry" in p.found]
    assert [p.row for p in repairs] == [13, 41, 42, 65, 69, 192, 193, 211, 258]
    assert all(p.severity == "warning" for p in hno.problems)
    merges = {p.found.split()[1]: p.found for p in hno.problems if "is split into" in p.found}
    assert merges == {
        pcode: f"P-code {pcode} is split into {n} parts (features {features})"
        for (pcode, n), features in zip(
            MERGED.items(), ["47, 273, 276", "126, 275, 278", "131, 274, 277"], strict=True
        )
    }
    assert hno.warnings == 12


def test_hno_microsite_fields_are_mapped(hno) -> None:
    dana = hno.table.set_index("pcode").loc["SY070301"]
    assert (dana["level"], dana["parent_pcode"], dana["adm1_pcode"], dana["adm2_pcode"]) == (
        3,
        "SY0703",
        "SY07",
        "SY0703",
    )
    assert dana["name_en"] == "Dana" and dana["name_ar"]
    assert 36.1 < dana["centroid_lat"] < 36.4 and 36.6 < dana["centroid_lon"] < 36.9
    assert 150 < dana["area_km2"] < 300
    sectors = [c for c in hno.table.columns if c.startswith(("people_in_need_", "severity_"))]
    assert (
        len(sectors) == 20 and "people_in_need_CCCM" in sectors and "severity_Protection" in sectors
    )


def test_codab_fields_split_and_bowtie(load_fixture, lines) -> None:
    result = load_fixture("madeup_adm3_codab_fields_split_and_bowtie.geojson")
    assert lines(result) == [
        "2:geometry: [warning] P-code SY070302 is split into 2 parts (features 2, 4); expected one "
        "feature per P-code; the parts were merged into one area",
        "3:geometry: [warning] feature 3 (SY070305): invalid geometry (Self-intersection[36.5 "
        "36.02]); expected valid rings; repaired with shapely.make_valid, check the shape",
    ]
    table = result.table.set_index("pcode")
    assert table.index.tolist() == ["SY070301", "SY070302", "SY070305"]
    assert table.loc["SY070302", "geometry"].geom_type == "MultiPolygon"
    assert table.loc["SY070305", "name_ar"] == "أرمناز"


@pytest.mark.parametrize(
    ("name", "counts", "expected"),
    [
        (
            "madeup_adm3_invalid_features.geojson",
            (6, 1, 4, 1),
            [
                "2:geometry: feature 2 (SY070302) has no geometry; expected a Polygon or MultiPolygon",
                "3:geometry: feature 3 (SY070303) is a Point; expected a Polygon or MultiPolygon",
                "4:admin3Pcode: [unmatched] P-code 'SY999999' is not in the gazetteer; expected a "
                "P-code of the gazetteer",
                "5:admin3Pcode: 'DANA'; expected a Syrian P-code such as SY07, SY0705 or SY070500",
                "6:admin3Pcode: empty; expected a Syrian P-code such as SY07, SY0705 or SY070500",
            ],
        ),
        (
            "madeup_boundaries_no_pcode_field.geojson",
            (1, 0, 1, 0),
            [
                "0:: no P-code field among the properties name, OBJECTID; expected a P-code field such "
                "as ADM3_PCODE, ADM2_PCODE, ADM1_PCODE, admin3Pcode, admin2Pcode, admin1Pcode, "
                "Admin3_Pco, pcode",
            ],
        ),
        (
            "madeup_json_not_geojson.json",
            (0, 0, 0, 0),
            [
                '0:: JSON with no "type" member; expected a GeoJSON object with "type": '
                '"FeatureCollection" or "Feature"',
            ],
        ),
        (
            "madeup_geojson_cut_short.geojson",
            (0, 0, 0, 0),
            [
                "0:: not valid JSON (Expecting ',' delimiter: line 1 column 301 (char 300)); expected a "
                "GeoJSON FeatureCollection",
            ],
        ),
    ],
)
def test_invalid_boundary_files(
    load_fixture, lines, name: str, counts: tuple, expected: list
) -> None:
    result = load_fixture(name)
    assert (result.rows_read, result.accepted, result.rejected, result.unmatched) == counts
    assert lines(result) == expected


@pytest.fixture(scope="module")
def squares() -> gpd.GeoDataFrame:
    """Two made-up squares with real P-codes and COD-AB field names, in Web Mercator."""
    gdf = gpd.GeoDataFrame(
        {"ADM2_PCODE": ["SY0703", "SY0705"], "ADM2_EN": ["Harim", "Ariha"]},
        geometry=[box(36.5, 36.1, 36.6, 36.2), box(36.5, 35.7, 36.6, 35.8)],
        crs="EPSG:4326",
    )
    return gdf.to_crs("EPSG:3857")


@pytest.mark.parametrize("kind", ["shapefile", "shapefile-zip", "geopackage", "geojson"])
def test_other_containers_and_reprojection(tmp_path: Path, ctx, squares, kind: str) -> None:
    if kind == "geopackage":
        path = tmp_path / "areas.gpkg"
        squares.to_file(path, driver="GPKG", engine="pyogrio")
    elif kind == "geojson":
        path = tmp_path / "areas.geojson"
        squares.to_crs("EPSG:4326").to_file(path, driver="GeoJSON", engine="pyogrio")
    else:
        folder = tmp_path / "shp"
        folder.mkdir()
        squares.to_file(folder / "areas.shp", engine="pyogrio")
        path = folder / "areas.shp"
        if kind == "shapefile-zip":
            path = Path(shutil.make_archive(str(tmp_path / "areas"), "zip", folder))
            path = path.rename(tmp_path / "areas.download")  # content decides, not the name
    result = load(path, ctx)
    assert (result.format, result.problems) == (kind, [])
    assert result.table[["pcode", "level", "name_en", "parent_pcode"]].values.tolist() == [
        ["SY0703", 2, "Harim", "SY07"],
        ["SY0705", 2, "Ariha", "SY07"],
    ]
    west, south, east, north = result.table.total_bounds
    assert (round(west, 6), round(south, 6), round(east, 6), round(north, 6)) == (
        36.5,
        35.7,
        36.6,
        36.2,
    )


def test_shapefile_without_prj_is_assumed_lonlat(tmp_path: Path, ctx, squares) -> None:
    squares.to_crs("EPSG:4326").to_file(tmp_path / "areas.shp", engine="pyogrio")
    (tmp_path / "areas.prj").unlink()
    result = load(tmp_path / "areas.shp", ctx)
    assert [p.line() for p in result.problems] == [
        "areas.shp:0:: [warning] no coordinate reference system given; expected a CRS (.prj); "
        "EPSG:4326 longitude/latitude assumed"
    ]
    assert result.accepted == 2


def test_shapefile_without_its_dbf(tmp_path: Path, ctx, squares) -> None:
    squares.to_file(tmp_path / "areas.shp", engine="pyogrio")
    (tmp_path / "areas.dbf").unlink()
    (tmp_path / "areas.shx").unlink()
    (problem,) = load(tmp_path / "areas.shp", ctx).problems
    assert problem.row == 0 and problem.found.startswith("cannot be read as shapefile (")


@pytest.mark.parametrize(
    ("ring", "found", "expected"),
    [
        (
            [[3600, 3500], [3700, 3500], [3700, 3600], [3600, 3500]],
            "feature 1 (SY07) has coordinates outside longitude/latitude (3600, 3500, 3700, 3600)",
            "expected longitudes -180 to 180 and latitudes -90 to 90, or a CRS that says how to "
            "convert them",
        ),
        (
            [[36, 35], [36, 35], [36, 35], [36, 35]],
            "feature 1 (SY07): invalid geometry (Too few points in geometry component[36 35])",
            "expected valid rings; shapely.make_valid leaves no polygon to keep",
        ),
    ],
)
def test_geometries_that_cannot_be_kept(
    tmp_path: Path, ctx, ring: list, found: str, expected: str
) -> None:
    import json

    path = tmp_path / "madeup.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"pcode": "SY07"},
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                ],
            }
        )
    )
    result = load(path, ctx)
    assert [(p.row, p.found, p.expected) for p in result.problems] == [(1, found, expected)]
    assert (result.rows_read, result.rejected) == (1, 1)
