"""The tables the views read: the bundle and the store together, as of the store's version.

How the bundle relates to the store (README "Adding your own data"): the bundle in
``data/`` is the read-only base (boundaries, gazetteer, regions, the transcribed figures,
the HNO baseline and the north-west UCDP events); the store adds batches on top. Views,
exports and embeds read one figures table: the bundle's figures, then the weekly aggregates
of the events in force (the store's once it has computed them, else the bundle's own), then
the figures of every active batch in the order added.

Every process keeps one :class:`Snapshot` and asks the store for its version at most every
:data:`POLL_SECONDS`; a new version (an add, retract or restore by any process) makes the
next request read the store again, so every worker of ``serve --prod`` shows a change
within a second or two, without a restart. Within one request the snapshot is pinned
(``flask.g``), so a page never mixes two versions. Caches of computed views are keyed by
the version (:mod:`app.web.cache`).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from app.bundle.store import Bundle, load_bundle, release_freed_memory, settle_heap
from app.store.engine import StoreConfig, engine, ensure_ready
from app.tables.compact import concat_compact

log = logging.getLogger(__name__)

#: Seconds between two looks at the store's version (well inside the 5 s promise).
POLL_SECONDS = 1.0


@dataclass(frozen=True)
class Snapshot:
    """The tables as of one store version."""

    version: int
    tables: Bundle
    #: every batch (no report), oldest first
    batches: tuple[dict, ...] = field(default=(), repr=False)

    @property
    def key(self) -> str:
        """Part of every cache key: changes whenever what the views read changes."""
        return f"v{self.version}"

    def retracted(self) -> list[dict]:
        return [b for b in self.batches if b["status"] == "retracted"]


def _unique_ids(figures: pd.DataFrame, batch: Callable[[], pd.Series]) -> pd.Series:
    """Figure ids unique across layers: a stored figure whose id an earlier layer already
    has (the same figure in two files) gets ``~b<batch>`` after it. The views still count
    it once (``app.queries.clean.drop_duplicates`` compares what was published, not ids).
    ``batch`` gives each row's batch label; asked for only when an id repeats (a label per
    row of a million stored figures is a million small strings)."""
    twice = figures["figure_id"].duplicated(keep="first").to_numpy()
    if not twice.any():
        return figures["figure_id"]
    ids = figures["figure_id"].astype(object)
    labels = batch()
    ids[twice] = ids[twice] + "~b" + labels[twice].astype(str)
    return ids


@dataclass(frozen=True)
class Composed(Bundle):
    """The bundle with the store's figures: ``figures`` is the only copy of them.

    ``figures`` holds the bundle's base figures (rows ``:n_base``), then the event
    aggregates in force (``event_figures``, the next ``n_events`` rows, a view of
    ``figures``), then the stored batches' figures. ``base_figures`` (the rest: base and
    stored) is built when asked for and not kept: the views never read it, and keeping it
    was a second copy of every stored figure in every process (a million stored figures:
    about 290 MB)."""

    n_base: int = 0
    n_events: int = 0

    @property
    def base_figures(self) -> pd.DataFrame:
        figures = self.figures
        head = figures.iloc[: self.n_base]
        tail = figures.iloc[self.n_base + self.n_events :]
        return head if not len(tail) else pd.concat([head, tail])


def compose(
    bundle: Bundle,
    stored: pd.DataFrame,
    event_figures: pd.DataFrame | None,
    consume: bool = False,
) -> Bundle:
    """The bundle with the store's figures (``stored``: active batches' figures with a
    ``batch_id`` column; ``event_figures``: the store's aggregates, None = the bundle's).

    The result is a :class:`Bundle` like the one read from ``data/``: ``figures`` holds
    everything in the order base, event aggregates, stored batches; ``event_figures`` the
    aggregates in force and ``base_figures`` the rest (see :class:`Composed`).

    ``consume``: ``stored`` is emptied, a column at a time as the figures are joined, so
    a million stored figures are held about once while they are (twice otherwise)."""
    base = bundle.base_figures
    events = bundle.event_figures if event_figures is None else event_figures
    if event_figures is None and not len(stored):
        return bundle
    parts = [(base, None), (events, "bundle"), (stored, None)]
    parts = [(f, default) for f, default in parts if f is not None and len(f)]
    # each part's batch ids, put aside: their labels are made only when ids repeat
    batch_ids = [
        (frame.pop("batch_id") if consume and frame is stored else frame["batch_id"])
        if "batch_id" in frame
        else None
        for frame, _ in parts
    ]
    n_rows = [len(frame) for frame, _ in parts]

    def batch() -> pd.Series:
        labels = []
        for ids, n, (_frame, default) in zip(batch_ids, n_rows, parts, strict=True):
            if ids is not None:
                ids = ids.astype(object)
                labels.append(ids.where(ids.notna(), "bundle").astype(str))
            else:
                labels.append(pd.Series([default or ""] * n, dtype=object))
        return pd.concat(labels, ignore_index=True)

    frames = [
        frame if consume and frame is stored else frame.drop(columns=["batch_id"], errors="ignore")
        for frame, _ in parts
    ]
    figures = concat_compact(frames, consume=[consume and f is stored for f in frames])
    del frames
    figures["figure_id"] = _unique_ids(figures, batch)
    n_base, n_events = len(base), len(events) if events is not None else 0
    fields = {f.name: getattr(bundle, f.name) for f in dataclasses.fields(Bundle)}
    fields.update(figures=figures, event_figures=figures.iloc[n_base : n_base + n_events],
                  base=None)  # fmt: skip
    return Composed(**fields, n_base=n_base, n_events=n_events)


#: Seconds the last version read is served while the store cannot be reached.
STALE_GRACE_SECONDS = 5.0


class StoreUnavailable(RuntimeError):
    """The store has not answered for longer than :data:`STALE_GRACE_SECONDS` (or never
    answered this process): requests get a 503 saying so (:mod:`app.web.unavailable`)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the data store has not answered for {seconds:.0f} s")
        self.seconds = seconds


