"""Home-page sections for moderation: the auditor's outcomes, the moderator's queue, the
service manager's reflective conversations and the QA lead's overview."""

from __future__ import annotations

from datetime import date

from flask import url_for
from markupsafe import Markup
from sqlalchemy import func, select

from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.links import audit_link
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.core.home import HOME_LIMIT, Link, Section, sections_receiver, view_all
from qa_audit.moderation import blind, blind_rules, reflective, services
from qa_audit.moderation.models import (
    Moderation,
    ModerationStatus,
    ReflectiveConversation,
    ReflectiveStatus,
)
from qa_audit.moderation.outcome_list import outcomes_of_auditor


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _grade(value: str | None) -> str:
    return Grade(value).label if value else "None"


def _rationale_link(m: Moderation) -> Markup:
    return Markup(
        '<a class="govuk-link" href="{}">Read the moderator\'s rationale'
        '<span class="govuk-visually-hidden"> for audit {}</span></a>'
    ).format(url_for("moderation.outcome", audit_id=m.audit_id), m.audit.reference)


def moderation_outcomes(user: User) -> Section:
    """Moderation outcomes of your audits, newest first: the first few, each with a link to
    its rationale, and the way to all of them."""
    outcomes, paging = outcomes_of_auditor(user, per_page=HOME_LIMIT)
    return Section(
        title="Moderation outcomes of your audits",
        count=paging.total,
        head=[
            "Audit",
            "Your overall grade",
            "Moderated grade",
            "Outcome",
            "Moderated on",
            "Rationale",
        ]
        if outcomes
        else [],
        rows=[
            [
                audit_link(m.audit_id, m.audit.reference),
                _grade(m.audit.overall_grade),
                _grade(m.overall_grade),
                (m.outcome or "").capitalize(),
                _day(m.moderated_on),
                _rationale_link(m),
            ]
            for m in outcomes
        ],
        empty="None of your audits has been moderated yet.",
        more=view_all(
            paging.total, url_for("moderation.your_outcomes"), "moderation outcomes of your audits"
        ),
    )


def moderation_queue(user: User) -> Section:
    """Moderations waiting, and those assigned to you."""
    waiting = services.queue()
    today = local_today()
    mine = [m for m in waiting if m.moderator_id == user.id]
    # Kept blind for another reason (a calibration round on the audit): the priority too.
    hidden = blind_rules.hidden_audit_ids(user) if mine else set()
    return Section(
        title="Moderation assigned to you",
        head=["Audit", "Priority", "Due", "Overdue"],
        rows=[
            [
                audit_link(m.audit_id, m.audit.reference),
                # High priority would tell a blind moderator the audit is Inadequate.
                "Hidden (blind)"
                if blind.is_blinded(user, m) or m.audit_id in hidden
                else m.priority.capitalize(),
                _day(m.due_on),
                "Overdue" if m.overdue(today) else "",
            ]
            for m in mine[:HOME_LIMIT]
        ],
        empty=f"Nothing is assigned to you. {len(waiting)} audits wait in the moderation queue.",
        links=[Link("Open the moderation queue", url_for("moderation.queue"))],
        count=len(mine),
        more=view_all(len(mine), url_for("moderation.queue"), "moderation assigned to you"),
    )


def reflective_conversations_due(user: User) -> Section:
    """Reflective conversations due in your service area."""
    due = reflective.due_for(user)
    today = local_today()
    return Section(
        title="Reflective conversations due",
        head=["Audit", "Case", "Due by", "Overdue"],
        rows=[
            [
                audit_link(c.audit_id, c.audit.reference),
                c.audit.case_ref,
                _day(c.due_on),
                "Overdue" if c.overdue(today) else "",
            ]
            for c in due[:HOME_LIMIT]
        ],
        empty="No reflective conversation is due in your service area.",
        links=[
            Link(
                f"Record the reflective conversation for audit {c.audit.reference}",
                url_for("moderation.reflective_conversation", conversation_id=c.id),
            )
            for c in due[:HOME_LIMIT]
        ],
        count=len(due),
        more=view_all(
            len(due),
            url_for("moderation.reflective_conversations"),
            "reflective conversations due",
        ),
    )


def moderation_overview(user: User) -> Section:
    """How many audits wait for moderation, how many are overdue, reflective conversations."""
    today = local_today()
    waiting, overdue = db.session.execute(
        select(
            func.count(Moderation.id),
            func.count(Moderation.id).filter(Moderation.due_on < today),
        ).where(Moderation.status == ModerationStatus.SELECTED.value)
    ).one()
    due, late = db.session.execute(
        select(
            func.count(ReflectiveConversation.id),
            func.count(ReflectiveConversation.id).filter(ReflectiveConversation.due_on < today),
        ).where(ReflectiveConversation.status == ReflectiveStatus.DUE.value)
    ).one()
    return Section(
        title="Moderation",
        head=["Waiting", "Overdue", "Reflective conversations due", "Of which overdue"],
        rows=[[str(waiting), str(overdue), str(due), str(late)]],
        links=[
            Link("Open the moderation queue", url_for("moderation.queue")),
            Link("Sampling rules", url_for("moderation.settings")),
            Link("Agreement between auditors and moderators", url_for("agreement.page")),
        ],
    )


# This part's sections of the home page (connected to signals.home_sections in init_app).
home_sections = sections_receiver(
    (Role.AUDITOR, moderation_outcomes),
    (Role.MODERATOR, moderation_queue),
    (Role.SERVICE_MANAGER, reflective_conversations_due),
    (Role.QA_LEAD, moderation_overview),
)
