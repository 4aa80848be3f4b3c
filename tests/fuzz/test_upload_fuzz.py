"""Hypothesis against the upload endpoints (``POST /api/imports`` with a token and
``POST /data/uploads`` signed in with a CSRF token): whatever the bytes, the file's name,
the release date or the note, the answer is never a 500 and never a traceback.

The app is created in process on a throwaway SQLite workspace and driven with Flask's test
client (as ``test_http_fuzz.py``); the end-to-end behaviour is in ``tests/e2e/test_editors.py``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import got_request_exception
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import override

KEY = "madeup-fuzz-key-" + "f" * 40
PASSWORD = "correct horse battery"
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                      HealthCheck.too_slow], max_examples=40)  # fmt: skip


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


HEADER = (b"period_start,period_end,published_date,metric,value,qualifier,area_name_as_written,"
          b"pcode,pcode_level,publisher,document,url,quote,note\n")  # fmt: skip
bodies = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: HEADER + t.encode("utf-8", "surrogatepass")),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(lambda n, d: _zip({n: d}), st.sampled_from(["layer.shp", "layer.dbf", "xl/workbook.xml",
              "../evil.csv", "a/b/c.txt"]), st.binary(max_size=300)),
    st.sampled_from([b"", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"SQLite format 3\x00" + b"\0" * 90,
                     b'{"type": "FeatureCollection", "features": [}', b"\xef\xbb\xbf"]),
)
names = st.one_of(st.text(max_size=120), st.sampled_from(
    ["../../store.sqlite3", "/etc/passwd", "..", "a\x00b.csv", "C:\\x\\y.xlsx", "x.shp", ""]))  # fmt: skip
fields = st.fixed_dictionaries({}, optional={
    "note": st.text(max_size=600),
    "publisher": st.text(max_size=300),
    "published": st.one_of(st.text(max_size=20), st.sampled_from(["2020-02-30", "2020-01-10", "9999-12-31"])),
})  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    workspace = Path(tmp_path_factory.mktemp("upload-fuzz")) / "workspace"
    with override(workspace=workspace, database_url="", secret_key=KEY, max_upload_mb=1):
        from app.auth import accounts
        from app.store.engine import StoreConfig, dispose_all
        from app.web.server import create_app

        store = StoreConfig.from_config()
        from app.store.engine import ensure_ready

        ensure_ready(store)
        accounts.add_editor(store, "fuzzer", PASSWORD)
        token = accounts.issue_token(store, "fuzzer")
        app = create_app()
        errors: list[BaseException] = []

        def record(_sender: object, exception: BaseException, **_: object) -> None:
            errors.append(exception)

        got_request_exception.connect(record, app.server)
        client = app.server.test_client()
        page = client.get("/data/signin").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        signed = client.post("/data/signin", data={"name": "fuzzer", "password": PASSWORD,
                                                   "csrf_token": csrf})  # fmt: skip
        assert signed.status_code == 302
        yield {"client": client, "token": token, "csrf": csrf, "errors": errors}
        got_request_exception.disconnect(record, app.server)
        dispose_all()


def _form(body: bytes, name: str, extra: dict[str, str]) -> dict[str, Any]:
    return {**extra, "file": (io.BytesIO(body), name)}


@FUZZ
@given(body=bodies, name=names, extra=fields)
def test_api_import_never_500(site: dict, body: bytes, name: str, extra: dict[str, str]) -> None:
    r = site["client"].post("/api/imports", data=_form(body, name, extra),
                            headers={"Authorization": f"Bearer {site['token']}"},
                            content_type="multipart/form-data")  # fmt: skip
    assert r.status_code in (200, 201, 400, 413, 422), r.get_data(as_text=True)[:500]
    doc = r.get_json()
    assert isinstance(doc, dict) and ("error" in doc or "batch" in doc)
    assert "Traceback" not in r.get_data(as_text=True)
    assert site["errors"] == []


@FUZZ
@given(body=bodies, name=names, extra=fields)
def test_data_upload_never_500(site: dict, body: bytes, name: str, extra: dict[str, str]) -> None:
    data = _form(body, name, extra) | {"csrf_token": site["csrf"]}
    r = site["client"].post("/data/uploads", data=data, content_type="multipart/form-data")
    assert r.status_code in (302, 400, 413, 422), r.get_data(as_text=True)[:500]
    if r.status_code == 302:
        assert re.fullmatch(r"/data/uploads/[0-9a-f]{32}", r.headers["Location"])
        shown = site["client"].get(r.headers["Location"])
        assert shown.status_code == 200 and 'id="verdict"' in shown.get_data(as_text=True)
    assert "Traceback" not in r.get_data(as_text=True)
    assert site["errors"] == []
