"""Password hashes: argon2id from argon2-cffi with its defaults (RFC 9106's low-memory
profile: 3 passes, 64 MiB, 4 lanes), never a home-made KDF.

A sign-in for a name that has no account still verifies a password against a fixed hash,
so the answer takes as long as for a real account (no account enumeration by timing).
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

#: The shortest password ``editor add`` takes (NIST SP 800-63B asks for at least 8; an
#: editor's account changes what thousands read, so a little more).
MIN_LENGTH = 12
MAX_LENGTH = 1024


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def policy_problem(password: str) -> str | None:
    """Why ``password`` cannot be used, or None."""
    if len(password) < MIN_LENGTH:
        return f"the password has {len(password)} characters; expected at least {MIN_LENGTH}"
    if len(password) > MAX_LENGTH:
        return f"the password has {len(password)} characters; expected at most {MAX_LENGTH}"
    if not password.strip():
        return "the password is only spaces"
    return None


def hash_password(password: str) -> str:
    """An argon2id hash (PHC string: algorithm, parameters, salt and hash in one)."""
    return _hasher().hash(password)


def verify(stored_hash: str, password: str) -> bool:
    """True when ``password`` matches ``stored_hash``; False for a mismatch or a bad hash."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's defaults."""
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not a password: equalises the time of unknown names")


def burn_time(password: str) -> None:
    """Verify against a fixed hash (an unknown name costs as much as a known one)."""
    verify(_dummy_hash(), password)
