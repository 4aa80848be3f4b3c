"""API tokens: 256 random bits, shown once, stored only as their sha256.

A token is random (not chosen by a person), so a fast hash is enough: nobody can guess
one from its hash by trying likely values, and the store never holds a usable token.
argon2 would make every API call slower for no gain.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "nws_"
#: Characters of the token kept in the store (and listed) to tell tokens apart.
SHOWN = len(PREFIX) + 6


def new_token() -> str:
    """``nws_`` + 43 URL-safe characters (32 random bytes)."""
    return PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The sha256 of the token, hex: what the store keeps."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(text: str) -> bool:
    """Cheap shape check before any database look-up."""
    return text.startswith(PREFIX) and 20 <= len(text) <= 200 and text.isascii()
