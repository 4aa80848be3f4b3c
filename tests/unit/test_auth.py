"""The editors' building blocks without a server: argon2 hashes, token hashes, the
throttle's sliding window, session expiry, upload names and zip bounds."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest

from app.auth import passwords, sessions, throttle, tokens
from app.web import uploads

T0 = dt.datetime(2020, 2, 16, 12, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


def test_password_hash_is_argon2id_salted_and_verifies() -> None:
    a = passwords.hash_password("correct horse battery")
    b = passwords.hash_password("correct horse battery")
    assert a.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert a != b  # a new salt each time
    assert passwords.verify(a, "correct horse battery") is True
    assert passwords.verify(a, "correct horse batterY") is False
    assert passwords.verify("not a hash", "correct horse battery") is False
    assert passwords.verify(a, "x" * 5000) is False  # too long: refused before hashing
    assert passwords.needs_rehash(a) is False
    weak = passwords.PasswordHasher(time_cost=1, memory_cost=8192).hash("correct horse battery")
    assert passwords.needs_rehash(weak) is True


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "the password has 5 characters; expected at least 12"),
        (" " * 12, "the password is only spaces"),
        ("x" * 1025, "the password has 1025 characters; expected at most 1024"),
        ("twelve chars", None),
    ],
)
def test_password_policy(password: str, problem: str | None) -> None:
    assert passwords.policy_problem(password) == problem


def test_token_is_random_and_stored_as_its_sha256() -> None:
    t1, t2 = tokens.new_token(), tokens.new_token()
    assert t1 != t2 and t1.startswith("nws_") and len(t1) == 4 + 43
    assert tokens.token_hash(t1) == hashlib.sha256(t1.encode()).hexdigest()
    assert len(tokens.token_hash(t1)) == 64 and t1 not in tokens.token_hash(t1)
    assert tokens.looks_like_token(t1)
    assert not tokens.looks_like_token("Bearer " + t1)
    assert not tokens.looks_like_token("nws_short")
    assert not tokens.looks_like_token("nws_" + "é" * 30)


@pytest.mark.parametrize(
    ("failures", "now", "limit", "expected"),
    [
        ([], T0, 5, None),
        ([T0] * 4, T0, 5, None),  # 4 failures: the 5th attempt is still allowed
        ([T0] * 5, T0, 5, 900),  # 5 in the window: wait until the oldest leaves it
        ([T0] * 5, T0 + 5 * MIN, 5, 600),
        ([T0] * 5, T0 + 15 * MIN, 5, None),  # exactly a window later: free again
        ([T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN], T0 + 4 * MIN, 5, 660),
        # six failures: the block lifts when the 5th newest (T0 + 1 min) leaves the window
        ([T0 + i * MIN for i in range(6)], T0 + 10 * MIN, 5, 360),
        ([T0 - 20 * MIN] * 10 + [T0] * 4, T0, 5, None),  # old failures do not count
        ([T0 + 10 * MIN] * 5, T0, 5, None),  # failures "in the future" do not count
    ],
)
def test_throttle_window(failures: list, now: dt.datetime, limit: int, expected: int | None) -> None:
    assert throttle.retry_after(failures, now, limit) == expected


def test_throttle_limits_are_per_account_below_per_address() -> None:
    assert (throttle.ACCOUNT_LIMIT, throttle.ADDRESS_LIMIT) == (5, 20)
    assert dt.timedelta(minutes=15) == throttle.WINDOW


@pytest.mark.parametrize(
    ("signed_in", "seen", "now", "why"),
    [
        (0, 0, 60, None),
        (0, 7 * 3600, 8 * 3600, None),
        (0, 8 * 3600, 8 * 3600 + 1, "the session is older than 8 hours"),
        (0, 0, 3601, "the session was idle for more than 1 hour"),
        (1000, 1000, 0, "the session's times are in the future"),
    ],
)
def test_session_expiry(signed_in: float, seen: float, now: float, why: str | None) -> None:
    assert sessions.expired(signed_in, seen, now) == why


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("ucdp_ged_syria_652.1601.1911.csv", "ucdp_ged_syria_652.1601.1911.csv"),
        ("../../workspace/store.sqlite3", "store.sqlite3"),
        ("..\\..\\x.csv", "x.csv"),
        ("/etc/passwd", "passwd"),
        ("..", "upload"),
        ("نازحون.csv", "upload.csv"),
        ("a b\x00c.csv", "a_b_c.csv"),
        ("x" * 200 + ".xlsx", "x" * 75 + ".xlsx"),
        (None, "upload"),
    ],
)
def test_a_file_name_is_only_a_label(name: str | None, label: str) -> None:
    assert uploads.safe_label(name) == label


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members.items():
            z.writestr(n, data)
    return buf.getvalue()


def test_zip_bounded_when_unpacked() -> None:
    bomb = _zip({"layer.shp": b"\0" * 5_000_000})  # ~5 KB on the wire, 5 MB unpacked
    assert len(bomb) < 10_000
    uploads.check_zip(bomb, max_unpacked=10_000_000)  # under the bound: fine
    with pytest.raises(uploads.UploadRefused, match=r"unpacks to 5\.0 MB; expected at most 1 MB") as exc:
        uploads.check_zip(bomb, max_unpacked=1_000_000)
    assert exc.value.status == 413
    many = _zip({f"m{i}.txt": b"x" for i in range(uploads.MAX_MEMBERS + 1)})
    with pytest.raises(uploads.UploadRefused, match="holds 1,001 members; expected at most 1,000"):
        uploads.check_zip(many, max_unpacked=10**9)
    uploads.check_zip(b"PK\x03\x04 not really a zip", max_unpacked=1)  # the loader reports it
    uploads.check_zip(b"a,b\n1,2\n", max_unpacked=1)  # not a zip at all
