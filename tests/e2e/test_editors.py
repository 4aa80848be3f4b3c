"""Editors end to end: a real ``python -m app serve`` on a SQLite workspace of its own,
Debian's Chromium for the pages, plain HTTP (requests) for the API and the attacks.

- Chromium: an anonymous ``/data`` goes to the sign-in page and never shows an upload
  form; an editor signs in, uploads the real UCDP GED file, reads its report (the
  unmatched events summed up per governorate, filtered and sorted), accepts it, and a
  second, anonymous browser context sees the batch on ``/sources`` without a restart.
- CSRF: a form POST without its token (or with a forged one) is 400.
- Brute force: 429 with Retry-After after 5 failures for an account, and after 20 from an
  address (``NWS_PROXIES=1`` so the test can speak for other addresses).
- API: 201, 200 already stored, 422, 401 (missing, wrong, revoked token), 413, list,
  retract and restore; headers (no-store, frame-ancestors 'none'); the audit with addresses.
- The server refuses to start (exit 2, naming NWS_SECRET_KEY) with editors and no key.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from .harness import PROJECT_ROOT, BrowserWatch, ServerProcess, free_port

UCDP = PROJECT_ROOT.parent / "shared" / "data" / "events" / "ucdp_ged_syria_652.1601.1911.csv"
UCDP_DATASET = "UCDP GED Syria 652.1601.1911"
KEY = "madeup-test-key-" + "k" * 40
PASSWORD = "correct horse battery"
CAP_MB = 12  # the UCDP file is 10.3 MiB
VIEWPORT = {"width": 1400, "height": 1000}
MADEUP_CSV = (
    "period_start,period_end,published_date,metric,value,qualifier,area_name_as_written,"
    "pcode,pcode_level,publisher,document,url,quote,note\n"
    "2020-03-01,2020-03-07,2020-03-09,idp_arrivals,4242,,Harim,SY070300,3,MADE-UP API "
    "publisher,MADE-UP sitrep (not real data),,,MADE-UP figure for the API test\n"
)


def cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    out = subprocess.run([sys.executable, "-m", "app", *args], cwd=PROJECT_ROOT, env=env,
                         input=stdin, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The server, its environment and two editors (alice: the browser; amal: throttling)."""
    folder = tmp_path_factory.mktemp("editors")
    env = {**os.environ, "NWS_WORKSPACE": str(folder / "workspace"), "NWS_DATABASE_URL": "",
           "NWS_SECRET_KEY": KEY, "NWS_MAX_UPLOAD_MB": str(CAP_MB), "NWS_PROXIES": "1",
           "NWS_COOKIE_SECURE": "auto"}  # fmt: skip
    for name in ("alice", "amal", "api-bot"):
        cli(env, "editor", "add", name, stdin=PASSWORD + "\n")
    token = cli(env, "editor", "token", "api-bot").strip()
    port = free_port()
    server = ServerProcess([sys.executable, "-m", "app", "serve", "--port", str(port)], port,
                           env=env, ready_path="/health")  # fmt: skip
    with server:
        yield {"base": server.base_url, "env": env, "token": token, "folder": folder}


def signed_in(base: str, name: str = "alice", xff: str | None = None) -> tuple[requests.Session, str]:
    """A requests session signed in as ``name``; its CSRF token."""
    s = requests.Session()
    if xff:
        s.headers["X-Forwarded-For"] = xff
    token = csrf_of(s.get(base + "/data/signin").text)
    r = s.post(base + "/data/signin", data={"name": name, "password": PASSWORD,
                                            "csrf_token": token}, allow_redirects=False)  # fmt: skip
    assert r.status_code == 302 and r.headers["Location"] == "/data", r.text
    return s, csrf_of(s.get(base + "/data").text)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


# --- the browser ------------------------------------------------------------------------------


