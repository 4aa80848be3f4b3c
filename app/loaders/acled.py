"""ACLED export CSV -> canonical events.

ACLED's terms forbid redistributing raw events, so the bundle has none: users bring their
own licensed export (``event_id_cnty, event_date, ..., latitude, longitude, fatalities``).
``event_date`` is "15 February 2020" in the web export and ISO in the API export; both are
read. ``geo_precision`` (1-3) says how precisely the event is located and is read with UCDP's
table (1-2 sub-district, 3 district). ACLED has no low/high range (both = ``fatalities``) and
no civilian count. The work is done by :func:`app.loaders.events.load_events`.
"""

from __future__ import annotations

import pandas as pd

from app.loaders.context import LoadContext
from app.loaders.events import EventSpec, load_events
from app.loaders.report import LoadResult
from app.loaders.table import Table

ACLED = EventSpec(
    dataset="ACLED",
    event_id="event_id_cnty",
    date="event_date",
    date_formats=("%d %B %Y", "%Y-%m-%d"),
    latitude="latitude",
    longitude="longitude",
    fatalities="fatalities",
    event_type="event_type",
    precision="geo_precision",
    precision_codes=(1, 3),
    admin1="admin1",
    country="country",
    text={"sub_event_type": "sub_event_type", "location": "location", "source": "source"},
)


def load_acled(table: Table, result: LoadResult, ctx: LoadContext) -> pd.DataFrame:
    return load_events(table, ACLED, result, ctx)
