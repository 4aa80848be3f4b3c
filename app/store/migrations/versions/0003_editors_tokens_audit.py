"""Editors (argon2 password hashes), their API tokens (sha256 only) and the audit record.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

Spelled out here, like 0001: the schema as it was at this release.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "editors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "editor_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("editor_id", sa.Integer, sa.ForeignKey("editors.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("editor", sa.Text),
        sa.Column("address", sa.Text),
        sa.Column("via", sa.Text, nullable=False),
        sa.Column("batch_id", sa.Integer),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_audit_action_editor_at", "audit", ["action", "editor", "at"])
    op.create_index("ix_audit_action_address_at", "audit", ["action", "address", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_action_address_at", "audit")
    op.drop_index("ix_audit_action_editor_at", "audit")
    op.drop_table("audit")
    op.drop_table("editor_tokens")
    op.drop_table("editors")
