"""``python -m app i18n compile | check | stubs PATH...``: the translators' commands."""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("i18n", help="compile or check the interface's translations")
    isub = p.add_subparsers(dest="i18n_command", required=True)
    isub.add_parser("compile", help="compile app/i18n/po/<lang>/*.po into .mo files")
    isub.add_parser("check", help="list UI strings without a translation and unused entries")
    s = isub.add_parser("stubs", help="print .po entries for untranslated strings under PATHs")
    s.add_argument("paths", nargs="*", metavar="PATH", help="e.g. components/cards.py app/figures/")


def run(args: argparse.Namespace) -> int:
    if args.i18n_command == "compile":
        from app.i18n.catalogs import compile_all

        for path in compile_all():
            print(f"compiled {path}")
        return 0
    if args.i18n_command == "stubs":
        from app.i18n.extract import stubs

        print(stubs(args.paths))
        return 0
    from app.i18n.extract import check

    report = check()
    for line in report.lines():
        print(line, file=sys.stderr)
    if report.ok:
        print("every UI string has an Arabic translation; no unused catalog entry")
        return 0
    return 1
