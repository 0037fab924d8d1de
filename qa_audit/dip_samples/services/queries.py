"""Reading dip samples: who may see one, one, those a person may see, who can lead one, and
the checklist's results."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, or_, select, true

from qa_audit.actions.models import Action
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
from qa_audit.organisation.models import ServiceArea

# A dip sample holds case references and findings: the QA lead and moderators see every one;
# the people who work cases see those they lead and those of their own service area.
SEES_EVERY_SAMPLE = (Role.QA_LEAD, Role.MODERATOR)
CASE_STAFF = (Role.AUDITOR, Role.SERVICE_MANAGER)


def may_read(user: User, sample: DipSample) -> bool:
    """True for those who may see this dip sample (see SEES_EVERY_SAMPLE)."""
    if user.has_role(*SEES_EVERY_SAMPLE):
        return True
    if not user.has_role(*CASE_STAFF):
        return False
    return any(u.id == user.id for u in sample.lead_auditors) or (
        user.service_area_id is not None
        and any(a.id == user.service_area_id for a in sample.service_areas)
    )


def readable_scope(user: User) -> ColumnElement[bool]:
    """``may_read`` as a condition on DipSample, for lists."""
    if user.has_role(*SEES_EVERY_SAMPLE):
        return true()
    if not user.has_role(*CASE_STAFF):
        return false()
    return or_(
        DipSample.lead_auditors.any(User.id == user.id),
        DipSample.service_areas.any(ServiceArea.id == user.service_area_id),
    )


def actions_seen_by(user: User) -> ColumnElement[bool]:
    """The actions set from dip samples ``user`` may see."""
    return Action.dip_sample_id.in_(select(DipSample.id).where(readable_scope(user)))


def get_dip_sample(sample_id: int) -> DipSample:
    return get_or_not_found(DipSample, sample_id, "dip sample")


def list_dip_samples(user: User) -> list[DipSample]:
    """The dip samples ``user`` may see: in progress first, then the most recently completed."""
    return list(
        db.session.scalars(
            select(DipSample)
            .where(readable_scope(user))
            .order_by(
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
