"""The Ofsted four-point grade scale, and Not applicable."""

from __future__ import annotations

from enum import StrEnum

from qa_audit.core.enums import sql_values


class Grade(StrEnum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    NOT_APPLICABLE = "not_applicable"

    @property
    def score(self) -> int | None:
        """4 (Outstanding) to 1 (Inadequate); None for N/A."""
        return GRADE_SCORES.get(self)

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]

    @property
    def short(self) -> str:
        return GRADE_SHORT[self]

    @property
    def is_good_or_better(self) -> bool:
        return self in (Grade.OUTSTANDING, Grade.GOOD)


GRADED = (Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)
GRADE_SCORES = {
    Grade.OUTSTANDING: 4,
    Grade.GOOD: 3,
    Grade.REQUIRES_IMPROVEMENT: 2,
    Grade.INADEQUATE: 1,
}
GRADE_LABELS = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "Requires improvement to be good",
    Grade.INADEQUATE: "Inadequate",
    Grade.NOT_APPLICABLE: "Not applicable",
}
GRADE_SHORT = {
    Grade.OUTSTANDING: "Outstanding",
    Grade.GOOD: "Good",
    Grade.REQUIRES_IMPROVEMENT: "RI",
    Grade.INADEQUATE: "Inadequate",
    Grade.NOT_APPLICABLE: "N/A",
}
GRADE_VALUES_SQL = sql_values(Grade)

_SPELLINGS = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "requires improvement to be good": Grade.REQUIRES_IMPROVEMENT,
    "requires_improvement": Grade.REQUIRES_IMPROVEMENT,
    "ri": Grade.REQUIRES_IMPROVEMENT,
    "inadequate": Grade.INADEQUATE,
    "n/a": Grade.NOT_APPLICABLE,
    "na": Grade.NOT_APPLICABLE,
    "not applicable": Grade.NOT_APPLICABLE,
    "not_applicable": Grade.NOT_APPLICABLE,
}
ACCEPTED_SPELLINGS = (
    "Outstanding, Good, Requires Improvement, Requires Improvement to be Good, RI, Inadequate, N/A"
)


def parse_grade(text: str) -> Grade:
    """A grade from any accepted spelling, any case; ValueError naming the accepted spellings."""
    grade = _SPELLINGS.get(" ".join(text.strip().lower().split()))
    if grade is None:
        raise ValueError(f"'{text}' is not a grade; use one of: {ACCEPTED_SPELLINGS}")
    return grade
