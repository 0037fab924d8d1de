"""How long a safeguarding concern has waited, and its escalation when nobody acknowledges it
in time (QA_AUDIT_SAFEGUARDING_ACK_DAYS working days, one by default).

There is no head-of-service role: a concern not acknowledged in time goes again to the
service managers of its area and, this time, to every QA lead, who answer for the audit
programme. `qa-audit safeguarding escalate` runs it from a timer; each concern is escalated
once, whatever the number of runs."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import select, update

from qa_audit.audits.links import audit_url
from qa_audit.audits.models import SafeguardingConcern
from qa_audit.audits.safeguarding.models import ConcernStatus
from qa_audit.auth.roles import Role
from qa_audit.auth.services import users_with_role
from qa_audit.changelog.services import record_change
from qa_audit.core.clock import LOCAL_TZ, local_today, utcnow
from qa_audit.core.extensions import db
from qa_audit.core.notifications import send_after_commit, smtp_configured
from qa_audit.core.working_days import add_working_days, working_days_between


def acknowledgement_days() -> int:
    return int(current_app.config["SAFEGUARDING_ACK_WORKING_DAYS"])


def acknowledgement_due(raised_at: datetime, working_days: int | None = None) -> datetime:
    """When a concern raised at ``raised_at`` should have been acknowledged: the same time of
    day, ``working_days`` working days later in the council's calendar."""
    days = acknowledgement_days() if working_days is None else working_days
    raised = raised_at.astimezone(LOCAL_TZ)
    due_day = add_working_days(raised.date(), days)
    return datetime.combine(due_day, raised.timetz())


def is_late(raised_at: datetime, status: str, now: datetime | None = None) -> bool:
    """True when a concern is still waiting for acknowledgement past its time."""
    if status != ConcernStatus.RAISED.value:
        return False
    return (now or utcnow()) > acknowledgement_due(raised_at)


def age(raised_at: datetime, today: date | None = None) -> str:
    """ "Raised 3 working days ago": how long the concern has been open, in working days."""
    raised_on = raised_at.astimezone(LOCAL_TZ).date()
    today = today or local_today()
    days = working_days_between(raised_on, today)
    if raised_on == today:
        return "Raised today"
    if days < 1:
        return "Raised less than a working day ago"
    return f"Raised {days} working day{'' if days == 1 else 's'} ago"


def escalate_unacknowledged(now: datetime | None = None) -> list[SafeguardingConcern]:
    """Escalate every concern still not acknowledged past its time and not escalated yet;
    the e-mail goes once the command's transaction commits."""
    now = now or utcnow()
    waiting = db.session.scalars(
        select(SafeguardingConcern)
        .where(
            SafeguardingConcern.status == ConcernStatus.RAISED.value,
            SafeguardingConcern.escalated_at.is_(None),
        )
        .order_by(SafeguardingConcern.raised_at, SafeguardingConcern.id)
    ).all()
    escalated = []
    for concern in waiting:
        if is_late(concern.raised_at, concern.status, now) and _mark(concern, now):
            _tell(concern)
            escalated.append(concern)
    return escalated


def _mark(concern: SafeguardingConcern, now: datetime) -> bool:
    # Two runs at once (a timer and a catch-up by hand) escalate each concern once.
    result = db.session.execute(
        update(SafeguardingConcern)
        .where(
            SafeguardingConcern.id == concern.id,
            SafeguardingConcern.escalated_at.is_(None),
            SafeguardingConcern.status == ConcernStatus.RAISED.value,
        )
        .values(escalated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    db.session.refresh(concern)
    record_change(
        None,
        "safeguarding_concern.escalated",
        concern,
        {"escalated_at": None},
        {"escalated_at": now.isoformat()},
    )
    return True


def _tell(concern: SafeguardingConcern) -> None:
    audit = concern.audit
    managers = users_with_role(Role.SERVICE_MANAGER, concern.service_area_id)
    leads = users_with_role(Role.QA_LEAD)
    raised = concern.raised_at.astimezone(LOCAL_TZ).strftime("%-d %B %Y at %H:%M")
    days = acknowledgement_days()
    # Case reference and links only, as with the first e-mail.
    send_after_commit(
        [u.email for u in [*managers, *leads]],
        f"Safeguarding concern not acknowledged: case {audit.case_ref}",
        f"A safeguarding concern raised on {raised} during the quality-assurance audit of "
        f"case {audit.case_ref} (audit {audit.reference}) in {concern.service_area.name} has "
        f"not been acknowledged within {days} working day{'' if days == 1 else 's'}.\n\n"
        "It goes to the service managers of the area and to the QA leads. Sign in to "
        f"acknowledge it and record what is being done:\n{audit_url(audit.id, external=True)}\n\n"
        "This e-mail does not contain the details of the concern; please do not forward it.\n",
    )


def escalation_possible() -> bool:
    """E-mail is how an escalation reaches people: without SMTP nothing is escalated."""
    return smtp_configured()
