"""Regression tests for the security fixes listed in docs/security.md, one per finding.

Each test names what went wrong before the fix, so a refactor that brings it back says so.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest


def test_planted_brotli_file_is_never_served(tmp_path: Path) -> None:
    """The static store's default folder is ``<tmp>/nwsyria-static-br-<uid>``: a predictable
    name in a shared directory. A file planted there under the hash of Dash's renderer was
    served as the renderer (with a one-year immutable cache header)."""
    import brotli

    from app.web.static import BrotliStore

    body = b"window.genuine = true;" * 200
    key = hashlib.sha256(body).hexdigest()[:32]
    # A background compression of the genuine body may land between the steps, so the
    # property is: whatever is served decompresses to the genuine body, never the planted one.
    for planted in (brotli.compress(b"alert('planted')"), b"not brotli at all"):
        (tmp_path / f"{key}.br").write_bytes(planted)
        served = BrotliStore(tmp_path).get(body)
        assert served is None or brotli.decompress(served) == body
    (tmp_path / f"{key}.br").write_bytes(brotli.compress(body))
    stored = BrotliStore(tmp_path).get(body)
    assert stored is not None and brotli.decompress(stored) == body


@pytest.fixture(scope="module")
def client() -> Any:
    from app.web.server import create_app

    return create_app().server.test_client()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[]", "expected a JSON object"),
        (
            b'{"output": "nope.children", "outputs": {"id": "nope", "property": "children"}}',
            "names no server callback",
        ),
        (b'{"output": "cards.children"}', "'outputs' must name"),
        (
            b'{"output": "cards.children", "outputs": {"id": "cards", "property": "children"}, '
            b'"inputs": []}',
            "'inputs' has 0 items; this callback takes 1",
        ),
        (b"[" * 50_000 + b"]" * 50_000, "must be a JSON callback request"),
    ],
)
def test_malformed_callback_requests_get_400_with_a_reason(
    client: Any, body: bytes, reason: str
) -> None:
    """Dash answered these with HTTP 500 (KeyError, AttributeError, RecursionError)."""
    resp = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert resp.status_code == 400
    assert reason in resp.get_json()["error"]


def test_pages_router_refuses_a_pathname_that_is_not_a_path(client: Any) -> None:
    """Dash's own pages callback raised on a pathname without a leading "/" (500)."""
    body = {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "=HYPERLINK(1)"},
            {"id": "_pages_location", "property": "search", "value": {"a": 1}},
        ],
        "changedPropIds": ["_pages_location.pathname"],
    }
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 400


def test_request_bodies_are_bounded(client: Any) -> None:
    big = b'{"output": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    resp = client.post("/_dash-update-component", data=big, content_type="application/json")
    assert resp.status_code == 413


def test_unknown_script_is_404_not_500(client: Any) -> None:
    """Dash raised DependencyException (500) for an unregistered component package."""
    resp = client.get("/_dash-component-suites/evil/evil.js")
    assert resp.status_code == 404


def test_xlsx_export_survives_control_characters() -> None:
    """openpyxl raised IllegalCharacterError on a text cell holding e.g. ESC or NUL."""
    import datetime as dt

    import pandas as pd
    from openpyxl import load_workbook

    from app.export.columns import EXPORT_COLUMNS
    from app.export.rows import ExportTable
    from app.export.xlsx_writer import readme_from_datapackage, xlsx_bytes

    frame = pd.DataFrame([dict.fromkeys(EXPORT_COLUMNS)], columns=EXPORT_COLUMNS)
    frame["note"] = "=cmd\x1b\x00|x"
    frame["source_row"] = 1
    readme = readme_from_datapackage({}, [], dt.datetime(2020, 3, 8, tzinfo=dt.UTC))
    book = load_workbook(io.BytesIO(xlsx_bytes(ExportTable(frame, ()), readme)))
    sheet = book.worksheets[-1]
    note = sheet.cell(row=2, column=EXPORT_COLUMNS.index("note") + 1).value
    assert note == "'=cmd\ufffd\ufffd|x"
