"""The export's columns, their types and their HXL hashtags: the one table of record.

Column order: the COD-AB admin columns first (P-codes and English and Arabic names, as
OCHA's common operational datasets name them, so an export joins to any COD-AB table),
then every canonical figure column in schema order (so the figures load back through
``app.loaders.load`` unchanged), then the flag columns that say how the dashboard treats
a row. Types decide how each writer writes a cell and which cells may be neutralised
against formula injection (text only: see :mod:`app.export.text`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from app.i18n import N_
from app.tables.columns import FIGURE_COLUMNS  # not schemas: no pandera at start-up


class ColumnType(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    BOOLEAN = "boolean"


ADM_LEVELS = (1, 2, 3)
#: ADM1_PCODE, ADM1_EN, ADM1_AR, ADM2_PCODE, ... (COD-AB names).
ADM_COLUMNS: list[str] = [f"ADM{lv}_{part}" for lv in ADM_LEVELS for part in ("PCODE", "EN", "AR")]

#: Flags (after the canonical columns): how the dashboard's views treat the row.
FLAG_COLUMNS: list[str] = ["duplicate", "sub_area", "flags"]
FLAG_DESCRIPTIONS: dict[str, str] = {
    "duplicate": N_(
        "true when the same published figure is also on another row (transcribed "
        "from two files): the dashboard counts it once"
    ),
    "sub_area": N_(
        "true when the figure is for a smaller place carried on its parent's P-code "
        "(the source note says so): never drawn or added up as the area's own figure"
    ),
    "flags": N_(
        "consistency checks raised on the figure (app.queries.checks, README "
        '"Consistency checks"), as known on the export\'s as-of date: '
        "check (severity, with related figure ids); empty when none. Flagged, never fixed"
    ),
}

EXPORT_COLUMNS: list[str] = ADM_COLUMNS + FIGURE_COLUMNS + FLAG_COLUMNS

#: (marked with ``N_``: the XLSX README sheet shows them in the request's language)
ADM_WORDS = {
    1: N_("governorate (admin 1)"),
    2: N_("district (admin 2)"),
    3: N_("sub-district (admin 3)"),
}
#: The admin columns' descriptions, for each level's word.
ADM_DESCRIPTIONS = {
    "PCODE": N_(
        "P-code of the {level} the figure's area lies in (OCHA COD-AB); empty for "
        "a named region, whose id is in region"
    ),
    "EN": N_("English name of that {level} (COD-AB)"),
    "AR": N_("Arabic name of that {level} (COD-AB)"),
}
#: What every export column holds, in words (the XLSX README sheet's "meaning" column, as
#: IDMC's exports describe theirs). ``tests/unit/test_export_columns.py`` fails when an
#: export column has no description.
COLUMN_DESCRIPTIONS: dict[str, str] = {
    **{
        f"ADM{lv}_{part}": text.format(level=ADM_WORDS[lv])
        for lv in ADM_LEVELS
        for part, text in ADM_DESCRIPTIONS.items()
    },
    "figure_id": N_(
        "stable id of the published figure (a hash of publisher, document, metric, "
        "area, dates and value): cite it to point at one row"
    ),
    "metric": N_("canonical metric id (app/vocab.py), e.g. idp_arrivals, civilians_killed"),
    "kind": N_(
        "what the number measures over time: cumulative (running total since "
        "period_start), flow (count within the period), stock (level on period_end), "
        "projection, index or other; only figures of one kind may be compared or added"
    ),
    "metric_as_written": N_("the measure as the source words it, before mapping to metric"),
    "sector": N_("HNO sector (Shelter, WASH ...) for per-sector figures; empty otherwise"),
    "value": N_(
        "the figure as published, a number (qualifier says if it is a floor, a ceiling or rounded)"
    ),
    "qualifier": N_(
        "the words that came with the number (more than, some, almost, chart "
        "label ...); empty when the number was given as a count"
    ),
    "low": N_('lower end of the range the qualifier implies (README "Ranges from qualifiers")'),
    "high": N_("upper end of that range"),
    "period_start": N_(
        "first day the figure covers (flows, running totals); empty when the source does not say"
    ),
    "period_end": N_("last day the figure covers: the as-of date of stocks and running totals"),
    "area_pcode": N_("P-code of the figure's area at admin 1, 2 or 3; empty for a named region"),
    "region": N_(
        "id of a named region (data/tables/regions.csv, e.g. nw_syria) when the figure "
        "is for one rather than for an admin area"
    ),
    "area_as_written": N_("the place as the source names it"),
    "publisher": N_(
        'who published the figure (as the source names itself; "via" names the '
        "outlet that carried it)"
    ),
    "document": N_("title of the document or article the figure is taken from"),
    "url": N_(
        "link to that document; a copy on a document-sharing site says so in document "
        "and in the dashboard"
    ),
    "published_date": N_(
        "day the document was published; empty when unknown (the figure is "
        "then taken as known from period_end)"
    ),
    "note": N_("transcriber's note: what the source leaves unsaid, how the figure was read"),
    "source_file": N_(
        "file the row was loaded from (the bundle's transcription, or a batch added to the store)"
    ),
    "source_row": N_("row of that file (header = row 1)"),
    **FLAG_DESCRIPTIONS,
}

_TYPES: dict[str, ColumnType] = {
    "value": ColumnType.NUMBER,
    "low": ColumnType.NUMBER,
    "high": ColumnType.NUMBER,
    "source_row": ColumnType.INTEGER,
    "period_start": ColumnType.DATE,
    "period_end": ColumnType.DATE,
    "published_date": ColumnType.DATE,
    "duplicate": ColumnType.BOOLEAN,
    "sub_area": ColumnType.BOOLEAN,
}


def column_type(column: str) -> ColumnType:
    """How a column is written; every column not listed is text."""
    return _TYPES.get(column, ColumnType.TEXT)


#: Column -> HXL hashtag. ``value`` is not here: its tag depends on the metrics exported
#: (:func:`value_tag`). Tags are chosen so the project's own HXL reader
#: (``app.loaders.hxl``) reads them back to the same fields; low/high are deliberately not
#: value tags (``#indicator+value+min`` would be read as a second figure per row).
HXL_TAGS: dict[str, str] = {
    "ADM1_PCODE": "#adm1+code",
    "ADM1_EN": "#adm1+name",
    "ADM1_AR": "#adm1+name+i_ar",
    "ADM2_PCODE": "#adm2+code",
    "ADM2_EN": "#adm2+name",
    "ADM2_AR": "#adm2+name+i_ar",
    "ADM3_PCODE": "#adm3+code",
    "ADM3_EN": "#adm3+name",
    "ADM3_AR": "#adm3+name+i_ar",
    "figure_id": "#meta+id",
    "metric": "#indicator+name",
    "kind": "#indicator+type",
    "metric_as_written": "#indicator+name+as_written",
    "sector": "#sector",
    "qualifier": "#meta+qualifier",
    "low": "#indicator+min",
    "high": "#indicator+max",
    "period_start": "#date+start",
    "period_end": "#date+end",
    "area_pcode": "#loc+code",
    "region": "#region+code",
    "area_as_written": "#loc+name+as_written",
    "publisher": "#meta+source",
    "document": "#meta+document",
    "url": "#meta+url",
    "published_date": "#date+reported",
    "note": "#meta+note",
    "source_file": "#meta+file",
    "source_row": "#meta+row",
    "duplicate": "#meta+duplicate",
    "sub_area": "#meta+sub_area",
    "flags": "#meta+flags",
}

#: Value tag when every exported row has this metric. Metrics without a specific HXL tag
#: (and mixed exports) use ``#indicator+value``: the metric is then in ``#indicator+name``.
#: ``idps_displaced_since`` is a running total: ``#affected+idps`` would say "IDPs present".
METRIC_VALUE_TAGS: dict[str, str] = {
    "idp_arrivals": "#affected+idps+arrivals",
    "idp_departures": "#affected+idps+departures",
    "idp_displacements": "#affected+idps+new",
    "idps_present": "#affected+idps",
    "idps_in_camps": "#affected+idps+camps",
    "civilians_killed": "#affected+killed+civilians",
    "people_killed": "#affected+killed",
    "civilians_injured": "#affected+injured+civilians",
    "people_injured": "#affected+injured",
    "people_in_need": "#inneed",
    "population": "#population",
    "severity": "#severity",
}
GENERIC_VALUE_TAG = "#indicator+value"


def value_tag(metrics: Iterable[str]) -> str:
    """The hashtag of the ``value`` column for an export holding ``metrics``.

    >>> value_tag(["civilians_killed"]), value_tag(["idp_arrivals", "civilians_killed"])
    ('#affected+killed+civilians', '#indicator+value')
    """
    distinct = set(metrics)
    if len(distinct) == 1:
        return METRIC_VALUE_TAGS.get(distinct.pop(), GENERIC_VALUE_TAG)
    return GENERIC_VALUE_TAG


def hxl_row(columns: Iterable[str], metrics: Iterable[str]) -> list[str]:
    """The hashtag row under the header (one tag per column; every column has one)."""
    tag = value_tag(metrics)
    return [tag if c == "value" else HXL_TAGS[c] for c in columns]
