"""The channel that tells every replica the store has changed (``NWS_REDIS_URL``).

Without Redis every process notices a change by asking the store for its version at most
once a second (:mod:`app.store.live`), which is all one machine needs. With several
replicas on one PostgreSQL and one Redis, a writer also publishes the new version on
:data:`CHANNEL` after its commit, and each serving process listens in a daemon thread:
on a message it looks at the store on its next request instead of up to a second later.
The store stays the truth: a lost message only means the one-second poll finds the change.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

CHANNEL = "nws:store-changed"


def _url() -> str:
    from app.config import get_config

    return get_config().redis_url


def changed(version: int | None = None) -> None:
    """Publish a change (after the writer's commit); never fails the writer."""
    url = _url()
    if not url:
        return
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        client.publish(CHANNEL, str(version if version is not None else ""))
        client.close()
    except Exception as exc:  # Redis down: the replicas' poll still finds the change
        log.warning("could not publish the store change on %s: %s", CHANNEL, exc)


_LISTENING: dict[int, threading.Thread] = {}


def listen(on_change: Callable[[], None]) -> bool:
    """Start (once per process: a forked worker starts its own) a daemon thread that calls
    ``on_change`` for every message on :data:`CHANNEL`; False without Redis."""
    url = _url()
    if not url:
        return False
    pid = os.getpid()
    if pid in _LISTENING and _LISTENING[pid].is_alive():
        return True

    def run() -> None:
        import time

        import redis

        while True:
            try:
                client = redis.Redis.from_url(url, socket_connect_timeout=2,
                                              health_check_interval=30)  # fmt: skip
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(CHANNEL)
                for message in pubsub.listen():
                    if message.get("type") == "message":
                        on_change()
            except Exception as exc:  # reconnect after an outage; the poll covers the gap
                log.info("store-change channel: %s; retrying in 2 s", exc)
                time.sleep(2)

    thread = threading.Thread(target=run, name="nws-store-changes", daemon=True)
    thread.start()
    _LISTENING[pid] = thread
    return True


def ping() -> bool | None:
    """Whether Redis answers (None when none is configured)."""
    url = _url()
    if not url:
        return None
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        ok = bool(client.ping())
        client.close()
        return ok
    except Exception:
        return False
