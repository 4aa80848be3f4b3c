"""Property: whatever bytes a file holds, ``load()`` and ``validate`` answer without raising.

Two kinds of input: arbitrary bytes, and real fixtures (CSV layouts, GeoJSON, an XLSX)
with a few bytes flipped, cut or inserted, which reach much deeper into the loaders than
random noise does. Each is written under several extensions, since the extension steers
the sniffing of JSON and Shapefiles.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import validate
from app.loaders import load

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SUFFIXES = [".csv", ".geojson", ".xlsx", ""]


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        ["as_of_date", "metric", "value", "qualifier", "area", "publisher", "document", "url"]
    )
    ws.append(
        ["2020-03-08", "idps_present", 5, None, "Dana", "MADE-UP", "Made-up (not real data)", None]
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


SEEDS = [p.read_bytes() for p in sorted(FIXTURES.iterdir()) if p.stat().st_size < 20_000]
SEEDS.append(_xlsx())


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b",",
                        b";",
                        b"\t",
                        b'"',
                        b"\n",
                        b"\r\n",
                        b"\x00",
                        b"#adm1+code",
                        b"\xd9\xa3",
                        b"{",
                        b"}",
                        b"]",
                        b"-1",
                        b"nan",
                        b"1e400",
                        b"\xef\xbb\xbf",
                    ]
                )
            )
        elif data:
            del data[at : at + draw(st.integers(1, 64))]
    return bytes(data)


inputs = st.one_of(st.binary(max_size=3000), mutated())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs, suffix=st.sampled_from(SUFFIXES))
def test_load_never_raises_and_accounts_for_every_row(ctx, data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        result = load(path, ctx)  # no guard here: an exception fails the test
        assert result.rows_read == result.accepted + result.rejected + result.unmatched
        assert all(p.row >= 0 for p in result.problems)
        if result.rows_read == 0 and not result.problems:
            assert result.table is not None  # an empty table, said so by the loader


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs, suffix=st.sampled_from(SUFFIXES))
def test_validate_answers_with_a_report(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = validate.run([str(path)], as_json=True)
    doc = json.loads(out.getvalue())
    (file_doc,) = doc["files"]
    assert code == (0 if doc["clean"] else 1)
    assert (
        file_doc["rows_read"] == file_doc["accepted"] + file_doc["rejected"] + file_doc["unmatched"]
    )
    assert not any("internal error" in p["found"] for p in file_doc["problems"])
