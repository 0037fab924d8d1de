"""The rota's warnings, shown to the QA lead and never blocking: an auditor given a case of
their own team, and a case audited in the last 12 months."""

from __future__ import annotations

from sqlalchemy import func, select

from qa_audit.audits.models import Audit, AuditStatus
from qa_audit.core.extensions import db
from qa_audit.core.months import first_day, long_date, one_year_before
from qa_audit.organisation.models import Team
from qa_audit.rota.models import Allocation


def _case_team(allocation: Allocation) -> Team | None:
    """The case's team: as recorded on the allocation, else that of its latest audit."""
    if allocation.team is not None:
        return allocation.team
    if not allocation.case_ref:
        return None
    team_id = db.session.scalar(
        select(Audit.team_id)
        .where(
            func.upper(Audit.case_ref) == allocation.case_ref.upper(),
            Audit.team_id.is_not(None),
        )
        .order_by(Audit.audit_date.desc(), Audit.id.desc())
        .limit(1)
    )
    return db.session.get(Team, team_id) if team_id is not None else None


def own_team_warning(allocation: Allocation) -> str | None:
    """The auditor would audit a case from their own team.

    Only when the case reference is known. The case's team is the allocation's team, else the
    team of the case's latest audit. When that is known, warn if it is the auditor's team;
    when it is not, warn if the auditor works in the allocation's service area (their own
    team cannot be ruled out)."""
    if not allocation.case_ref:
        return None
    auditor = allocation.auditor
    team = _case_team(allocation)
    if team is not None:
        if auditor.team_id == team.id:
            return (
                f"{auditor.name} would audit case {allocation.case_ref} from their own team "
                f"({team.name}). Auditors should not audit their own team's cases."
            )
        return None
    if (
        auditor.service_area_id is not None
        and auditor.service_area_id == allocation.service_area_id
    ):
        return (
            f"{auditor.name} works in {allocation.service_area.name} and the team of case "
            f"{allocation.case_ref} is not recorded: check that it is not from their own team."
        )
    return None


def recent_audit_warning(allocation: Allocation) -> str | None:
    """The case was audited (an audit submitted) in the 12 months before the allotted month
    began, or since; the audit started from this allocation does not count."""
    if not allocation.case_ref:
        return None
    since = one_year_before(first_day(allocation.month))
    earlier = db.session.execute(
        select(Audit.reference, Audit.submitted_on)
        .where(
            func.upper(Audit.case_ref) == allocation.case_ref.upper(),
            Audit.status != AuditStatus.DRAFT.value,
            Audit.submitted_on.is_not(None),
            Audit.submitted_on >= since,
            (Audit.allocation_id.is_(None)) | (Audit.allocation_id != allocation.id),
        )
        .order_by(Audit.submitted_on.desc(), Audit.id.desc())
        .limit(1)
    ).first()
    if earlier is None:
        return None
    reference, submitted_on = earlier
    return (
        f"Case {allocation.case_ref} was audited in the last 12 months "
        f"(audit {reference}, submitted {long_date(submitted_on)})."
    )


def allocation_warnings(allocation: Allocation) -> list[str]:
    """Both rota warnings that apply to an allocation (shown, never blocking)."""
    return [w for w in (own_team_warning(allocation), recent_audit_warning(allocation)) if w]
