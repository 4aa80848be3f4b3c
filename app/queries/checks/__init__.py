"""Consistency checks on the figures: they flag, they never fix.

A check that "corrected" a figure would be picking one source silently, which is what the
product exists not to do. So each check returns rows that say which figure looks wrong,
why, and which other figures it was compared with; views show them as flags beside the
figure, and exports carry them in a ``flags`` column. README "Consistency checks" lists
them; :data:`CHECKS` is the same list in code (a test keeps the two in step).

Run the checks on the figures *as known on* the view's date (``filters.known_on``), never on
the whole table: a flag must not mention a figure that was published later.

The checks are vectorised (numpy over codes of the columns), because the export runs them on
whole tables (a million generated rows must not take minutes or gigabytes): rows are
grouped by integer codes, pairs are built only inside groups, and "the nearest running
total before / after a flow" is a sorted-index query. Python only formats the messages of
the rows that are flagged. ``tests/unit/test_checks_vectorised.py`` holds them to the
earlier record-by-record implementation (``tests/unit/checks_reference.py``), flag for flag.

One job a module; each imports only from those above it in this list:

- :mod:`~app.queries.checks.spec`: the list of checks, a flag's columns and severities;
- :mod:`~app.queries.checks.limits`: the sizes at which the checks change how they work;
- :mod:`~app.queries.checks.vectors`: numpy helpers over integer codes;
- :mod:`~app.queries.checks.rows`: a table's columns as codes, the rows being checked;
- :mod:`~app.queries.checks.words`: the labels, days and numbers of the messages;
- :mod:`~app.queries.checks.rules`: the checks themselves;
- :mod:`~app.queries.checks.run`: running them on a table, a large one in parts;
- :mod:`~app.queries.checks.views`: the checks as known on a date, with their caches;
- :mod:`~app.queries.checks.text`: the flags as messages and as an export's cells.

This package re-exports their public names (``checks.view_checks``, ...) and the few
private ones the tests read (``checks._run``, ...); anything else is read from its module. The
sizes in :mod:`~app.queries.checks.limits` are not re-exported: a test shrinks them there
(``monkeypatch.setattr(checks.limits, "_LARGE", 500)``), and a cache is replaced in the
module that holds it (``checks.views``): a name rebound on this package is not what the
functions read.
"""

from __future__ import annotations

from app.queries.checks.rules import (
    children_exceed_parent,
    cumulative_falls,
    flow_exceeds_change,
    nationwide_in_nw_view,
    published_twice,
)
from app.queries.checks.run import (
    _by_place,
    _in_flag_order,
    _metric_families,
    _parts,
    _place_keys,
    _run,
    run_checks,
)
from app.queries.checks.spec import (
    CHECKS,
    COLUMNS,
    FLOW_TO_CUMULATIVE,
    SEVERITIES,
    SEVERITY_WORDS,
    severity_word,
)
from app.queries.checks.text import (
    flag_cells,
    flags_by_figure,
    flags_text,
    messages_by_id,
    messages_for,
)
from app.queries.checks.vectors import _prefix_extreme
from app.queries.checks.views import (
    _RECENT_VIEW_CHECKS,
    LARGE_EXPORT_FLAGS_KEPT,
    VIEW_CHECKS_KEPT,
    _without_sector,
    checked_days,
    checked_key,
    checked_rows,
    export_flags,
    forget_tables,
    view_checks,
)

__all__ = [
    "CHECKS",
    "COLUMNS",
    "FLOW_TO_CUMULATIVE",
    "LARGE_EXPORT_FLAGS_KEPT",
    "SEVERITIES",
    "SEVERITY_WORDS",
    "VIEW_CHECKS_KEPT",
    "_RECENT_VIEW_CHECKS",
    "_by_place",
    "_in_flag_order",
    "_metric_families",
    "_parts",
    "_place_keys",
    "_prefix_extreme",
    "_run",
    "_without_sector",
    "checked_days",
    "checked_key",
    "checked_rows",
    "children_exceed_parent",
    "cumulative_falls",
    "export_flags",
    "flag_cells",
    "flags_by_figure",
    "flags_text",
    "flow_exceeds_change",
    "forget_tables",
    "messages_by_id",
    "messages_for",
    "nationwide_in_nw_view",
    "published_twice",
    "run_checks",
    "severity_word",
    "view_checks",
]
