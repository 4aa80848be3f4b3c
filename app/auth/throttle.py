"""Failed sign-ins, throttled per account and per address (answered with 429 and
``Retry-After``).

A sliding window over the failures recorded in the audit: when an account has had
:data:`ACCOUNT_LIMIT` failures in the last :data:`WINDOW`, or an address
:data:`ADDRESS_LIMIT` (a guesser trying many names), further attempts are refused, even
with the right password, until enough of those failures are older than the window. Kept in
the store, so every gunicorn worker counts the same failures and a restart forgets nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from app.auth import audit
from app.store.engine import StoreConfig, engine

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = dt.timedelta(minutes=15)


def retry_after(failures: Sequence[dt.datetime], now: dt.datetime, limit: int,
                window: dt.timedelta = WINDOW) -> int | None:  # fmt: skip
    """Seconds until one more attempt is allowed, or None when it is allowed now.

    ``failures`` in any order. Blocked while ``limit`` or more failures lie within
    ``window`` before ``now``; the block lifts when the ``limit``-th newest one leaves it.

    >>> t = dt.datetime(2020, 2, 16, 12, 0, tzinfo=dt.UTC)
    >>> retry_after([t] * 4, t, limit=5) is None
    True
    >>> retry_after([t] * 5, t + dt.timedelta(minutes=5), limit=5)
    600
    """
    recent = sorted(f for f in failures if now - window < f <= now)
    if len(recent) < limit:
        return None
    frees_at = recent[-limit] + window
    return max(1, math.ceil((frees_at - now).total_seconds()))


@dataclass(frozen=True)
class Verdict:
    """Whether a sign-in may be tried now; ``why`` names the account or the address."""

    retry_after: int | None
    why: str = ""

    @property
    def allowed(self) -> bool:
        return self.retry_after is None


def check(store: StoreConfig, name: str, address: str) -> Verdict:
    """May ``name`` try to sign in from ``address`` now?"""
    now = audit.now()
    since = now - WINDOW
    with engine(store).connect() as conn:
        by_name = audit.failure_times(conn, since, editor=name)
        by_address = audit.failure_times(conn, since, address=address)
    waits = []
    wait = retry_after(by_name, now, ACCOUNT_LIMIT)
    if wait is not None:
        waits.append((wait, f"{ACCOUNT_LIMIT} failed sign-ins for this account"))
    wait = retry_after(by_address, now, ADDRESS_LIMIT)
    if wait is not None:
        waits.append((wait, f"{ADDRESS_LIMIT} failed sign-ins from this address"))
    if not waits:
        return Verdict(None)
    wait, why = max(waits)
    return Verdict(wait, f"{why} within {int(WINDOW.total_seconds() // 60)} minutes")
