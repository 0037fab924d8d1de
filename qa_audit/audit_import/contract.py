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
# Enough problems to fix a file by; the rest are counted, not kept (a file of bad lines must not
# fill the memory with messages).
MAX_PROBLEMS = 1000
# Far more than the columns of every tool's domains, grades and moderation together.
MAX_COLUMNS = 200
# A physical line longer than this is not an audit row (a cell holds at most the csv module's
# field limit); reading stops there rather than hold the line in memory.
MAX_LINE = 1_000_000

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
    """The file cannot be imported; ``problems`` lists its bad lines, up to MAX_PROBLEMS, and
    ``more`` counts the problems past them. Nothing was written."""

    def __init__(self, problems: Iterable[ImportProblem], more: int = 0) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        self.more = more
        lines = len({p.line for p in self.problems})
        self.summary = (
            f"The file has {plural(len(self.problems), 'problem')} on {plural(lines, 'line')}."
            if not more
            else f"The file has {plural(len(self.problems) + more, 'problem')}: the first "
            f"{len(self.problems):,} are listed, and {more:,} more are not."
        )
        super().__init__(f"{self.summary} Nothing was imported.", "file")

    @property
    def lines(self) -> list[int]:
        """The distinct line numbers with a problem, in order."""
        return sorted({p.line for p in self.problems})


class Problems:
    """The problems found so far: the first MAX_PROBLEMS kept, the rest only counted."""

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.limit = limit
        self.listed: list[ImportProblem] = []
        self.more = 0

    def append(self, problem: ImportProblem) -> None:
        if len(self.listed) < self.limit:
            self.listed.append(problem)
        else:
            self.more += 1

    def extend(self, problems: Iterable[ImportProblem]) -> None:
        for problem in problems:
            self.append(problem)

    def __bool__(self) -> bool:
        return bool(self.listed)

    def error(self) -> AuditImportError:
        return AuditImportError(self.listed, self.more)
