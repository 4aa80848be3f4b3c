"""UCDP Georeferenced Event Dataset (GED) CSV -> canonical events.

UCDP GED is CC BY 4.0 (cite: Sundberg & Melander 2013; Högbladh 2019, codebook 19.1).
Fatalities are UCDP's ``best`` estimate, with ``low`` and ``high`` beside it (a ``best``
outside them is reported and the range widened to include it), civilian deaths from
``deaths_civilians``, and ``type_of_violence`` (1-3) becomes a readable event type. The
event date is ``date_start``; ``date_end`` is kept. ``where_prec`` (1-7) says how precisely
the event is located, hence the admin level it may count toward
(:data:`app.loaders.events.LEVEL_OF_PRECISION`). The work is done by
:func:`app.loaders.events.load_events`.
"""

from __future__ import annotations

import pandas as pd

from app.loaders.context import LoadContext
from app.loaders.events import EventSpec, load_events
from app.loaders.report import LoadResult
from app.loaders.table import Table

UCDP = EventSpec(
    dataset="UCDP GED",
    event_id="id",
    date="date_start",
    date_formats=("%Y-%m-%d", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"),
    latitude="latitude",
    longitude="longitude",
    fatalities="best",
    event_type="type_of_violence",
    date_end="date_end",
    precision="where_prec",
    precision_codes=(1, 7),
    fatalities_low="low",
    fatalities_high="high",
    civilians="deaths_civilians",
    admin1="adm_1",
    country="country",
    text={"location": "where_coordinates"},
    event_type_labels={
        "1": "state-based conflict",
        "2": "non-state conflict",
        "3": "one-sided violence",
    },
)


def load_ucdp(table: Table, result: LoadResult, ctx: LoadContext) -> pd.DataFrame:
    return load_events(table, UCDP, result, ctx)