class Live:
    """One process's view of the bundle and the store (see module doc)."""

    def __init__(self, bundle: Bundle, store: StoreConfig) -> None:
        self.bundle = bundle
        self.store = store
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._checked = 0.0
        #: when the store stopped answering (monotonic), None while it answers
        self._down_since: float | None = None
        #: pid of the process that listens for announced changes (app.store.notify)
        self.listening = 0

    def look_now(self) -> None:
        """Make the next :meth:`current` ask the store (a change was announced)."""
        self._checked = 0.0

    def probe(self) -> int:
        """The store's version, read now (``/health``): raises when the store is unreachable,
        where :meth:`current` would go on serving the last tables it read."""
        return self._version()

    def _version(self) -> int:
        from app.store.reads import version

        with engine(self.store).connect() as conn:
            return version(conn)

    def _read(self) -> Snapshot:
        from app.store import reads

        with engine(self.store).connect() as conn:
            st = reads.state(conn)
            stored = reads.active_figures(conn)
            release_freed_memory()  # what the read freed, before the figures are joined
            events = reads.event_figures(conn) if st.events_materialised else None
            batches = tuple(reads.batches(conn))
        tables = compose(self.bundle, stored, events, consume=True)
        del stored
        release_freed_memory()
        log.info("store version %s: %s figures", st.version, len(tables.figures))
        return Snapshot(st.version, tables, batches)

    def current(self) -> Snapshot:
        """The snapshot of the store's current version (read again when it changed).

        When the store cannot be reached, the last version read is served for
        :data:`STALE_GRACE_SECONDS` (a database restart, a failover: readers see no error,
        and the figures are as current as the once-a-second check ever makes them);
        after that every request raises :class:`StoreUnavailable` (a clear 503, see
        :mod:`app.web.unavailable`) until the store answers again, with no restart."""
        now = time.monotonic()
        snap = self._snapshot
        if snap is not None and now - self._checked < POLL_SECONDS:
            return self._serve(snap, now)
        with self._lock:
            if self._snapshot is not None and time.monotonic() - self._checked < POLL_SECONDS:
                return self._serve(self._snapshot, time.monotonic())
            try:
                changed = self._snapshot is None or self._version() != self._snapshot.version
                if changed:
                    old = self._snapshot
                    self._snapshot = self._read()
                    if old is not None:  # the old tables go with their cached results
                        from app.queries import checks

                        checks.forget_tables(keep=self._snapshot.tables.figures)
                        del old
                        release_freed_memory()
                    settle_heap()  # the new tables, out of the collector's full passes
                if self._down_since is not None:
                    log.warning("store reachable again after %.1f s",
                                time.monotonic() - self._down_since)  # fmt: skip
                self._down_since = None
            except Exception as exc:
                if self._snapshot is None:
                    raise StoreUnavailable(0.0) from exc
                if self._down_since is None:
                    self._down_since = time.monotonic()
                log.warning("store unreachable (%s): serving version %s",
                            type(exc).__name__, self._snapshot.version)  # fmt: skip
            self._checked = time.monotonic()
            return self._serve(self._snapshot, self._checked)

    def _serve(self, snap: Snapshot, now: float) -> Snapshot:
        down = self._down_since
        if down is not None and now - down > STALE_GRACE_SECONDS:
            raise StoreUnavailable(now - down)
        return snap


_LIVE: dict[tuple[Path, str], Live] = {}
_LIVE_LOCK = threading.Lock()


def get_live(data_dir: Path | None = None, store: StoreConfig | None = None) -> Live:
    """The process's :class:`Live` for the configured bundle and store (made once)."""
    from app.config import get_config

    cfg = get_config()
    data_dir = Path(data_dir or cfg.data_dir).resolve()
    store = store or StoreConfig.from_config(cfg)
    key = (data_dir, store.url)
    with _LIVE_LOCK:
        if key not in _LIVE:
            ensure_ready(store)
            _LIVE[key] = Live(load_bundle(data_dir), store)
        live = _LIVE[key]
    if live.listening != os.getpid():  # once per process: a forked worker starts its own
        from app.store import notify

        live.listening = os.getpid()
        notify.listen(live.look_now)  # with NWS_REDIS_URL only
    return live


def current() -> Snapshot:
    """The snapshot for this request (pinned in ``flask.g``), else the process's current one."""
    from flask import g, has_request_context

    if has_request_context():
        snap = g.get("nws_snapshot")
        if snap is None:
            snap = g.nws_snapshot = get_live().current()
        return snap
    return get_live().current()


def tables() -> Bundle:
    """The current tables (bundle + store): what every view, export and embed reads."""
    return current().tables


def clear() -> None:
    """Forget every process-wide Live (tests pointing at another store or bundle)."""
    with _LIVE_LOCK:
        _LIVE.clear()
