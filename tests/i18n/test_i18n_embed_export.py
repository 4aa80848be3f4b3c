"""Arabic embeds, exports, the one-file report and web error messages (issue 14): what a
reader of the Arabic interface gets, and that the English answers did not change."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

XLSX = "/export/figures.xlsx?view=map&metric=idp_arrivals&level=2&as_of=2020-02-16"


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
    assert ["lang", "ar"] in rows  # the filters as given: parameter names stay machine-readable
    assert ["التراخيص"] in rows and ["الإسناد"] in rows
    text = "\n".join(" | ".join(str(c) for c in row) for row in rows)
    assert "تبقى أسماء الأعمدة والرموز والقيم في ورقة البيانات (data) كما هي موثّقة" in text
    assert "العمود | النوع | المعنى" in text
    assert "figure_id | text |" in text  # column names and types as documented
    # the data sheet is the same as in English: column names and values unchanged
    en_data = list(_readme(client, XLSX)[0]["data"].iter_rows(values_only=True))
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
    assert "- level:" in body  # the parameter's name stays as typed
    r = client.get("/export/figures.csv?level=9")
    assert r.get_data(as_text=True).startswith("Bad request: this export cannot use")


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
