"""The real UCDP GED Syria file end to end: Idleb governorate (SY07) in August 2019.

The bundle ships UCDP's north-western events as weekly figures per area (people killed,
civilians killed; ``data/tables/event_figures.csv``). The map at governorate level with a
date window adds up one document's weekly counts that overlap it (README, the map), and
its export holds exactly those weekly rows. What they should say is computed here from the
shipped CSV with pandas, not through the app's queries, and checked against UCDP's own
README (950 people killed in Idlib in August 2019, sum of ``best``).

Then the same file goes through ``python -m app add`` into a fresh workspace: its events
supersede the bundle's copy of the same events, so a server on that workspace shows the
very same value (identical, never doubled).
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from app.figures.chart_hover import hover_texts
from app.i18n import use

from .dashboard_helpers import hover_map, map_trace, open_view
from .harness import PROJECT_ROOT, ServerProcess, free_port, wait_for_dash

UCDP_FILE = PROJECT_ROOT.parent / "shared/data/events/ucdp_ged_syria_652.1601.1911.csv"
PUBLISHER = "UCDP GED Syria 652.1601.1911"
IDLEB = "SY07"
START, END = "2019-08-01", "2019-08-31"
#: the dashboard's map: governorates, all people killed, August 2019
VIEW = f"?level=1&metric=people_killed&start={START}&end={END}"
#: what that map draws, as CSV (README "Export API": the window is from/to on the export)
EXPORT = f"/export/figures.csv?view=map&metric=people_killed&level=1&from={START}&to={END}"
#: UCDP's README (../shared/data/events/README.md): Idlib Governorate, sum of best, Aug 2019
UCDP_README_AUGUST = 950


@cache
def expected_weeks() -> pd.DataFrame:
    """Idleb's weekly people-killed figures overlapping August 2019, from the shipped CSV."""
    f = pd.read_csv(PROJECT_ROOT / "data" / "tables" / "event_figures.csv", dtype=str)
    start, end = pd.to_datetime(f["period_start"]), pd.to_datetime(f["period_end"])
    weeks = f[
        (f["metric"] == "people_killed")
        & (f["area_pcode"] == IDLEB)
        & (f["publisher"] == PUBLISHER)
        & (end >= pd.Timestamp(START))
        & (start <= pd.Timestamp(END))
    ]
    return weeks.sort_values("period_start").reset_index(drop=True)


def week_tuples(rows: Any) -> list[tuple[str, str, int, int, int]]:
    """(start, end, value, low, high) of each week, in order."""
    return sorted(
        (r["period_start"], r["period_end"], int(r["value"]), int(r["low"]), int(r["high"]))
        for r in (rows.to_dict("records") if isinstance(rows, pd.DataFrame) else rows)
    )


def expected_sum() -> tuple[int, int, int]:
    w = expected_weeks()
    return tuple(int(w[c].astype(int).sum()) for c in ("value", "low", "high"))  # type: ignore[return-value]


def range_text(value: int, low: int, high: int) -> str:
    """How the app writes a figure with its range (app.format.figure_text)."""
    return f"{value:,} ({low:,}–{high:,})" if low != high else f"{value:,}"


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def export(base: str) -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows) of the map's export for the August window."""
    status, body = get(base + EXPORT)
    assert status == 200, body[:300]
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    return list(reader.fieldnames or []), list(reader)


def idleb_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [
        r for r in rows
        if r["area_pcode"] == IDLEB and r["metric"] == "people_killed"
        and r["publisher"] == PUBLISHER
    ]  # fmt: skip


def assert_weekly_figures_only(header: list[str], rows: list[dict[str, str]]) -> None:
    """The export holds figures, never raw events: no event column, every UCDP row one
    ISO week (Monday to Sunday) of a flow."""
    assert "event_id" not in header and not any(h.startswith("event") for h in header)
    assert header[:2] == ["ADM1_PCODE", "ADM1_EN"] and "figure_id" in header
    ucdp = [r for r in rows if r["publisher"] == PUBLISHER]
    assert ucdp
    for r in ucdp:
        start, end = pd.Timestamp(r["period_start"]), pd.Timestamp(r["period_end"])
        assert (start.day_of_week, (end - start).days, r["kind"]) == (0, 6, "flow"), r


