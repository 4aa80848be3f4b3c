"""The store's tables, in one place (SQLAlchemy Core). Migrations in ``app/store/migrations``
create and change them; nothing here runs SQL.

Provenance is columns, not comments: every stored figure and event keeps its batch and its
row in the original file; every batch keeps its file's name, sha256, who added it, when,
and the counts of its report (rows read = accepted + rejected + unmatched).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

#: One row (id 1): the store's version, raised by every add, retract and restore in the same
#: transaction. Readers compare it to decide whether their tables are current.
state = sa.Table(
    "store_state",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("changed_at", sa.DateTime(timezone=True)),
    #: 1 once event aggregates were computed by the store (then they replace the bundle's)
    sa.Column("events_materialised", sa.Integer, nullable=False, server_default="0"),
)

batches = sa.Table(
    "batches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("format", sa.Text, nullable=False),
    #: "figures" or "events"
    sa.Column("table_name", sa.Text, nullable=False),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("accepted", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("unmatched", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    #: events only: rows of earlier batches this batch superseded when it was added
    sa.Column("superseded", sa.Integer, nullable=False, server_default="0"),
    sa.Column("added_by", sa.Text, nullable=False),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("note", sa.Text),
    #: --publisher: the dataset's name for events (UCDP files carry no release name)
    sa.Column("publisher", sa.Text),
    #: --published: the release date (events) / publication date where a figure has none
    sa.Column("published", sa.Date),
    #: "active" or "retracted"
    sa.Column("status", sa.Text, nullable=False, server_default="active"),
    sa.Column("status_why", sa.Text),
    sa.Column("status_by", sa.Text),
    sa.Column("status_at", sa.DateTime(timezone=True)),
    #: the loader's report as JSON: every problem (rejected and unmatched rows included)
    sa.Column("report", sa.Text, nullable=False),
)

#: Every add, retract and restore, with who, when and why (batches hold only the latest).
batch_log = sa.Table(
    "batch_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("why", sa.Text),
)

_TEXT = ("figure_id", "metric", "kind", "metric_as_written", "sector", "qualifier",
         "area_pcode", "region", "area_as_written", "publisher", "document", "url", "note",
         "source_file")  # fmt: skip


def _figure_columns() -> list[sa.Column]:
    return [
        sa.Column("figure_id", sa.Text, nullable=False),
        sa.Column("metric", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("metric_as_written", sa.Text, nullable=False),
        sa.Column("sector", sa.Text),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("qualifier", sa.Text),
        sa.Column("low", sa.Float, nullable=False),
        sa.Column("high", sa.Float, nullable=False),
        sa.Column("period_start", sa.Date),
        sa.Column("period_end", sa.Date),
        sa.Column("area_pcode", sa.Text),
        sa.Column("region", sa.Text),
        sa.Column("area_as_written", sa.Text, nullable=False),
        sa.Column("publisher", sa.Text, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("published_date", sa.Date),
        sa.Column("note", sa.Text),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("source_row", sa.Integer, nullable=False),
    ]


#: The figures of a batch, in the canonical columns (``app.tables.columns.FIGURE_COLUMNS``).
figures = sa.Table(
    "figures",
    metadata,
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    *_figure_columns(),
    sa.PrimaryKeyConstraint("batch_id", "seq"),
    sa.Index("ix_figures_batch_id", "batch_id"),
)

#: Conflict events of a batch. Never exported (ACLED's terms forbid re-publishing raw
#: events): the views see them only as weekly aggregates (``event_figures``).
events = sa.Table(
    "events",
    metadata,
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("dataset", sa.Text, nullable=False),
    sa.Column("event_id", sa.Text, nullable=False),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("date_end", sa.Date, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("precision", sa.Integer, nullable=False),
    sa.Column("level", sa.Integer, nullable=False),
    sa.Column("adm1_pcode", sa.Text),
    sa.Column("adm2_pcode", sa.Text),
    sa.Column("adm3_pcode", sa.Text),
    sa.Column("fatalities", sa.Float, nullable=False),
    sa.Column("fatalities_low", sa.Float, nullable=False),
    sa.Column("fatalities_high", sa.Float, nullable=False),
    sa.Column("civilians", sa.Float),
    sa.Column("event_type", sa.Text),
    sa.Column("source_row", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("batch_id", "seq"),
    sa.Index("ix_events_batch_id", "batch_id"),
    sa.Index("ix_events_key", "dataset", "event_id"),
)

#: Weekly aggregates of the events in force (bundle's and stored), recomputed in the same
#: transaction as every change to an event batch; ``batch_id`` NULL = the bundle's events.
event_figures = sa.Table(
    "event_figures",
    metadata,
    sa.Column("batch_id", sa.Integer),
    sa.Column("seq", sa.Integer, nullable=False),
    *_figure_columns(),
    sa.Index("ix_event_figures_batch_id", "batch_id"),
)

EVENT_STORE_COLUMNS = [c.name for c in events.columns if c.name not in ("batch_id", "seq")]

#: Editors who may add, retract and restore batches from the browser or the API (the
#: readers stay anonymous). ``password_hash``: argon2id (``app.auth.passwords``).
editors = sa.Table(
    "editors",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

#: API tokens: only the sha256 of each token is kept (``app.auth.tokens``); ``prefix`` is its
#: first characters, so an editor can tell tokens apart without the store holding them.
editor_tokens = sa.Table(
    "editor_tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("editor_id", sa.Integer, sa.ForeignKey("editors.id"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("prefix", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("last_used_at", sa.DateTime(timezone=True)),
)

#: What editors did and tried (sign-ins, failed sign-ins, uploads, accepts, discards,
#: retractions, restorations, account changes): who, when, from which address, by which
#: way in (web, api, cli). Failed sign-ins here are also what throttling counts.
audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("editor", sa.Text),
    sa.Column("address", sa.Text),
    sa.Column("via", sa.Text, nullable=False),
    sa.Column("batch_id", sa.Integer),
    sa.Column("detail", sa.Text),
    sa.Index("ix_audit_action_editor_at", "action", "editor", "at"),
    sa.Index("ix_audit_action_address_at", "action", "address", "at"),
)
