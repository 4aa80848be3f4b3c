"""The figures export as an XLSX workbook: a README sheet, then the data.

The README sheet travels with the numbers when a workbook is forwarded: what it holds,
the filters used, when it was extracted, and the licences and attribution the data
package (``data/datapackage.json``) requires. The ``data`` sheet has the same columns
and cells as the CSV (same neutralised text, so re-saving it as CSV stays safe), with real
number and date cells; text is always a string cell, never a formula. openpyxl's
write-only mode streams rows to a temporary file instead of building the sheet in memory.

In the Arabic interface (``lang=ar``) the README sheet reads in Arabic, right to left; the
``data`` sheet's column names and values stay as documented (machine-readable: a script
reads the same columns whatever the language), and the README says so.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from app import ooxml
from app.export.columns import (
    ADM_DESCRIPTIONS,
    ADM_WORDS,
    COLUMN_DESCRIPTIONS,
    ColumnType,
    column_type,
    hxl_row,
)
from app.export.datapackage import attribution, licences
from app.export.rows import ExportTable
from app.export.text import FORMULA_TRIGGERS, is_missing, neutralise
from app.i18n import _, current, translate

DATA_SHEET = "data"
README_SHEET = "README"
_WIDTHS = {
    ColumnType.TEXT: 22,
    ColumnType.NUMBER: 12,
    ColumnType.INTEGER: 10,
    ColumnType.DATE: 12,
    ColumnType.BOOLEAN: 10,
}


@dataclass(frozen=True)
class Readme:
    """What the README sheet says besides the columns."""

    title: str
    #: (parameter, value) as given; empty: the whole table
    filters: Sequence[tuple[str, str]]
    extracted: dt.datetime
    licences: Sequence[str]
    attribution: Sequence[str]
    url: str = ""
    #: the data package's title (``datapackage.json``), as published
    package: str = ""


def readme_from_datapackage(
    datapackage: dict, filters: Sequence[tuple[str, str]], extracted: dt.datetime, url: str = ""
) -> Readme:
    """The README of an export of this bundle (licences and attribution from its package)."""
    title = str(datapackage.get("title") or "North-west Syria displacement dashboard")
    heading = f"{title}: figures export"
    if current().lang != "en":  # the package's title is English data: named on its own line
        heading = _("North-west Syria displacement dashboard: figures export")
    return Readme(
        heading,
        list(filters),
        extracted,
        licences(datapackage),
        attribution(datapackage),
        url,
        package=title,
    )


def _xml_safe(text: str) -> str:
    """Control characters XML 1.0 cannot hold (NUL, VT, ESC, ...) as U+FFFD: openpyxl
    raises on them, which would turn one odd cell into a failed export. A carriage return
    is stored as spreadsheets store it (:func:`app.ooxml.escape`): XML would read it back
    as a line feed."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", ooxml.escape(text))


def _text_cell(ws: object, value: object, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        value = _xml_safe(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a string, even if it began with "=" (never a formula)
    if bold:
        cell.font = Font(bold=True)
    return cell


def column_meaning(column: str) -> str:
    """What ``column`` holds, in the request's language (the columns' names stay English)."""
    parts = column.split("_", 1)
    if len(parts) == 2 and parts[0] in {f"ADM{lv}" for lv in ADM_WORDS}:
        template = ADM_DESCRIPTIONS.get(parts[1])
        if template is not None:
            return translate(template).format(level=translate(ADM_WORDS[int(parts[0][3:])]))
    return translate(COLUMN_DESCRIPTIONS.get(column, ""))


def _readme_rows(readme: Readme, table: ExportTable, hxl: bool) -> list[tuple[list, bool]]:
    """(cells, is a heading) for each README line."""

    def head(text: str, *more: str) -> tuple[list, bool]:
        return [text, *more], True

    def line(*cells: object) -> tuple[list, bool]:
        return list(cells), False

    rows = [
        head(readme.title),
        line(),
        line(_("Rows"), len(table.frame)),
        line(_("Extracted (UTC)"), readme.extracted.strftime("%Y-%m-%d %H:%M:%S")),
    ]
    if readme.package and current().lang != "en":  # the English heading already names it
        rows.append(line(_("Data package"), readme.package))
    if readme.url:
        rows.append(line(_("Export link"), readme.url))
    rows += [line(), head(_("Filters used"))]
    rows += [line(k, v) for k, v in readme.filters] or [
        line(_("(none)"), _("every figure in the bundle"))
    ]
    rows += [line(), head(_("Licences"))] + [line(lic) for lic in readme.licences]
    rows += [line(), head(_("Attribution"))] + [line(a) for a in readme.attribution]
    rows += [
        line(),
        head(_("Notes")),
        line(_("Every figure carries its publisher, document, link and dates; cite them.")),
        line(
            _(
                "Text cells that began with {characters} start with a ' so that no cell "
                "runs as a formula."
            ).format(characters=" ".join(repr(c) for c in FORMULA_TRIGGERS))
        ),
        line(
            _(
                "period_end is the as-of date of stocks and running totals; flows count "
                "what happened between period_start and period_end."
            )
        ),
    ]
    if current().lang != "en":  # the data sheet is not translated: say why
        rows.append(
            line(
                _(
                    "Column names, codes and values in the data sheet stay as documented, "
                    "in English: they are machine-readable, the same in every language of "
                    "the dashboard. The table below explains each column."
                )
            )
        )
    hxl_head = [_("HXL hashtag")] if hxl else []
    rows += [line(), head(_("Column"), _("type"), *hxl_head, _("meaning"))]
    tags = hxl_row(table.frame.columns, table.metrics)
    for col, tag in zip(table.frame.columns, tags, strict=True):
        rows.append(
            line(
                col, column_type(col).value, *([tag] if hxl else []), column_meaning(col)
            )
        )
    return rows


def _cell_value(value: object, kind: ColumnType) -> object:
    if is_missing(value):
        return None
    if kind is ColumnType.NUMBER:
        return float(value)  # type: ignore[arg-type]
    if kind is ColumnType.INTEGER:
        return int(value)  # type: ignore[call-overload]
    if kind is ColumnType.DATE:
        return value.date() if isinstance(value, dt.datetime) else value
    if kind is ColumnType.BOOLEAN:
        return bool(value)
    return _xml_safe(neutralise(str(value)))


def xlsx_bytes(table: ExportTable, readme: Readme, hxl: bool = False) -> bytes:
    """The workbook as bytes (README sheet first, then ``data``)."""
    wb = Workbook(write_only=True)
    about = wb.create_sheet(README_SHEET)
    about.sheet_view.rightToLeft = current().rtl  # Arabic reads from the right
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 60
    for cells, heading in _readme_rows(readme, table, hxl):
        about.append([_text_cell(about, v, bold=heading) for v in cells])

    data = wb.create_sheet(DATA_SHEET)
    columns = list(table.frame.columns)
    kinds = [column_type(c) for c in columns]
    for i, kind in enumerate(kinds):
        data.column_dimensions[get_column_letter(i + 1)].width = _WIDTHS[kind]
    data.freeze_panes = "A3" if hxl else "A2"
    data.append([_text_cell(data, c, bold=True) for c in columns])
    if hxl:
        data.append([_text_cell(data, t) for t in hxl_row(columns, table.metrics)])
    for row in table.frame.itertuples(index=False, name=None):
        # plain values: openpyxl types them (numbers, dates as yyyy-mm-dd, booleans); a str is
        # a formula only if it starts with "=", which neutralised text never does
        data.append([_cell_value(v, k) for v, k in zip(row, kinds, strict=True)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
