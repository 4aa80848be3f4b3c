"""Alembic migrations of the store, one per change, run by ``python -m app db upgrade``
(:func:`app.store.engine.upgrade`), never at import."""
