"""Pending uploads: a file an editor sent, kept in the workspace until they accept or
discard it, with its validation report.

- The bytes go to ``<workspace>/uploads/<32 random hex>/`` under a label made from the
  file's name (letters, digits, ``. _ -`` only, no leading dot, at most 80 characters):
  the name is never a path, only what the batch and its report call the file. Routes take
  the upload's id only when it is 32 hex digits.
- The format is sniffed from the content by ``app.loaders.load`` (a PNG named ``.csv`` is
  refused with a reason); the extension only names the file.
- A zip (an XLSX workbook, a zipped Shapefile) is refused before any loader opens it when
  it holds more than :data:`MAX_MEMBERS` members or unpacks to more than
  :data:`UNPACK_FACTOR` times the upload cap. Python's ``zipfile`` never inflates a member
  past the size its header declares, so the sum of declared sizes bounds what is unpacked.
- Validation and storing are ``app.store.batches.add_file`` (a dry run, then the real one),
  exactly what ``python -m app add`` does.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import secrets
import shutil
import unicodedata
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from app import format as fmt
from app.i18n import N_, _
from app.store.batches import AddOutcome, add_file
from app.store.engine import StoreConfig

FOLDER = "uploads"
MAX_MEMBERS = 1000
UNPACK_FACTOR = 10
_ID = re.compile(r"^[0-9a-f]{32}$")
ZIP_MAGIC = b"PK\x03\x04"


class UploadRefused(ValueError):
    """The upload cannot be taken; ``status`` is the HTTP answer (413, 422). The message
    (``str(exc)``) is English, for the audit and the API's ``error``; ``said`` is the same
    in the request's language, for people (the editors' pages, the API's ``message``)."""

    def __init__(self, message: str, status: int = 422, said: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.said = said or message


def _refused(template: str, status: int = 422, **values: str) -> UploadRefused:
    """:class:`UploadRefused` from a template marked with ``N_``: English and translated."""
    local = {k: fmt.isolate(v) for k, v in values.items()}
    return UploadRefused(template.format(**values), status, _(template).format(**local))


def safe_label(name: str | None) -> str:
    """A file name that is only a name: never a folder, never hidden, never empty.

    >>> safe_label("../../etc/passwd")
    'passwd'
    >>> safe_label("C:\\\\data\\\\ged 20.1 (final).csv")
    'ged_20.1_final_.csv'
    >>> safe_label(".htaccess")
    'upload.htaccess'
    >>> safe_label("نازحون.csv")
    'upload.csv'
    >>> safe_label("")
    'upload'
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base)
    if re.fullmatch(r"_?\.[A-Za-z0-9]{1,10}", base):  # only an extension was left (Arabic name)
        base = "upload" + base.lstrip("_")
    base = base.lstrip("._")
    base = re.sub(r"_+", "_", base)
    if len(base) > 80:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 79 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:80]
    return base or "upload"


def check_zip(data: bytes, max_unpacked: int) -> None:
    """Refuse a zip with too many members or too many bytes once unpacked."""
    if not data.startswith(ZIP_MAGIC):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return  # not a readable zip: the loader reports it as such
    if len(infos) > MAX_MEMBERS:
        raise _refused(
            N_("the zip holds {n} members; expected at most {most}"),
            413,
            n=f"{len(infos):,}",
            most=f"{MAX_MEMBERS:,}",
        )
    total = sum(i.file_size for i in infos)
    if total > max_unpacked:
        raise _refused(
            N_(
                "the zip unpacks to {size} MB; expected at most {most} MB ({factor} times "
                "NWS_MAX_UPLOAD_MB)"
            ),
            413,
            size=f"{total / 1e6:,.1f}",
            most=f"{max_unpacked / 1e6:,.0f}",
            factor=str(UNPACK_FACTOR),
        )


@dataclass
class Pending:
    """One upload waiting for accept or discard (``meta.json`` next to its bytes)."""

    id: str
    label: str
    size: int
    sha256: str
    editor: str
    uploaded_at: str
    note: str | None
    publisher: str | None
    published: str | None
    #: add_file's dry run: "dry-run" (could be stored), "already", "nothing"
    status: str
    existing_batch: int | None
    summary: dict | None
    problems: list[dict]
    messages: list[str]

    def file(self, workspace: Path) -> Path:
        return folder(workspace, self.id) / self.label


def folder(workspace: Path, upload_id: str) -> Path:
    if not _ID.match(upload_id):
        raise KeyError(upload_id)
    return workspace / FOLDER / upload_id


def outcome_fields(out: AddOutcome) -> dict:
    """What an add or a dry run said, as JSON-ready fields (the API answers these)."""
    summary = out.result.summary() if out.result else None
    if summary:
        summary["file"] = Path(str(summary["file"])).name  # never the server's folders
    return {
        "status": out.status,
        "batch": out.batch_id,
        "existing_batch": out.existing,
        "sha256": out.sha256,
        "superseded": out.superseded,
        "messages": list(out.messages),
        "summary": summary,
        "problems": [p.as_dict() for p in out.result.problems] if out.result else [],
    }


def _write(store: StoreConfig, data: bytes, name: str | None, max_unpacked: int,
           purpose: str) -> tuple[str, Path]:  # fmt: skip
    """Check the upload's bytes and write them to a new folder of their own, under a label
    made from the name (never the name as a path); returns (upload id, file path)."""
    if not data:
        raise _refused(
            N_("the file is empty (0 bytes); expected a file to validate")
            if purpose == "validate"
            else N_("the file is empty (0 bytes); expected a file to import")
        )
    check_zip(data, max_unpacked)
    upload_id = secrets.token_hex(16)
    where = folder(store.workspace, upload_id)
    where.mkdir(parents=True)
    path = where / safe_label(name)
    path.write_bytes(data)
    return upload_id, path


def keep(store: StoreConfig, data: bytes, name: str | None, *, editor: str,
         note: str | None, publisher: str | None, published: dt.date | None,
         max_unpacked: int) -> Pending:  # fmt: skip
    """Write the upload to its own folder and validate it (a dry run of ``add``)."""
    upload_id, path = _write(store, data, name, max_unpacked, "validate")
    where, label = path.parent, path.name
    out = add_file(store, path, by=editor, note=note, publisher=publisher,
                   published=published, dry_run=True)  # fmt: skip
    fields = outcome_fields(out)
    pending = Pending(
        id=upload_id, label=label, size=len(data), sha256=out.sha256, editor=editor,
        uploaded_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"), note=note,
        publisher=publisher, published=published.isoformat() if published else None,
        status=out.status, existing_batch=out.existing, summary=fields["summary"],
        problems=fields["problems"], messages=fields["messages"],
    )  # fmt: skip
    (where / "meta.json").write_text(json.dumps(asdict(pending), ensure_ascii=False), "utf-8")
    return pending


def get(workspace: Path, upload_id: str) -> Pending | None:
    try:
        meta = folder(workspace, upload_id) / "meta.json"
        return Pending(**json.loads(meta.read_text("utf-8")))
    except (KeyError, OSError, ValueError, TypeError):
        return None


def pending_list(workspace: Path) -> list[Pending]:
    """Every pending upload, oldest first."""
    root = workspace / FOLDER
    if not root.is_dir():
        return []
    found = [get(workspace, d.name) for d in root.iterdir() if _ID.match(d.name)]
    return sorted((p for p in found if p), key=lambda p: p.uploaded_at)


def accept(store: StoreConfig, pending: Pending, editor: str) -> AddOutcome:
    """Store the upload as a batch (``add``, with the accepting editor as ``by``)."""
    published = dt.date.fromisoformat(pending.published) if pending.published else None
    out = add_file(store, pending.file(store.workspace), by=editor, note=pending.note,
                   publisher=pending.publisher, published=published)  # fmt: skip
    if out.status in ("stored", "already"):
        discard(store.workspace, pending.id)
    return out


def discard(workspace: Path, upload_id: str) -> None:
    shutil.rmtree(folder(workspace, upload_id), ignore_errors=True)


def store_now(store: StoreConfig, data: bytes, name: str | None, *, editor: str,
              note: str | None, publisher: str | None, published: dt.date | None,
              max_unpacked: int) -> AddOutcome:  # fmt: skip
    """The API: validate and store in one go (the upload's folder is removed after)."""
    upload_id, path = _write(store, data, name, max_unpacked, "import")
    try:
        return add_file(store, path, by=editor, note=note, publisher=publisher,
                        published=published)  # fmt: skip
    finally:
        discard(store.workspace, upload_id)
