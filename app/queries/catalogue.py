"""What the overview can show: the metrics a user picks, and where each one's numbers live.

A *view metric* is either a canonical figure metric (``app.vocab.METRICS``: arrivals,
HNO people in need, ...) or an attribute of the areas table (population, distance to the
border). The chart shows a metric together with its *family* (the related metrics of
other kinds), so a cumulative total is seen beside the flows and stocks it is often
confused with, each on its own panel.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import N_
from app.loaders.hno_fields import HNO_SECTOR_FIELDS

#: Chart families: the selected metric first, then related metrics of other kinds.
ARRIVALS = ("idp_arrivals", "idp_displacements", "idps_displaced_since")
DEPARTURES = ("idp_departures", "idp_displacements", "idps_displaced_since")
DISPLACED = (
    "idps_displaced_since",
    "idp_displacements",
    "idps_present",
    "idps_in_camps",
    "people_at_risk",
    "people_moving_claimed",
)
CASUALTIES = ("civilians_killed", "people_killed")
#: The same family with all people killed first (the conflict-event datasets' counts).
PEOPLE_KILLED = ("people_killed", "civilians_killed")


@dataclass(frozen=True)
class ViewMetric:
    """A metric the overview can show. ``label`` and ``note`` are English, marked with
    :func:`~app.i18n.N_`: show them through ``_(m.label)`` / ``_(m.note)`` (in the
    request's language), never as they are."""

    id: str
    label: str
    #: "figures" (rows of the figures table) or "areas" (a column of the areas table)
    source: str
    #: figure metric id, or column of the areas table
    column: str
    #: figure metrics drawn together in the chart (empty: no time series)
    family: tuple[str, ...] = ()
    needs_sector: bool = False
    unit: str = "people"
    decimals: int = 0
    #: shown under the map: what the number is and is not
    note: str = ""


VIEW_METRICS: dict[str, ViewMetric] = {
    m.id: m
    for m in [
        ViewMetric(
            "idp_arrivals",
            N_("IDP arrivals in period"),
            "figures",
            "idp_arrivals",
            ARRIVALS,
            note=N_(
                "Newly displaced people arriving in the area within the period stated by the source."
            ),
        ),
        ViewMetric(
            "idp_departures",
            N_("IDP departures in period (area of origin)"),
            "figures",
            "idp_departures",
            DEPARTURES,
            note=N_(
                "Newly displaced people leaving the area within the period stated by the source."
            ),
        ),
        ViewMetric(
            "idps_displaced_since",
            N_("Displaced since 1 Dec 2019 (cumulative)"),
            "figures",
            "idps_displaced_since",
            DISPLACED,
            note=N_("Running totals published for north-west Syria as a whole, not per area."),
        ),
        ViewMetric(
            "civilians_killed",
            N_("Civilians killed in period"),
            "figures",
            "civilians_killed",
            CASUALTIES,
            note=N_("Counts for different periods and areas; some sources are nationwide."),
        ),
        ViewMetric(
            "people_killed",
            N_("People killed in period (all, not only civilians)"),
            "figures",
            "people_killed",
            PEOPLE_KILLED,
            note=N_(
                "Conflict-event datasets (UCDP GED) aggregated per week (best estimate, with "
                "UCDP's low-high range), and counts published by monitors; a chosen window "
                "adds up the weekly counts of one dataset."
            ),
        ),
        ViewMetric(
            "people_in_need",
            N_("People in need, HNO 2019 (by sector)"),
            "figures",
            "people_in_need",
            ("people_in_need",),
            needs_sector=True,
            note=N_("HNO 2019 baseline (situation of late 2018). Never add sectors together."),
        ),
        ViewMetric(
            "severity",
            N_("Severity 1-6, HNO 2019 (by sector)"),
            "figures",
            "severity",
            ("severity",),
            needs_sector=True,
            unit="score",
            note=N_("HNO 2019 severity score per sub-district; scores cannot be added up."),
        ),
        ViewMetric(
            "population",
            N_("Population (census 2004; governorates 2016 est.)"),
            "areas",
            "population",
            ("population",),
            note=N_(
                "US Census Bureau via the OpenSyria gazetteer: 2004 census at admin 2-3, 2016 estimate at admin 1."
            ),
        ),
        ViewMetric(
            "border_distance_km",
            N_("Distance to the Turkish border (km)"),
            "areas",
            "border_distance_km",
            (),
            unit="km",
            decimals=1,
            note=N_(
                "Shortest distance from the area to the Turkey-Syria border line, computed from OCHA COD-AB geometry."
            ),
        ),
    ]
}

DEFAULT_METRIC = "idp_arrivals"
SECTORS: tuple[str, ...] = tuple(HNO_SECTOR_FIELDS)
DEFAULT_SECTOR = "Shelter"
#: Level names (singular, plural), English, marked for translation: show ``_(name)``.
LEVELS: dict[int, tuple[str, str]] = {
    1: (N_("governorate"), N_("governorates")),
    2: (N_("district"), N_("districts")),
    3: (N_("sub-district"), N_("sub-districts")),
}
#: Short names of the HNO sectors for the sector picker (the value stays the English key).
SECTOR_NAMES: dict[str, str] = {
    "CCCM": N_("CCCM"),
    "Education": N_("Education"),
    "Health": N_("Health"),
    "Nutrition": N_("Nutrition"),
    "NFI": N_("NFI"),
    "Shelter": N_("Shelter"),
    "WASH": N_("WASH"),
    "FSL": N_("FSL"),
    "ERL": N_("ERL"),
    "Protection": N_("Protection"),
}
DEFAULT_LEVEL = 3

#: Source line for the two area attributes (figures carry their own publisher); marked
#: for translation (publishers' and licences' names stay as published inside them).
AREA_SOURCES = {
    "population": N_("US Census Bureau via OpenSyria data-geography (CC BY 4.0)"),
    "border_distance_km": N_("Computed from UN OCHA / UNCS COD-AB Syria boundaries"),
}