def test_upload_the_ucdp_file_accept_and_an_anonymous_reader_sees_it(site: dict, browser: Any) -> None:
    base = site["base"]
    editor_ctx = browser.new_context(viewport=VIEWPORT)
    reader_ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = editor_ctx.new_page()
        watch = BrowserWatch(page)
        # anonymous: /data sends you to the sign-in page, and there is no upload control
        response = page.goto(base + "/data")
        assert page.url == base + "/data/signin?next=/data"
        assert response.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert page.locator("#upload-form, input[type=file], #accept").count() == 0
        # sign in
        page.fill("#name", "alice")
        page.fill("#password", PASSWORD)
        page.click("#signin")
        page.wait_for_url(base + "/data")
        assert page.inner_text("#signed-in-as") == "alice"
        cookie = next(c for c in editor_ctx.cookies() if c["name"] == "nws_editor")
        assert (cookie["httpOnly"], cookie["sameSite"], cookie["path"]) == (True, "Lax", "/data")
        assert cookie["secure"] is False  # plain http on 127.0.0.1 with NWS_COOKIE_SECURE=auto
        # upload the real UCDP GED release, with its dataset name and release date
        page.set_input_files("#file", str(UCDP))
        page.fill("#publisher", UCDP_DATASET)
        page.fill("#published", "2020-01-10")
        page.click("#upload")
        page.wait_for_url(re.compile(r"/data/uploads/[0-9a-f]{32}$"), timeout=60_000)
        assert page.inner_text("#verdict") == (
            "7,243 row(s) can be stored. Nothing is stored until you accept."
        )
        assert page.inner_text("#rows-read") == "16,566"
        assert page.inner_text("#rows-unmatched") == "9,323"
        # the report: only the unmatched lines (one per governorate), sorted by row, descending
        page.select_option("#filter-severity", "unmatched")
        page.click("#filter-apply")
        page.wait_for_url(re.compile(r"severity=unmatched"))
        rows = page.locator("#report-table tbody tr")
        assert rows.count() == 15
        text = page.inner_text("#report-table")
        assert "1,287 events in Homs Governorate are outside the dashboard's areas" in text
        assert "2,118 events in Rif Dimashq Governorate" in text
        page.click("#sort-row")  # already ascending by row: now descending
        page.wait_for_url(re.compile(r"order=desc"))
        firsts = [int(rows.nth(i).locator("td").first.inner_text()) for i in range(rows.count())]
        assert firsts == sorted(firsts, reverse=True) and firsts[0] == 3783 and firsts[-1] == 2
        page.fill("#filter-q", "Homs")
        page.click("#filter-apply")
        page.wait_for_url(re.compile(r"q=Homs"))
        assert rows.count() == 1 and page.inner_text("#report-shown") == "1 of 117 line(s) match."
        # accept
        page.click("#accept")
        page.wait_for_url(re.compile(r"/data/batches/\d+$"), timeout=60_000)
        batch = int(page.url.rsplit("/", 1)[1])
        assert f"stored as batch {batch}" in page.inner_text(".flash")
        accepted_at = time.monotonic()
        assert page.inner_text("#batch-status").startswith("Status: active.")
        # a second, anonymous reader sees it on /sources, without a restart
        reader = reader_ctx.new_page()
        reader_watch = BrowserWatch(reader)
        row = reader.locator(f"#sources-batches #batch-{batch}")
        while True:
            reader.goto(base + "/sources")
            reader.wait_for_selector("#react-entry-point h2", timeout=30_000)
            if row.count() or time.monotonic() - accepted_at > 5:
                break
            time.sleep(0.3)
        assert row.count() == 1, "the reader does not see the batch within 5 s"
        seen = row.inner_text()
        assert "ucdp_ged_syria_652.1601.1911.csv" in seen
        assert f"dataset: {UCDP_DATASET}; released 2020-01-10" in seen
        assert "7,243 earlier events superseded" in seen
        assert reader.locator("a[href^='/data'], form, input[type=file]").count() == 0
        # the audit, as the editor reads it
        page.goto(base + "/data/audit")
        audit = page.inner_text("#audit-table")
        for line in ("signed in\talice\t127.0.0.1\tweb",
                     "uploaded a file (pending)\talice\t127.0.0.1\tweb",
                     f"accepted an upload as a batch\talice\t127.0.0.1\tweb\t{batch}"):
            assert line in audit, audit
        # the original, for editors only
        got = page.request.get(base + f"/data/batches/{batch}/original")
        assert got.status == 200 and got.body() == UCDP.read_bytes()
        assert got.headers["content-disposition"] == 'attachment; filename="ucdp_ged_syria_652.1601.1911.csv"'
        assert got.headers["x-content-type-options"] == "nosniff"
        anon = reader.request.get(base + f"/data/batches/{batch}/original", max_redirects=0)
        assert anon.status == 302 and anon.headers["location"].startswith("/data/signin")
        watch.assert_clean()
        reader_watch.assert_clean()
    finally:
        editor_ctx.close()
        reader_ctx.close()


# --- forms: CSRF, throttling ------------------------------------------------------------------


