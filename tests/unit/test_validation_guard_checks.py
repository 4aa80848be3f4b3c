"""The checks validation adds before a file reaches the store: day/month order settled by
the file, non-http(s) links in the canonical layout. (The corpus, tests/corpus, holds one
MADE-UP file per check with its exact report.)"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from export_madeup import MADE_UP_FIGURES, made_up_figures

from app.bundle.build import _csv_text
from app.loaders import load
from app.normalise.dates import DateError, parse_date, settle_order


@pytest.mark.parametrize(
    ("cells", "order", "evidence"),
    [
        ([(2, "03/04/2020")], None, None),
        ([(2, "03/04/2020"), (3, "25/03/2020")], "day-first", (3, "25/03/2020")),
        ([(2, "03/04/2020"), (3, "03/26/2020")], "month-first", (3, "03/26/2020")),
        ([(2, "03/03/2020"), (3, "2020-03-25"), (4, "")], None, None),
    ],
)
def test_settle_order(cells, order, evidence) -> None:  # type: ignore[no-untyped-def]
    settled = settle_order(cells)
    assert (settled.order, settled.evidence, settled.conflict) == (order, evidence, None)


def test_settle_order_sees_a_column_that_mixes_conventions() -> None:
    settled = settle_order([(2, "25/03/2020"), (3, "03/26/2020")])
    assert settled.order is None
    assert settled.conflict == ((2, "25/03/2020"), (3, "03/26/2020"))


def test_parse_date_never_guesses_without_an_order() -> None:
    with pytest.raises(DateError) as info:
        parse_date("03/04/2020", None)
    assert info.value.found.startswith(
        "03/04/2020 is 3 April 2020 (day-first) or 4 March 2020 (month-first)"
    )
    assert parse_date("03/04/2020", "month-first") == pd.Timestamp(2020, 3, 4)
    assert parse_date("03/04/2020") == pd.Timestamp(2020, 4, 3)  # callers that know: day first
    assert parse_date("03/03/2020", None) == pd.Timestamp(2020, 3, 3)  # same either way
    assert parse_date("25/03/2020", None) == pd.Timestamp(2020, 3, 25)  # only one reading
    assert parse_date("03/26/2020", None) == pd.Timestamp(2020, 3, 26)
    with pytest.raises(DateError, match="month 25 does not exist"):
        parse_date("25/03/2020", "month-first")


def test_canonical_layout_warns_about_links_that_are_not_http(tmp_path: Path, ctx) -> None:  # type: ignore[no-untyped-def]
    rows = [dict(r) for r in MADE_UP_FIGURES]
    rows[0]["url"], rows[1]["url"] = "javascript:alert(1)", "ftp://example.org/x.pdf"
    path = tmp_path / "figures.csv"
    path.write_bytes(_csv_text(made_up_figures(rows)).encode("utf-8"))
    result = load(path, ctx)
    assert (result.accepted, result.rejected) == (3, 0)
    assert [(p.row, p.column, p.severity, p.found) for p in result.problems] == [
        (2, "url", "warning", "'javascript:alert(1)' is not an http(s) link (scheme 'javascript')"),
        (3, "url", "warning", "'ftp://example.org/x.pdf' is not an http(s) link (scheme 'ftp')"),
    ]
    assert sorted(result.table["url"].dropna()) == ["ftp://example.org/x.pdf", "javascript:alert(1)"]
