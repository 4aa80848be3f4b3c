"""The P-code gazetteer CSV (``gazetteer/syr_pcode_gazetteer_adm1-3.csv`` layout).

The gazetteer is what every other loader resolves places against, so a replacement is
checked for what that relies on: levels 0-3, P-codes that are well formed, unique and as
long as their level says (SY, SY07, SY0705, SY070500), parents that are the P-code's own
prefix, an English name, and numbers where numbers are expected. There is no "unmatched"
here: the gazetteer defines the P-codes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.loaders import columns
from app.loaders.context import LoadContext
from app.loaders.report import LoadResult
from app.loaders.table import Table

PCODE_RE = r"^SY(\d{2}(\d{2}(\d{2})?)?)?$"
#: P-code length per admin level.
PCODE_LENGTH = {0: 2, 1: 4, 2: 6, 3: 8}
#: Optional numeric columns and their plausible range (Syria's extent for centroids).
NUMERIC = {
    "centroid_lat": (32.0, 38.0),
    "centroid_lon": (35.0, 43.0),
    "area_km2": (0.0, 200_000.0),
    "population": (0.0, 40_000_000.0),
}


def parent_of(pcode: str) -> str:
    """The P-code one level up (Syrian P-codes nest by prefix).

    >>> parent_of("SY070500"), parent_of("SY0705"), parent_of("SY07"), parent_of("SY")
    ('SY0705', 'SY07', 'SY', '')
    """
    return pcode[:-2] if len(pcode) > 2 else ""


def load_gazetteer(table: Table, result: LoadResult, ctx: LoadContext) -> pd.DataFrame:
    del ctx  # the gazetteer is the reference, not resolved against one
    result.table_name = "gazetteer"
    df, written = table.by_lower_name()
    rows = table.rows
    result.rows_read += len(df)
    bad = np.zeros(len(df), dtype=bool)

    def fail(
        mask: pd.Series | np.ndarray,
        column: str,
        found: columns.Messages,
        expected: columns.Messages,
    ) -> None:
        nonlocal bad
        mask = np.asarray(mask, dtype=bool)
        columns.report(result, rows, mask, written.get(column, column), found, expected)
        bad |= mask

    pcode = df["pcode"].str.strip().str.upper()
    level = df["level"].str.strip()
    fail(
        ~level.isin(["0", "1", "2", "3"]),
        "level",
        columns.fmt("'{v}'", v=df["level"]),
        "expected 0, 1, 2 or 3",
    )
    well_formed = pcode.str.match(PCODE_RE)
    fail(
        ~well_formed,
        "pcode",
        columns.fmt("'{v}'", v=df["pcode"]),
        "expected a Syrian P-code such as SY07 or SY070301",
    )
    length = level.map(lambda v: PCODE_LENGTH.get(int(v)) if v in ("0", "1", "2", "3") else None)
    fail(
        well_formed & length.notna() & (pcode.str.len() != length),
        "pcode",
        columns.fmt("'{p}' at level {lv}", p=pcode, lv=level),
        "expected a P-code as long as its level: SY (0), SY07 (1), SY0705 (2), SY070500 (3)",
    )
    fail(
        pcode.duplicated() & well_formed,
        "pcode",
        columns.fmt("P-code '{p}' repeats an earlier row", p=pcode),
        "expected each P-code once",
    )
    fail(df["name_en"].str.strip() == "", "name_en", "empty", "expected the English name")
    parent = pcode.map(parent_of)
    fail(
        well_formed & (df["parent_pcode"].str.strip().str.upper() != parent),
        "parent_pcode",
        columns.fmt("'{v}' for {p}", v=df["parent_pcode"], p=pcode),
        columns.fmt("expected the P-code's own prefix ('{v}')", v=parent),
    )
    if "adm1_pcode" in df:
        adm1 = pcode.str[:4].where(pcode.str.len() >= 4, "")
        fail(
            well_formed & (df["adm1_pcode"].str.strip().str.upper() != adm1),
            "adm1_pcode",
            columns.fmt("'{v}' for {p}", v=df["adm1_pcode"], p=pcode),
            columns.fmt("expected the governorate P-code ('{v}')", v=adm1),
        )
    out = df.copy()
    out["pcode"] = pcode
    for column, (low, high) in NUMERIC.items():
        if column not in df:
            continue
        values, errors = columns.to_numbers(df[column], allow_negative=True)
        columns.report_errors(result, rows, errors, written[column])
        bad |= (errors != "").to_numpy()
        fail(
            (values < low) | (values > high),
            column,
            columns.fmt("'{v}'", v=df[column]),
            f"expected a number from {low:g} to {high:g}",
        )
        out[column] = values
    result.rejected += int(bad.sum())
    result.accepted += int((~bad).sum())
    out = out[~bad].reset_index(drop=True)
    out["level"] = out["level"].astype(int)
    return out
