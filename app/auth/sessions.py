"""How long an editor's session lasts: :data:`LIFETIME` after signing in at most, and
:data:`IDLE` without a request. The session itself is Flask's signed cookie
(``NWS_SECRET_KEY``); these times travel inside it, signed, and are checked on every
``/data`` request (the cookie's own expiry is only a hint to the browser).
"""

from __future__ import annotations

import datetime as dt

LIFETIME = dt.timedelta(hours=8)
IDLE = dt.timedelta(hours=1)


def expired(signed_in: float, seen: float, now: float) -> str | None:
    """Why a session with these POSIX times is over at ``now``, or None while it holds.

    >>> expired(0, 0, 3599) is None
    True
    >>> expired(0, 0, 3601)
    'the session was idle for more than 1 hour'
    >>> expired(0, 8 * 3600, 8 * 3600 + 1)
    'the session is older than 8 hours'
    """
    if now - signed_in > LIFETIME.total_seconds():
        return f"the session is older than {int(LIFETIME.total_seconds() // 3600)} hours"
    if now - seen > IDLE.total_seconds():
        return f"the session was idle for more than {int(IDLE.total_seconds() // 3600)} hour"
    if signed_in > now + 60 or seen > now + 60:
        return "the session's times are in the future"
    return None
