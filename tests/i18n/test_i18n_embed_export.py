"""Arabic embeds, exports, the one-file report and web error messages (issue 14): what a
reader of the Arabic interface gets, and that the English answers did not change."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

XLSX = "/export/figures.xlsx?metric=idp_arrivals&area=SY07"


@pytest.fixture(scope="module")
def client() -> Any:
    from app.web.server import create_app

    return create_app().server.test_client()


def _readme(client: Any, url: str, **headers: str) -> tuple[openpyxl.Workbook, list[list]]:
    r = client.get(url, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    rows = [[c for c in row if c is not None] for row in wb["README"].iter_rows(values_only=True)]
    return wb, rows


def test_xlsx_readme_in_arabic_reads_right_to_left(client: Any) -> None:
    wb, rows = _readme(client, XLSX + "&lang=ar")
    assert wb.sheetnames == ["README", "data"]
    assert wb["README"].sheet_view.rightToLeft is True
    assert rows[0] == ["لوحة بيانات النزوح في شمال غرب سوريا: تصدير الأرقام"]
    assert ["حزمة البيانات", "North-west Syria displacement and casualties, winter 2019-20"] in rows
    assert ["عوامل التصفية المستخدمة"] in rows
    # the filters as given: parameter names and values stay machine-readable
    assert ["metric", "idp_arrivals"] in rows and ["area", "SY07"] in rows
    assert ["عدد الصفوف", 10] in rows
    assert ["التراخيص"] in rows and ["الإسناد"] in rows
    text = "\n".join(" | ".join(str(c) for c in row) for row in rows)
    assert "تبقى أسماء الأعمدة والرموز والقيم في ورقة البيانات (data) كما هي موثّقة" in text
    assert "العمود | النوع | المعنى" in text
    assert "figure_id | text | معرّف ثابت للرقم المنشور" in text  # names and types as documented
    assert "ADM2_PCODE | text | الرمز المكاني (P-code) للمنطقة (المستوى الإداري 2) التي" in text
    # the data sheet is the same as in English: column names and values unchanged
    en_data = list(_readme(client, XLSX)[0]["data"].iter_rows(values_only=True))
    assert len(en_data) == 11
    assert list(wb["data"].iter_rows(values_only=True)) == en_data
    assert en_data[0][:3] == ("ADM1_PCODE", "ADM1_EN", "ADM1_AR")
    assert wb["data"].sheet_view.rightToLeft is not True


def test_xlsx_readme_follows_accept_language_and_stays_english_by_default(client: Any) -> None:
    wb, rows = _readme(client, XLSX, **{"Accept-Language": "ar-SY,ar;q=0.9"})
    assert rows[0] == ["لوحة بيانات النزوح في شمال غرب سوريا: تصدير الأرقام"]
    wb, rows = _readme(client, XLSX)
    assert wb["README"].sheet_view.rightToLeft is not True
    assert rows[0] == ["North-west Syria displacement and casualties, winter 2019-20: figures export"]
    assert ["Filters used"] in rows and ["Licences"] in rows
    assert not any("machine-readable" in str(c) for row in rows for c in row)


def test_export_parameter_errors_in_arabic(client: Any) -> None:
    r = client.get("/export/figures.csv?level=9&lang=ar")
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert body.startswith("طلب غير صالح: لا يمكن لهذا التصدير استخدام هذه المعاملات")
    assert "- level: \u2068level=9\u2069: المتوقع 1 (المحافظات) أو 2 (المناطق) أو 3 (النواحي)" in body
    r = client.get("/export/figures.csv?publisher=OCH&from=2020-03-01&to=2020-01-01&lang=ar",
                   headers={"Accept": "application/json"})  # fmt: skip
    problems = {p["parameter"]: p["message"] for p in r.json["problems"]}
    assert r.json["error"] == "bad request"  # the code and the field names stay English
    assert problems["from"] == "\u2068from=2020-03-01\u2069 بعد \u2068to=2020-01-01\u2069: نطاق مستحيل"
    assert problems["publisher"].startswith("\u2068publisher=OCH\u2069: لا أرقام من هذه الجهة")
    assert "هل تقصد: \u2068OCHA" in problems["publisher"]
    r = client.get("/export/figures.csv?level=9")
    assert r.get_data(as_text=True) == (
        "Bad request: this export cannot use these parameters (see README, Export API).\n"
        "- level: level=9: expected 1 (governorates), 2 (districts) or 3 (sub-districts)\n"
    )


def test_xlsx_writer_readme_in_arabic_without_a_server(bundle) -> None:
    """The writer alone (no app): the README's words follow the language in use."""
    import datetime as dt

    from app import i18n
    from app.export.params import ExportParams
    from app.export.rows import export_table
    from app.export.xlsx_writer import readme_from_datapackage, xlsx_bytes

    table = export_table(bundle, ExportParams(metrics=("idp_arrivals",)), [])
    when = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    with i18n.use("ar", explicit=True):
        readme = readme_from_datapackage(bundle.datapackage, [("metric", "idp_arrivals")], when)
        data = xlsx_bytes(table, readme, hxl=True)
    ws = openpyxl.load_workbook(io.BytesIO(data))["README"]
    rows = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert ws.sheet_view.rightToLeft is True
    assert ["عدد الصفوف", len(table.frame)] in rows
    assert ["تاريخ الاستخراج (بالتوقيت العالمي UTC)", "2026-11-25 12:00:00"] in rows
    assert ["metric", "idp_arrivals"] in rows
    assert ["العمود", "النوع", "وسم HXL", "المعنى"] in rows


