"""Alembic environment: runs the migrations on the connection the store hands over
(``config.attributes["connection"]``), so the same code serves SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import context

from app.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
)
with context.begin_transaction():
    context.run_migrations()
