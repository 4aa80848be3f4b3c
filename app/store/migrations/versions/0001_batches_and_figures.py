"""The first store: batches of figures, their log, and the store's version.

Revision ID: 0001
Revises:
Create Date: 2026-12-06

Spelled out here (not imported from app.store.schema): a migration is the schema as it
was at that release, and must not change when the schema module changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def figure_columns() -> list[sa.Column]:
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


def upgrade() -> None:
    op.create_table(
        "store_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True)),
    )
    op.execute("INSERT INTO store_state (id, version) VALUES (1, 0)")
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("format", sa.Text, nullable=False),
        sa.Column("table_name", sa.Text, nullable=False),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("accepted", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("unmatched", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("status", sa.Text, nullable=False, server_default="active"),
        sa.Column("status_why", sa.Text),
        sa.Column("status_by", sa.Text),
        sa.Column("status_at", sa.DateTime(timezone=True)),
        sa.Column("report", sa.Text, nullable=False),
    )
    op.create_table(
        "batch_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("why", sa.Text),
    )
    op.create_table(
        "figures",
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        *figure_columns(),
        sa.PrimaryKeyConstraint("batch_id", "seq"),
    )
    op.create_index("ix_figures_batch_id", "figures", ["batch_id"])


def downgrade() -> None:
    op.drop_index("ix_figures_batch_id", "figures")
    for table in ("figures", "batch_log", "batches", "store_state"):
        op.drop_table(table)
