""" "As known on" end to end, on the real bundle: a figure published after the as-of date never
appears on a page, in an export or in an embed, and a permalink reproduces the view.

"Published after" is computed from ``data/`` with the documented rule (published date, else
period end): the numbers of those figures (formatted as the app formats them, 1,000 and
above, so a year or a day of the month cannot match) must not be in the page's text, in
any drawn trace, or in the export rows.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.request
from functools import cache
from typing import Any

import pandas as pd

from app import format as fmt
from app.queries.filters import known_date, known_on

from .dashboard_helpers import bundle, open_view
from .harness import wait_for_dash

AS_OF = "2020-02-16"
TS = pd.Timestamp(AS_OF)


@cache
def forbidden() -> tuple[set[float], re.Pattern[str]]:
    """Values only figures published after AS_OF have (none a known figure also shows)."""
    f = bundle().figures
    known = known_on(f, TS)
    later = f[~f["figure_id"].isin(known["figure_id"])]
    shown = set(known["value"]) | set(known["low"]) | set(known["high"])
    values = {float(v) for v in later["value"] if v >= 1000 and v not in shown}
    assert {900000.0, 948000.0, 1000000.0} <= values
    texts = sorted({fmt.number(v) for v in values}, key=len, reverse=True)
    return values, re.compile(r"(?<![\d,.])(" + "|".join(map(re.escape, texts)) + r")(?![\d,])")


def assert_nothing_later(page: Any) -> None:
    """No later figure's number in the DOM text (closed <details> too) or in any trace."""
    values, pattern = forbidden()
    text = page.evaluate("document.body.textContent")
    found = pattern.findall(text)
    assert not found, f"published after {AS_OF}, yet on screen: {sorted(set(found))}"
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd =>
            (gd.data || []).flatMap(t => [...(t.y || []), ...(t.z || []),
                                          ...(t.hovertext || []).map(String)]))"""
    )
    numbers = {float(v) for v in drawn if isinstance(v, int | float)}
    assert not numbers & values, sorted(numbers & values)
    hovers = " ".join(v for v in drawn if isinstance(v, str))
    assert not pattern.findall(hovers), sorted(set(pattern.findall(hovers)))


def test_overview_as_known_on_16_feb(page: Any, server: str) -> None:
    open_view(page, server, f"?as_of={AS_OF}")
    displaced = page.inner_text("#card-displaced")
    assert "more than" in displaced and "800,000" in displaced
    assert "(800,000–880,000)" in displaced
    assert "as known on 16 Feb 2020" in displaced
    assert "How this figure was chosen" in displaced
    before = page.inner_text("#cards")
    # the article's 700,000 is one of the alternatives listed on the card
    page.click("#card-displaced .nws-alt-summary")
    assert "700,000" in page.inner_text("#card-displaced")
    assert page.input_value("#filters-as-of") == AS_OF
    assert_nothing_later(page)

    # a permalink reproduces the view exactly
    page.reload()
    wait_for_dash(page)
    assert page.inner_text("#cards") == before
    assert page.url.endswith(f"?as_of={AS_OF}")


def test_embed_card_as_known_on_16_feb(page: Any, server: str) -> None:
    page.goto(f"{server}/embed/card?card=displaced&as_of={AS_OF}")
    wait_for_dash(page)
    text = page.inner_text("body")
    assert "more than" in text and "800,000" in text
    assert "As known on 16 Feb 2020" in text
    assert_nothing_later(page)


def test_reconcile_as_known_on_16_feb(page: Any, server: str) -> None:
    page.goto(f"{server}/reconcile?metric=killed&as_of={AS_OF}")
    wait_for_dash(page)
    text = page.inner_text("body")
    assert "known on 16 Feb 2020" in text
    # the article's 1,800 beside SOHR's 380, and why they differ, in words
    assert "contradiction" in text
    assert "TRT World over 1,800 (13 Feb 2020) gives the same number counted from 17 Sep 2018" in (
        text
    )
    assert not re.search(r"OHCHR 299\b", text)  # published on 18 Feb
    lanes = page.evaluate(
        "[...new Set(document.querySelector('#reconcile-graph .js-plotly-plot').data"
        ".filter(t => t.meta && t.meta.role === 'figures').map(t => t.meta.lane))]"
    )
    # UCDP's weekly sums of events (released 10 Jan 2020) are known too, in a lane of their own
    assert sorted(lanes) == sorted(["News article of 16 Feb 2020", "OHCHR", "SNHR", "SOHR", "TRT World",
                                    "UCDP GED Syria 652.1601.1911"])  # fmt: skip
    assert_nothing_later(page)


def test_export_as_known_on_16_feb(server: str) -> None:
    with urllib.request.urlopen(f"{server}/export/figures.csv?as_of={AS_OF}", timeout=60) as r:
        body = r.read().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows, "empty export"
    for row in rows:
        published, end = row["published_date"], row["period_end"]
        assert published or end, row["figure_id"]
        assert (published or end) <= AS_OF, (row["figure_id"], published, end)
    known = known_on(bundle().figures, TS)
    assert {r["figure_id"] for r in rows} == set(known["figure_id"])
    assert (known_date(known) <= TS).all()
    # flags come from the same known figures: none cites a later one
    cited = {i for r in rows for i in re.findall(r"\b[0-9a-f]{12}\b", r["flags"] or "")}
    assert cited <= set(known["figure_id"])
    values, _ = forbidden()
    assert not {float(r["value"]) for r in rows} & values


def test_reconcile_as_of_control_writes_a_permalink(page: Any, server: str) -> None:
    page.goto(f"{server}/reconcile?metric=killed")
    wait_for_dash(page)
    assert re.search(r"OHCHR 299\b", page.inner_text("#reconcile-pairs"))
    field = page.locator("#reconcile-as-of")
    field.click()
    field.fill(AS_OF)
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(rf"as_of={AS_OF}"))
    wait_for_dash(page)
    assert page.url.endswith(f"/reconcile?metric=killed&as_of={AS_OF}")
    after = page.inner_text("#reconcile-pairs")
    assert not re.search(r"OHCHR 299\b", after)
    assert_nothing_later(page)
    page.reload()
    wait_for_dash(page)
    assert page.inner_text("#reconcile-pairs") == after
