"""The monthly rota: allotting audits, following them to completion, reassigning, extending,
exempting, warning and reminding. Plain functions; the acting user is passed explicitly."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from qa_audit.audits.models import Audit, AuditStatus
from qa_audit.auth.models import User, UserRole
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core.case_refs import case_ref_problem
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.months import (
    first_day,
    long_date,
    month_label,
    one_year_before,
    parse_month,
)
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.rota.models import ALLOCATION_TRANSITIONS, Allocation, AllocationStatus

LOGGED = [
    "month",
    "auditor_id",
    "service_area_id",
    "team_id",
    "case_ref",
    "due_on",
    "status",
    "exemption_reason",
    "exemption_approved_by",
    "exemption_approved_by_id",
]
MAX_PER_AUDITOR = 20
REMINDER_DAYS = 5
# Roles whose holders may be allotted audits in bulk (each must also hold the auditor role).
BULK_ROLES = (Role.AUDITOR, Role.SERVICE_MANAGER, Role.MODERATOR, Role.QA_LEAD)


@dataclass
class AllotmentResult:
    """What an allotment made, and the warnings the QA lead should read (never blocks)."""

    allocations: list[Allocation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# Reading ------------------------------------------------------------------------------------


def get_allocation(allocation_id: int) -> Allocation:
    allocation = db.session.get(Allocation, allocation_id)
    if allocation is None:
        raise NotFound("No such allocation")
    return allocation


def active_auditors() -> list[User]:
    """Everyone who can be allotted an audit: active users holding the auditor role."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.AUDITOR.value, User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


def month_allocations(month: str, service_area_id: int | None = None) -> list[Allocation]:
    """Every allocation of a month, by auditor then due date."""
    query = (
        select(Allocation)
        .join(User, User.id == Allocation.auditor_id)
        .where(Allocation.month == month)
        .order_by(User.name, Allocation.due_on, Allocation.id)
    )
    if service_area_id is not None:
        query = query.where(Allocation.service_area_id == service_area_id)
    return list(db.session.scalars(query))


def allocations_for(user: User, include_closed: bool = False) -> list[Allocation]:
    """The user's own allocations, soonest due first (open ones only unless asked)."""
    query = (
        select(Allocation)
        .where(Allocation.auditor_id == user.id)
        .order_by(Allocation.due_on, Allocation.id)
    )
    if not include_closed:
        query = query.where(Allocation.status == AllocationStatus.ALLOTTED.value)
    return list(db.session.scalars(query))


def overdue_allocations(today: date | None = None, month: str | None = None) -> list[Allocation]:
    """Allotted (not completed, not exempted) allocations whose due date has passed."""
    today = today or local_today()
    query = (
        select(Allocation)
        .where(Allocation.status == AllocationStatus.ALLOTTED.value, Allocation.due_on < today)
        .order_by(Allocation.due_on, Allocation.id)
    )
    if month is not None:
        query = query.where(Allocation.month == month)
    return list(db.session.scalars(query))


