"""Rows of the Sources page: every dataset of the bundle and every dated figure's source."""

from __future__ import annotations

import pandas as pd

from app import format as fmt
from app.vocab import METRICS


def dataset_rows(datapackage: dict) -> list[dict[str, str]]:
    """One row per datapackage resource: title, publisher, licence, coverage, size, attribution."""
    rows = []
    for res in datapackage.get("resources", []):
        cov = res.get("coverage") or {}
        temporal = cov.get("temporal") or {}
        when = f"{temporal.get('start', '')} to {temporal.get('end', '')}" if temporal else ""
        rows.append(
            {
                "name": str(res.get("name", "")),
                "title": str(res.get("title", res.get("name", ""))),
                "path": str(res.get("path", "")),
                "publisher": "; ".join(str(s.get("title", "")) for s in res.get("sources", [])),
                "licence": "; ".join(
                    str(lic.get("title") or lic.get("name", "")) for lic in res.get("licenses", [])
                ),
                "coverage": "; ".join(x for x in (str(cov.get("spatial", "")), when) if x),
                "bytes": f"{int(res.get('bytes', 0)):,}",
                "attribution": str(res.get("attribution", "")),
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
                "publisher": str(publisher),
                "document": str(document),
                "url": g["url"].dropna().iloc[0] if g["url"].notna().any() else "",
                "n": f"{len(g):,}",
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
        m = METRICS.get(r["metric"])
        rows.append(
            {
                "figure_id": r["figure_id"],
                "date": fmt.period(r["period_start"], r["period_end"]),
                "metric": m.label if m else r["metric"],
                "figure": fmt.figure_text(r["value"], r["qualifier"], r["low"], r["high"]),
                "area": str(r["area_as_written"]),
                "publisher": str(r["publisher"]),
                "document": str(r["document"]),
                "url": r["url"] if isinstance(r["url"], str) else "",
                "published": fmt.day(r["published_date"]),
            }
        )
    return rows
