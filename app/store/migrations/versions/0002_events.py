"""Conflict events: raw events per batch, their weekly aggregates, and supersession counts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_first = importlib.import_module("app.store.migrations.versions.0001_batches_and_figures")


def upgrade() -> None:
    with op.batch_alter_table("batches") as t:
        t.add_column(sa.Column("superseded", sa.Integer, nullable=False, server_default="0"))
    with op.batch_alter_table("store_state") as t:
        t.add_column(
            sa.Column("events_materialised", sa.Integer, nullable=False, server_default="0")
        )
    op.create_table(
        "events",
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
    )
    op.create_index("ix_events_batch_id", "events", ["batch_id"])
    op.create_index("ix_events_key", "events", ["dataset", "event_id"])
    op.create_table(
        "event_figures",
        sa.Column("batch_id", sa.Integer),
        sa.Column("seq", sa.Integer, nullable=False),
        *_first.figure_columns(),
    )
    op.create_index("ix_event_figures_batch_id", "event_figures", ["batch_id"])


def downgrade() -> None:
    op.drop_index("ix_event_figures_batch_id", "event_figures")
    op.drop_table("event_figures")
    op.drop_index("ix_events_key", "events")
    op.drop_index("ix_events_batch_id", "events")
    op.drop_table("events")
    with op.batch_alter_table("store_state") as t:
        t.drop_column("events_materialised")
    with op.batch_alter_table("batches") as t:
        t.drop_column("superseded")
