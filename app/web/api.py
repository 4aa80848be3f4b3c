"""``/api/imports``: the same as ``add``, ``imports``, ``retract`` and ``restore``, for scripts.

Every call carries ``Authorization: Bearer TOKEN`` (``python -m app editor token NAME``); a
missing, wrong or revoked token is 401 with ``WWW-Authenticate: Bearer`` and a JSON error.
No cookie is read here, so no CSRF check is needed: a browser never adds a bearer token
to a request on its own. Answers are JSON; every call that changes something is audited.

- ``POST /api/imports`` (multipart: ``file``; optional ``note``, ``publisher``,
  ``published`` YYYY-MM-DD): 201 with the batch's report; 200 when the same bytes are
  already stored (``"already_stored": true`` and the batch id); 422 with the report when
  nothing could be stored; 413 above ``NWS_MAX_UPLOAD_MB``; 400 for a bad field.
- ``GET /api/imports``: the batches (as ``python -m app imports --json``).
- ``POST /api/imports/<id>/retract`` with JSON ``{"why": "..."}``; ``POST /api/imports/<id>/restore``.

Errors are ``{"error": "...", "message": "..."}``: ``error`` is always English (stable, for
scripts to test), ``message`` the same for a person, in the request's language (``?lang=ar``
or ``Accept-Language: ar``, :mod:`app.i18n.web`). Field names stay English in every language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from app import i18n
from app.auth import accounts, audit
from app.store.engine import StoreConfig, StoreError
from app.web import uploads
from app.web.editing import client_address, refuse_large_bodies, too_large_message, upload_cap

api = Blueprint("api", __name__, url_prefix="/api")


def _store() -> StoreConfig:
    return StoreConfig.from_config()


def _json(code: int, headers: dict[str, str] | None = None, /, **body: Any) -> Response:
    """A JSON answer (positional-only arguments: a body may hold ``status``, ``code``)."""
    response = jsonify(body)
    response.status_code = code
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def _problem(code: int, say: Callable[[], str], headers: dict[str, str] | None = None, /,
             **body: Any) -> Response:  # fmt: skip
    """A JSON error: ``error`` in English, ``message`` in the request's language (``say``
    makes the text with :func:`app.i18n._`; called once in each language)."""
    with i18n.use("en"):
        error = say()
    return _json(code, headers, error=error, message=say(), **body)


class _BadField(BadRequest):
    """A 400 whose text is made in English (``description``) and in the request's language."""

    def __init__(self, say: Callable[[], str]) -> None:
        with i18n.use("en"):
            super().__init__(say())
        self.said = say()


def _unauthorised(say: Callable[[], str]) -> Response:
    with i18n.use("en"):
        why = say()
    audit.record(_store(), "api-denied", editor=None, address=client_address(), via="api",
                 detail=f"{request.method} {request.path}: {why}")  # fmt: skip
    return _problem(401, say, {"WWW-Authenticate": 'Bearer realm="nws", error="invalid_token"'},
                    hint="send Authorization: Bearer TOKEN "
                    "(python -m app editor token NAME)")  # fmt: skip


def _audit(action: str, batch_id: int | None = None, detail: str | None = None) -> None:
    audit.record(_store(), action, editor=g.editor, address=client_address(), via="api",
                 batch_id=batch_id, detail=detail)  # fmt: skip


@api.before_request
def authenticate() -> Response | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if not header:
        return _unauthorised(lambda: i18n._("no token: the Authorization header is missing"))
    if scheme.lower() != "bearer" or not token.strip():
        return _unauthorised(lambda: i18n._("expected Authorization: Bearer TOKEN"))
    editor = accounts.editor_for_token(_store(), token.strip())
    if editor is None:
        return _unauthorised(lambda: i18n._("the token is wrong or was revoked"))
    g.editor = editor.name
    refuse_large_bodies()
    return None


