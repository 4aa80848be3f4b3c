"""Publishers' own Arabic names, shown beside the published name in the Arabic interface.

Publishers' and documents' names stay as published (``data/tables/figures.csv``); where the
organisation itself uses an Arabic name, the Arabic interface adds it after the published
name: "OCHA · مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية". Nothing is translated by us here:
each name is the one the organisation prints on its own Arabic pages and products, and a
publisher without one (REACH, HNAP, TRT World, a news article) keeps its published name only.

The publisher strings of the bundle start with the organisation's acronym ("OCHA",
"OCHA / IDP Task Force", "SOHR (via Okezone, Indonesian)", "WFP citing CCCM Cluster"); the
one who published is the first name, so "HRW citing OHCHR" and "USAID citing OCHA" get none.
"""

from __future__ import annotations

import re

from app import format as fmt
from app.i18n import current

#: acronym as the publisher strings begin -> the organisation's own Arabic name, with where
#: it comes from.
ARABIC_NAMES: dict[str, str] = {
    # OCHA's Arabic site and Arabic situation reports (unocha.org/ar): مكتب الأمم المتحدة
    # لتنسيق الشؤون الإنسانية; "أوتشا" is its Arabic acronym (docs/glossary-ar.md)
    "OCHA": "مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية",
    # UNHCR's Arabic site (unhcr.org/ar): المفوضية السامية للأمم المتحدة لشؤون اللاجئين
    "UNHCR": "المفوضية السامية للأمم المتحدة لشؤون اللاجئين",
    # WFP's Arabic site (ar.wfp.org): برنامج الأغذية العالمي
    "WFP": "برنامج الأغذية العالمي",
    # OHCHR's Arabic site (ohchr.org/ar): مفوضية الأمم المتحدة السامية لحقوق الإنسان
    "OHCHR": "مفوضية الأمم المتحدة السامية لحقوق الإنسان",
    # UNICEF's Arabic site (unicef.org/ar): منظمة الأمم المتحدة للطفولة (يونيسف)
    "UNICEF": "منظمة الأمم المتحدة للطفولة (يونيسف)",
    # the Syrian Network for Human Rights' own Arabic name (snhr.org/arabic)
    "SNHR": "الشبكة السورية لحقوق الإنسان",
    # the Syrian Observatory for Human Rights' own Arabic name (syriahr.com)
    "SOHR": "المرصد السوري لحقوق الإنسان",
}
_LEADING = re.compile(r"^\s*([A-Z]{2,10})\b")


def arabic_name(publisher: object) -> str | None:
    """The Arabic name of the organisation that published (``None`` when it has none).

    >>> arabic_name("SOHR (via Okezone, Indonesian)")
    'المرصد السوري لحقوق الإنسان'
    >>> arabic_name("HRW citing OHCHR") is None
    True
    """
    m = _LEADING.match(str(publisher or ""))
    return ARABIC_NAMES.get(m.group(1)) if m else None


def publisher_shown(publisher: object) -> str:
    """The publisher as the interface shows it: as published, and in Arabic followed by the
    organisation's own Arabic name when it has one ("OCHA · مكتب الأمم ...").

    The published name (Latin letters) is isolated so that it keeps its order in Arabic text.
    """
    name = "" if fmt.is_missing(publisher) else str(publisher)
    if not current().rtl:
        return name
    ar = arabic_name(name)
    return f"{fmt.isolate(name)} · {ar}" if ar else fmt.isolate(name)
