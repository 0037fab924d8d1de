"""Reading dip samples: one, all of them, who can lead one, and the checklist's results."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import active_holders
from qa_audit.core.extensions import db
from qa_audit.core.records import get_or_not_found
from qa_audit.dip_samples.models import (
    Answer,
    DipSample,
    DipSampleAnswer,
    DipSampleCase,
    DipSampleQuestion,
)


def get_dip_sample(sample_id: int) -> DipSample:
    return get_or_not_found(DipSample, sample_id, "dip sample")


def list_dip_samples() -> list[DipSample]:
    """Every dip sample: in progress first, then the most recently completed."""
    return list(
        db.session.scalars(
            select(DipSample).order_by(
                DipSample.status.desc(),  # 'in_progress' before 'completed'
                DipSample.completed_on.desc(),
                DipSample.period_to.desc(),
                DipSample.id.desc(),
            )
        )
    )


def lead_auditor_choices() -> list[User]:
    """Who can lead a dip sample: active auditors and QA leads."""
    return active_holders([Role.AUDITOR, Role.QA_LEAD])


@dataclass(frozen=True)
class QuestionResult:
    """One checklist question's answers over the sampled cases; N/A is left out of the
    denominator, as are cases not yet answered."""

    question: DipSampleQuestion
    yes: int
    partly: int
    no: int
    not_applicable: int

    @property
    def answered(self) -> int:
        return self.yes + self.partly + self.no

    @property
    def percent_yes(self) -> float | None:
        return round(100 * self.yes / self.answered, 1) if self.answered else None

    @property
    def summary(self) -> str:
        """'3 of 4 (75.0%)'; or that no case had it apply, or none is answered yet."""
        if not self.answered:
            return "No case applicable" if self.not_applicable else "Not answered yet"
        return f"{self.yes} of {self.answered} ({self.percent_yes:.1f}%)"


def checklist_results(sample: DipSample) -> list[QuestionResult]:
    """For each question, in order: counts of yes / partly / no / N/A and % yes."""
    counts: dict[tuple[int, str], int] = {
        (question_id, answer): n
        for question_id, answer, n in db.session.execute(
            select(DipSampleAnswer.question_id, DipSampleAnswer.answer, func.count())
            .join(DipSampleCase, DipSampleCase.id == DipSampleAnswer.case_id)
            .where(DipSampleCase.dip_sample_id == sample.id)
            .group_by(DipSampleAnswer.question_id, DipSampleAnswer.answer)
        )
    }
    return [
        QuestionResult(
            question=q,
            yes=counts.get((q.id, Answer.YES.value), 0),
            partly=counts.get((q.id, Answer.PARTLY.value), 0),
            no=counts.get((q.id, Answer.NO.value), 0),
            not_applicable=counts.get((q.id, Answer.NOT_APPLICABLE.value), 0),
        )
        for q in sample.questions
    ]