# ---- embeds ----

@pytest.fixture(scope="module")
def ctx(bundle):
    import dash

    from components.context import make_context

    dash.Dash(__name__)  # get_relative_path needs an app (base path "/")
    return make_context(bundle)


def _words(component: object) -> str:
    """Every text of a component tree, and its links' href."""
    out: list[str] = []

    def walk(c: object) -> None:
        if isinstance(c, str | int | float):
            out.append(str(c))
            return
        href = getattr(c, "href", None)
        if isinstance(href, str):
            out.append(href)
        children = getattr(c, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            if child is not None:
                walk(child)

    walk(component)
    return " ".join(out)


ENGLISH_FOOTER = ("Source:", "Open in the dashboard", "Data (CSV)", "As known on", "Figures up to")


@pytest.mark.parametrize("view", ["map", "timeseries", "card", "sources"])
def test_embed_footer_in_arabic_keeps_lang_in_its_links(ctx, view: str) -> None:
    from app import i18n
    from app.pages import embed

    query = {"level": "2", "metric": "idp_arrivals", "as_of": "2020-02-16", "lang": "ar"}
    with i18n.use("ar", explicit=True):
        state, notices, card = embed.parse_embed_query(query, ctx)
        layout = embed.view_layout(ctx, view, state, notices, card)
        title = embed.page_title(view)()
    words = _words(layout)
    assert "المصدر: " in words
    assert "فتح في لوحة البيانات" in words
    assert "كما كان معروفاً في" in words  # the as-of date, in words of the language
    assert "شباط" in words  # 16 February 2020, as read in Syria
    for english in ENGLISH_FOOTER:
        assert english not in words, english
    # the dashboard link (and the CSV link) keep lang=ar
    assert "/?level=2&as_of=2020-02-16&lang=ar" in words
    assert "(مُضمَّن)" in title
    if view != "map":
        assert "البيانات (CSV)" in words


def test_embed_words_in_english_unchanged(ctx) -> None:
    from app.pages import embed

    state, notices, _card = embed.parse_embed_query({"level": "2", "as_of": "2020-02-16"}, ctx)
    words = _words(embed.sources_layout(ctx, state, notices))
    assert "Source: " in words and "As known on 16 Feb 2020" in words
    assert "Open in the dashboard" in words and "lang=" not in words
    assert embed.page_title("map")() == "Map · NW Syria displacement (embedded)"


def test_embed_sources_list_counts_in_arabic(ctx) -> None:
    from app import i18n
    from app.pages import embed

    with i18n.use("ar", explicit=True):
        state, notices, _card = embed.parse_embed_query({"card": "nonsense", "lang": "ar"}, ctx)
        words = _words(embed.sources_layout(ctx, state, notices))
    assert "المصادر: " in words
    assert "نُشر في" in words
    assert "تم تجاهل card=" in words and "تم تجاهله في الرابط: " in words
    assert " figure" not in words and "published" not in words


# ---- the one-file report ----

def test_report_in_arabic(client: Any) -> None:
    r = client.get("/report?level=2&as_of=2020-02-16&lang=ar")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert page.startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">')
    for heading in ("الأرقام الرئيسية", "الإسناد والتراخيص", "التراخيص: "):
        assert heading in page, heading
    assert "<th>الجهة الناشرة</th>" in page and "<th>الوثيقة</th>" in page
    assert "أُعدّ التقرير في" in page and "يُفتح دون اتصال بالإنترنت" in page
    assert "lang=ar" in page  # the report's own URL keeps the language
    assert "16 شباط 2020" in page  # as-of date in words, with Syrian month names
    for english in ("Report made on", "Headline figures", "Attribution and licences",
                    "<th>Publisher</th>", "Figures behind these views"):  # fmt: skip
        assert english not in page, english
    # data stay as published: publishers' names in Latin letters are still there
    assert "OCHA" in page
    # the chart stays interactive: plotly.js and the figure data are inside
    assert 'id="report-chart"' in page and "Plotly.newPlot" in page


def test_report_in_english_unchanged(client: Any) -> None:
    page = client.get("/report?level=2&as_of=2020-02-16").get_data(as_text=True)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')
    assert "<h2>Headline figures</h2>" in page and "Report made on" in page
    assert "<th>Publisher</th>" in page and "lang=ar" not in page


def test_embed_code_and_png_footer_keep_the_language(ctx) -> None:
    from app import i18n
    from app.state import ViewState
    from components import downloads

    state = ViewState(level=2, areas=("SY07",))
    with i18n.use("ar", explicit=True):
        snippet = downloads.embed_snippet("http://127.0.0.1:8050", "map", state)
        labels = downloads.png_labels(ctx, "timeseries", state)
    assert 'src="http://127.0.0.1:8050/embed/map?level=2&amp;area=SY07&amp;lang=ar"' in snippet
    assert labels["data-footer"].startswith("المصدر: OCHA")
    assert "الأرقام حتى" in labels["data-footer"] and "شباط 2020" in labels["data-footer"]
    with i18n.use("ar"):  # chosen by the browser: a shared embed code lets each reader's decide
        assert "lang=" not in downloads.embed_snippet("http://127.0.0.1:8050", "map", state)