def due_soon(
    today: date | None = None, days: int = REMINDER_DAYS, auditor: User | None = None
) -> list[Allocation]:
    """Allotted allocations due within ``days`` days of today, overdue ones included."""
    today = today or local_today()
    query = (
        select(Allocation)
        .where(
            Allocation.status == AllocationStatus.ALLOTTED.value,
            Allocation.due_on <= date.fromordinal(today.toordinal() + days),
        )
        .order_by(Allocation.due_on, Allocation.id)
    )
    if auditor is not None:
        query = query.where(Allocation.auditor_id == auditor.id)
    return list(db.session.scalars(query))


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def rota_completion(
    from_month: str,
    to_month: str | None = None,
    service_area_id: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Allotted against completed, by auditor and by service area, for a month or a period.

    Plain dicts (for pages, reports and the API). ``percent_completed`` is completed out of
    allotted less exempted (an exempted allocation is not expected to be done), one decimal
    place, None when nothing is expected."""
    to_month = to_month or from_month
    today = today or local_today()
    status = Allocation.status
    counts = (
        func.count(Allocation.id),
        func.count(Allocation.id).filter(status == AllocationStatus.COMPLETED.value),
        func.count(Allocation.id).filter(status == AllocationStatus.EXEMPTED.value),
        func.count(Allocation.id).filter(
            status == AllocationStatus.ALLOTTED.value, Allocation.due_on < today
        ),
    )
    where = [Allocation.month >= from_month, Allocation.month <= to_month]
    if service_area_id is not None:
        where.append(Allocation.service_area_id == service_area_id)

    def grouped(key: Any, name: Any, on: Any) -> list[tuple[int, str, dict[str, Any]]]:
        result = db.session.execute(
            select(key, name, *counts)
            .select_from(Allocation)
            .join(key.table, on)
            .where(*where)
            .group_by(key, name)
            .order_by(name, key)
        )
        return [(id_, label, _completion_counts(*numbers)) for id_, label, *numbers in result]

    totals = db.session.execute(select(*counts).select_from(Allocation).where(*where)).one()
    return {
        "period": {"from": from_month, "to": to_month},
        "by_auditor": [
            {"auditor_id": id_, "auditor": label, **numbers}
            for id_, label, numbers in grouped(User.id, User.name, User.id == Allocation.auditor_id)
        ],
        "by_service_area": [
            {"service_area_id": id_, "service_area": label, **numbers}
            for id_, label, numbers in grouped(
                ServiceArea.id, ServiceArea.name, ServiceArea.id == Allocation.service_area_id
            )
        ],
        "total": _completion_counts(*totals),
    }


def _completion_counts(
    allotted: int, completed: int, exempted: int, overdue: int
) -> dict[str, Any]:
    expected = allotted - exempted
    return {
        "allotted": allotted,
        "completed": completed,
        "exempted": exempted,
        "outstanding": expected - completed,
        "overdue": overdue,
        "percent_completed": _percent(completed, expected),
    }


# Warnings -----------------------------------------------------------------------------------


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


# Allotting ----------------------------------------------------------------------------------


def _check_due(month: str, due_on: date | None) -> date:
    if due_on is None:
        raise DomainError("Enter the date the audit is due", "due_on")
    if due_on < first_day(month):
        raise DomainError(
            f"The due date must be on or after the start of the month: "
            f"{long_date(first_day(month))} or later",
            "due_on",
        )
    return due_on


def _check_auditor(user: User | None, field: str = "auditor_id") -> User:
    if user is None:
        raise DomainError("Select the auditor", field)
    if not user.active:
        raise DomainError(
            f"{user.name}'s account is deactivated: allot the audit to an active auditor", field
        )
    if not user.has_role(Role.AUDITOR):
        raise DomainError(
            f"{user.name} does not hold the auditor role: allot the audit to an auditor", field
        )
    return user


def _clean_case_ref(case_ref: str | None) -> str | None:
    case_ref = (case_ref or "").strip()
    if not case_ref:
        return None
    problem = case_ref_problem(case_ref)
    if problem:
        raise DomainError(problem, "case_ref")
    return case_ref


def allot(
    actor: User | None,
    *,
    month: str,
    auditor: User | None,
    service_area: ServiceArea | None,
    due_on: date | None,
    case_ref: str | None = None,
    team: Team | None = None,
) -> AllotmentResult:
    """Allot one audit to an auditor for a month (a named case where it is known)."""
    month = parse_month(month)
    auditor = _check_auditor(auditor)
    if service_area is None:
        raise DomainError("Select the service area", "service_area_id")
    if team is not None and team.service_area_id != service_area.id:
        raise DomainError(f"{team.name} is not a team of {service_area.name}", "team_id")
    due_on = _check_due(month, due_on)
    allocation = Allocation(
        month=month,
        auditor=auditor,
        service_area=service_area,
        team=team,
        case_ref=_clean_case_ref(case_ref),
        due_on=due_on,
        status=AllocationStatus.ALLOTTED.value,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(allocation)
    db.session.flush()
    record_change(actor, "allocation.allotted", allocation, None, snapshot(allocation, LOGGED))
    return AllotmentResult([allocation], allocation_warnings(allocation))


def allot_bulk(
    actor: User | None,
    *,
    month: str,
    roles: list[Role | str],
    service_areas: list[ServiceArea],
    per_auditor: int | None,
    due_on: date | None,
) -> AllotmentResult:
    """Allot ``per_auditor`` audits to every active auditor holding any of ``roles``, spread
    round-robin over ``service_areas`` (in the order given) across all the allocations made,
    auditors taken in name order."""
    month = parse_month(month)
    try:
        wanted = {Role(r) for r in roles}
    except ValueError as error:
        raise DomainError("Select roles from the list", "roles") from error
    if not wanted:
        raise DomainError("Select whose audits to allot: at least one role", "roles")
    if not service_areas:
        raise DomainError("Select at least one service area", "service_area_ids")
    if per_auditor is None or per_auditor < 1:
        raise DomainError("Enter how many audits each auditor gets: 1 or more", "per_auditor")
    if per_auditor > MAX_PER_AUDITOR:
        raise DomainError(
            f"Allot no more than {MAX_PER_AUDITOR} audits to each auditor in one go",
            "per_auditor",
        )
    due_on = _check_due(month, due_on)
    holders = list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.id.in_(
                    select(UserRole.user_id).where(UserRole.role.in_([r.value for r in wanted]))
                ),
            )
            .order_by(User.name, User.id)
        )
    )
    auditors = [u for u in holders if u.has_role(Role.AUDITOR)]
    skipped = [u for u in holders if not u.has_role(Role.AUDITOR)]
    if not auditors:
        raise DomainError(
            "No active auditor holds the roles you selected, so nothing was allotted", "roles"
        )
    result = AllotmentResult()
    if skipped:
        result.warnings.append(
            "Not allotted, because they do not hold the auditor role: " + _names(skipped) + "."
        )
    already = set(
        db.session.scalars(
            select(Allocation.auditor_id).where(
                Allocation.month == month, Allocation.auditor_id.in_([u.id for u in auditors])
            )
        )
    )
    if already:
        result.warnings.append(
            f"Already allotted audits for {month_label(month)}, and now given {per_auditor} "
            f"more: " + _names([u for u in auditors if u.id in already]) + "."
        )
    k = 0
    for user in auditors:
        for _ in range(per_auditor):
            area = service_areas[k % len(service_areas)]
            k += 1
            allocation = Allocation(
                month=month,
                auditor=user,
                service_area=area,
                due_on=due_on,
                status=AllocationStatus.ALLOTTED.value,
                created_by_id=actor.id if actor is not None else None,
            )
            db.session.add(allocation)
            result.allocations.append(allocation)
    db.session.flush()
    for allocation in result.allocations:
        record_change(actor, "allocation.allotted", allocation, None, snapshot(allocation, LOGGED))
    return result


def _names(users: list[User], limit: int = 10) -> str:
    names = [u.name for u in users[:limit]]
    if len(users) > limit:
        names.append(f"and {len(users) - limit} more")
    return ", ".join(names)


# Changing -----------------------------------------------------------------------------------


def _check_version(allocation: Allocation, expected_version: int | None) -> None:
    check_version(allocation, expected_version, "allocation")


def _flush() -> None:
    flush_or_conflict("allocation")


def _must_be_open(allocation: Allocation, doing: str) -> None:
    if allocation.status == AllocationStatus.COMPLETED.value:
        raise DomainError(f"This allocation is completed: it cannot be {doing}")
    if allocation.status == AllocationStatus.EXEMPTED.value:
        raise DomainError(f"This allocation is exempted: it cannot be {doing}")


def _move(allocation: Allocation, to: AllocationStatus) -> None:
    if to not in ALLOCATION_TRANSITIONS[allocation.status_enum]:
        raise DomainError(f"An allocation that is {allocation.status} cannot become {to.value}")
    allocation.status = to.value


def reassign(
    actor: User | None,
    allocation: Allocation,
    auditor: User | None,
    expected_version: int | None = None,
) -> list[str]:
    """Give an allotted allocation to another active auditor; returns the warnings that now
    apply. The change log keeps who had it before."""
    _check_version(allocation, expected_version)
    _must_be_open(allocation, "reassigned")
    auditor = _check_auditor(auditor)
    if auditor.id == allocation.auditor_id:
        raise DomainError(f"This allocation is already {auditor.name}'s", "auditor_id")
    before = snapshot(allocation, LOGGED)
    allocation.auditor = auditor
    allocation.last_reminded_on = None
    _flush()
    record_change(actor, "allocation.reassigned", allocation, before, snapshot(allocation, LOGGED))
    return allocation_warnings(allocation)


def extend(
    actor: User | None,
    allocation: Allocation,
    due_on: date | None,
    expected_version: int | None = None,
) -> Allocation:
    """Move an allotted allocation's due date later."""
    _check_version(allocation, expected_version)
    _must_be_open(allocation, "extended")
    if due_on is None:
        raise DomainError("Enter the new due date", "due_on")
    if due_on <= allocation.due_on:
        raise DomainError(
            f"The new due date must be after the current one, {long_date(allocation.due_on)}",
            "due_on",
        )
    before = snapshot(allocation, LOGGED)
    allocation.due_on = due_on
    allocation.last_reminded_on = None
    _flush()
    record_change(actor, "allocation.extended", allocation, before, snapshot(allocation, LOGGED))
    return allocation


def exempt(
    actor: User | None,
    allocation: Allocation,
    *,
    reason: str | None,
    approved_by: str | User | None,
    expected_version: int | None = None,
) -> Allocation:
    """Record that an allotted audit need not be done: why, and who approved it."""
    _check_version(allocation, expected_version)
    _must_be_open(allocation, "exempted")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter the reason for the exemption", "reason")
    if isinstance(approved_by, User):
        approver_name, approver_id = approved_by.name, approved_by.id
    else:
        approver_name, approver_id = " ".join((approved_by or "").split()), None
    if not approver_name:
        raise DomainError("Enter who approved the exemption", "approved_by")
    if len(approver_name) > 200:
        raise DomainError("The approver's name must be 200 characters or fewer", "approved_by")
    before = snapshot(allocation, LOGGED)
    _move(allocation, AllocationStatus.EXEMPTED)
    allocation.exemption_reason = reason
    allocation.exemption_approved_by = approver_name
    allocation.exemption_approved_by_id = approver_id
    _flush()
    record_change(actor, "allocation.exempted", allocation, before, snapshot(allocation, LOGGED))
    return allocation


# Audits started from an allocation ----------------------------------------------------------


def allocation_for_audit(actor: User, allocation_id: int | None) -> Allocation:
    """The allocation an audit is being started from: the actor's own, still allotted.
    The audit start page and start_audit call this."""
    if allocation_id is None:
        raise NotFound("No such allocation")
    allocation = get_allocation(allocation_id)
    if allocation.auditor_id != actor.id:
        raise Forbidden("This allocation is not yours: only its auditor can start its audit")
    if allocation.status == AllocationStatus.COMPLETED.value:
        raise DomainError("The audit for this allocation has already been submitted")
    if allocation.status == AllocationStatus.EXEMPTED.value:
        raise DomainError("This allocation is exempted: there is no audit to start")
    return allocation


def start_prefill(actor: User, allocation_id: int | None) -> dict[str, Any]:
    """What the audit start page fills in from an allocation (checked as above)."""
    allocation = allocation_for_audit(actor, allocation_id)
    return {
        "allocation_id": allocation.id,
        "case_ref": allocation.case_ref or "",
        "service_area_id": allocation.service_area_id,
        "team_id": allocation.team_id,
        "due_on": allocation.due_on,
    }


def draft_audit_for(allocation: Allocation) -> Audit | None:
    """An audit already started (not yet submitted) from this allocation, if any."""
    return db.session.scalar(
        select(Audit)
        .where(Audit.allocation_id == allocation.id, Audit.status == AuditStatus.DRAFT.value)
        .order_by(Audit.id.desc())
        .limit(1)
    )


def drafts_started(allocations: list[Allocation]) -> dict[int, int]:
    """For these allocations, the draft audit already started from each (allocation id ->
    audit id), so that the auditor continues it rather than starting another."""
    ids = [a.id for a in allocations]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Audit.allocation_id, func.max(Audit.id))
        .where(Audit.allocation_id.in_(ids), Audit.status == AuditStatus.DRAFT.value)
        .group_by(Audit.allocation_id)
    )
    return {allocation_id: audit_id for allocation_id, audit_id in rows if allocation_id}


