"""Loading, compiling and checking the gettext catalogs (Babel).

Source of truth: the ``.po`` files in ``app/i18n/po/<lang>/`` (committed). They are
compiled into ``app/i18n/compiled/<lang>/LC_MESSAGES/messages.mo`` (not committed) by
:func:`compile_all`, which ``serve`` runs when a ``.po`` is newer than the ``.mo``; a
process that finds no ``.mo`` (a test, the CLI) compiles in memory instead, so the
catalogs are never silently missing.
"""

from __future__ import annotations

import contextlib
import functools
import io
import threading
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

HERE = Path(__file__).resolve().parent
PO_DIR = HERE / "po"
COMPILED_DIR = HERE / "compiled"
DOMAIN = "messages"

_lock = threading.Lock()


def po_files(lang: str) -> list[Path]:
    """The catalogs of ``lang``, one per part of the interface, in a stable order."""
    return sorted((PO_DIR / lang).glob("*.po"))


def read_catalog(lang: str) -> Catalog:
    """Every ``.po`` of ``lang`` merged into one catalog (a msgid in two files is an error:
    the two translations could disagree)."""
    merged = Catalog(locale=lang, domain=DOMAIN)
    seen: dict[object, Path] = {}
    for path in po_files(lang):
        with path.open("rb") as fh:
            part = read_po(fh, locale=lang, domain=DOMAIN)
        for message in part:
            if not message.id:
                continue
            if message.id in seen:
                raise ValueError(
                    f"{path.name}: msgid {message.id!r} is also in {seen[message.id].name}; "
                    "keep each string in one catalog"
                )
            seen[message.id] = path
            merged[message.id] = message
    return merged


def mo_path(lang: str) -> Path:
    return COMPILED_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def is_stale(lang: str) -> bool:
    mo = mo_path(lang)
    if not mo.is_file():
        return True
    newest = max((p.stat().st_mtime for p in po_files(lang)), default=0.0)
    return newest > mo.stat().st_mtime


def compile_all() -> list[Path]:
    """Compile every language's catalogs into its ``.mo``; returns the files written."""
    from app.i18n import DEFAULT_LANG, LANGS

    written = []
    for lang in LANGS:
        if lang == DEFAULT_LANG:
            continue
        out = mo_path(lang)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp")
        tmp.write_bytes(_mo_bytes(read_catalog(lang)))
        tmp.replace(out)  # atomic: a worker reading it never sees half a file
        written.append(out)
    translations.cache_clear()
    return written


def compile_if_stale() -> None:
    """What ``serve`` runs at start: compile only when a ``.po`` changed."""
    from app.i18n import DEFAULT_LANG, LANGS

    if any(is_stale(lang) for lang in LANGS if lang != DEFAULT_LANG):
        with contextlib.suppress(OSError):  # read-only install: translations() compiles in memory
            compile_all()


@functools.cache
def translations(lang: str) -> Translations:
    """The compiled catalog of ``lang`` (from its ``.mo``, or compiled in memory)."""
    with _lock:
        mo = mo_path(lang)
        if mo.is_file() and not is_stale(lang):
            with mo.open("rb") as fh:
                return Translations(fh, domain=DOMAIN)
        return Translations(io.BytesIO(_mo_bytes(read_catalog(lang))), domain=DOMAIN)
