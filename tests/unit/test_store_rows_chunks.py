"""app.store.rows: rows written and read a chunk at a time give what one pass gives.

A real SQLite file (no mock): a made-up table of figures-like columns, written with
``insert_frame`` and read back with ``read_frame`` with chunks smaller than the table, so
some chunks have a missing value in a column and others not.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from app.store import rows

metadata = sa.MetaData()
madeup_table = sa.Table(
    "madeup_rows",
    metadata,
    sa.Column("batch_id", sa.Integer, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("area_pcode", sa.Text),
    sa.Column("value", sa.Float),
    sa.Column("period_start", sa.Date),
    sa.Column("source_row", sa.Integer),
)
COLUMNS = ["batch_id", "seq", "area_pcode", "value", "period_start", "source_row"]


def madeup_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_pcode": ["SY07", "SY0703", None, "SY070300", "SY02"],
            "value": [1.5, np.nan, 3.0, 4.0, 5.0],
            "period_start": pd.to_datetime(
                ["2020-01-06", None, "2020-01-13", "2020-01-13", "2019-12-30"]
            ),
            "source_row": pd.array([2, 3, None, 5, 6], dtype="Int64"),
        }
    )


@pytest.fixture
def conn(tmp_path):
    eng = sa.create_engine(f"sqlite:///{tmp_path / 'madeup.sqlite3'}")
    metadata.create_all(eng)
    with eng.begin() as c:
        yield c
    eng.dispose()


def test_chunked_write_and_read_match_one_pass(conn, monkeypatch):
    monkeypatch.setattr(rows, "CHUNK", 2)
    assert rows.insert_frame(conn, madeup_table, madeup_frame(), {"batch_id": 7}) == 5
    select = sa.select(*[madeup_table.c[c] for c in COLUMNS]).order_by(madeup_table.c.seq)
    monkeypatch.setattr(rows, "READ_CHUNK", 2)  # chunks: [SY07, SY0703] [None, ...] [SY02]
    chunked = rows.read_frame(conn, select, COLUMNS)
    monkeypatch.setattr(rows, "READ_CHUNK", 1000)
    whole = rows.read_frame(conn, select, COLUMNS)
    pd.testing.assert_frame_equal(chunked, whole)
    assert chunked["seq"].tolist() == [1, 2, 3, 4, 5]
    assert chunked["batch_id"].tolist() == [7] * 5
    assert chunked["area_pcode"].tolist() == ["SY07", "SY0703", None, "SY070300", "SY02"]
    assert chunked["value"].isna().tolist() == [False, True, False, False, False]
    assert chunked["period_start"].iloc[0] == pd.Timestamp("2020-01-06")
    assert pd.isna(chunked["period_start"].iloc[1])
    assert str(chunked["source_row"].dtype) == "Int64"
    assert chunked["source_row"].iloc[3] == 5


def test_plain_values_as_the_database_takes_them():
    days = pd.Series([pd.Timestamp("2020-01-06"), pd.NaT, pd.Timestamp("2020-01-06")])
    assert rows._plain("period_start", days) == ["2020-01-06", None, "2020-01-06"]
    assert rows._plain("published_date", pd.Series([dt.date(2020, 1, 10)])) == ["2020-01-10"]
    assert rows._plain("value", pd.Series([1.5, np.nan])) == [1.5, None]
    assert rows._plain("source_row", pd.Series([1, 2])) == [1, 2]
    assert rows._plain("source_row", pd.Series([1, None], dtype="Int64")) == [1, None]
    assert rows._plain("event_id", pd.Series(["a", None], dtype="str")) == ["a", None]


def test_an_empty_read_has_the_columns(conn):
    select = sa.select(*[madeup_table.c[c] for c in COLUMNS])
    out = rows.read_frame(conn, select, COLUMNS)
    assert list(out.columns) == COLUMNS
    assert len(out) == 0
