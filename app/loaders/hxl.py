"""HXL-tagged tables (a row of hashtags under the header) -> canonical figures.

Humanitarian data on HDX is often tagged with the Humanitarian Exchange Language: the row
under the header says what each column holds (``#adm3+code``, ``#date+end``,
``#affected+idps``). Tags and attributes are matched case-insensitively and in any order.
Each *value* column gives one figure per row (a row with ``#affected+idps`` and
``#affected+killed`` gives two), with the metric from :data:`VALUE_TAGS`; every other
column is a property shared by the row's figures (:data:`PROPERTY_TAGS`). The most specific
place a row gives decides where its figures apply (an ``#adm3+name`` beats an ``#adm1+code``).
The figures then go through :func:`~app.loaders.figure_rows.normalise_figure_rows` like any
other layout. Tags this loader does not read are reported once, as warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from app.loaders.context import LoadContext
from app.loaders.figure_rows import empty_figures, normalise_figure_rows
from app.loaders.report import LoadResult
from app.loaders.table import HASHTAG, Table


@dataclass(frozen=True)
class Tag:
    """A parsed hashtag: ``#Affected +IDPs+new`` -> Tag("affected", {"idps", "new"})."""

    name: str
    attributes: frozenset[str]

    @classmethod
    def parse(cls, text: str) -> Tag | None:
        if not HASHTAG.match(text):
            return None
        name, *attributes = (p.strip().lower() for p in text.strip().lstrip("#").split("+"))
        return cls(name, frozenset(attributes))

    def has(self, name: str, *attributes: str) -> bool:
        return self.name == name and set(attributes) <= self.attributes


#: Value tags -> canonical metric (``None``: the metric is in the ``#indicator+name`` column).
#: The most specific rule that a column's tag satisfies wins (its attributes are a superset).
VALUE_TAGS: list[tuple[str, tuple[str, ...], str | None]] = [
    ("affected", ("idps", "arrivals"), "idp_arrivals"),
    ("affected", ("idps", "departures"), "idp_departures"),
    ("affected", ("idps", "camps"), "idps_in_camps"),
    ("affected", ("idps", "new"), "idp_displacements"),
    ("affected", ("idps",), "idps_present"),
    ("affected", ("displaced",), "idp_displacements"),
    ("affected", ("killed", "civilians"), "civilians_killed"),
    ("affected", ("killed",), "people_killed"),
    ("affected", ("injured", "civilians"), "civilians_injured"),
    ("affected", ("injured",), "people_injured"),
    ("affected", ("inneed",), "people_in_need"),
    ("inneed", (), "people_in_need"),
    ("population", (), "population"),
    ("severity", (), "severity"),
    ("indicator", ("value",), None),
]

#: Property tags -> raw figure column (first rule satisfied wins; most specific listed first).
PROPERTY_TAGS: list[tuple[str, tuple[str, ...], str]] = [
    ("adm3", ("code",), "adm3_code"),
    ("adm2", ("code",), "adm2_code"),
    ("adm1", ("code",), "adm1_code"),
    ("adm3", (), "adm3_name"),
    ("adm2", (), "adm2_name"),
    ("adm1", (), "adm1_name"),
    ("loc", (), "loc_name"),
    ("date", ("start",), "period_start"),
    ("date", ("end",), "period_end"),
    ("date", ("reported",), "published_date"),
    ("date", ("published",), "published_date"),
    ("date", (), "period_end"),
    ("meta", ("source",), "publisher"),
    ("org", (), "org"),
    ("meta", ("document",), "document"),
    ("meta", ("title",), "document"),
    ("meta", ("url",), "url"),
    ("meta", ("qualifier",), "qualifier"),
    ("meta", ("note",), "note"),
    ("description", (), "note"),
    ("sector", (), "sector"),
    ("indicator", ("name",), "indicator_name"),
]

#: Most specific first: the first non-empty one places the row's figures.
_CODES = (("adm3_code", 3), ("adm2_code", 2), ("adm1_code", 1))
_NAMES = (("adm3_name", 3), ("adm2_name", 2), ("adm1_name", 1), ("loc_name", 0))


def value_metric(tag: Tag) -> tuple[bool, str | None]:
    """(is a value column, metric or None for ``#indicator+value``) by :data:`VALUE_TAGS`."""
    best: tuple[int, str | None] | None = None
    for name, attributes, metric in VALUE_TAGS:
        if tag.has(name, *attributes) and (best is None or len(attributes) > best[0]):
            best = (len(attributes), metric)
    return (best is not None, best[1] if best else None)


