"""The page frame, the overview's controls and the headline cards in Arabic (issue 14), and
the same in English as before, against the real bundle."""

from __future__ import annotations

import json

import dash
import pandas as pd
import pytest
from flask import Flask

from app import i18n
from app.format import FSI, PDI
from app.queries.area_labels import localized_area_options
from app.queries.areas import area_options
from app.queries.cards import area_cards, area_scope
from app.state import ViewState, parse_query
from app.web.geo import area_options_path, register_geo_routes
from components import cards as card_view
from components import downloads, print_header, shell

pytestmark = pytest.mark.bundle


@pytest.fixture(autouse=True, scope="module")
def _app() -> None:
    dash.Dash(__name__)  # get_relative_path needs an app (base path "/")


PRIORITY = ["OCHA", "OHCHR", "HNAP", "REACH", "UNHCR", "WFP", "USAID", "SNHR", "SOHR"]


def _find(component: object, kind: type, found: list | None = None) -> list:
    """Every ``kind`` inside a Dash component tree."""
    found = [] if found is None else found
    if isinstance(component, kind):
        found.append(component)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            _find(child, kind, found)
    return found


def _text(component: object) -> str:
    if isinstance(component, str | int | float):
        return str(component)
    children = getattr(component, "children", None)
    items = children if isinstance(children, list) else [children]
    return "".join(_text(c) for c in items if c is not None)


def _link(header: object, link_id: str) -> object:
    from dash import html

    return next(a for a in _find(header, html.A) if getattr(a, "id", None) == link_id)


def test_switch_keeps_every_parameter_and_changes_the_language() -> None:
    query = "?level=2&area=SY07,SY0703&publisher=OCHA|REACH&lang=ar&digits=arab"
    assert (
        shell.switch_query(query, lang="en")
        == "?level=2&area=SY07,SY0703&publisher=OCHA|REACH&lang=en"
    )
    assert shell.switch_query({"level": "1"}, lang="ar") == "?level=1&lang=ar"
    assert shell.switch_query(None, lang="ar", digits="arab") == "?lang=ar&digits=arab"


def test_header_in_english_names_arabic_and_keeps_english_labels() -> None:
    header = shell.header("overview", {"level": "2"})
    link = _link(header, shell.LANG_SWITCH)
    assert (link.children, link.href, link.lang) == ("العربية", "/?level=2&lang=ar", "ar")
    assert _link(header, shell.DIGITS_SWITCH).hidden is True
    assert "North-west Syria: displacement, casualties and risk" in _text(header)
    assert [a.children for a in _find(header, type(link)) if "nws-nav-link" in a.className] == [
        "Overview",
        "Reconcile",
        "Sources",
    ]


def test_header_in_arabic_links_back_to_english_and_offers_the_digits() -> None:
    with i18n.use("ar", explicit=True):
        header = shell.header("reconcile", {"metric": "severity", "lang": "ar"})
        footer = shell.footer()
    link = _link(header, shell.LANG_SWITCH)
    assert (link.children, link.href) == ("English", "/reconcile?metric=severity&lang=en")
    digits = _link(header, shell.DIGITS_SWITCH)
    assert (digits.children, digits.hidden) == ("٠١٢ / 012", False)
    assert digits.href == "/reconcile?metric=severity&lang=ar&digits=arab"
    text = _text(header)
    assert "شمال غرب سوريا: النزوح والضحايا والمخاطر" in text and "مقارنة المصادر" in text
    navs = [a.href for a in _find(header, type(link)) if "nws-nav-link" in (a.className or "")]
    assert navs == ["/?lang=ar", "/reconcile?lang=ar", "/sources?lang=ar"]
    footer_text = _text(footer)
    assert footer_text.startswith("الحدود الإدارية: ")
    assert "UCDP GED Syria 652.1601.1911" in footer_text  # names and licences as published
    assert "Boundaries" not in footer_text


def test_notices_in_arabic_and_unchanged_in_english() -> None:
    _state, english = parse_query({"level": "9", "start": "2020-02-30"})
    assert english == [
        "Ignored level=9: expected 1, 2 or 3",
        "Ignored start=2020-02-30: expected a date as YYYY-MM-DD",
    ]
    with i18n.use("ar"):
        _state, arabic = parse_query({"level": "9"})
    assert arabic == [f"تم تجاهل {FSI}level=9{PDI}: القيمة المتوقعة 1 أو 2 أو 3"]


