"""``python -m app validate PATH [PATH ...] [--json]``: load files and report every problem.

One line per problem, ``FILE:ROW:COLUMN: what was found; what was expected`` (the format
compilers use, so editors can jump to it), then one summary line per file. Exit status: 0
when every file is clean (warnings allowed), 1 when any file has errors or unmatched rows,
2 for a usage error (argparse). Whatever the input, no traceback: an exception a loader did
not foresee becomes a whole-file problem "internal error while reading" (the tests show it
never happens on the project's corpus).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from app.loaders.report import LoadResult


def load_guarded(path: str, ctx=None) -> LoadResult:
    """:func:`app.loaders.load`, with any unexpected exception turned into a whole-file problem."""
    try:
        from app.loaders import load

        return load(path, ctx)
    except Exception as exc:
        result = LoadResult(path=path, format="unknown")
        result.add(
            0,
            "",
            f"internal error while reading: {type(exc).__name__}: {exc}",
            "expected no internal error; please report it with the file",
        )
        return result


def summary_line(result: LoadResult) -> str:
    """``FILE: FORMAT (TABLE): N rows read, A accepted, R rejected, U unmatched, W warnings``."""
    table = f" ({result.table_name})" if result.table_name else ""
    return (
        f"{result.path}: {result.format}{table}: {result.rows_read} rows read, "
        f"{result.accepted} accepted, {result.rejected} rejected, "
        f"{result.unmatched} unmatched, {result.warnings} warnings"
    )


def _is_clean(result: LoadResult) -> bool:
    return result.clean and not any(p.severity != "warning" for p in result.problems)


def report(results: list[LoadResult], as_json: bool, out: TextIO) -> None:
    if as_json:
        doc = {
            "files": [
                {
                    **r.summary(),
                    "clean": _is_clean(r),
                    "problems": [p.as_dict() for p in r.problems],
                }
                for r in results
            ],
            "clean": all(map(_is_clean, results)),
        }
        out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    for result in results:
        for problem in result.problems:
            out.write(problem.line() + "\n")
        out.write(summary_line(result) + "\n")


def run(paths: list[str], as_json: bool = False) -> int:
    """Validate ``paths``; print the report on stdout; return the exit status."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # Arabic on a non-UTF-8 terminal
    ctx = None
    results = []
    for path in paths:
        if ctx is None and Path(path).is_file():
            ctx = _context()
        results.append(load_guarded(path, ctx))
    try:
        report(results, as_json, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:  # `validate ... | head`: the reader left; not an error of ours
        sys.stderr.close()
    return 0 if all(map(_is_clean, results)) else 1


def _context():
    """The bundle's context, read once for all files (None if it cannot be read)."""
    try:
        from app.loaders import default_context

        return default_context()
    except Exception:
        return None
