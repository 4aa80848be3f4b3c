"""The stable export endpoints (README "Export API"), on the Flask server of the Dash app.

    GET /export/figures.csv      the figures under the filters, streamed in chunks
    GET /export/figures.xlsx     the same rows, with a README sheet (licences, filters)
    GET /export/areas.geojson    the map: areas at a level with the value the map shows

Plain links, so the dashboard's download buttons need no callback and the browser streams
the file; report writers and IM officers can also build the URLs themselves. A parameter
that cannot be used is HTTP 400 with a message naming it (text, or JSON when the client
asks for it), never a 500 and never a silently different file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from flask import Flask, Response, request, stream_with_context

from app.bundle.store import Bundle, release_freed_memory
from app.config import get_config
from app.export import params as ep
from app.export.csv_writer import csv_bytes
from app.export.datapackage import attribution, licences
from app.export.geojson_writer import geojson_document, geojson_text
from app.export.rows import export_table, priority_list
from app.i18n import _
from app.store.live import tables as current_tables

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GEOJSON_TYPE = "application/geo+json"


def _choices(bundle: Bundle) -> ep.Choices:
    areas = bundle.areas
    return ep.Choices(
        pcodes=frozenset(areas.loc[areas["level"].between(1, 3), "pcode"]),
        publishers=frozenset(bundle.figures["publisher"].dropna()),
    )


def bad_request(error: ep.ExportParamError) -> Response:
    """HTTP 400 naming every parameter that cannot be used (JSON if preferred)."""
    best = request.accept_mimetypes.best_match(["text/plain", "application/json"])
    if (
        best == "application/json"
        and request.accept_mimetypes["application/json"] > request.accept_mimetypes["text/plain"]
    ):
        body = json.dumps(
            {
                "error": "bad request",
                "problems": [
                    {"parameter": p.parameter, "message": p.message} for p in error.problems
                ],
            },
            ensure_ascii=False,
        )
        return Response(body, status=400, content_type="application/json; charset=utf-8")
    lines = [_("Bad request: this export cannot use these parameters (see README, Export API).")]
    lines += [f"- {p.parameter}: {p.message}" for p in error.problems]
    return Response("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


def _parse(endpoint: ep.Endpoint, bundle: Bundle) -> ep.ExportParams:
    args = {k: request.args.getlist(k) for k in request.args}
    return ep.parse_export_params(args, endpoint, _choices(bundle))


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-cache"}


#: After an export of more rows than this, the worker hands its freed memory back.
LARGE_EXPORT_ROWS = 100_000


def _streamed(chunks: Iterator[bytes], rows: int) -> Iterator[bytes]:
    """``chunks``, then (a large export) the memory its slices used back to the system: a
    worker that served a million rows must not sit on it until it is recycled."""
    try:
        yield from chunks
    finally:
        if rows > LARGE_EXPORT_ROWS:
            release_freed_memory()


def register_export_routes(server: Flask) -> None:
    """Add the three ``/export/*`` routes to ``server`` (read the bundle and the store as of
    the store's current version: a retracted batch is in no export)."""

    @server.get(ep.FIGURES_CSV)
    def export_figures_csv() -> Response:
        bundle = current_tables()
        try:
            p = _parse(ep.Endpoint.FIGURES, bundle)
        except ep.ExportParamError as exc:
            return bad_request(exc)
        table = export_table(bundle, p, priority_list(get_config().publisher_priority))
        return Response(
            stream_with_context(_streamed(csv_bytes(table, hxl=p.hxl), len(table))),
            content_type=CSV_TYPE,
            headers=_attachment(ep.filename(p, "figures", "csv")),
        )

    @server.get(ep.FIGURES_XLSX)
    def export_figures_xlsx() -> Response:
        bundle = current_tables()
        try:
            p = _parse(ep.Endpoint.FIGURES, bundle)
        except ep.ExportParamError as exc:
            return bad_request(exc)
        table = export_table(bundle, p, priority_list(get_config().publisher_priority))
        from app.export.xlsx_writer import readme_from_datapackage, xlsx_bytes  # openpyxl: lazy

        readme = readme_from_datapackage(
            bundle.datapackage, p.given, dt.datetime.now(dt.UTC), url=request.url
        )
        return Response(
            xlsx_bytes(table, readme, hxl=p.hxl),
            content_type=XLSX_TYPE,
            headers=_attachment(ep.filename(p, "figures", "xlsx")),
        )

    @server.get(ep.AREAS_GEOJSON)
    def export_areas_geojson() -> Response:
        bundle = current_tables()
        try:
            p = _parse(ep.Endpoint.AREAS, bundle)
        except ep.ExportParamError as exc:
            return bad_request(exc)
        doc = geojson_document(
            bundle,
            p,
            priority_list(get_config().publisher_priority),
            dt.datetime.now(dt.UTC),
            licences(bundle.datapackage),
            attribution(bundle.datapackage),
        )
        return Response(
            geojson_text(doc).encode("utf-8"),
            content_type=GEOJSON_TYPE,
            headers=_attachment(ep.filename(p, "areas", "geojson")),
        )
