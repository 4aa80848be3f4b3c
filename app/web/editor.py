"""``/data``: the editors' pages (server-rendered Jinja, autoescaped; no inline script).

Sign in, upload a file (kept pending with its validation report), read the report as a
table sorted and filtered by query parameters (``sort``, ``order``, ``severity``, ``q``),
accept it as a batch or discard it, list the batches, retract (with a reason) or restore
one, download an original, read the audit. Editors do what ``add``, ``imports``,
``retract`` and ``restore`` do, nothing more; every step is in the audit.

Every request but the sign-in page needs a live session (signed cookie, 8 hours at most,
1 hour idle, the account still there); every POST needs the form's CSRF token (400 without).

The pages and their messages are in the request's language (``?lang=ar`` or the browser's
Accept-Language, :mod:`app.i18n.web`): the templates use Jinja's i18n extension with
:func:`app.i18n._` (``{{ _("...") }}``), so Babel extracts their strings with the rest.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge

from app import i18n
from app.auth import accounts, audit, throttle
from app.auth.sessions import expired
from app.store.engine import StoreConfig, StoreError
from app.web import uploads
from app.web.editing import client_address, refuse_large_bodies, too_large_message, upload_cap

_ = i18n._

#: Rows of a report shown at once (the rest are counted, and reached by filtering).
REPORT_ROWS = 1000
SORT_KEYS = ("row", "column", "severity", "found", "expected")
SEVERITIES = ("error", "unmatched", "warning")
_OPEN = {"signin", "signin_post", "static"}  # endpoints reachable without a session


def _store() -> StoreConfig:
    return StoreConfig.from_config()


def _audit(action: str, *, batch_id: int | None = None, detail: str | None = None,
           editor: str | None = None) -> None:  # fmt: skip
    audit.record(_store(), action, editor=editor or g.get("editor"), address=client_address(),
                 via="web", batch_id=batch_id, detail=detail)  # fmt: skip


def filter_problems(problems: list[dict], sort: str = "row", order: str = "asc",
                    severity: str = "", q: str = "") -> list[dict]:  # fmt: skip
    """The report's rows for the table: kept by severity and text, sorted by one column.

    >>> ps = [{"row": 9, "column": "b", "found": "x", "expected": "y", "severity": "warning"},
    ...       {"row": 2, "column": "a", "found": "Homs", "expected": "z", "severity": "unmatched"}]
    >>> [p["row"] for p in filter_problems(ps)]
    [2, 9]
    >>> [p["row"] for p in filter_problems(ps, sort="row", order="desc")]
    [9, 2]
    >>> [p["row"] for p in filter_problems(ps, severity="warning")]
    [9]
    >>> [p["row"] for p in filter_problems(ps, q="homs")]
    [2]
    """
    sort = sort if sort in SORT_KEYS else "row"
    out = [p for p in problems if not severity or p.get("severity") == severity]
    if q:
        needle = q.casefold()
        out = [p for p in out if any(needle in str(p.get(k, "")).casefold()
                                     for k in ("column", "found", "expected", "row"))]  # fmt: skip

    def key(p: dict) -> tuple:
        value = p.get(sort)
        return (value if sort == "row" else str(value).casefold(), p.get("row", 0))

    return sorted(out, key=key, reverse=order == "desc")


def _report_view(problems: list[dict]) -> dict[str, Any]:
    args = request.args
    sort = args.get("sort", "row")
    order = "desc" if args.get("order") == "desc" else "asc"
    severity = args.get("severity", "")
    severity = severity if severity in SEVERITIES else ""
    q = args.get("q", "")[:200]
    rows = filter_problems(problems, sort, order, severity, q)
    counts = {s: sum(p.get("severity") == s for p in problems) for s in SEVERITIES}
    return {"rows": rows[:REPORT_ROWS], "matching": len(rows), "total": len(problems),
            "sort": sort if sort in SORT_KEYS else "row", "order": order,
            "severity": severity, "q": q, "counts": counts, "sort_keys": SORT_KEYS,
            "severities": SEVERITIES, "limit": REPORT_ROWS}  # fmt: skip


def _safe_next(target: str | None) -> str:
    """Only a path under /data (never another site) after signing in."""
    if not target:
        return url_for("editor.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/data") or "\\" in target:
        return url_for("editor.home")
    return target


def _day(text: str) -> dt.date | None:
    text = text.strip()
    return dt.date.fromisoformat(text) if text else None


def _field(name: str, limit: int = 500) -> str | None:
    value = (request.form.get(name) or "").strip()
    return value[:limit] or None


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return audit.as_utc(value).strftime("%Y-%m-%d %H:%M UTC")
    return "" if value is None else str(value)


def make_editor_blueprint(csrf: Any) -> Blueprint:
    bp = Blueprint("editor", __name__, url_prefix="/data", template_folder="templates",
                   static_folder="editor_static", static_url_path="/static")  # fmt: skip
    bp.add_app_template_filter(_when, "when")
    bp.record_once(_install_i18n)

    @bp.context_processor
    def language() -> dict[str, Any]:
        return {"nws_lang": i18n.current()}  # <html lang dir> of the editor pages

    @bp.before_request
    def guard() -> Response | None:
        refuse_large_bodies()
        endpoint = (request.endpoint or "").removeprefix("editor.")
        if endpoint not in _OPEN:
            if not current_app.config["NWS_EDITING"]:
                return redirect(url_for("editor.signin"))
            name = session.get("editor")
            if not name:
                return redirect(url_for("editor.signin", next=request.full_path.rstrip("?")))
            now = time.time()
            why = expired(session.get("signed_in", 0), session.get("seen", 0), now)
            if why is None and not accounts.exists(_store(), name):
                why = _("the account was removed")
            if why:
                session.clear()
                flash(_("Please sign in again: {why}.").format(why=why))
                return redirect(url_for("editor.signin"))
            session["seen"] = now
            g.editor = name
        if request.method == "POST":
            csrf.protect()  # CSRFError (400) without a valid token
        return None

    @bp.errorhandler(CSRFError)
    def csrf_failed(exc: CSRFError) -> tuple[str, int]:
        return render_template("editor/error.html", title=_("Form expired or forged"),
                               message=_("{why} Reload the page and try again.").format(
                                   why=exc.description or "")), 400  # fmt: skip

    @bp.errorhandler(RequestEntityTooLarge)
    def too_large(_exc: RequestEntityTooLarge) -> tuple[str, int]:
        return render_template("editor/error.html", title=_("File too large"),
                               message=too_large_message()), 413  # fmt: skip

    @bp.get("/signin")
    def signin() -> Any:
        if not current_app.config["NWS_EDITING"]:
            return render_template("editor/error.html", title=_("Editing is off"),
                                   message=_("This server has no NWS_SECRET_KEY, so nobody can "
                                   "sign in (README, Editors and the API).")), 404  # fmt: skip
        return render_template("editor/signin.html", next=request.args.get("next", ""))

    @bp.post("/signin")
    def signin_post() -> Any:
        if not current_app.config["NWS_EDITING"]:
            return redirect(url_for("editor.signin"))
        store = _store()
        name = (request.form.get("name") or "").strip()[:64]
        password = request.form.get("password") or ""
        address = client_address()
        verdict = throttle.check(store, name, address)
        if not verdict.allowed:
            audit.record(store, "signin-throttled", editor=name, address=address, via="web",
                         detail=verdict.why)  # fmt: skip
            minutes = -(-int(verdict.retry_after or 0) // 60)
            body = render_template("editor/error.html", title=_("Too many failed sign-ins"),
                                   message=_("{why}: try again in {minutes} minute(s).").format(
                                       why=verdict.why, minutes=minutes))  # fmt: skip
            return Response(body, 429, {"Retry-After": str(verdict.retry_after)})
        editor = accounts.check_password(store, name, password) if name else None
        if editor is None:
            audit.record(store, "signin-failed", editor=name, address=address, via="web")
            return render_template("editor/signin.html", next=request.form.get("next", ""),
                                   failed=True, name=name)  # fmt: skip
        session.clear()
        now = time.time()
        session.update(editor=editor.name, signed_in=now, seen=now)
        session.permanent = True
        audit.record(store, "signin", editor=editor.name, address=address, via="web")
        return redirect(_safe_next(request.form.get("next")))


    @bp.post("/signout")
    def signout() -> Any:
        _audit("signout")
        session.clear()
        return redirect(url_for("editor.signin"))

    @bp.get("/")
    @bp.get("")
    def home() -> Any:
        from app.store import reads

        store = _store()
        batches = reads.all_batches(store)
        return render_template("editor/home.html", batches=list(reversed(batches)),
                               pending=uploads.pending_list(store.workspace),
                               cap_mb=upload_cap() // (1024 * 1024))  # fmt: skip

    @bp.post("/uploads")
    def upload() -> Any:
        store = _store()
        file = request.files.get("file")
        if file is None or not file.filename:
            return _error(_("No file"), _("Choose a file to upload."), 400)
        data = file.read(upload_cap() + 1)
        if len(data) > upload_cap():
            return _error(_("File too large"), too_large_message(), 413)
        try:
            published = _day(request.form.get("published") or "")
        except ValueError:
            return _error(_("Bad release date"), _("{value}: expected a day as YYYY-MM-DD.").format(
                value=repr(request.form.get("published"))), 400)  # fmt: skip
        try:
            pending = uploads.keep(store, data, file.filename, editor=g.editor,
                                   note=_field("note"), publisher=_field("publisher", 200),
                                   published=published, max_unpacked=upload_cap() * uploads.UNPACK_FACTOR)  # fmt: skip
        except uploads.UploadRefused as exc:
            _audit("upload", detail=f"{uploads.safe_label(file.filename)}: refused: {exc}")
            return _error(_("File refused"), exc.said, exc.status)
        _audit("upload", detail=f"{pending.label} ({pending.size:,} bytes, sha256 "
               f"{pending.sha256[:12]}): {pending.status}; upload {pending.id}")  # fmt: skip
        return redirect(url_for("editor.pending", upload_id=pending.id))

    @bp.get("/uploads/<upload_id>")
    def pending(upload_id: str) -> Any:
        p = uploads.get(_store().workspace, upload_id)
        if p is None:
            return _error(_("No such upload"), _("It was accepted or discarded already."), 404)
        return render_template("editor/upload.html", p=p, report=_report_view(p.problems))

    @bp.post("/uploads/<upload_id>/accept")
    def accept(upload_id: str) -> Any:
        store = _store()
        p = uploads.get(store.workspace, upload_id)
        if p is None:
            return _error(_("No such upload"), _("It was accepted or discarded already."), 404)
        out = uploads.accept(store, p, g.editor)
        if out.status == "stored":
            _audit("accept", batch_id=out.batch_id, detail=f"{p.label}: {out.result.accepted:,} "
                   f"rows stored" + (f", {out.superseded:,} events superseded" if out.superseded else ""))  # fmt: skip
            flash(_("{file} stored as batch {id}: every page shows it within a second.").format(
                file=p.label, id=out.batch_id))  # fmt: skip
            return redirect(url_for("editor.batch", batch_id=out.batch_id))
        if out.status == "already":
            _audit("accept-already", batch_id=out.existing, detail=p.label)
            flash(_("{file}: the same bytes are already stored as batch {id}; nothing stored.").format(
                file=p.label, id=out.existing))  # fmt: skip
            return redirect(url_for("editor.batch", batch_id=out.existing))
        _audit("accept-nothing", detail=f"{p.label}: " + "; ".join(out.messages))
        return _error(_("Nothing stored"), f"{p.label}: " + "; ".join(out.messages), 422)

    @bp.post("/uploads/<upload_id>/discard")
    def discard(upload_id: str) -> Any:
        store = _store()
        p = uploads.get(store.workspace, upload_id)
        if p is None:
            return _error(_("No such upload"), _("It was accepted or discarded already."), 404)
        uploads.discard(store.workspace, upload_id)
        _audit("discard", detail=f"{p.label} (upload {upload_id})")
        flash(_("{file} discarded; nothing was stored.").format(file=p.label))
        return redirect(url_for("editor.home"))

    @bp.get("/batches/<int:batch_id>")
    def batch(batch_id: int) -> Any:
        row, report = _batch(batch_id)
        if row is None:
            return _error(_("No such batch"), _("There is no batch {id}.").format(id=batch_id), 404)
        return render_template("editor/batch.html", b=row, summary=report.get("summary"),
                               report=_report_view(report.get("problems", [])))  # fmt: skip

    @bp.post("/batches/<int:batch_id>/retract")
    def retract(batch_id: int) -> Any:
        from app.store.batches import retract as retract_batch

        why = _field("why", 1000) or ""
        try:
            retract_batch(_store(), batch_id, why=why, by=g.editor)
        except StoreError as exc:
            return _error(_("Not retracted"), str(exc), 400 if not why else 409)
        _audit("retract", batch_id=batch_id, detail=why)
        flash(_("Batch {id} retracted: {why}").format(id=batch_id, why=why))
        return redirect(url_for("editor.home"))

    @bp.post("/batches/<int:batch_id>/restore")
    def restore(batch_id: int) -> Any:
        from app.store.batches import restore as restore_batch

        try:
            restore_batch(_store(), batch_id, by=g.editor)
        except StoreError as exc:
            return _error(_("Not restored"), str(exc), 409)
        _audit("restore", batch_id=batch_id)
        flash(_("Batch {id} restored.").format(id=batch_id))
        return redirect(url_for("editor.home"))

    @bp.get("/batches/<int:batch_id>/original")
    def original(batch_id: int) -> Any:
        from app.store import originals

        row, _report = _batch(batch_id)
        if row is None:
            return _error(_("No such batch"), _("There is no batch {id}.").format(id=batch_id), 404)
        store = _store()
        try:
            data = originals.read(store.workspace, row["sha256"])
        except OSError:
            return _error(_("Original missing"), _("The original of batch {id} is not in "
                          "the workspace's originals/ folder.").format(id=batch_id), 404)  # fmt: skip
        _audit("original", batch_id=batch_id)
        name = uploads.safe_label(row["file_name"])
        return Response(data, 200, {
            "Content-Type": "application/octet-stream",
            "Content-Disposition": f'attachment; filename="{name}"',
        })  # fmt: skip

    @bp.get("/audit")
    def audit_page() -> Any:
        from app.store.engine import engine

        with engine(_store()).connect() as conn:
            rows = audit.entries(conn, limit=1000)
        return render_template("editor/audit.html", rows=rows)

    return bp


def _batch(batch_id: int) -> tuple[dict | None, dict]:
    from app.store import reads
    from app.store.engine import engine, ensure_ready

    store = _store()
    ensure_ready(store)
    with engine(store).connect() as conn:
        rows = [b for b in reads.batches(conn) if b["id"] == batch_id]
        report = reads.batch_report(conn, batch_id) if rows else None
    return (rows[0] if rows else None), (report or {})


def _install_i18n(state: Any) -> None:
    """Jinja's i18n extension on the app's templates, with the request's language."""
    env = state.app.jinja_env
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext=i18n._, ngettext=i18n.ngettext, newstyle=True)


def _error(title: str, message: str, status: int) -> tuple[str, int]:
    return render_template("editor/error.html", title=title, message=message), status


__all__ = ["filter_problems", "make_editor_blueprint"]
