"""Rows of the Sources page: every dataset of the bundle and every dated figure's source."""

from __future__ import annotations

import pandas as pd

from app import format as fmt
from app.i18n import N_, _, translate
from app.queries.publishers_ar import publisher_shown
from app.vocab import metric_label

#: Licence and attribution lines of data/datapackage.json written by this project (the
#: others are the publishers' own and stay as published): translated where shown.
OUR_LINES = {
    t: t
    for t in (
        N_("Figures quoted from public reports with attribution; each row links its source"),
        N_("Each row names its publisher, document, URL and date"),
        N_("Each row names its source and link (column source, source_url)"),
        N_("NW Syria displacement dashboard"),
    )
}


def our_line(text: str) -> str:
    """A line of the data package in the request's language when this project wrote it."""
    return translate(text) if text in OUR_LINES else text


def dataset_rows(datapackage: dict) -> list[dict[str, str]]:
    """One row per datapackage resource: title, publisher, licence, coverage, size, attribution."""
    rows = []
    for res in datapackage.get("resources", []):
        cov = res.get("coverage") or {}
        temporal = cov.get("temporal") or {}
        when = (
            _("{start} to {end}").format(start=fmt.isolate(str(temporal.get("start", ""))),
                                         end=fmt.isolate(str(temporal.get("end", ""))))
            if temporal
            else ""
        )  # fmt: skip
        rows.append(
            {
                "name": str(res.get("name", "")),
                "title": str(res.get("title", res.get("name", ""))),
                "path": str(res.get("path", "")),
                "publisher": "; ".join(str(s.get("title", "")) for s in res.get("sources", [])),
                "licence": "; ".join(
                    our_line(str(lic.get("title") or lic.get("name", "")))
                    for lic in res.get("licenses", [])
                ),
                "coverage": "; ".join(x for x in (str(cov.get("spatial", "")), when) if x),
                "bytes": fmt.number(int(res.get("bytes", 0))),
                "attribution": our_line(str(res.get("attribution", ""))),
                "description": str(res.get("description", "")),
            }
        )
    return rows


def event_sum_rows(figures: pd.DataFrame) -> list[dict[str, str]]:
    """The weekly sums of conflict events, one line per dataset (publisher) and document:
    how many weekly figures, the weeks they span, when the dataset was published."""
    from app.queries.clean import is_event_sum

    sums = figures[is_event_sum(figures).to_numpy()]
    rows = []
    for (publisher, document), g in sums.groupby(["publisher", "document"], sort=True):
        rows.append(
            {
                "publisher": publisher_shown(publisher),
                "document": str(document),
                "url": g["url"].dropna().iloc[0] if g["url"].notna().any() else "",
                "n": fmt.number(len(g)),
                "weeks": fmt.period(g["period_start"].min(), g["period_end"].max()),
                "published": fmt.day(g["published_date"].dropna().min())
                if g["published_date"].notna().any()
                else "",
            }
        )
    return rows


def figure_source_rows(figures: pd.DataFrame) -> list[dict[str, str]]:
    """Dated figures (not the HNO baseline rows, not the weekly sums of events), oldest
    first, as the page lists them."""
    from app.queries.clean import is_event_sum

    df = figures[~figures["source_file"].fillna("").str.startswith("baseline")]
    df = df[~is_event_sum(df).to_numpy()]
    df = df.sort_values(["period_end", "publisher", "figure_id"], na_position="last")
    rows = []
    for r in df.to_dict("records"):
        rows.append(
            {
                "figure_id": r["figure_id"],
                "date": fmt.period(r["period_start"], r["period_end"]),
                "metric": metric_label(r["metric"]),
                "figure": fmt.figure_text(r["value"], r["qualifier"], r["low"], r["high"]),
                "area": str(r["area_as_written"]),
                "publisher": publisher_shown(r["publisher"]),
                "document": str(r["document"]),
                "url": r["url"] if isinstance(r["url"], str) else "",
                "published": fmt.day(r["published_date"]),
            }
        )
    return rows
