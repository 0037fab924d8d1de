"""The records the accessibility crawl fills its pages from: one of each kind a page shows,
made in the crawl's own database, with the people of every role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from tests import factories


@dataclass
class Records:
    users: dict[str, User]
    mine: dict[str, list[Any]]  # table name -> ids made here (tried first)
    named: dict[str, int]  # ids of particular records, for the pages checked by hand


def _max_ids() -> dict[str, int]:
    out = {}
    for table in db.metadata.tables.values():
        if "id" in table.columns and table.columns["id"].primary_key:
            out[table.name] = int(db.session.scalar(select(func.max(table.c.id))) or 0)
    return out


def build_records() -> tuple[dict[str, User], dict[str, int]]:
    """A user per role and a record of each kind a page shows, owned so that each role may
    see its own: the auditor's draft and submitted audits in the service manager's area, a
    moderation assigned to the moderator, an action, a safeguarding concern, a comment, a
    rota allocation, a dip sample with a case, a reflective conversation, a blind moderation
    waiting for the moderator's blind grades, the quality ratings of a moderated audit, and a
    calibration round on it that the auditor has graded."""
    from qa_audit.audits.models import (
        FeedbackConversation,
        PractitionerComment,
        SafeguardingConcern,
    )
    from qa_audit.core.clock import local_today
    from qa_audit.dip_samples.models import DipSample, DipSampleCase, DipSampleQuestion
    from qa_audit.moderation.models import AuditQualityRating
    from qa_audit.moderation.reflective import open_reflective_conversation
    from tests.factories import actions as factories_actions
    from tests.factories import calibration as factories_calibration
    from tests.factories import committee_reports as factories_committee
    from tests.factories import moderation as factories_moderation
    from tests.factories import rota as factories_rota

    users = {
        Role.AUDITOR.value: factories.user(Role.AUDITOR, area_key="locality"),
        Role.MODERATOR.value: factories.user(Role.MODERATOR),
        Role.SERVICE_MANAGER.value: factories.user(Role.SERVICE_MANAGER, area_key="locality"),
        Role.QA_LEAD.value: factories.user(Role.QA_LEAD),
        Role.VIEWER.value: factories.user(Role.VIEWER),
        Role.ADMIN.value: factories.user(Role.ADMIN),
    }
    auditor, moderator = users[Role.AUDITOR.value], users[Role.MODERATOR.value]
    draft = factories.audit(auditor=auditor, status="draft", overall=None)
    submitted = factories.audit(auditor=auditor, overall="good")
    queued = factories.audit(auditor=auditor, overall="inadequate")
    maintained = factories.audit(auditor=auditor, overall="inadequate")
    factories_moderation.selected(queued, priority="high", moderator_user=moderator)
    # Moderated today, so that the QA lead's audit-quality summary (the past year) lists it.
    moderated = factories_moderation.completed(
        submitted, moderator_user=moderator, overall="good", moderated_on=local_today()
    )
    db.session.add(
        AuditQualityRating(
            moderation_id=moderated.id,
            item_key="child_voice",
            item_text="The child's voice is heard in the audit",
            rating="partly",
            comment="Say what the child said in their words",
        )
    )
    # A blind moderation the moderator has not yet graded: the blind step's page.
    blind_audit = factories.audit(auditor=auditor, overall="good")
    factories_moderation.selected(blind_audit, moderator_user=moderator).blind = True
    kept = factories_moderation.completed(
        maintained, moderator_user=moderator, overall="inadequate"
    )
    open_reflective_conversation(None, kept)
    submitted.feedback.append(
        FeedbackConversation(who="child", how="visit", said="I feel listened to", tone="positive")
    )
    db.session.add(
        SafeguardingConcern(
            audit_id=submitted.id,
            raised_by_id=auditor.id,
            description="Concern raised",
            service_area_id=submitted.service_area_id,
        )
    )
    db.session.add(
        PractitionerComment(
            audit_id=submitted.id,
            author_role="practitioner",
            comment="Agreed",
            recorded_by_id=auditor.id,
        )
    )
    factories_actions.action(owner=auditor, audit_id=submitted.id, due_on=date(2030, 1, 31))
    # Every action of this audit done: a closing-the-loop prompt to schedule or dismiss.
    factories_actions.action(owner=auditor, audit_id=maintained.id, done=True)
    factories_rota.allocation(auditor=auditor, month="2030-01")
    # A bulk allotment, for its own page.
    factories_rota.allocation(auditor=auditor, month="2030-02").batch_id = "crawledallotment"
    sample = DipSample(
        title="S47 decision making",
        period_from="2024-02",
        period_to="2024-04",
        sample_unit="families",
        sample_size=5,
        created_by_id=auditor.id,
    )
    sample.lead_auditors.append(auditor)
    sample.questions.append(DipSampleQuestion(text="Was the strategy meeting timely?", position=0))
    sample.cases.append(DipSampleCase(case_ref="CR777001"))
    db.session.add(sample)
    # Committee reports: a draft, and a final with an image, for their pages.
    factories_committee.draft(users[Role.QA_LEAD.value])
    factories_committee.final_with_image(users[Role.QA_LEAD.value])
    # A calibration round on the moderated audit, graded by the auditor, for its pages.
    calibration_round = factories_calibration.calibration_round(
        audit=submitted,
        invitees=[auditor, moderator, users[Role.SERVICE_MANAGER.value]],
        qa_lead=users[Role.QA_LEAD.value],
    )
    factories_calibration.graded(calibration_round, auditor, "good")
    return users, {"draft_audit": draft.id}