def test_print_filters_in_arabic() -> None:
    state = ViewState(level=2, metric="severity", sector="Health", areas=("SY07",))
    with i18n.use("ar"):
        words = print_header.filter_words(state)
        as_of = print_header.as_of_words(ViewState(as_of=pd.Timestamp("2020-02-16").date()))
    assert words.startswith(
        "شدة الاحتياجات 1-6، النظرة العامة على الاحتياجات الإنسانية 2019 (حسب القطاع) – الصحة حسب منطقة"
    )
    assert f"المناطق الجغرافية: {FSI}SY07{PDI}" in words
    assert as_of == f"كما كان معروفاً في {FSI}16 شباط 2020{PDI}: الأرقام المنشورة حتى ذلك اليوم فقط."


def test_png_source_line_counts_the_other_publishers_in_arabic() -> None:
    pubs = ("OCHA", "OHCHR", "REACH", "WFP", "SNHR", "SOHR", "HNAP")
    assert downloads.png_footer(pubs, "as of 5 Mar 2020").startswith(
        "Source: OCHA; OHCHR; REACH; WFP and 3 more"
    )
    with i18n.use("ar"):
        line = downloads.png_footer(pubs, "x")
    assert line.startswith("المصدر: OCHA; OHCHR; REACH; WFP و3 جهات أخرى")
    assert line.endswith("لوحة معلومات النزوح في شمال غرب سوريا")


def test_area_options_name_the_area_in_arabic_first(bundle) -> None:  # type: ignore[no-untyped-def]
    english = area_options(bundle.areas, bundle.place_aliases)
    assert localized_area_options(bundle.areas, english, "en") is english
    arabic = {o["value"]: o for o in localized_area_options(bundle.areas, english, "ar")}
    assert arabic["SY07"]["label"] == "إدلب · SY07 (محافظة)"
    assert arabic["SY070301"]["label"] == "الدانا · SY070301 (ناحية في حارم)"
    # the search text is the same: English, Arabic and towns find the area in both
    assert (
        arabic["SY070301"]["search"]
        == next(o for o in english if o["value"] == "SY070301")["search"]
    )
    assert [o["value"] for o in english] == list(arabic)


def test_area_options_are_served_per_language(bundle) -> None:  # type: ignore[no-untyped-def]
    server = Flask(__name__)
    register_geo_routes(server, bundle)
    client = server.test_client()
    en_url, ar_url = area_options_path(bundle), area_options_path(bundle, "ar")
    assert ar_url.endswith("&lang=ar") and "lang" not in en_url
    english = json.loads(client.get(en_url).data)
    arabic = json.loads(client.get(ar_url).data)
    assert english[0]["label"].startswith("Idlib") or english[0]["label"][0].isascii()
    assert {o["value"]: o["label"] for o in arabic}["SY07"] == "إدلب · SY07 (محافظة)"
    assert client.get(ar_url).headers["Cache-Control"].endswith("immutable")


def test_cards_in_arabic_with_the_english_figures(bundle) -> None:  # type: ignore[no-untyped-def]
    english = area_cards(bundle.figures, bundle.areas, PRIORITY, None)
    with i18n.use("ar"):
        arabic = area_cards(bundle.figures, bundle.areas, PRIORITY, None)
        section = card_view.card(arabic[0])
        scope = area_scope(bundle.areas, "SY07")
    assert [c.figure["figure_id"] for c in arabic] == [c.figure["figure_id"] for c in english]
    assert english[0].rule.startswith("Headline rule: the latest idps_displaced_since figure")
    assert arabic[0].rule.startswith(
        f"قاعدة الرقم الرئيسي: أحدث رقم للمؤشر {FSI}idps_displaced_since{PDI}"
    )
    assert "الأولوية" in arabic[0].rule and "Window" not in arabic[0].rule
    text = _text(section)
    assert text.startswith("النازحون منذ 1 كانون الأول 2019")
    assert "كيف اختير هذا الرقم" in text and "1,000,000" in text
    assert scope.label == f"محافظة إدلب ({FSI}SY07{PDI})"
    assert area_scope(bundle.areas, "SY07").label == "Idlib governorate (SY07)"