def complete_allocation(audit: Audit, actor: User | None) -> None:
    """An audit started from an allocation has been submitted: the allocation is completed
    (an exempted one too: the audit was done after all)."""
    if audit.allocation_id is None:
        return
    allocation = db.session.get(Allocation, audit.allocation_id)
    if allocation is None or allocation.status == AllocationStatus.COMPLETED.value:
        return
    before = snapshot(allocation, [*LOGGED, "completed_at"])
    _move(allocation, AllocationStatus.COMPLETED)
    allocation.completed_at = utcnow()
    db.session.flush()
    record_change(
        actor,
        "allocation.completed",
        allocation,
        before,
        {**snapshot(allocation, [*LOGGED, "completed_at"]), "audit_id": audit.id},
    )


def reopen_allocation(audit: Audit, actor: User | None) -> None:
    """The audit that completed an allocation was returned to its auditor: it is not done
    until resubmitted, so the allocation is allotted again."""
    if audit.allocation_id is None:
        return
    allocation = db.session.get(Allocation, audit.allocation_id)
    if allocation is None or allocation.status != AllocationStatus.COMPLETED.value:
        return
    before = snapshot(allocation, [*LOGGED, "completed_at"])
    _move(allocation, AllocationStatus.ALLOTTED)
    allocation.completed_at = None
    db.session.flush()
    record_change(
        actor,
        "allocation.reopened",
        allocation,
        before,
        {**snapshot(allocation, [*LOGGED, "completed_at"]), "audit_id": audit.id},
    )


