"""The Ofsted four-point scale and the spellings of grades that people type."""

from __future__ import annotations

import pytest

from qa_audit.audit_tools.grades import GRADED, Grade, parse_grade


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("Outstanding", Grade.OUTSTANDING),
        ("OUTSTANDING", Grade.OUTSTANDING),
        ("good", Grade.GOOD),
        (" Good ", Grade.GOOD),
        ("Requires Improvement", Grade.REQUIRES_IMPROVEMENT),
        ("Requires Improvement to be Good", Grade.REQUIRES_IMPROVEMENT),
        ("requires  improvement   to be good", Grade.REQUIRES_IMPROVEMENT),
        ("RI", Grade.REQUIRES_IMPROVEMENT),
        ("ri", Grade.REQUIRES_IMPROVEMENT),
        ("Inadequate", Grade.INADEQUATE),
        ("N/A", Grade.NOT_APPLICABLE),
        ("n/a", Grade.NOT_APPLICABLE),
        ("Not applicable", Grade.NOT_APPLICABLE),
    ],
)
def test_parse_grade_accepts_every_spelling_in_any_case(text: str, grade: Grade) -> None:
    assert parse_grade(text) is grade


@pytest.mark.parametrize("text", ["", "Excellent", "Good or better", "R I", "3", "Inadequate!"])
def test_parse_grade_refuses_others_naming_the_accepted_spellings(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a grade") as error:
        parse_grade(text)
    message = str(error.value)
    assert f"'{text}' is not a grade" in message
    for spelling in ("Outstanding", "Good", "Requires Improvement to be Good", "RI", "N/A"):
        assert spelling in message


def test_scale_scores_and_good_or_better() -> None:
    assert [g.score for g in GRADED] == [4, 3, 2, 1]
    assert Grade.NOT_APPLICABLE.score is None
    assert [g for g in Grade if g.is_good_or_better] == [Grade.OUTSTANDING, Grade.GOOD]
    assert Grade.REQUIRES_IMPROVEMENT.short == "RI"
    assert Grade.REQUIRES_IMPROVEMENT.label == "Requires improvement to be good"
