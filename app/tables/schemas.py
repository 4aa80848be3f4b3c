"""Canonical tables as pandera schemas, validated once where data enters.

Columns are documented here (``description=``) and in the README's data model; the
export (``app.export``) writes the same columns so an export loads back unchanged.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from app.vocab import METRICS, Kind

PCODE_RE = r"^SY(\d{2}(\d{2}(\d{2})?)?)?$"
DATE = "datetime64[ns]"


class Areas(pa.DataFrameModel):
    """One row per administrative area (admin 0-3) in the bundle; geometry kept alongside."""

    pcode: Series[str] = pa.Field(str_matches=PCODE_RE, unique=True)
    level: Series[int] = pa.Field(isin=[0, 1, 2, 3])
    name_en: Series[str] = pa.Field(str_length={"min_value": 1})
    name_ar: Series[str] = pa.Field(nullable=True)
    parent_pcode: Series[str] = pa.Field(nullable=True, description="Empty for admin 0")
    adm1_pcode: Series[str] = pa.Field(nullable=True)
    adm2_pcode: Series[str] = pa.Field(nullable=True)
    adm3_pcode: Series[str] = pa.Field(nullable=True)
    centroid_lat: Series[float] = pa.Field(ge=32, le=38)
    centroid_lon: Series[float] = pa.Field(ge=35, le=43)
    area_km2: Series[float] = pa.Field(gt=0)
    border_distance_km: Series[float] = pa.Field(
        ge=0, description="Shortest distance from the area to the Turkey-Syria border line"
    )

    class Config:
        strict = False
        coerce = True


class Figures(pa.DataFrameModel):
    """One row per published figure, with its provenance."""

    figure_id: Series[str] = pa.Field(unique=True)
    metric: Series[str] = pa.Field(isin=list(METRICS))
    kind: Series[str] = pa.Field(isin=[k.value for k in Kind])
    metric_as_written: Series[str]
    sector: Series[str] = pa.Field(nullable=True, description="HNO sector; empty = all")
    value: Series[float] = pa.Field(ge=0)
    qualifier: Series[str] = pa.Field(nullable=True)
    low: Series[float] = pa.Field(ge=0)
    high: Series[float] = pa.Field(ge=0)
    period_start: Series[DATE] = pa.Field(nullable=True, description="Empty for a stock")
    period_end: Series[DATE] = pa.Field(
        nullable=True, description="As-of date for stocks and cumulatives; empty = undated"
    )
    area_pcode: Series[str] = pa.Field(nullable=True, str_matches=PCODE_RE)
    region: Series[str] = pa.Field(nullable=True, description="Named region id when no P-code")
    area_as_written: Series[str]
    publisher: Series[str] = pa.Field(str_length={"min_value": 1})
    document: Series[str] = pa.Field(str_length={"min_value": 1})
    url: Series[str] = pa.Field(nullable=True)
    published_date: Series[DATE] = pa.Field(nullable=True)
    note: Series[str] = pa.Field(nullable=True)
    source_file: Series[str]
    source_row: Series[int] = pa.Field(ge=1)

    class Config:
        strict = False
        coerce = True

    @pa.dataframe_check
    def low_le_value_le_high(cls, df):
        return (df["low"] <= df["value"]) & (df["value"] <= df["high"])

    @pa.dataframe_check
    def area_given(cls, df):
        return df["area_pcode"].notna() | df["region"].notna()

    @pa.dataframe_check
    def period_ordered(cls, df):
        return (
            df["period_start"].isna()
            | df["period_end"].isna()
            | (df["period_start"] <= df["period_end"])
        )


class Regions(pa.DataFrameModel):
    """Named sets of P-codes that sources use instead of admin areas ("NW Syria")."""

    region: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$")
    name: Series[str]
    pcodes: Series[str] = pa.Field(description="|-separated P-codes; empty when not P-coded")
    definition: Series[str]
    source: Series[str]
    nationwide: Series[bool]

    class Config:
        strict = False
        coerce = True


class Events(pa.DataFrameModel):
    """User-supplied conflict events (ACLED, UCDP GED), P-coded by a spatial join."""

    event_id: Series[str]
    date: Series[DATE]
    lat: Series[float] = pa.Field(ge=-90, le=90)
    lon: Series[float] = pa.Field(ge=-180, le=180)
    adm1_pcode: Series[str] = pa.Field(nullable=True)
    adm2_pcode: Series[str] = pa.Field(nullable=True)
    adm3_pcode: Series[str] = pa.Field(nullable=True)
    fatalities: Series[int] = pa.Field(ge=0)
    event_type: Series[str] = pa.Field(nullable=True)
    source_dataset: Series[str]
    source_row: Series[int] = pa.Field(ge=1)
    date_end: Series[DATE] = pa.Field(description="Last day of the event; = date when not given")
    precision: Series[int] = pa.Field(
        ge=1, le=7, description="Location precision (UCDP where_prec 1-7, ACLED geo_precision 1-3)"
    )
    level: Series[int] = pa.Field(
        isin=[0, 1, 2, 3],
        description="Finest admin level the event may count toward (0: none below the country)",
    )
    fatalities_low: Series[float] = pa.Field(ge=0)
    fatalities_high: Series[float] = pa.Field(ge=0)
    civilians: Series[float] = pa.Field(
        nullable=True, ge=0, description="Civilian deaths (UCDP deaths_civilians); empty: ACLED"
    )

    class Config:
        strict = False
        coerce = True

    @pa.dataframe_check
    def low_le_fatalities_le_high(cls, df):
        return (df["fatalities_low"] <= df["fatalities"]) & (
            df["fatalities"] <= df["fatalities_high"]
        )

    @pa.dataframe_check
    def ends_after_it_starts(cls, df):
        return df["date"] <= df["date_end"]


FIGURE_COLUMNS: list[str] = list(Figures.to_schema().columns)
AREA_COLUMNS: list[str] = list(Areas.to_schema().columns)
EVENT_COLUMNS: list[str] = list(Events.to_schema().columns)
REGION_COLUMNS: list[str] = list(Regions.to_schema().columns)
