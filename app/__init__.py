"""NW Syria displacement dashboard.

Data flows one way: ``data/`` (the bundle) -> ``app.loaders`` (one per source format)
-> ``app.tables`` (canonical tables, validated once) -> ``app.queries`` (pure) ->
``app.figures`` (pure figure builders) -> callbacks in ``components`` and ``app.pages``
-> the browser. Nothing here reads data or registers pages at import.

One setting is made here, before pandas or pyarrow can be imported by any entry point
(``python -m app``, gunicorn's ``app.web.wsgi``): Arrow allocates from the C library's
``malloc`` rather than its bundled mimalloc. mimalloc kept the memory of a large read (the
text of a million stored figures) after it was freed: 150 MB more in every server
process (532 MB instead of 381 MB after start-up), which ``malloc_trim`` cannot hand back.
A value set in the environment is kept.
"""

import os

os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

__version__ = "0.1.0"
