"""The words of the flags' messages: labels, days, periods and numbers, each distinct one
formatted once per language (the ``lru_cache`` functions below, keyed by the language), and
text of the data isolated inside a sentence."""

from __future__ import annotations

from functools import lru_cache

from app import format as fmt
from app.i18n import _, current
from app.queries.reconcile import label


# Messages repeat the same labels, numbers and dates many times over a large table: the
# formatting of each distinct one is done once (pure functions of their arguments and of the
# request's language, which is part of every key: the text differs by language).
@lru_cache(maxsize=1 << 16)
def _label_of(publisher: object, value: object, qualifier: object, lang: str) -> str:
    return label({"publisher": publisher, "value": value, "qualifier": qualifier})


def _label(r: dict) -> str:
    """``reconcile.label`` of a record."""
    return _label_of(r["publisher"], r["value"], r.get("qualifier"), current().key)


@lru_cache(maxsize=1 << 14)
def _day_in(value: object, lang: str) -> str:
    return fmt.day(value)


@lru_cache(maxsize=1 << 16)
def _period_in(start: object, end: object, lang: str) -> str:
    return fmt.period(start, end)


@lru_cache(maxsize=1 << 16)
def _number_in(value: object, lang: str) -> str:
    return fmt.number(value)  # type: ignore[arg-type]


def _day(value: object) -> str:
    return _day_in(value, current().key)


def _period(start: object, end: object) -> str:
    return _period_in(start, end, current().key)


def _number(value: object) -> str:
    return _number_in(value, current().key)


def _data(text: object) -> str:
    """Text of the data (an area or a document as written) inside a sentence, isolated."""
    return fmt.isolate(str(text))


def _where(r: dict) -> str:
    return _("{file} row {row}").format(
        file=fmt.isolate(str(r["source_file"])), row=fmt.isolate(str(r["source_row"]))
    )
