"""The interface's language: English (the default) or Arabic, chosen per request.

Every UI string is written in English in the code and wrapped in :func:`_` (or marked with
:func:`N_` where it is a module-level constant, and translated where it is shown). The
language of the request being answered lives in a context variable, set once per request
by :mod:`app.i18n.web` from the view's ``lang`` parameter or, without one, the browser's
``Accept-Language``. So figure builders and components keep their signatures: they ask
:func:`current` when they need the language, and the query cache keys every entry by it
(:func:`app.web.cache.cached_view`).

Catalogs are gettext ``.po`` files in ``app/i18n/po/<lang>/`` (one per part of the
interface, so that people translating different parts never edit the same file), compiled
to one ``.mo`` per language by ``python -m app i18n compile`` (run by ``serve`` when a
``.po`` is newer than its ``.mo``). ``python -m app i18n check`` (and a test) fails on a UI
string without an Arabic translation and on a catalog entry the code no longer uses.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

#: Interface languages; the first is the default.
LANGS: tuple[str, ...] = ("en", "ar")
DEFAULT_LANG = "en"
#: Digit shapes for Arabic: Western ("latn", the default, see docs/glossary-ar.md) or
#: Arabic-Indic ("arab").
DIGITS: tuple[str, ...] = ("latn", "arab")
DEFAULT_DIGITS = "latn"
RTL_LANGS = frozenset({"ar"})


@dataclass(frozen=True)
class Language:
    """What decides how a request's text reads."""

    lang: str = DEFAULT_LANG
    digits: str = DEFAULT_DIGITS
    #: True when the URL chose the language (``lang=``): links and permalinks then keep it;
    #: False when the browser's Accept-Language did, so a shared link still lets each
    #: reader's browser decide.
    explicit: bool = False

    @property
    def rtl(self) -> bool:
        return self.lang in RTL_LANGS

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"

    @property
    def key(self) -> str:
        """Part of every cache key: views differ by language and digits."""
        return f"{self.lang}-{self.digits}-{'url' if self.explicit else 'browser'}"

    @property
    def babel_locale(self) -> str:
        """The CLDR locale for numbers and dates: Syrian Arabic (month names as read in
        Syria: شباط, آذار), US-style English."""
        return "ar_SY" if self.lang == "ar" else "en_US"


_ENGLISH = Language()
_current: ContextVar[Language | None] = ContextVar("nws_language", default=None)


def current() -> Language:
    """The language of the request being answered (English outside a request)."""
    return _current.get() or _ENGLISH


def set_current(language: Language) -> object:
    """Set the language for the rest of this request (called by :mod:`app.i18n.web`);
    returns the token :func:`reset_current` takes at the request's end."""
    return _current.set(language)


def reset_current(token: object) -> None:
    """Back to the language before :func:`set_current` (a request must not leave its
    language behind in the thread that answered it)."""
    _current.reset(token)  # type: ignore[arg-type]


@contextlib.contextmanager
def use(lang: str = DEFAULT_LANG, digits: str = DEFAULT_DIGITS,
        explicit: bool = False) -> Iterator[Language]:  # fmt: skip
    """Answer in ``lang`` inside the block (tests, the CLI, the export and report routes)."""
    token = _current.set(Language(lang if lang in LANGS else DEFAULT_LANG,
                                  digits if digits in DIGITS else DEFAULT_DIGITS, explicit))  # fmt: skip
    try:
        yield current()
    finally:
        _current.reset(token)


#: URL parameters that choose the language; every page's query string may carry them.
LANG_PARAMS: tuple[str, ...] = ("lang", "digits")


def query_params(language: Language | None = None) -> list[tuple[str, str]]:
    """The language's URL parameters, for links and permalinks: ``[("lang", "ar")]`` when
    the URL chose the language, ``[]`` when the browser did (see ``Language.explicit``)."""
    lang = language or current()
    if not lang.explicit:
        return []
    out = [("lang", lang.lang)]
    if lang.digits != DEFAULT_DIGITS:
        out.append(("digits", lang.digits))
    return out


def parse_params(lang: object, digits: object) -> tuple[str | None, str | None, list[str]]:
    """``lang`` / ``digits`` URL values -> (lang or None, digits or None, notices)."""
    notices: list[str] = []
    out_lang = out_digits = None
    if isinstance(lang, str) and lang.strip():
        value = lang.strip().lower()
        if value in LANGS:
            out_lang = value
        else:
            notices.append(_("Ignored lang={value}: expected en or ar").format(value=lang.strip()[:20]))
    if isinstance(digits, str) and digits.strip():
        value = digits.strip().lower()
        if value in DIGITS:
            out_digits = value
        else:
            notices.append(
                _("Ignored digits={value}: expected latn or arab").format(value=digits.strip()[:20])
            )
    return out_lang, out_digits, notices


def negotiate(accept_language: str | None) -> str:
    """The interface language an ``Accept-Language`` header asks for (English when it asks
    for neither language): ``"ar-SY,ar;q=0.9,en;q=0.8"`` -> ``"ar"``."""
    best, best_q = DEFAULT_LANG, -1.0
    for position, part in enumerate((accept_language or "")[:500].split(",")):
        tag, _sep, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        q -= position * 1e-6  # equal q: the earlier wins
        if primary in LANGS and q > best_q and q > 0:
            best, best_q = primary, q
    return best


def _(msgid: str) -> str:
    """``msgid`` in the current language (itself in English, or when not translated)."""
    lang = current().lang
    if lang == DEFAULT_LANG:
        return msgid
    from app.i18n.catalogs import translations

    return translations(lang).gettext(msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for ``n`` (Arabic has six plural forms; the catalog holds them all)."""
    lang = current().lang
    if lang == DEFAULT_LANG:
        return singular if n == 1 else plural
    from app.i18n.catalogs import translations

    return translations(lang).ngettext(singular, plural, n)


def N_(msgid: str) -> str:
    """Mark a module-level string for translation without translating it yet: it is
    translated with :func:`_` where it is shown, in the language of that request."""
    return msgid


def translate(msgid: str | None) -> str:
    """:func:`_` for a value that was marked with :func:`N_` (or is empty)."""
    return _(msgid) if msgid else ""
