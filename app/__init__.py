"""NW Syria displacement dashboard.

Data flows one way: ``data/`` (the bundle) -> ``app.loaders`` (one per source format)
-> ``app.tables`` (canonical tables, validated once) -> ``app.queries`` (pure) ->
``app.figures`` (pure figure builders) -> callbacks in ``components`` and ``app.pages``
-> the browser. Nothing here reads data, the environment or registers pages at import.
"""

__version__ = "0.1.0"
