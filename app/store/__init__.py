"""The workspace store: batches of figures and events that teams add to the dashboard.

Between the loaders and the canonical tables (STYLE "one room per capability"): loaders
read files and never write; the store never parses files. A *batch* is one file's accepted
rows, stored all or nothing with the file's original bytes, its report and who added it;
a batch is retracted or restored, never deleted.

- :mod:`app.store.schema`: the SQLAlchemy Core tables (one place);
- :mod:`app.store.migrations`: Alembic migrations (``python -m app db upgrade``);
- :mod:`app.store.engine`: engines for SQLite (WAL, the embedded default) and PostgreSQL;
- :mod:`app.store.originals`: original files, content-addressed in the workspace;
- :mod:`app.store.batches`: add, retract, restore (the writers);
- :mod:`app.store.reads`: the version, the batches, the stored figures (the readers);
- :mod:`app.store.live`: the bundle and the store as one set of tables, per store version.
"""
