"""A dip sample's checklist and sampled cases: adding and removing questions, recording each
case's answers, removing a case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from qa_audit.auth.models import User
from qa_audit.changelog.services import record_change
from qa_audit.core.case_refs import case_ref_problem
from qa_audit.core.errors import DomainError, NotFound
from qa_audit.core.extensions import db
from qa_audit.dip_samples.models import (
    Answer,
    DipSample,
    DipSampleAnswer,
    DipSampleCase,
    DipSampleQuestion,
)
from qa_audit.dip_samples.services.editing import must_edit

QUESTION_MAX = 500


def add_question(actor: User | None, sample: DipSample, text: str | None) -> DipSampleQuestion:
    """Add a checklist question at the end (cases already recorded are then unanswered on it
    until their answers are updated; unanswered is left out of the results)."""
    must_edit(actor, sample)
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
    must_edit(actor, sample)
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
    must_edit(actor, sample)
    case_ref = _case_ref(sample, case_ref, case)
    chosen = _answers(sample, answers)
    before = None
    if case is None:
        case = DipSampleCase(case_ref=case_ref)
        sample.cases.append(case)
    else:
        if case.dip_sample_id != sample.id:
            raise NotFound("No such case in this dip sample")
        before = _case_snapshot(case)
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


def _case_ref(sample: DipSample, case_ref: str | None, case: DipSampleCase | None) -> str:
    """The case reference, checked: well formed, not already in the sample, and (for a new
    case) room left in the sample."""
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
    return case_ref


def _answers(sample: DipSample, answers: Mapping[int, str | None]) -> dict[int, Answer]:
    """An answer to every question of the checklist, each one of yes / partly / no / N/A."""
    chosen: dict[int, Answer] = {}
    for question in sample.questions:
        raw = answers.get(question.id)
        try:
            chosen[question.id] = Answer(raw or "")
        except ValueError as error:
            raise DomainError(
                f"Answer '{question.text}': yes, partly, no or N/A", f"q{question.id}"
            ) from error
    return chosen


def _case_snapshot(case: DipSampleCase) -> dict[str, Any]:
    return {"case_ref": case.case_ref, **{str(a.question_id): a.answer for a in case.answers}}


def remove_case(actor: User | None, sample: DipSample, case: DipSampleCase) -> None:
    """Take a sampled case (and its answers) out of the dip sample."""
    must_edit(actor, sample)
    if case.dip_sample_id != sample.id:
        raise NotFound("No such case in this dip sample")
    record_change(actor, "dip_sample.case_removed", case, _case_snapshot(case), None)
    sample.cases.remove(case)
    db.session.flush()
