"""Thematic dip samples: set one up, add checklist questions, record each sampled case's
answers, write the findings, set actions, complete it; the checklist results; the completed
samples of a period for reports."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from qa_audit.actions.models import Action, ActionSource, ActionStatus
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.case_refs import case_ref_problem
from qa_audit.core.clock import local_today
from qa_audit.core.concurrency import flush_or_conflict
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.months import first_day, parse_month
from qa_audit.dip_samples.models import (
    DIP_SAMPLE_TRANSITIONS,
    Answer,
    DipSample,
    DipSampleAnswer,
    DipSampleCase,
    DipSampleQuestion,
    DipSampleStatus,
    SampleUnit,
    dip_sample_service_area,
)
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.organisation.models import ServiceArea

LOGGED = [
    "title",
    "period_from",
    "period_to",
    "sample_unit",
    "sample_size",
    "strengths",
    "areas_for_development",
    "status",
    "completed_on",
]
TITLE_MAX = 200
QUESTION_MAX = 500
FINDINGS_MAX = 20000
SAMPLE_SIZE_MAX = 1000
# Who may open the dip-sample pages; who may change a sample is narrower (may_edit).
READERS = (Role.QA_LEAD, Role.AUDITOR)


def _snapshot(sample: DipSample) -> dict[str, Any]:
    return {
        **snapshot(sample, LOGGED),
        "service_area_ids": sorted(a.id for a in sample.service_areas),
        "lead_auditor_ids": sorted(u.id for u in sample.lead_auditors),
        "learning_theme_ids": sorted(t.id for t in sample.learning_themes),
    }


def _flush() -> None:
    flush_or_conflict("dip sample")


def _check_version(sample: DipSample, expected_version: int | None) -> None:
    if expected_version is not None and sample.version != expected_version:
        raise ConcurrentEdit(
            "Someone else changed this dip sample since you opened it. "
            "Check its current state and make your change again if it is still needed."
        )


# Reading ---------------------------------------------------------------------------------------


def get_dip_sample(sample_id: int) -> DipSample:
    sample = db.session.get(DipSample, sample_id)
    if sample is None:
        raise NotFound("No such dip sample")
    return sample


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


def may_edit(user: User, sample: DipSample) -> bool:
    """The QA lead, and the sample's lead auditors, change a dip sample."""
    return user.has_role(Role.QA_LEAD) or any(u.id == user.id for u in sample.lead_auditors)


def _must_edit(actor: User | None, sample: DipSample) -> None:
    if actor is not None and not may_edit(actor, sample):
        raise Forbidden("Only the QA lead and this dip sample's lead auditors can change it")
    if sample.completed:
        raise DomainError("This dip sample is completed: reopen it to change it")


def lead_auditor_choices() -> list[User]:
    """Who can lead a dip sample: active auditors and QA leads."""
    from qa_audit.auth.models import UserRole

    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.id.in_(
                    select(UserRole.user_id).where(
                        UserRole.role.in_([Role.AUDITOR.value, Role.QA_LEAD.value])
                    )
                ),
            )
            .order_by(User.name, User.id)
        )
    )


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


# Setting up and changing -----------------------------------------------------------------------


def _details(
    *,
    title: str | None,
    service_areas: Iterable[ServiceArea],
    period_from: str | None,
    period_to: str | None,
    sample_unit: str | None,
    sample_size: int | None,
    lead_auditors: Iterable[User],
    cases_recorded: int = 0,
) -> dict[str, Any]:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError("Enter the title or theme of the dip sample", "title")
    if len(title) > TITLE_MAX:
        raise DomainError(f"The title must be {TITLE_MAX} characters or fewer", "title")
    areas = list(service_areas)
    if not areas:
        raise DomainError("Select at least one service area", "service_area_ids")
    start = parse_month(period_from, "period_from")
    end = parse_month(period_to, "period_to")
    if end < start:
        raise DomainError("The end of the period must not be before its start", "period_to")
    try:
        unit = SampleUnit(sample_unit or "")
    except ValueError as error:
        raise DomainError(
            "Select what was sampled: children, young people or families", "sample_unit"
        ) from error
    if sample_size is None or sample_size < 1:
        raise DomainError("Enter the sample size: 1 or more", "sample_size")
    if sample_size > SAMPLE_SIZE_MAX:
        raise DomainError(f"The sample size must be {SAMPLE_SIZE_MAX} or fewer", "sample_size")
    if sample_size < cases_recorded:
        raise DomainError(
            f"The sample size cannot be smaller than the {cases_recorded} cases already "
            f"recorded: enter {cases_recorded} or more, or remove cases first",
            "sample_size",
        )
    leads = list(lead_auditors)
    if not leads:
        raise DomainError("Select at least one lead auditor", "lead_auditor_ids")
    for lead in leads:
        if not lead.active:
            raise DomainError(
                f"{lead.name}'s account is deactivated: choose an active lead auditor",
                "lead_auditor_ids",
            )
    return {
        "title": title,
        "service_areas": areas,
        "period_from": start,
        "period_to": end,
        "sample_unit": unit.value,
        "sample_size": sample_size,
        "lead_auditors": leads,
    }


