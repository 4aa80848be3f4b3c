"""The editors' pages and the API's errors in Arabic (issue 14): the pages right to left
with Arabic words; the API's ``error`` stays English (scripts test it), its ``message``
follows ``lang=`` / ``Accept-Language``."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config import override

KEY = "madeup-i18n-key-" + "k" * 40
PASSWORD = "madeup correct horse"
AR = {"Accept-Language": "ar-SY,ar;q=0.9,en;q=0.5"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    workspace = Path(tmp_path_factory.mktemp("i18n-editors")) / "workspace"
    with override(workspace=workspace, database_url="", secret_key=KEY, max_upload_mb=1):
        from app.auth import accounts
        from app.store.engine import StoreConfig, dispose_all, ensure_ready
        from app.web.server import create_app

        store = StoreConfig.from_config()
        ensure_ready(store)
        accounts.add_editor(store, "madeup_amal", PASSWORD)
        token = accounts.issue_token(store, "madeup_amal")
        client = create_app().server.test_client()
        yield {"client": client, "token": token}
        dispose_all()


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_signin_page_in_arabic_and_in_english(site: dict) -> None:
    client = site["client"]
    ar = client.get("/data/signin?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in ar
    assert "<h1>تسجيل الدخول</h1>" in ar and "كلمة المرور" in ar
    assert "<title>تسجيل الدخول · لوحة بيانات شمال غرب سوريا · المحرّرون</title>" in ar
    assert "Sign in" not in ar and "Password" not in ar
    en = client.get("/data/signin").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in en
    assert "<h1>Sign in</h1>" in en and "Password" in en
    assert client.get("/data/signin", headers=AR).get_data(as_text=True).count("تسجيل الدخول") >= 2


def test_signed_in_pages_and_their_errors_in_arabic(site: dict) -> None:
    client = site["client"]
    csrf = _csrf(client.get("/data/signin").get_data(as_text=True))
    bad = client.post("/data/signin", headers=AR,
                      data={"name": "madeup_amal", "password": "wrong", "csrf_token": csrf})  # fmt: skip
    assert "الاسم أو كلمة المرور غير صحيحة." in bad.get_data(as_text=True)
    signed = client.post("/data/signin",
                         data={"name": "madeup_amal", "password": PASSWORD, "csrf_token": csrf})  # fmt: skip
    assert signed.status_code == 302
    home = client.get("/data/", headers=AR).get_data(as_text=True)
    csrf = _csrf(home)  # signing in starts a new session, with its own token
    assert "<h1>الملفات المرفوعة والدفعات</h1>" in home
    assert "<code>python -m app add</code>" in home  # markup kept inside the translated line
    assert "بحجم 1 ميغابايت على الأكثر" in home
    assert "لا دفعات بعد." in home and "Upload a file" not in home
    # an upload without a file: the error page in Arabic
    r = client.post("/data/uploads", headers=AR, data={"csrf_token": csrf})
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert "<h1>لا ملف</h1>" in page and "اختر ملفاً لرفعه." in page
    # an empty file: refused, the reason in Arabic
    r = client.post("/data/uploads", headers=AR, content_type="multipart/form-data",
                    data={"csrf_token": csrf, "file": (io.BytesIO(b""), "madeup_empty.csv")})  # fmt: skip
    assert r.status_code == 422
    assert "الملف فارغ (0 بايت)؛ المتوقع ملف للتحقق منه" in r.get_data(as_text=True)
    r = client.get("/data/batches/987", headers=AR)
    assert r.status_code == 404 and "لا توجد الدفعة 987." in r.get_data(as_text=True)
    r = client.get("/data/batches/987")
    assert "There is no batch 987." in r.get_data(as_text=True)


def test_api_errors_keep_english_error_and_add_a_message_in_the_language(site: dict) -> None:
    client = site["client"]
    r = client.get("/api/imports", headers=AR)
    assert r.status_code == 401
    assert r.json["error"] == "no token: the Authorization header is missing"
    assert r.json["message"] == "لا رمز: ترويسة Authorization مفقودة"
    r = client.get("/api/imports?lang=ar", headers={"Authorization": "Bearer madeup-wrong"})
    assert r.json["error"] == "the token is wrong or was revoked"
    assert r.json["message"] == "الرمز خاطئ أو أُلغي"
    auth = {"Authorization": f"Bearer {site['token']}"}
    r = client.post("/api/imports", headers=auth | AR, data={})
    assert r.status_code == 400
    assert r.json == {"error": "no file: send the file as the multipart field 'file'",
                      "message": "لا ملف: أرسل الملف في حقل multipart باسم 'file'"}  # fmt: skip
    r = client.post("/api/imports", headers=auth | AR, content_type="multipart/form-data",
                    data={"file": (io.BytesIO(b""), "madeup_empty.csv")})  # fmt: skip
    assert r.status_code == 422
    assert r.json["error"] == "the file is empty (0 bytes); expected a file to import"
    assert r.json["message"] == "الملف فارغ (0 بايت)؛ المتوقع ملف لاستيراده"
    r = client.post("/api/imports/1/retract", headers=auth | AR, json={})
    assert r.json["error"] == 'send JSON {"why": "..."}: readers see the reason'
    assert r.json["message"].startswith("أرسل JSON")
    r = client.get("/api/imports")  # English: the message is the error
    assert r.json["message"] == r.json["error"] == "no token: the Authorization header is missing"
