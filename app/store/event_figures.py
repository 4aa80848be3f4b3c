"""Weekly aggregates of the events in force, recomputed inside a writer's transaction.

The events in force are the bundle's (the oldest layer) and those of every active batch in
the order they were added; for one dataset's event id the latest layer wins, so a new
release imported over the last one counts each event once, and retracting it brings the
earlier rows back. Aggregating is :mod:`app.events.aggregate` (pure); this module reads the
layers, writes ``event_figures`` and says, per batch, how many earlier rows it superseded.

Computed when an event batch changes (not per reader): readers then read a few thousand
aggregate rows instead of a million events.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from app.store import schema
from app.store.engine import StoreConfig
from app.store.rows import insert_frame, read_frame

#: Event columns the aggregation needs, as stored.
_READ = ["batch_id", "dataset", "event_id", "date", "date_end", "lat", "lon", "precision",
         "level", "adm1_pcode", "adm2_pcode", "adm3_pcode", "fatalities", "fatalities_low",
         "fatalities_high", "civilians", "event_type", "source_row"]  # fmt: skip
BUNDLE = "bundle"


def _store_layers(
    conn: sa.Connection, skip: int | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events of the active batches in the order added, those batches' provenance); the
    events of batch ``skip`` are not read (its caller has them in memory)."""
    e, b = schema.events, schema.batches
    active = (
        sa.select(b.c.id, b.c.file_name, b.c.publisher, b.c.published)
        .where(b.c.status == "active", b.c.table_name == "events")
        .order_by(b.c.id)
    )
    batches = pd.DataFrame(conn.execute(active).fetchall(),
                           columns=["id", "file_name", "publisher", "published"])  # fmt: skip
    query = (
        sa.select(*[e.c[c] for c in _READ])
        .join(b, b.c.id == e.c.batch_id)
        .where(b.c.status == "active", b.c.table_name == "events")
        .order_by(e.c.batch_id, e.c.seq)
    )
    if skip is not None:
        query = query.where(e.c.batch_id != skip)
    return read_frame(conn, query, _READ), batches


def _bundle_provenance(bundle) -> object | None:  # type: ignore[no-untyped-def]
    """Provenance of the bundle's events, as its shipped aggregates state it."""
    from app.events.aggregate import Provenance

    figures = getattr(bundle, "event_figures", None)
    if figures is None or figures.empty:
        return None
    first = figures.iloc[0]
    return Provenance(
        publisher=str(first["publisher"]),
        document=str(first["document"]),
        url="" if pd.isna(first["url"]) else str(first["url"]),
        published_date=None if pd.isna(first["published_date"]) else first["published_date"],
        source_file=str(first["source_file"]),
    )


def materialise(
    conn: sa.Connection, store: StoreConfig, new: tuple[int, pd.DataFrame] | None = None
) -> dict[int, int]:
    """Recompute ``event_figures``; returns {batch id: rows of earlier layers it superseded}.

    ``new``: (batch id, its canonical events) of a batch just inserted in this transaction,
    used from memory instead of read back (a million-event ``add`` saves seconds)."""
    from app.bundle.store import load_bundle
    from app.events.aggregate import Provenance, current_events, event_figures

    del store  # the connection is the store; kept for symmetry with the other writers
    bundle = load_bundle()
    stored, batches = _store_layers(conn, skip=new[0] if new else None)
    layers: list[pd.DataFrame] = []
    names: list[str] = []
    provenance: dict[str, object] = {}
    bundle_events = getattr(bundle, "events", None)
    if bundle_events is not None and len(bundle_events):
        layers.append(bundle_events.assign(batch=BUNDLE))
        names.append(BUNDLE)
        provenance[BUNDLE] = _bundle_provenance(bundle)
    stored = stored.rename(columns={"dataset": "source_dataset"})
    for row in batches.itertuples(index=False):
        key = str(row.id)
        if new is not None and row.id == new[0]:
            layer = new[1]
        else:
            layer = stored[stored["batch_id"] == row.id].drop(columns="batch_id")
        layers.append(layer.assign(batch=key))
        names.append(key)
        dataset = str(layer["source_dataset"].iloc[0]) if len(layer) else "events"
        provenance[key] = Provenance(
            publisher=row.publisher or f"{dataset} ({row.file_name})",
            document=row.file_name,
            url="",
            published_date=None if pd.isna(row.published) else pd.Timestamp(row.published),
            source_file=row.file_name,
        )
    current, superseded = current_events(layers) if layers else (pd.DataFrame(), [])
    conn.execute(sa.delete(schema.event_figures))
    for key, group in current.groupby("batch", sort=False) if len(current) else ():
        figures = event_figures(group, {key: provenance[key]})
        batch_id = None if key == BUNDLE else int(key)
        insert_frame(conn, schema.event_figures, figures.assign(batch_id=batch_id), {})
    conn.execute(sa.update(schema.state).values(events_materialised=1))
    return {int(n): int(s) for n, s in zip(names, superseded, strict=True) if n != BUNDLE}
