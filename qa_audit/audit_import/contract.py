"""The CSV contract of the import (docs/domain.md, "Importing historical audits"): its columns,
and how a problem with the file is told (line number and reason)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qa_audit.core.errors import DomainError

AUDIT_COLUMNS = (
    "audit_ref",
    "case_ref",
    "service_area",
    "team",
    "auditor_email",
    "audit_type",
    "tool",
    "submitted_on",
    "overall_grade",
)
MODERATION_COLUMNS = ("moderator_email", "moderated_on", "moderated_overall_grade")
GRADE_PREFIX = "grade:"
MODERATED_GRADE_PREFIX = "moderated_grade:"
# Rows are looked up and written this many at a time.
BATCH_SIZE = 1000

# progress(stage, done, total): called now and then while checking and while inserting.
Progress = Callable[[str, int, int], None]
CHECKING = "Checking rows"
IMPORTING = "Importing audits"


def and_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


@dataclass(frozen=True)
class ImportProblem:
    """One problem with the file: its physical line number (header = 1; 0 = the whole file)
    and the reason."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class AuditImportError(DomainError):
    """The file cannot be imported; ``problems`` lists every bad line. Nothing was written."""

    def __init__(self, problems: Iterable[ImportProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        lines = len({p.line for p in self.problems})
        self.summary = (
            f"The file has {plural(len(self.problems), 'problem')} on {plural(lines, 'line')}."
        )
        super().__init__(f"{self.summary} Nothing was imported.", "file")

    @property
    def lines(self) -> list[int]:
        """The distinct line numbers with a problem, in order."""
        return sorted({p.line for p in self.problems})
