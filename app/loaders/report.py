"""What a loader found: the table it produced and every problem, row by row.

Nothing is dropped silently: each input row ends up accepted, rejected (a problem with
severity "error") or unmatched (its place name found no P-code). ``rows_read`` must equal
``accepted + rejected + unmatched``; :meth:`LoadResult.check_accounting` enforces it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

Severity = Literal["error", "unmatched", "warning"]
TableName = Literal["areas", "figures", "regions", "events", "gazetteer"]


@dataclass(frozen=True)
class Problem:
    """One line of the validate report: ``FILE:ROW:COLUMN: found; expected``.

    ``row`` is the 1-based line number in the file as a spreadsheet user sees it (the
    header is row 1), or 0 for a whole-file problem; ``column`` is the header as written.
    """

    file: str
    row: int
    column: str
    found: str
    expected: str
    severity: Severity = "error"
    #: every row a summary problem stands for (e.g. all events outside the areas), when the
    #: message names only the first few; kept whole in ``--json`` and a batch's report
    rows: tuple[int, ...] = ()

    def line(self) -> str:
        tag = "" if self.severity == "error" else f"[{self.severity}] "
        return f"{self.file}:{self.row}:{self.column}: {tag}{self.found}; {self.expected}"

    def as_dict(self) -> dict[str, object]:
        """The problem as JSON-ready fields; ``rows`` only on a summary problem."""
        out = dataclasses.asdict(self)
        if not self.rows:
            del out["rows"]
        else:
            out["rows"] = list(self.rows)
        return out


@dataclass
class LoadResult:
    """A canonical table plus the accounting of every row read."""

    path: str
    format: str
    table_name: TableName | None = None
    table: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    accepted: int = 0
    rejected: int = 0
    unmatched: int = 0

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def clean(self) -> bool:
        return not any(p.severity in ("error", "unmatched") for p in self.problems) and (
            self.rejected == 0 and self.unmatched == 0
        )

    def add(self, row: int, column: str, found: str, expected: str,
            severity: Severity = "error", rows: tuple[int, ...] = ()) -> Problem:
        p = Problem(Path(self.path).name if self.path else "<input>", row, column, found,
                    expected, severity, tuple(rows))
        self.problems.append(p)
        return p

    def check_accounting(self) -> None:
        total = self.accepted + self.rejected + self.unmatched
        if self.rows_read != total:
            raise AssertionError(
                f"{self.path}: rows read {self.rows_read} != accepted {self.accepted} + "
                f"rejected {self.rejected} + unmatched {self.unmatched}"
            )

    def summary(self) -> dict[str, object]:
        return {
            "file": self.path,
            "format": self.format,
            "table": self.table_name,
            "rows_read": self.rows_read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "unmatched": self.unmatched,
            "warnings": self.warnings,
        }


class LoadError(Exception):
    """A whole-file failure (unreadable, unknown format); carries a Problem for the report."""

    def __init__(self, problem: Problem):
        super().__init__(problem.line())
        self.problem = problem