def test_a_form_post_without_its_csrf_token_is_400(site: dict) -> None:
    base = site["base"]
    s, token = signed_in(base)
    files = {"file": ("madeup_csrf.csv", MADEUP_CSV.encode())}
    missing = s.post(base + "/data/uploads", files=files)
    assert missing.status_code == 400 and "The CSRF token is missing." in missing.text
    forged = s.post(base + "/data/uploads", files=files, data={"csrf_token": "x" + token[1:]})
    assert forged.status_code == 400 and "The CSRF token is invalid." in forged.text
    assert s.post(base + "/data/signin", data={"name": "alice", "password": PASSWORD}).status_code == 400
    assert s.post(base + "/data/batches/1/retract", data={"why": "x"}).status_code == 400
    # another browser's session token is no good either
    _, other = signed_in(base, "amal", xff="10.9.9.9")
    assert s.post(base + "/data/uploads", files=files, data={"csrf_token": other}).status_code == 400
    ok = s.post(base + "/data/uploads", files=files, data={"csrf_token": token})
    assert ok.status_code == 200 and re.search(r"/data/uploads/[0-9a-f]{32}$", ok.url)
    assert "1 row(s) can be stored" in ok.text
    discarded = s.post(ok.url + "/discard", data={"csrf_token": token})
    assert "madeup_csrf.csv discarded; nothing was stored." in discarded.text


def _attempt(s: requests.Session, base: str, token: str, name: str, password: str) -> requests.Response:
    return s.post(base + "/data/signin", data={"name": name, "password": password,
                                               "csrf_token": token}, allow_redirects=False)  # fmt: skip


def test_failed_sign_ins_are_throttled_per_account_and_per_address(site: dict) -> None:
    base = site["base"]
    # per account: five wrong passwords for amal from two addresses, then even the right one waits
    for i in range(5):
        s = requests.Session()
        s.headers["X-Forwarded-For"] = f"10.1.1.{i % 2}"
        token = csrf_of(s.get(base + "/data/signin").text)
        r = _attempt(s, base, token, "amal", "wrong password " + str(i))
        assert r.status_code == 200 and "Wrong name or password." in r.text
    s.headers["X-Forwarded-For"] = "10.1.1.7"
    r = _attempt(s, base, token, "amal", PASSWORD)
    assert r.status_code == 429 and 850 < int(r.headers["Retry-After"]) <= 900
    assert "5 failed sign-ins for this account within 15 minutes" in r.text
    # per address: twenty names tried from one address, then a twenty-first is refused
    s = requests.Session()
    s.headers["X-Forwarded-For"] = "10.2.2.2"
    token = csrf_of(s.get(base + "/data/signin").text)
    for i in range(20):
        assert _attempt(s, base, token, f"guess{i}", "wrong password").status_code == 200
    r = _attempt(s, base, token, "alice", PASSWORD)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 850
    assert "20 failed sign-ins from this address within 15 minutes" in r.text
    # alice from another address is not affected
    signed_in(base, "alice", xff="10.3.3.3")
    editor, _ = signed_in(base, "alice")
    audit = editor.get(base + "/data/audit").text
    assert audit.count("<td>failed sign-in</td><td>amal</td><td>10.1.1.") == 5
    assert "<td>sign-in refused (too many failures)</td><td>amal</td><td>10.1.1.7</td>" in audit
    assert audit.count("<td>10.2.2.2</td>") == 21


# --- the API ----------------------------------------------------------------------------------


