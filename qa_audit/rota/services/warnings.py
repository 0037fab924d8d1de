"""The rota's warnings, shown to the QA lead and never blocking: an auditor given a case of
their own team (or, the case not named, their own service area), and a case audited in the
last 12 months. Allotting, reassigning and scheduling show them before anything is saved
(``warnings_before``); the rota's pages show them on allocations already made."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select

from qa_audit.audits.models import Audit, AuditStatus
from qa_audit.auth.models import User
from qa_audit.changelog.services import record_change
from qa_audit.core.extensions import db
from qa_audit.core.months import first_day, long_date, one_year_before
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.rota.models import Allocation

# The change-log action of going ahead after reading the warnings.
WARNINGS_READ = "allocation.warnings_read"


@dataclass(frozen=True)
class Proposed:
    """An allocation as it would be made, or changed, before anything is saved: the warnings
    are read from it as from an allocation (a plain record, so that nothing half-made can
    reach the database)."""

    auditor: User
    service_area: ServiceArea
    month: str
    team: Team | None = None
    case_ref: str | None = None
    # The allocation being changed; None for one not yet made.
    id: int | None = None

    @property
    def service_area_id(self) -> int:
        return self.service_area.id

    @classmethod
    def change_of(cls, allocation: Allocation, auditor: User) -> Proposed:
        """``allocation`` given to ``auditor``."""
        return cls(
            auditor=auditor,
            service_area=allocation.service_area,
            month=allocation.month,
            team=allocation.team,
            case_ref=allocation.case_ref,
            id=allocation.id,
        )


Warned = Allocation | Proposed


def _case_team(allocation: Warned) -> Team | None:
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


def own_team_warning(allocation: Warned) -> str | None:
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


def recent_audit_warning(allocation: Warned) -> str | None:
    """The case was audited (an audit submitted) in the 12 months before the allotted month
    began, or since; the audit started from this allocation does not count."""
    if not allocation.case_ref:
        return None
    since = one_year_before(first_day(allocation.month))
    query = select(Audit.reference, Audit.submitted_on).where(
        func.upper(Audit.case_ref) == allocation.case_ref.upper(),
        Audit.status != AuditStatus.DRAFT.value,
        Audit.submitted_on.is_not(None),
        Audit.submitted_on >= since,
    )
    if allocation.id is not None:  # an allocation not yet made has no audit started from it
        query = query.where(
            (Audit.allocation_id.is_(None)) | (Audit.allocation_id != allocation.id)
        )
    earlier = db.session.execute(
        query.order_by(Audit.submitted_on.desc(), Audit.id.desc()).limit(1)
    ).first()
    if earlier is None:
        return None
    reference, submitted_on = earlier
    return (
        f"Case {allocation.case_ref} was audited in the last 12 months "
        f"(audit {reference}, submitted {long_date(submitted_on)})."
    )


def allocation_warnings(allocation: Warned) -> list[str]:
    """Both rota warnings that apply to an allocation (shown, never blocking)."""
    return [w for w in (own_team_warning(allocation), recent_audit_warning(allocation)) if w]


def own_area_warning(auditor: User) -> str:
    """An auditor given audits in their own service area, where they choose the case: they
    could choose one of their own team (the bulk allotment's independence rule)."""
    where = auditor.service_area.name if auditor.service_area else "their service area"
    team = f" ({auditor.team.name})" if auditor.team else ""
    return (
        f"{auditor.name} works in {where} and would be given audits there: they must not "
        f"choose a case from their own team{team}."
    )


def warnings_before(proposed: Proposed) -> list[str]:
    """What the QA lead reads before one audit is allotted or reassigned: the allocation's
    warnings, and the independence rule of bulk allotment where no case is named (the
    auditor would choose one in the area)."""
    warnings = allocation_warnings(proposed)
    if not proposed.case_ref and proposed.auditor.service_area_id == proposed.service_area_id:
        warnings.append(own_area_warning(proposed.auditor))
    return warnings


def warnings_digest(warnings: list[str]) -> str:
    """A short fingerprint of the warnings a confirmation page showed: the change is made
    only if the warnings that apply when it is made are still those."""
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16]


def record_warnings_read(actor: User | None, allocation: Allocation, warnings: list[str]) -> None:
    """Keep in the allocation's change log that the QA lead read these warnings and went
    ahead (nothing is kept when there were none)."""
    if warnings:
        record_change(actor, WARNINGS_READ, allocation, None, {"warnings": " ".join(warnings)})
