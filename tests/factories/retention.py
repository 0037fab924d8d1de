"""Records for the retention tests: an audit holding every kind of case content the schedule
removes (``full_audit``), a dip sample with a sampled case (``dip_sample``)."""

from __future__ import annotations

from datetime import date

from qa_audit.audits.models import Audit, PractitionerComment
from qa_audit.audits.safeguarding import services as safeguarding
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.dip_samples import services as dip
from qa_audit.dip_samples.models import DipSample
from qa_audit.moderation.models import ReflectiveConversation, SamplingDecision
from qa_audit.organisation.models import ServiceArea
from tests.factories import actions, audits, auth, organisation, rota
from tests.factories.moderation import completed_moderation

SECRET = "Jayden Smith of 4 Elm Road"  # stands for any case content: it must all go


def full_audit(
    submitted_on: date, *, case_ref: str, status: str = "submitted", secret: str = SECRET
) -> Audit:
    """An Inadequate audit whose moderation upheld it, with case content everywhere: evidence,
    rationale, a quoted feedback conversation, a safeguarding concern and its response, a
    practitioner's comment, the moderator's rationale, the sampling decision, a held
    reflective conversation, a done action, a rota allocation naming the case, a theme."""
    month = submitted_on.strftime("%Y-%m")
    allocation = rota.allocation(case_ref=case_ref, month=month)
    audit = audits.audit(
        overall="inadequate", status=status, submitted_on=submitted_on, case_ref=case_ref
    )
    audit.allocation_id = allocation.id
    audit.overall_rationale = f"Rationale about {secret}"
    for grade in audit.grades:
        grade.working_well = f"{secret} is seen weekly"
        grade.impact = ""  # a blank box stays blank
    audits.feedback(audit, "child", said=f"I like my worker, {secret}", consent=True)
    audits.feedback(audit, "mother", tone="constructive", said="Too many changes", consent=False)
    audits.theme(audit, "Child's voice not evident in recording")
    qa_lead = auth.user(Role.QA_LEAD)
    concern = safeguarding.raise_concern(qa_lead, audit, f"Worry about {secret}")
    safeguarding.acknowledge_concern(qa_lead, concern)
    safeguarding.add_note(qa_lead, concern, f"Visit booked to see {secret}")
    safeguarding.resolve_concern(
        qa_lead, concern, "other", f"Visited {secret}", f"Spoke to {secret}'s school"
    )
    db.session.add(
        PractitionerComment(
            audit_id=audit.id,
            author_role="practitioner",
            comment=f"My work with {secret}",
            recorded_by_id=qa_lead.id,
        )
    )
    db.session.add(
        SamplingDecision(
            audit_id=audit.id, grade="inadequate", selected=True, reason=f"Added: {secret}"
        )
    )
    moderation = completed_moderation(
        audit,
        "inadequate",
        rationale=f"Agreed about {secret}",
        selection_reason=f"Added by hand: {secret}",
    )
    for grade in moderation.grades:
        grade.rationale = f"Domain rationale about {secret}"
    db.session.add(
        ReflectiveConversation(
            moderation_id=moderation.id,
            audit_id=audit.id,
            service_area_id=audit.service_area_id,
            status="held",
            due_on=submitted_on,
            held_on=submitted_on,
            participants="The social worker and her manager",
            learning=f"Listen to {secret}",
            recorded_by_id=qa_lead.id,
        )
    )
    done = actions.action(
        owner=audit.auditor, audit_id=audit.id, description=f"Visit {secret}", done=True
    )
    done.completion_note = f"Visited {secret}"
    done.practitioner_role, done.practitioner_name = "other", f"{secret}'s key worker"
    db.session.flush()
    return audit


def dip_sample(
    completed_on: date | None, *, period_to: str, case_ref: str, secret: str = SECRET
) -> DipSample:
    """A dip sample with findings, a case and an action: completed on ``completed_on``, or
    still in progress (None)."""
    area: ServiceArea = organisation.service_area("locality")
    lead = auth.user(Role.QA_LEAD)
    sample = dip.create_dip_sample(
        lead,
        title="Repeat child protection plans",
        service_areas=[area],
        period_from=period_to,
        period_to=period_to,
        sample_unit="families",
        sample_size=4,
        lead_auditors=[lead],
    )
    question = dip.add_question(lead, sample, "Was the plan reviewed on time?")
    dip.record_case(lead, sample, case_ref=case_ref, answers={question.id: "yes"})
    sample.strengths = f"Good work with {secret}"
    if completed_on is not None:
        dip.complete_dip_sample(
            lead,
            sample,
            completed_on,
            not_reviewed_reason=f"Three families moved away, {secret} among them",
        )
    actions.action(
        owner=lead, source="dip_sample", description=f"Tell {secret}"
    ).dip_sample_id = sample.id
    db.session.flush()
    return sample