def create_dip_sample(
    actor: User | None,
    *,
    title: str | None,
    service_areas: Iterable[ServiceArea],
    period_from: str | None,
    period_to: str | None,
    sample_unit: str | None,
    sample_size: int | None,
    lead_auditors: Iterable[User],
    learning_themes: Iterable[LearningTheme] = (),
) -> DipSample:
    """Set up a dip sample (in progress)."""
    details = _details(
        title=title,
        service_areas=service_areas,
        period_from=period_from,
        period_to=period_to,
        sample_unit=sample_unit,
        sample_size=sample_size,
        lead_auditors=lead_auditors,
    )
    sample = DipSample(
        **details,
        learning_themes=list(learning_themes),
        strengths="",
        areas_for_development="",
        status=DipSampleStatus.IN_PROGRESS.value,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(sample)
    db.session.flush()
    record_change(actor, "dip_sample.created", sample, None, _snapshot(sample))
    return sample


def update_dip_sample(
    actor: User | None,
    sample: DipSample,
    *,
    title: str | None,
    service_areas: Iterable[ServiceArea],
    period_from: str | None,
    period_to: str | None,
    sample_unit: str | None,
    sample_size: int | None,
    lead_auditors: Iterable[User],
    learning_themes: Iterable[LearningTheme],
    strengths: str | None,
    areas_for_development: str | None,
    expected_version: int | None = None,
) -> DipSample:
    """Change a dip sample's details and findings (refused: a sample size below the cases
    already recorded)."""
    _must_edit(actor, sample)
    _check_version(sample, expected_version)
    details = _details(
        title=title,
        service_areas=service_areas,
        period_from=period_from,
        period_to=period_to,
        sample_unit=sample_unit,
        sample_size=sample_size,
        lead_auditors=lead_auditors,
        cases_recorded=len(sample.cases),
    )
    for name, text in (("strengths", strengths), ("areas_for_development", areas_for_development)):
        if len(text or "") > FINDINGS_MAX:
            raise DomainError(f"Write no more than {FINDINGS_MAX} characters here", name)
    before = _snapshot(sample)
    for key, value in details.items():
        setattr(sample, key, value)
    sample.learning_themes = list(learning_themes)
    sample.strengths = (strengths or "").strip()
    sample.areas_for_development = (areas_for_development or "").strip()
    _flush()
    record_change(actor, "dip_sample.updated", sample, before, _snapshot(sample))
    return sample


def add_question(actor: User | None, sample: DipSample, text: str | None) -> DipSampleQuestion:
    """Add a checklist question at the end (cases already recorded are then unanswered on it
    until their answers are updated; unanswered is left out of the results)."""
    _must_edit(actor, sample)
    text = " ".join((text or "").split())
    if not text:
        raise DomainError("Enter the question", "text")
    if len(text) > QUESTION_MAX:
        raise DomainError(f"The question must be {QUESTION_MAX} characters or fewer", "text")
    if any(q.text.lower() == text.lower() for q in sample.questions):
        raise DomainError("This question is already on the checklist", "text")
    position = max((q.position for q in sample.questions), default=0) + 1
    question = DipSampleQuestion(text=text, position=position)
    sample.questions.append(question)
    db.session.flush()
    record_change(
        actor, "dip_sample.question_added", sample, None, {"question": text, "id": question.id}
    )
    return question


def remove_question(actor: User | None, sample: DipSample, question: DipSampleQuestion) -> None:
    """Take a question off the checklist, with its answers."""
    _must_edit(actor, sample)
    if question.dip_sample_id != sample.id:
        raise NotFound("No such question in this dip sample")
    answers = list(
        db.session.scalars(
            select(DipSampleAnswer).where(DipSampleAnswer.question_id == question.id)
        )
    )
    for answer in answers:
        answer.case.answers.remove(answer)
    sample.questions.remove(question)
    db.session.flush()
    record_change(
        actor,
        "dip_sample.question_removed",
        sample,
        {"question": question.text, "answers": len(answers)},
        None,
    )


def record_case(
    actor: User | None,
    sample: DipSample,
    *,
    case_ref: str | None,
    answers: Mapping[int, str | None],
    case: DipSampleCase | None = None,
) -> DipSampleCase:
    """Record one sampled case and its answer to every question (or change one recorded)."""
    _must_edit(actor, sample)
    case_ref = (case_ref or "").strip()
    problem = case_ref_problem(case_ref)
    if problem:
        raise DomainError(problem, "case_ref")
    clash = next(
        (c for c in sample.cases if c.case_ref.upper() == case_ref.upper() and c is not case),
        None,
    )
    if clash is not None:
        raise DomainError(f"Case {case_ref} is already recorded in this dip sample", "case_ref")
    if case is None and len(sample.cases) >= sample.sample_size:
        raise DomainError(
            f"The sample size is {sample.sample_size} and {len(sample.cases)} cases are "
            "recorded: increase the sample size to record more",
            "case_ref",
        )
    chosen: dict[int, Answer] = {}
    for question in sample.questions:
        raw = answers.get(question.id)
        try:
            chosen[question.id] = Answer(raw or "")
        except ValueError as error:
            raise DomainError(
                f"Answer '{question.text}': yes, partly, no or N/A", f"q{question.id}"
            ) from error
    before = None
    if case is None:
        case = DipSampleCase(case_ref=case_ref)
        sample.cases.append(case)
    else:
        if case.dip_sample_id != sample.id:
            raise NotFound("No such case in this dip sample")
        before = {"case_ref": case.case_ref, **{str(a.question_id): a.answer for a in case.answers}}
        case.case_ref = case_ref
    existing = {a.question_id: a for a in case.answers}
    for question_id, answer in chosen.items():
        if question_id in existing:
            existing[question_id].answer = answer.value
        else:
            case.answers.append(DipSampleAnswer(question_id=question_id, answer=answer.value))
    db.session.flush()
    after = {"case_ref": case.case_ref, **{str(q): a.value for q, a in chosen.items()}}
    record_change(
        actor,
        "dip_sample.case_recorded" if before is None else "dip_sample.case_updated",
        case,
        before,
        after,
    )
    return case


def remove_case(actor: User | None, sample: DipSample, case: DipSampleCase) -> None:
    """Take a sampled case (and its answers) out of the dip sample."""
    _must_edit(actor, sample)
    if case.dip_sample_id != sample.id:
        raise NotFound("No such case in this dip sample")
    before = {"case_ref": case.case_ref, **{str(a.question_id): a.answer for a in case.answers}}
    record_change(actor, "dip_sample.case_removed", case, before, None)
    sample.cases.remove(case)
    db.session.flush()


def _move(sample: DipSample, to: DipSampleStatus) -> None:
    if to not in DIP_SAMPLE_TRANSITIONS[sample.status_enum]:
        raise DomainError(
            f"A dip sample that is {sample.status_enum.label.lower()} cannot be "
            f"made {to.label.lower()}"
        )
    sample.status = to.value


def complete_dip_sample(
    actor: User | None,
    sample: DipSample,
    completed_on: date | None = None,
    expected_version: int | None = None,
) -> DipSample:
    """Mark a dip sample completed: it then counts in reports for the month it was completed.
    Its findings must be written first."""
    _must_edit(actor, sample)
    _check_version(sample, expected_version)
    if not (sample.strengths.strip() or sample.areas_for_development.strip()):
        raise DomainError(
            "Write the findings (strengths or areas for development) before completing the "
            "dip sample"
        )
    before = _snapshot(sample)
    _move(sample, DipSampleStatus.COMPLETED)
    sample.completed_on = completed_on or local_today()
    _flush()
    record_change(actor, "dip_sample.completed", sample, before, _snapshot(sample))
    return sample


def reopen_dip_sample(
    actor: User | None, sample: DipSample, expected_version: int | None = None
) -> DipSample:
    """Reopen a completed dip sample (QA lead only) to correct it."""
    if actor is not None and not actor.has_role(Role.QA_LEAD):
        raise Forbidden("Only the QA lead can reopen a completed dip sample")
    _check_version(sample, expected_version)
    before = _snapshot(sample)
    _move(sample, DipSampleStatus.IN_PROGRESS)
    sample.completed_on = None
    _flush()
    record_change(actor, "dip_sample.reopened", sample, before, _snapshot(sample))
    return sample


def add_dip_sample_action(
    actor: User | None,
    sample: DipSample,
    *,
    description: str | None,
    owner_id: int | None,
    due_on: date | None,
    today: date | None = None,
) -> Action:
    """Set a follow-up action from a dip sample (through the actions centre's add_action).
    Actions can still be set once the sample is completed."""
    from qa_audit.actions.services import add_action

    if actor is not None and not may_edit(actor, sample):
        raise Forbidden("Only the QA lead and this dip sample's lead auditors can set its actions")
    action = add_action(
        actor,
        source=ActionSource.DIP_SAMPLE,
        description=description or "",
        owner_id=owner_id,
        due_on=due_on,
        today=today,
    )
    action.dip_sample_id = sample.id
    db.session.flush()
    record_change(actor, "action.dip_sample_linked", action, None, {"dip_sample_id": sample.id})
    return action


# For reports ----------------------------------------------------------------------------------


def _last_day(month: str) -> date:
    start = first_day(month)
    return date(start.year, start.month, monthrange(start.year, start.month)[1])


def dip_samples_completed(
    from_month: str, to_month: str, service_area_id: int | None = None
) -> list[dict[str, Any]]:
    """The dip samples completed in a period of months (by their completion date), oldest
    first, as plain dicts: theme, sample size and unit, cases recorded, service areas, learning
    themes, and their actions open and done. A service-area filter keeps the samples that
    looked at that area."""
    from_month = parse_month(from_month, "from")
    to_month = parse_month(to_month, "to")
    query = (
        select(DipSample)
        .where(
            DipSample.status == DipSampleStatus.COMPLETED.value,
            DipSample.completed_on >= first_day(from_month),
            DipSample.completed_on <= _last_day(to_month),
        )
        .order_by(DipSample.completed_on, DipSample.id)
    )
    if service_area_id is not None:
        query = query.where(
            DipSample.id.in_(
                select(dip_sample_service_area.c.dip_sample_id).where(
                    dip_sample_service_area.c.service_area_id == service_area_id
                )
            )
        )
    samples = list(db.session.scalars(query))
    ids = [s.id for s in samples]
    actions: dict[int, tuple[int, int]] = {}
    cases: dict[int, int] = {}
    if ids:
        counted = db.session.execute(
            select(
                Action.dip_sample_id,
                func.count(Action.id).filter(Action.status == ActionStatus.OPEN.value),
                func.count(Action.id).filter(Action.status == ActionStatus.DONE.value),
            )
            .where(Action.dip_sample_id.in_(ids))
            .group_by(Action.dip_sample_id)
        )
        for sample_id, open_, done in counted:
            if sample_id is not None:
                actions[sample_id] = (open_, done)
        cases = dict(
            db.session.execute(
                select(DipSampleCase.dip_sample_id, func.count(DipSampleCase.id))
                .where(DipSampleCase.dip_sample_id.in_(ids))
                .group_by(DipSampleCase.dip_sample_id)
            ).all()
        )
    return [
        {
            "id": s.id,
            "theme": s.title,
            "service_areas": [a.name for a in s.service_areas],
            "period": {"from": s.period_from, "to": s.period_to},
            "sample_size": s.sample_size,
            "sample_unit": s.sample_unit,
            "sample_unit_label": s.unit_enum.label,
            "cases_recorded": cases.get(s.id, 0),
            "completed_on": s.completed_on.isoformat() if s.completed_on else None,
            "learning_themes": [t.name for t in s.learning_themes],
            "actions": {
                "open": actions.get(s.id, (0, 0))[0],
                "done": actions.get(s.id, (0, 0))[1],
            },
        }
        for s in samples
    ]
