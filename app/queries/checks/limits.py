"""The sizes at which the checks change how they work: a small table keeps its columns'
codes between calls, a large one is checked in parts and hands memory back, and the records
of many flags are read a batch at a time.

The other modules read them as ``limits._LARGE`` (never ``from ... import _LARGE``), when
called: a test shrinks a size in this one place (``monkeypatch.setattr(checks.limits,
"_LARGE", 500)``) and every module sees it."""

#: Up to this many rows, the checks take the rows' columns at once (a view's figures).
_SMALL = 5_000
#: Above this many rows a table is large: its flags are not kept by ``view_checks``
#: (a million rows' flags weigh 150 MB), and memory is handed back between checks.
_LARGE = 100_000
#: Records read at once for the messages of a large table's flags.
_BATCH = 20_000
#: A large table's checks that compare figures of one place run on parts of about this
#: many rows, whole places each (:func:`~app.queries.checks.run._by_place`).
_PLACE_ROWS = 60_000