@api.errorhandler(RequestEntityTooLarge)
def too_large(_exc: RequestEntityTooLarge) -> Response:
    return _problem(413, too_large_message, max_upload_mb=upload_cap() // (1024 * 1024))


@api.errorhandler(BadRequest)
def bad_request(exc: BadRequest) -> Response:
    if isinstance(exc, _BadField):
        return _json(400, error=exc.description, message=exc.said)
    return _problem(400, lambda: exc.description or i18n._("bad request"))


@api.errorhandler(404)
def not_found(_exc: Exception) -> Response:
    return _problem(
        404, lambda: i18n._("no such route under /api (see README, Editors and the API)")
    )


@api.errorhandler(405)
def not_allowed(_exc: Exception) -> Response:
    return _problem(405, lambda: i18n._("method not allowed for this route"))


def _published() -> dt.date | None:
    text = (request.form.get("published") or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _BadField(
            lambda: i18n._("published={value}: expected a day as YYYY-MM-DD").format(
                value=repr(text)
            )
        ) from None


def _text(name: str, limit: int) -> str | None:
    return (request.form.get(name) or "").strip()[:limit] or None


@api.post("/imports")
def import_file() -> Response:
    file = request.files.get("file")
    if file is None:
        raise _BadField(lambda: i18n._("no file: send the file as the multipart field 'file'"))
    data = file.read(upload_cap() + 1)
    if len(data) > upload_cap():
        raise RequestEntityTooLarge()
    published = _published()
    label = uploads.safe_label(file.filename)
    try:
        out = uploads.store_now(_store(), data, file.filename, editor=g.editor,
                                note=_text("note", 500), publisher=_text("publisher", 200),
                                published=published,
                                max_unpacked=upload_cap() * uploads.UNPACK_FACTOR)  # fmt: skip
    except uploads.UploadRefused as exc:
        _audit("api-import", detail=f"{label}: refused: {exc}")
        return _json(exc.status, error=str(exc), message=exc.said, file=label)
    body = {"file": label, **uploads.outcome_fields(out)}
    if out.status == "stored":
        _audit("api-import", out.batch_id, f"{label}: stored, {out.result.accepted:,} rows")
        return _json(201, **body)
    if out.status == "already":
        _audit("api-import", out.existing, f"{label}: already stored")
        return _json(200, already_stored=True, batch=out.existing, **{
            k: v for k, v in body.items() if k != "batch"})  # fmt: skip
    _audit("api-import", detail=f"{label}: nothing stored: " + "; ".join(out.messages))
    return _problem(422, lambda: i18n._("nothing could be stored"), **body)


@api.get("/imports")
def list_imports() -> Response:
    from app.store import reads

    rows = reads.all_batches(_store())
    for r in rows:
        for k, v in list(r.items()):
            if isinstance(v, dt.datetime):
                r[k] = audit.as_utc(v).isoformat()
            elif isinstance(v, dt.date):
                r[k] = v.isoformat()
    return _json(200, batches=rows)


@api.post("/imports/<int:batch_id>/retract")
def retract(batch_id: int) -> Response:
    from app.store.batches import retract as retract_batch

    body = request.get_json(silent=True)
    why = body.get("why") if isinstance(body, dict) else None
    if not isinstance(why, str) or not why.strip():
        raise _BadField(lambda: i18n._('send JSON {"why": "..."}: readers see the reason'))
    try:
        retract_batch(_store(), batch_id, why=why.strip()[:1000], by=g.editor)
    except StoreError as exc:
        return _json(404 if "no batch" in str(exc) else 409, error=str(exc), message=str(exc))
    _audit("retract", batch_id, why.strip()[:1000])
    return _json(200, batch=batch_id, status="retracted", why=why.strip()[:1000])


@api.post("/imports/<int:batch_id>/restore")
def restore(batch_id: int) -> Response:
    from app.store.batches import restore as restore_batch

    try:
        restore_batch(_store(), batch_id, by=g.editor)
    except StoreError as exc:
        return _json(404 if "no batch" in str(exc) else 409, error=str(exc), message=str(exc))
    _audit("restore", batch_id)
    return _json(200, batch=batch_id, status="active")