def read_map(page: Any, base: str) -> dict[str, Any]:
    """The governorate map of people killed in August 2019: Idleb's drawn value, its trace
    hover text, and the hover label the mouse brings up over Idleb."""
    open_view(page, base, VIEW)
    values = map_trace(page, "values")
    at = values["locations"].index(IDLEB)
    return {
        "z": values["z"][at],
        "hovertext": values["hovertext"][at],
        "label": hover_map(page, IDLEB),
    }


def assert_idleb_august(page: Any, base: str) -> tuple[dict[str, Any], list]:
    """The map and the export of ``base`` say what the shipped CSV says; what they said."""
    value, low, high = expected_sum()
    shown = read_map(page, base)
    assert shown["z"] == value
    for text in (shown["hovertext"], shown["label"]):
        assert range_text(value, low, high) in text, text
        assert "Sum of 5 weekly counts" in text, text
        assert PUBLISHER in text, text
    header, rows = export(base)
    assert_weekly_figures_only(header, rows)
    weeks = idleb_rows(rows)
    assert week_tuples(weeks) == week_tuples(expected_weeks())
    sums = tuple(sum(int(r[c]) for r in weeks) for c in ("value", "low", "high"))
    assert sums == (value, low, high) == (shown["z"], low, high)
    return shown, week_tuples(weeks)


def test_expected_from_the_shipped_csv_matches_ucdp() -> None:
    """The independent expectation itself: 5 ISO weeks overlap August 2019 (29 Jul - 1 Sep),
    and their best estimates add up to within 10% of UCDP's 950 for Idlib in August."""
    weeks = expected_weeks()
    assert list(weeks["period_start"]) == [
        "2019-07-29", "2019-08-05", "2019-08-12", "2019-08-19", "2019-08-26"]  # fmt: skip
    value, low, high = expected_sum()
    assert low <= value <= high
    assert abs(value - UCDP_README_AUGUST) <= 0.10 * UCDP_README_AUGUST, value
    assert (value, low, high) == (963, 951, 979)  # as shipped; a rebuild that moves it shows here


def test_bundle_idleb_august_on_the_map_and_in_its_export(page: Any, server: str) -> None:
    status, body = get(server + "/health")
    assert status == 200 and json.loads(body)["batches"] == 0  # the bundle alone
    assert_idleb_august(page, server)
    # the export's window is from/to; the dashboard's start/end is refused by name
    status, body = get(server + EXPORT.replace("from=", "start=").replace("to=", "end="))
    assert status == 400 and b"start" in body and b"from" in body


