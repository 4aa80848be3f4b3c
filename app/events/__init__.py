"""Conflict events -> weekly casualty figures per area (pure functions, no I/O).

Events arrive as canonical events tables (:class:`app.tables.schemas.Events`), one per
file (a *layer*, tagged with its ``batch``). :func:`~app.events.aggregate.current_events`
lets a later file supersede the rows it shares with an earlier one;
:func:`~app.events.aggregate.event_figures` sums what remains into canonical figure rows,
one per area, ISO week and metric, each event counted only down to the admin level its
location precision supports.
"""

from app.events.aggregate import Provenance, current_events, event_figures

__all__ = ["Provenance", "current_events", "event_figures"]
