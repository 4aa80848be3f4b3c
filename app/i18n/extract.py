"""Which UI strings the code uses, and whether the catalogs translate each of them.

Babel's extractors read the code: Python (``_("...")``, ``N_("...")``,
``ngettext("...", "...", n)``) under ``app/`` and ``components/``, the editor pages' Jinja
templates (``{{ _("...") }}``) and the browser scripts in ``assets/`` (``nwsT("...")``).
:func:`check` compares that set with the catalogs: a string with no translation and a
catalog entry no code uses are both errors (``python -m app i18n check`` and a test), so
the Arabic interface cannot silently fall back to English, and the catalogs hold no dead
text a translator would waste time on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.extract import extract_from_dir

from app.i18n.catalogs import read_catalog

ROOT = Path(__file__).resolve().parents[2]
#: (folder, Babel method map) pairs that hold UI strings.
SOURCES: tuple[tuple[str, list[tuple[str, str]]], ...] = (
    ("app", [("**.py", "python"), ("**/templates/**.html", "jinja2")]),
    ("components", [("**.py", "python")]),
    ("assets", [("vendor/**", "ignore"), ("*.js", "javascript")]),
)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "nwsT": None}
_PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*\}")


@dataclass
class Used:
    """A msgid (a str, or a (singular, plural) pair) and where the code uses it."""

    msgid: str | tuple[str, str]
    places: list[str] = field(default_factory=list)


def used_strings(root: Path = ROOT) -> dict[str | tuple[str, str], Used]:
    """Every UI string the code marks, with its ``file:line`` places."""
    out: dict[str | tuple[str, str], Used] = {}
    for folder, method_map in SOURCES:
        base = root / folder
        if not base.is_dir():
            continue
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(base), method_map=method_map, keywords=KEYWORDS, comment_tags=(),
            strip_comment_tags=True,
        ):  # fmt: skip
            if not message or (isinstance(message, tuple) and not message[0]):
                continue
            key: str | tuple[str, str] = message if isinstance(message, str) else (
                message[0], message[1])  # fmt: skip
            out.setdefault(key, Used(key)).places.append(f"{folder}/{filename}:{lineno}")
    return out


@dataclass
class Report:
    missing: list[Used]
    unused: list[str]
    bad_placeholders: list[str]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unused or self.bad_placeholders)

    def lines(self) -> Iterable[str]:
        for u in self.missing:
            yield f"untranslated: {u.msgid!r} ({', '.join(u.places[:3])})"
        for m in self.unused:
            yield f"unused catalog entry: {m!r}"
        yield from self.bad_placeholders


def _catalog_key(message_id: object) -> str | tuple[str, str]:
    return message_id if isinstance(message_id, str) else (message_id[0], message_id[1])  # type: ignore[index]


def check(lang: str = "ar", root: Path = ROOT) -> Report:
    """Compare the code's strings with ``lang``'s catalogs (see module doc)."""
    used = used_strings(root)
    catalog = read_catalog(lang)
    translated: dict[str | tuple[str, str], object] = {}
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(strings):
            continue
        translated[_catalog_key(message.id)] = message
    missing = [u for k, u in sorted(used.items(), key=lambda kv: str(kv[0])) if k not in translated]
    unused = sorted(str(m.id) for m in catalog if m.id and _catalog_key(m.id) not in used)
    bad: list[str] = []
    for key, message in translated.items():
        ids = key if isinstance(key, tuple) else (key,)
        want = set().union(*(_PLACEHOLDER.findall(i) for i in ids))
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)  # type: ignore[attr-defined]
        for s in strings:
            got = set(_PLACEHOLDER.findall(s))
            if got - want or (want - got and not isinstance(key, tuple)):
                bad.append(f"placeholders differ: {key!r}: expected {sorted(want)}, "
                           f"translation has {sorted(got)}")  # fmt: skip
    return Report(missing, unused, bad)


def stubs(paths: Iterable[str], lang: str = "ar", root: Path = ROOT) -> str:
    """``.po`` entries (empty msgstr) for the untranslated strings used under ``paths``
    (prefixes such as ``components/cards.py`` or ``app/figures/``): what a translator of
    that part of the interface adds to its catalog."""
    from babel.messages.pofile import escape as _escape

    prefixes = tuple(paths)
    out = []
    for u in check(lang, root).missing:
        places = [p for p in u.places if not prefixes or p.startswith(prefixes)]
        if not places:
            continue
        ref = "#: " + " ".join(p for p in places[:4])
        if isinstance(u.msgid, tuple):
            out.append(f"{ref}\nmsgid {_escape(u.msgid[0])}\nmsgid_plural {_escape(u.msgid[1])}\n"
                       + "".join(f'msgstr[{i}] ""\n' for i in range(6)))  # fmt: skip
        else:
            out.append(f'{ref}\nmsgid {_escape(u.msgid)}\nmsgstr ""\n')
    return "\n".join(out)