@pytest.fixture(scope="module")
def ucdp_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict]]:
    """A fresh workspace with the real UCDP file added: (folder, add's JSON report)."""
    if not UCDP_FILE.exists():
        pytest.fail(f"{UCDP_FILE} is missing: the reference data must sit beside the clone")
    workspace = tmp_path_factory.mktemp("ucdp") / "workspace"
    out = subprocess.run(
        [sys.executable, "-m", "app", "add", str(UCDP_FILE), "--publisher", PUBLISHER,
         "--published", "2020-01-10", "--by", "e2e", "--json"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "NWS_WORKSPACE": str(workspace), "NWS_DATABASE_URL": ""},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    [report] = json.loads(out.stdout)["files"]
    yield workspace, report


def test_add_reports_every_unmatched_event_per_governorate(
    ucdp_workspace: tuple[Path, dict],
) -> None:
    _, report = ucdp_workspace
    summary = report["summary"]
    assert (report["status"], report["batch"], report["superseded"]) == ("stored", 1, 7243)
    assert (summary["rows_read"], summary["accepted"], summary["rejected"]) == (16566, 7243, 0)
    assert summary["unmatched"] == 9323
    unmatched = [p for p in report["problems"] if p["severity"] == "unmatched"]
    # summarised: one problem per governorate (and one for events with no adm_1) ...
    found = [p["found"] for p in unmatched]
    places = [f.split(" in ", 1)[1].split(" are outside")[0].split(" is outside")[0] for f in found]
    assert len(unmatched) == len(set(places)) <= 20, places
    assert {"Homs Governorate", "Idlib Governorate", "Syria (no adm_1 given)"} <= set(places)
    # ... yet every unmatched row listed, none twice, none dropped
    rows = [r for p in unmatched for r in p["rows"]]
    assert len(rows) == len(set(rows)) == 9323
    for p, text in zip(unmatched, found, strict=True):
        n = int(text.split(" event")[0].replace(",", ""))
        assert n == len(p["rows"]), (text, len(p["rows"]))
        assert "outside the dashboard's areas" in text


def test_added_file_shows_the_same_idleb_august_value(
    page: Any, server: str, ucdp_workspace: tuple[Path, dict]
) -> None:
    workspace, _ = ucdp_workspace
    bundle_health = json.loads(get(server + "/health")[1])
    bundle_shown, bundle_weeks = assert_idleb_august(page, server)
    port = free_port()
    args = [sys.executable, "-m", "app", "serve", "--port", str(port)]
    env = {"NWS_WORKSPACE": str(workspace), "NWS_DATABASE_URL": ""}
    with ServerProcess(args, port, env=env) as stored:
        health = json.loads(get(stored.base_url + "/health")[1])
        assert (health["store_version"], health["batches"]) == (1, 1)
        # the batch's weekly figures replace the bundle's: as many figures, not more
        assert health["figures"] == bundle_health["figures"]
        shown, weeks = assert_idleb_august(page, stored.base_url)
        _, rows = export(stored.base_url)
        page.goto(stored.base_url + "/sources")
        wait_for_dash(page)
        batch = page.inner_text("#sources-batches #batch-1")
        assert "Traceback" not in stored.output_tail(200)
    assert UCDP_FILE.name in batch and "in use" in batch
    assert "7,243 events of 16,566 rows read (0 rejected, 9,323 unmatched)" in batch
    assert shown == bundle_shown and weeks == bundle_weeks  # identical, not doubled
    assert len(idleb_rows(rows)) == 5


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_weekly_point_hovers_with_its_own_week_and_value(
    page: Any, server: str, lang: str
) -> None:
    """A weekly series carries its shared hover lines once, in a template, with the count
    and the week as placeholders plotly.js fills from the point (app.figures.chart_hover):
    the label plotly.js draws over Idleb's week of 5 August 2019 is, character for
    character, the hover the app writes for that figure (which names the publisher, that
    week and UCDP's count for it), in English and in Arabic, and nothing of the template
    shows through."""
    week = expected_weeks().iloc[1]  # 5-11 Aug 2019
    assert week["period_start"] == "2019-08-05"
    open_view(page, server, f"?metric=people_killed&area=SY07&lang={lang}")
    page.wait_for_function(
        "(sel) => { const gd = document.querySelector(sel);"
        " return gd && (gd.data || []).some(t => t.x0 && t.hovertemplate); }",
        arg="#timeseries-graph .js-plotly-plot",
        timeout=10_000,
    )
    label, trace, j = page.evaluate(
        """([sel, publisher, day]) => {
            const gd = document.querySelector(sel);
            const i = gd.data.findIndex(t => t.x0 && t.meta.publisher === publisher
                && t.meta.area.includes('SY07') && t.meta.metric === 'people_killed');
            const t = gd.data[i];
            const j = Math.round((Date.parse(day) - Date.parse(t.x0)) / (7 * 86400000));
            Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber: j}], (t.xaxis || 'x') + (t.yaxis || 'y'));
            const label = [...gd.querySelectorAll('.hoverlayer .hovertext')]
                .map(e => e.textContent).join(' | ');
            return [label, t, j];
        }""",
        ["#timeseries-graph .js-plotly-plot", PUBLISHER, "2019-08-05"],
    )
    with use(lang):
        written = hover_texts(trace)[j]
    assert label == html.unescape(re.sub(r"<[^>]+>", "", written)), (label, written)
    value = f"{int(float(week['value'])):,}"
    week = "week beginning 5 Aug 2019" if lang == "en" else "الأسبوع الذي يبدأ في \u20685 آب 2019"
    for part in (PUBLISHER, week, value):
        assert part in label, (part, label)
    for leak in ("customdata", "%{", "&#37;", "<br>", "undefined", "NaN"):
        assert leak not in label, (leak, label)