# Reminders ----------------------------------------------------------------------------------


@dataclass
class ReminderRun:
    """What `qa-audit rota remind` did."""

    auditors: int = 0
    allocations: int = 0
    emailed: int = 0
    smtp: bool = False


def send_reminders(today: date | None = None, days: int = REMINDER_DAYS) -> ReminderRun:
    """E-mail each auditor their allotted allocations due within ``days`` days (overdue ones
    too), once a day at most per allocation. Without SMTP nothing is sent or marked."""
    from qa_audit.core.notifications import send_email, smtp_configured

    today = today or local_today()
    pending = [a for a in due_soon(today, days) if a.last_reminded_on != today]
    by_auditor: dict[int, list[Allocation]] = defaultdict(list)
    for allocation in pending:
        by_auditor[allocation.auditor_id].append(allocation)
    run = ReminderRun(auditors=len(by_auditor), allocations=len(pending), smtp=smtp_configured())
    if not run.smtp:
        return run
    for allocations in by_auditor.values():
        auditor = allocations[0].auditor
        if not auditor.active:
            continue
        lines = [
            f"Hello {auditor.name},",
            "",
            "These audits on the rota are yours and due soon:",
            "",
        ]
        for a in allocations:
            when = "OVERDUE, was due" if a.due_on < today else "due"
            case = f"case {a.case_ref}" if a.case_ref else "a case of your choice"
            lines.append(f"- {a.service_area.name}, {case}: {when} {long_date(a.due_on)}")
        lines += ["", "Sign in to qa-audit to start them from your home page.", ""]
        count = len(allocations)
        subject = f"Rota reminder: {count} audit{'' if count == 1 else 's'} due soon"
        if send_email([auditor.email], subject, "\n".join(lines)):
            run.emailed += 1
            for a in allocations:
                a.last_reminded_on = today
    db.session.flush()
    return run
