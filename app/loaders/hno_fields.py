"""HNO 2019 field names, as truncated to 10 characters by the shapefile OCHA exported.

The microsite GeoJSON and the cleaned boundaries carry ``CCCM_PiN_2`` for "CCCM PiN 2019",
``Shelter_Se`` for "Shelter severity" and so on; this table is the one place that says which.
"""

from __future__ import annotations

#: sector -> (people-in-need field, severity field)
HNO_SECTOR_FIELDS: dict[str, tuple[str, str]] = {
    "CCCM": ("CCCM_PiN_2", "CCCM_Sever"),
    "Education": ("Education_", "Education1"),
    "Health": ("Health_PiN", "Health_Sev"),
    "Nutrition": ("Nutrition_", "Nutrition1"),
    "NFI": ("NFI_PiN_20", "NFI_Severi"),
    "Shelter": ("Shelter_Pi", "Shelter_Se"),
    "WASH": ("WASH_PiN_2", "WASH_Sever"),
    "FSL": ("FSL_PiN_20", "FSL_Severi"),
    "ERL": ("ERL_PiN_20", "ERL_Severi"),
    "Protection": ("Protection", "Protecti_1"),
}

#: Sector names as OCHA spells them out (for labels).
SECTOR_LABELS: dict[str, str] = {
    "CCCM": "Camp Coordination and Camp Management",
    "Education": "Education",
    "Health": "Health",
    "Nutrition": "Nutrition",
    "NFI": "Non-food items",
    "Shelter": "Shelter",
    "WASH": "Water, sanitation and hygiene",
    "FSL": "Food security and livelihoods",
    "ERL": "Early recovery and livelihoods",
    "Protection": "Protection",
}

#: Microsite field names (truncated) -> canonical admin fields.
MICROSITE_ADMIN_FIELDS: dict[str, str] = {
    "Admin3_Pco": "ADM3_PCODE",
    "Admin3_EN": "ADM3_EN",
    "Admin3_AR": "ADM3_AR",
    "Admin1_EN": "ADM1_EN",
    "Admin1_AR": "ADM1_AR",
}

HNO_DOCUMENT = "OCHA Syria Humanitarian Needs Overview 2019: people in need and severity by sector and sub-district (HNO microsite data)"
HNO_URL = "https://github.com/UN-OCHA/syria-microsite-hno-syria.org"
HNO_NOTE = (
    "HNO 2019 baseline: the situation of late 2018, before the Dec 2019 offensive; "
    "as-of date set to 31 Dec 2018 by convention. Not total population; never sum PiN across sectors."
)
