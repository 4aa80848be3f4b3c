"""The strings the browser scripts in ``assets/`` show, found once per process.

The scripts call ``nwsT("Copied")`` (``assets/i18n.js``); Babel's JavaScript extractor
finds those calls, so the catalogs (and :mod:`app.i18n.extract`'s check) cover them too.
"""

from __future__ import annotations

import functools

from app.config import PROJECT_ROOT


@functools.cache
def script_msgids() -> tuple[str, ...]:
    from babel.messages.extract import extract

    out: list[str] = []
    for path in sorted((PROJECT_ROOT / "assets").glob("*.js")):
        with path.open("rb") as fh:
            for _line, message, _comments, _ctx in extract("javascript", fh, keywords={"nwsT": None}):
                if isinstance(message, str) and message not in out:
                    out.append(message)
    return tuple(out)