def test_api(site: dict) -> None:
    base, token = site["base"], site["token"]
    auth = {"Authorization": f"Bearer {token}"}
    csv = MADEUP_CSV.encode()
    made = requests.post(base + "/api/imports", headers=auth, data={"note": "MADE-UP note",
                         "published": "2020-03-09"}, files={"file": ("madeup_api_sitrep.csv", csv)})  # fmt: skip
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["status"] == "stored" and body["file"] == "madeup_api_sitrep.csv"
    assert body["summary"] == {"file": "madeup_api_sitrep.csv", "format": body["summary"]["format"],
                               "table": "figures", "rows_read": 1, "accepted": 1, "rejected": 0,
                               "unmatched": 0, "warnings": 0}  # fmt: skip
    batch = body["batch"]
    assert made.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in made.headers["Content-Security-Policy"]
    again = requests.post(base + "/api/imports", headers=auth,
                          files={"file": ("another_name.csv", csv)})  # fmt: skip
    assert again.status_code == 200
    assert (again.json()["already_stored"], again.json()["batch"]) == (True, batch)
    png = (PROJECT_ROOT / "tests" / "corpus" / "madeup_png_renamed.csv").read_bytes()
    bad = requests.post(base + "/api/imports", headers=auth,
                        files={"file": ("madeup_png_renamed.csv", png)})  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["problems"] == [{"file": "madeup_png_renamed.csv", "row": 0, "column": "",
                                       "found": "the file is a PNG image",
                                       "expected": "expected a text file such as CSV",
                                       "severity": "error"}]  # fmt: skip
    big = requests.post(base + "/api/imports", headers=auth,
                        files={"file": ("madeup_big.csv", b"a" * ((CAP_MB + 1) * 1024 * 1024))})  # fmt: skip
    assert big.status_code == 413
    assert big.json()["error"].startswith(f"the file is larger than {CAP_MB} MB (NWS_MAX_UPLOAD_MB)")
    listed = requests.get(base + "/api/imports", headers=auth).json()["batches"]
    assert [b["file_name"] for b in listed if b["id"] == batch] == ["madeup_api_sitrep.csv"]
    retracted = requests.post(base + f"/api/imports/{batch}/retract", headers=auth,
                              json={"why": "MADE-UP figure withdrawn by the API test"})  # fmt: skip
    assert retracted.status_code == 200 and retracted.json()["status"] == "retracted"
    assert requests.post(base + f"/api/imports/{batch}/retract", headers=auth, json={}).status_code == 400
    restored = requests.post(base + f"/api/imports/{batch}/restore", headers=auth)
    assert restored.status_code == 200 and restored.json()["status"] == "active"
    # 401: missing, wrong, revoked; always JSON with WWW-Authenticate: Bearer
    for headers in ({}, {"Authorization": "Bearer nws_" + "x" * 43},
                    {"Authorization": f"Basic {token}"}):  # fmt: skip
        denied = requests.post(base + "/api/imports", headers=headers, files={"file": ("madeup_x.csv", csv)})
        assert denied.status_code == 401 and denied.headers["WWW-Authenticate"].startswith("Bearer")
        assert "error" in denied.json()
    spare = cli(site["env"], "editor", "token", "alice").strip()
    spare_auth = {"Authorization": f"Bearer {spare}"}
    assert requests.get(base + "/api/imports", headers=spare_auth).status_code == 200
    cli(site["env"], "editor", "revoke", "alice")
    revoked = requests.get(base + "/api/imports", headers=spare_auth)
    assert revoked.status_code == 401 and revoked.json()["error"] == "the token is wrong or was revoked"
    editor, _ = signed_in(site["base"], "alice", xff="10.4.4.4")
    audit = editor.get(base + "/data/audit").text
    assert f"<td>imported a file (API)</td><td>api-bot</td><td>127.0.0.1</td><td>api</td><td>{batch}</td>" in audit
    assert f"<td>retracted a batch</td><td>api-bot</td><td>127.0.0.1</td><td>api</td><td>{batch}</td>" in audit
    assert audit.count("API call refused (token missing, wrong or revoked)") == 4


def test_anonymous_requests_never_reach_an_editor_action(site: dict) -> None:
    base = site["base"]
    for path in ("/data", "/data/audit", "/data/uploads/" + "0" * 32, "/data/batches/1"):
        r = requests.get(base + path, allow_redirects=False)
        assert r.status_code == 302 and r.headers["Location"].startswith("/data/signin"), path
        assert r.headers["Cache-Control"] == "no-store"
    r = requests.post(base + "/data/uploads", files={"file": ("madeup_x.csv", b"x")}, allow_redirects=False)
    assert r.status_code == 302
    home = requests.get(base + "/")
    assert "nws_editor" not in home.headers.get("Set-Cookie", "")


def test_the_server_refuses_editors_without_a_key(site: dict) -> None:
    env = {**site["env"], "NWS_SECRET_KEY": ""}
    out = subprocess.run([sys.executable, "-m", "app", "serve", "--port", str(free_port())],
                         cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.returncode == 2
    assert "NWS_SECRET_KEY is not set, but the store has 3 editor(s)" in out.stderr
    short = subprocess.run([sys.executable, "-m", "app", "serve", "--prod", "--port", "1"],
                           cwd=PROJECT_ROOT, env={**env, "NWS_SECRET_KEY": "short"},
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert short.returncode == 2 and "NWS_SECRET_KEY has 5 characters; expected at least 32" in short.stderr
