"""The language machinery: choosing it, formatting in it, and catalogs that cover the UI."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from app import format as fmt
from app import i18n
from app.i18n.extract import check, used_strings
from app.state import ViewState, parse_query, to_query


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "en"),
        ("", "en"),
        ("ar", "ar"),
        ("ar-SY,ar;q=0.9,en;q=0.8", "ar"),
        ("en-GB,en;q=0.9,ar;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,ar;q=0.5", "ar"),
        ("fr-FR,de;q=0.9", "en"),
        ("ar;q=0,en;q=0.1", "en"),
        ("ar;q=bogus", "en"),
    ],
)
def test_accept_language_picks_the_interface(header: str | None, lang: str) -> None:
    assert i18n.negotiate(header) == lang


def test_lang_params_are_checked() -> None:
    assert i18n.parse_params("AR", "arab") == ("ar", "arab", [])
    lang, digits, notices = i18n.parse_params("fr", "roman")
    assert (lang, digits) == (None, None)
    assert notices == ["Ignored lang=fr: expected en or ar", "Ignored digits=roman: expected latn or arab"]


def test_permalinks_keep_a_language_the_url_chose_only() -> None:
    state = ViewState(level=1, areas=("SY07",))
    with i18n.use("ar", explicit=True):
        assert to_query(state) == "?level=1&area=SY07&lang=ar"
    with i18n.use("ar", "arab", explicit=True):
        assert to_query(state) == "?level=1&area=SY07&lang=ar&digits=arab"
    with i18n.use("ar"):  # from Accept-Language: each reader's browser decides
        assert to_query(state) == "?level=1&area=SY07"
    assert to_query(state) == "?level=1&area=SY07"


def test_lang_in_the_url_is_not_an_unknown_parameter() -> None:
    _state, notices = parse_query({"lang": "ar", "level": "1"})
    assert notices == []
    _state, notices = parse_query({"lang": "xx"})
    assert notices == ["Ignored lang=xx: expected en or ar"]


def test_numbers_and_dates_in_arabic() -> None:
    feb16 = pd.Timestamp("2020-02-16")
    with i18n.use("ar"):
        assert fmt.number(1234567) == "1,234,567"
        assert fmt.number(None) == "لا بيانات"
        assert fmt.figure_text(800000, "more than", 800000, 880000) == (
            "أكثر من \u2068800,000\u2069 (\u2068800,000–880,000\u2069)"
        )
        assert fmt.period(None, feb16) == "حتى \u206816 شباط 2020\u2069"
        assert fmt.period(pd.Timestamp("2020-02-01"), pd.Timestamp("2020-02-29")) == "\u2068شباط 2020\u2069"
        assert fmt.isolate("SY070203") == "\u2068SY070203\u2069"
    with i18n.use("ar", "arab"):
        assert fmt.number(1234567) == "١٬٢٣٤٬٥٦٧"
        assert fmt.day(feb16) == "\u2068١٦ شباط ٢٠٢٠\u2069"
    # English is unchanged
    assert fmt.figure_text(800000, "more than", 800000, 880000) == "more than 800,000 (800,000–880,000)"
    assert fmt.period(None, feb16) == "as of 16 Feb 2020"
    assert fmt.isolate("SY070203") == "SY070203"


def test_every_ui_string_has_an_arabic_translation() -> None:
    report = check("ar")
    assert [f"{u.msgid} ({u.places[0]})" for u in report.missing] == []
    assert report.bad_placeholders == []


def test_no_catalog_entry_is_unused() -> None:
    assert check("ar").unused == []


def test_the_check_fails_on_an_untranslated_string_and_an_unused_entry(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "madeup_view.py").write_text(
        textwrap.dedent(
            """
            from app.i18n import _
            TITLE = _("Made-up title nobody translated")
            NO_DATA = _("no data")
            """
        ),
        encoding="utf-8",
    )
    report = check("ar", root=tmp_path)
    assert [u.msgid for u in report.missing] == ["Made-up title nobody translated"]
    assert report.missing[0].places == ["app/madeup_view.py:3"]
    assert "more than" in report.unused  # used by app/format.py, not by this made-up tree
    assert "no data" not in report.unused


def test_extraction_finds_python_templates_and_scripts() -> None:
    used = used_strings()
    assert "no data" in used
    assert any(p.startswith("app/format.py:") for p in used["no data"].places)


def _client() -> Any:
    from app.web.server import create_app

    return create_app().server.test_client()


@pytest.fixture(scope="module")
def client() -> Any:
    return _client()


@pytest.mark.parametrize(
    ("url", "headers", "tag"),
    [
        ("/", {}, '<html lang="en" dir="ltr">'),
        ("/?lang=ar", {}, '<html lang="ar" dir="rtl">'),
        ("/", {"Accept-Language": "ar-SY,ar;q=0.9"}, '<html lang="ar" dir="rtl">'),
        ("/?lang=en", {"Accept-Language": "ar"}, '<html lang="en" dir="ltr">'),
        ("/reconcile?lang=ar", {}, '<html lang="ar" dir="rtl">'),
        ("/sources?lang=ar", {}, '<html lang="ar" dir="rtl">'),
    ],
)
def test_pages_say_their_language_and_direction(client: Any, url: str, headers: dict, tag: str) -> None:
    r = client.get(url, headers=headers)
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert tag in page
    assert page.count("<html") == 1
    assert r.headers["Content-Language"] == tag.split('"')[1]
    assert "Accept-Language" in r.headers["Vary"]


def test_a_callback_answers_in_the_language_of_the_page_it_came_from(client: Any) -> None:
    body = {
        "output": "..page-content.children...",
        "outputs": [],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                   {"id": "_pages_location", "property": "search", "value": "?lang=ar&level=2"}],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    from app.i18n.web import _query_in_callback

    assert _query_in_callback(body) == "?lang=ar&level=2"
    assert _query_in_callback({"inputs": [{"property": "href", "value": "http://x/y?lang=ar"}]}) == "lang=ar"
    assert _query_in_callback({"inputs": "nonsense"}) is None
    assert date(2020, 1, 1)  # keep date import used for readers adding cases


def test_chart_labels_and_axes_use_no_latin_si_letters_in_arabic() -> None:
    with i18n.use("ar"):
        assert [fmt.compact(v) for v in (700000, 1_120_000, 1800, 299)] == [
            "700\xa0ألف", "1.12\xa0مليون", "1.8\xa0ألف", "299"]  # fmt: skip
        assert fmt.axis_number_format() == ","
    with i18n.use("ar", "arab"):
        assert fmt.compact(700000) == "٧٠٠\xa0ألف"
    assert [fmt.compact(v) for v in (700000, 1_120_000, 1800, 299)] == ["700K", "1.12M", "1.8K", "299"]
    assert fmt.axis_number_format() == "~s"