def property_column(tag: Tag) -> str | None:
    return next((col for name, attrs, col in PROPERTY_TAGS if tag.has(name, *attrs)), None)


def load_hxl(table: Table, result: LoadResult, ctx: LoadContext) -> pd.DataFrame:
    result.table_name = "figures"
    assert table.hashtags is not None
    values: list[tuple[str, str | None]] = []  # (header, metric)
    props: dict[str, str] = {}  # raw column -> header (first column tagged so wins)
    for header, text in zip(table.header, table.hashtags, strict=False):
        tag = Tag.parse(text) if text.strip() else None
        if tag is None:
            continue
        is_value, metric = value_metric(tag)
        column = property_column(tag)
        if is_value:
            values.append((header, metric))
        elif column:
            props.setdefault(column, header)
        else:
            result.add(
                table.hashtag_row,
                header,
                f"hashtag {text.strip()} is not used",
                "expected a tag this loader reads (see VALUE_TAGS and PROPERTY_TAGS in app/loaders/hxl.py)",
                "warning",
            )
    if not values:
        result.rows_read += len(table.frame)
        result.rejected += len(table.frame)
        result.add(
            0,
            "",
            f"no value column among the hashtags {' '.join(t for t in table.hashtags if t)}",
            "expected a value tag such as #affected+idps, #affected+killed, #inneed, #population "
            "or #indicator+value",
        )
        return empty_figures()
    if "publisher" not in props and "org" in props:
        props["publisher"] = props["org"]
    # A row gives one figure per filled value cell; a row with none still gives one (rejected).
    filled = pd.concat([table.frame[h].str.strip() != "" for h, _ in values], axis=1)
    none_filled = ~filled.any(axis=1)
    frames = [
        _figures_of(
            table,
            filled.iloc[:, i] | (none_filled if i == 0 else False),
            header,
            metric,
            props,
            result,
            ctx,
        )
        for i, (header, metric) in enumerate(values)
    ]
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return out.sort_values("source_row", kind="stable").reset_index(drop=True)


def _figures_of(
    table: Table,
    keep: pd.Series,
    value_header: str,
    metric: str | None,
    props: dict[str, str],
    result: LoadResult,
    ctx: LoadContext,
) -> pd.DataFrame:
    """The figures of one value column, normalised with that column named in the report."""
    frame = table.frame[keep.to_numpy()]
    cell = lambda col: frame[props[col]] if col in props else pd.Series("", index=frame.index)  # noqa: E731
    raw = pd.DataFrame(index=frame.index)
    for col in (
        "period_start",
        "period_end",
        "published_date",
        "publisher",
        "document",
        "url",
        "qualifier",
        "note",
        "sector",
    ):
        if col in props:
            raw[col] = frame[props[col]]
    raw["value"] = frame[value_header]
    raw["metric"] = cell("indicator_name") if metric is None else metric
    # The most specific place given wins: a sub-district name beats a governorate code.
    raw["pcode"], raw["pcode_level"], raw["area_as_written"] = "", "", ""
    # Which column and hashtag gave the P-code: a code whose level contradicts its tag
    # (SY070300 under #adm1+code) is reported naming them (figure_rows).
    raw["pcode_column"], raw["pcode_level_source"] = "", ""
    tag_of = dict(zip(table.header, table.hashtags or [], strict=False))
    code_level = pd.Series(0, index=frame.index)
    for col, level in reversed(_CODES):  # most specific last, so it wins
        if col in props:
            filled = cell(col).str.strip() != ""
            raw.loc[filled, "pcode"] = cell(col)[filled]
            raw.loc[filled, "pcode_level"] = str(level)
            raw.loc[filled, "pcode_column"] = props[col]
            raw.loc[filled, "pcode_level_source"] = f"its hashtag {tag_of[props[col]].strip()}"
            code_level[filled] = level
    for col, level in reversed(_NAMES):
        if col in props:
            filled = cell(col).str.strip() != ""
            raw.loc[filled, "area_as_written"] = cell(col)[filled]
            deeper = filled & (code_level < level)
            raw.loc[deeper, "pcode"] = ""
            raw.loc[deeper, "pcode_level"] = str(level)
    raw["source_row"] = table.rows[keep.to_numpy()]
    headers = {c: props[c] for c in props}
    headers["value"] = value_header
    headers["metric"] = (
        props.get("indicator_name", value_header) if metric is None else value_header
    )
    headers["pcode"] = next((props[c] for c, _ in _CODES if c in props), "pcode")
    headers["area_as_written"] = next((props[c] for c, _ in _NAMES if c in props), "area")
    return normalise_figure_rows(raw, result, ctx, headers)
