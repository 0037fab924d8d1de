"""The outcome of a moderation for those it concerns: the final overall grade, the auditor's
outcomes and the e-mail telling them, and who may read an outcome."""

from __future__ import annotations

from sqlalchemy import select

from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.core.notifications import send_after_commit
from qa_audit.moderation.models import Moderation, ModerationStatus
from qa_audit.moderation.services import domain_title


def completed_moderation_of(audit: Audit) -> Moderation | None:
    """The audit's completed moderation (from the app or imported), if any."""
    return db.session.scalar(
        select(Moderation).where(
            Moderation.audit_id == audit.id,
            Moderation.status == ModerationStatus.COMPLETED.value,
        )
    )


def final_overall_grade(audit: Audit) -> Grade | None:
    """The moderated overall grade where there is one, else the auditor's."""
    moderation = completed_moderation_of(audit)
    if moderation is not None and moderation.overall is not None:
        return moderation.overall
    return audit.overall


def may_see_outcome(user: User, audit: Audit) -> bool:
    """The auditor, the QA lead, moderators, and the area's service manager see an outcome."""
    if audit.auditor_id == user.id or user.has_role(Role.QA_LEAD, Role.MODERATOR):
        return True
    return user.has_role(Role.SERVICE_MANAGER) and user.service_area_id == audit.service_area_id


def outcome_email(moderation: Moderation, link: str) -> tuple[str, str]:
    """Subject and body of the e-mail telling the auditor the outcome (no child's name)."""
    audit = moderation.audit
    outcome = (moderation.outcome or "").capitalize()
    moderated = moderation.overall
    lines = [
        f"Hello {audit.auditor.name},",
        "",
        f"The moderation of your audit {audit.reference} (case {audit.case_ref}) is complete.",
        "",
        f"Outcome: {outcome}",
        f"Your overall grade: {audit.overall.label if audit.overall else 'none'}",
        f"Moderated overall grade: {moderated.label if moderated else 'none'}",
        f"Moderator: {moderation.moderator.name if moderation.moderator else ''}",
        "",
        "The moderator's rationale:",
        moderation.overall_rationale,
    ]
    regrades = []
    for row in audit.grades:
        mg = moderation.grade_for(row.domain_key)
        if mg is not None and mg.grade != row.grade:
            was = row.grade_enum.label if row.grade_enum else "no grade"
            regrades.append(
                f"- {domain_title(row)}: {was} -> {Grade(mg.grade).label}. {mg.rationale}"
            )
    if regrades:
        lines += ["", "Domains regraded:", *regrades]
    lines += ["", f"See the outcome: {link}", "", "Your own grades are kept as you gave them."]
    return f"Moderation of audit {audit.reference}: {outcome.lower()}", "\n".join(lines)


def notify_outcome(moderation: Moderation, link: str) -> None:
    """E-mail the auditor the outcome and rationale (when SMTP is configured), once the
    moderation is committed."""
    subject, body = outcome_email(moderation, link)
    send_after_commit([moderation.audit.auditor.email], subject, body)
