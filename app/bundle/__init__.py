"""The data bundle in ``data/``: built from ``shared/data`` by :mod:`app.bundle.build`,
read at run time by :mod:`app.bundle.store`."""
