"""NW Syria displacement dashboard.

Data flows one way: ``data/`` (the bundle) -> ``app.loaders`` (one per source format)
-> ``app.tables`` (canonical tables, validated once) -> ``app.queries`` (pure) ->
``app.figures`` (pure figure builders) -> callbacks in ``components`` and ``app.pages``
-> the browser. Nothing here reads data or registers pages at import.

Two memory settings are made here, before pandas or pyarrow can be imported by any entry
point (``python -m app``, gunicorn's ``app.web.wsgi``), measured with a million stored
figures (docs/performance.md, "Memory per process"):

- Arrow allocates from the C library's ``malloc`` rather than its bundled mimalloc, which
  kept the memory of a large read after it was freed: 150 MB more in every server process
  (532 MB instead of 381 MB after start-up), that ``malloc_trim`` cannot hand back. A
  value set in ``ARROW_DEFAULT_MEMORY_POOL`` is kept.
- glibc serves every block of 128 KiB or more (a column of a large table) from its own
  mapping, returned to the system when freed. By default glibc raises that threshold (up
  to 32 MiB) as such blocks are freed, and later columns then come from the heap, which
  keeps freed memory: an export of a million figures peaked at 783 MB instead of 701 MB
  (1 MiB: 731 MB), for about 20% more time.
"""

import contextlib
import ctypes
import os

os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
with contextlib.suppress(OSError, AttributeError):  # not glibc: its defaults stay
    ctypes.CDLL("libc.so.6").mallopt(-3, 128 << 10)  # M_MMAP_THRESHOLD, fixed

__version__ = "0.1.0"
