"""The three hand-transcribed figures CSVs go through ``load()`` to :mod:`figures_csv`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from app.loaders import load
from app.loaders.figures_csv import load_dated_figures
from app.loaders.report import LoadResult

FILES = {
    "nw_syria_displacement_figures_2019-12_2020-03.csv": 26,
    "nw_syria_casualty_figures_2019-12_2020-03.csv": 12,
    "nw_syria_subnational_figures_2019-12_2020-03.csv": 46,
}


@pytest.mark.parametrize(("name", "rows"), list(FILES.items()))
def test_real_figures_files_load_whole(figures_dir: Path, ctx, name: str, rows: int) -> None:
    result = load(figures_dir / name, ctx)
    assert (result.format, result.table_name) == ("csv:dated-figures", "figures")
    assert (result.rows_read, result.accepted, result.rejected, result.unmatched) == (
        rows,
        rows,
        0,
        0,
    )
    assert all(p.severity == "warning" for p in result.problems)
    # the same table as the bundle build, which reads the file with pandas
    direct = load_dated_figures(
        pd.read_csv(figures_dir / name, dtype=str, keep_default_na=False),
        LoadResult(path=name, format="dated-figures-csv"),
        ctx,
    )
    pd.testing.assert_frame_equal(
        result.table.drop(columns="source_file"), direct.drop(columns="source_file")
    )
