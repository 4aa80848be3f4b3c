"""Read the bundle in ``data/`` into canonical tables, once per process.

The only module that touches ``data/`` at run time. Cached per data folder so callbacks
and export routes share one copy; ``clear()`` exists for tests that point at another bundle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from app.config import get_config
from app.tables.columns import AREA_COLUMNS, FIGURE_COLUMNS  # not schemas: no pandera at start-up

_DATES = ["period_start", "period_end", "published_date"]


@dataclass(frozen=True)
class Bundle:
    data_dir: Path
    areas: pd.DataFrame
    figures: pd.DataFrame  # dated figures + HNO 2019 baseline
    regions: pd.DataFrame
    datapackage: dict = field(repr=False)

    def geojson_text(self, name: str) -> str:
        """Raw GeoJSON text of a boundary resource (served as a static, cacheable file)."""
        return (self.data_dir / "boundaries" / name).read_text(encoding="utf-8")

    def geojson(self, name: str) -> dict:
        return _geojson(self.data_dir / "boundaries" / name)

    @cached_property
    def area_index(self) -> pd.DataFrame:
        return self.areas.set_index("pcode")


@cache
def _geojson(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def read_figures_csv(path: Path) -> pd.DataFrame:
    """A canonical figures CSV as written by the bundle build or the export."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df = df.replace({"": None})
    for c in ("value", "low", "high"):
        df[c] = df[c].astype(float)
    for c in _DATES:
        df[c] = pd.to_datetime(df[c], format="%Y-%m-%d")
    df["source_row"] = df["source_row"].astype(int)
    return df[FIGURE_COLUMNS]


@cache
def _load(data_dir: Path) -> Bundle:
    tables = data_dir / "tables"
    areas = pd.read_csv(tables / "areas.csv", dtype={"pcode": str, "parent_pcode": str,
                                                      "adm1_pcode": str, "adm2_pcode": str,
                                                      "adm3_pcode": str, "population_year": str},
                        keep_default_na=False, na_values={"population": [""]})
    for c in ("parent_pcode", "adm1_pcode", "adm2_pcode", "adm3_pcode"):
        areas[c] = areas[c].replace({"": None})
    figures = pd.concat([read_figures_csv(tables / "figures.csv"),
                         read_figures_csv(tables / "hno2019_baseline.csv")], ignore_index=True)
    regions = pd.read_csv(tables / "regions.csv", dtype=str, keep_default_na=False)
    regions["nationwide"] = regions["nationwide"].str.lower().eq("true")
    pkg = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert list(areas.columns[: len(AREA_COLUMNS)]) == AREA_COLUMNS
    return Bundle(data_dir, areas, figures, regions, pkg)


def load_bundle(data_dir: Path | None = None) -> Bundle:
    """The bundle at ``data_dir`` (default: the configured data folder)."""
    return _load(Path(data_dir or get_config().data_dir).resolve())


def clear() -> None:
    _load.cache_clear()
    _geojson.cache_clear()
