"""The API's reads of audits and dip samples, under the same role rules as the pages (its
tokens: api.tokens)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select

from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.access import LIST_ROLES, list_scope
from qa_audit.audits.models import Audit, AuditStatus
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.errors import DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.dip_samples.models import DipSample, dip_sample_service_area
from qa_audit.dip_samples.services import readable_scope
from qa_audit.moderation.blind_rules import hidden_audit_ids, why_hidden
from qa_audit.moderation.models import Moderation, ModerationStatus
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.report_filters import REPORT_ROLES, ReportFilters, narrow, parse_month

MAX_PER_PAGE = 200
# Drafts are an auditor's work in progress: never listed by the API.
LISTED_STATUSES = (
    AuditStatus.SUBMITTED.value,
    AuditStatus.RETURNED.value,
    AuditStatus.CLOSED.value,
)


# --- audits ---------------------------------------------------------------------------


def audit_scope(user: User) -> Any:
    """Which audits ``user`` may read case by case: all (QA lead, moderator), their service
    area's (service manager), their own (auditor). Viewers and admins: Forbidden."""
    if user.has_role(*LIST_ROLES):
        scope = list_scope(user)
        if user.has_role(Role.AUDITOR):
            return scope | (Audit.auditor_id == user.id)
        return scope
    if user.has_role(Role.AUDITOR):
        return Audit.auditor_id == user.id
    raise Forbidden("Case-level detail is not available to your role: use the period report")


@dataclass(frozen=True)
class AuditQuery:
    first: str | None = None
    last: str | None = None
    filters: ReportFilters | None = None
    status: str | None = None
    page: int = 1
    per_page: int = 50


def parse_audit_query(args: Any) -> AuditQuery:
    """Check the audit list's query string; DomainError(message, parameter) when wrong."""
    first = parse_month(args.get("from"), "from", "start") if args.get("from") else None
    last = parse_month(args.get("to"), "to", "end") if args.get("to") else None
    if first and last and last < first:
        raise DomainError("'to' must be the same month as 'from' or later", "to")
    filters = narrow(
        ReportFilters(first or "0001-01", last or "9999-12"),
        service_area=args.get("service_area"),
        team=args.get("team"),
        tool=args.get("tool"),
        audit_type=args.get("audit_type"),
    )
    status = args.get("status") or None
    if status is not None and status not in LISTED_STATUSES:
        raise DomainError("'status' must be one of: " + ", ".join(LISTED_STATUSES), "status")
    page = _positive(args.get("page"), "page", 1)
    per_page = _positive(args.get("per_page"), "per_page", 50)
    if per_page > MAX_PER_PAGE:
        raise DomainError(f"'per_page' can be at most {MAX_PER_PAGE}", "per_page")
    return AuditQuery(first, last, filters, status, page, per_page)


def _positive(raw: str | None, name: str, default: int) -> int:
    # An empty value ('per_page=') is refused like any other non-number: the document types
    # these parameters as integers, and a client that sends one has made a mistake worth hearing.
    if raw is None:
        return default
    if not (str(raw).isascii() and str(raw).isdigit()) or int(str(raw)) < 1:
        raise DomainError(f"'{name}' must be a whole number, 1 or more", name)
    return int(str(raw))


def _audit_columns() -> Any:
    final = func.coalesce(Moderation.overall_grade, Audit.overall_grade)
    return (
        select(
            Audit.id,
            Audit.reference,
            Audit.case_ref,
            ServiceArea.key,
            ServiceArea.name,
            Team.name,
            AuditTool.key,
            Audit.audit_type,
            Audit.status,
            Audit.audit_date,
            Audit.submitted_on,
            Audit.submitted_month,
            Audit.overall_grade,
            final,
            Moderation.outcome,
        )
        .select_from(Audit)
        .join(ServiceArea, ServiceArea.id == Audit.service_area_id)
        .outerjoin(Team, Team.id == Audit.team_id)
        .join(AuditTool, AuditTool.id == Audit.tool_id)
        .outerjoin(
            Moderation,
            and_(
                Moderation.audit_id == Audit.id,
                Moderation.status == ModerationStatus.COMPLETED.value,
            ),
        )
    )


def _audit_item(values: Any) -> dict[str, Any]:
    (
        _id,
        reference,
        case_ref,
        area_key,
        area_name,
        team,
        tool,
        audit_type,
        status,
        audit_date,
        submitted_on,
        month,
        overall,
        final,
        outcome,
    ) = values
    return {
        "reference": reference,
        "case_ref": case_ref,
        "service_area": area_key,
        "service_area_name": area_name,
        "team": team,
        "tool": tool,
        "audit_type": audit_type,
        "status": status,
        "audit_date": audit_date.isoformat() if audit_date else None,
        "submitted_on": submitted_on.isoformat() if submitted_on else None,
        "submitted_month": month,
        "overall_grade": overall,
        "final_overall_grade": final,
        "moderated": outcome is not None,
        "moderation_outcome": outcome,
        "grades_hidden": False,
    }


def _hidden_item(item: dict[str, Any]) -> dict[str, Any]:
    """A listed audit its reader is moderating blind: null grades (not "ungraded") and the flag
    saying why, until they have saved their blind grades."""
    return {**item, "overall_grade": None, "final_overall_grade": None, "grades_hidden": True}


def list_audits(user: User, query: AuditQuery) -> dict[str, Any]:
    """One page of the audits ``user`` may read, newest first."""
    where = [audit_scope(user), Audit.status.in_(LISTED_STATUSES)]
    if query.first:
        where.append(Audit.submitted_month >= query.first)
    if query.last:
        where.append(Audit.submitted_month <= query.last)
    f = query.filters
    if f is not None:
        if f.service_area_id is not None:
            where.append(Audit.service_area_id == f.service_area_id)
        if f.team_id is not None:
            where.append(Audit.team_id == f.team_id)
        if f.tool_id is not None:
            where.append(Audit.tool_id == f.tool_id)
        if f.audit_type is not None:
            where.append(Audit.audit_type == f.audit_type)
    if query.status:
        where.append(Audit.status == query.status)
    total = int(db.session.scalar(select(func.count(Audit.id)).where(*where)) or 0)
    rows = db.session.execute(
        _audit_columns()
        .where(*where)
        .order_by(func.coalesce(Audit.submitted_on, Audit.audit_date).desc(), Audit.id.desc())
        .limit(query.per_page)
        # past the last page: no rows (and no offset too large for the database)
        .offset(min((query.page - 1) * query.per_page, total))
    )
    hidden = hidden_audit_ids(user)
    items = [
        _hidden_item(_audit_item(values)) if values[0] in hidden else _audit_item(values)
        for values in rows
    ]
    pages = max(1, -(-total // query.per_page))
    return {
        "items": items,
        "page": query.page,
        "per_page": query.per_page,
        "total": total,
        "pages": pages,
    }


def get_audit(user: User, reference: str) -> dict[str, Any]:
    """One audit, with its domains, moderation, feedback, learning themes and actions."""
    scope = audit_scope(user)
    values = db.session.execute(
        _audit_columns().where(Audit.reference == reference, Audit.status.in_(LISTED_STATUSES))
    ).one_or_none()
    if values is None:
        raise NotFound(f"No audit {reference}")
    allowed = db.session.scalar(select(func.count(Audit.id)).where(Audit.id == values[0], scope))
    if not allowed:
        raise Forbidden(f"You may not see audit {reference}")
    hidden = why_hidden(user, values[0])
    if hidden is not None:
        raise Forbidden(hidden.message)
    audit = db.session.get(Audit, values[0])
    assert audit is not None
    item = _audit_item(values)
    moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))
    completed = moderation is not None and moderation.status == ModerationStatus.COMPLETED.value
    domains = []
    for g in audit.grades:
        moderated = moderation.grade_for(g.domain_key) if completed and moderation else None
        domains.append(
            {
                "key": g.domain_key,
                "title": g.tool_domain.title,
                "grade": g.grade,
                "moderated_grade": moderated.grade if moderated else None,
                "final_grade": moderated.grade if moderated else g.grade,
                "working_well": g.working_well,
                "needs_improvement": g.needs_improvement,
                "impact": g.impact,
            }
        )
    item.update(
        overall_rationale=audit.overall_rationale,
        domains=domains,
        moderation=None
        if moderation is None
        else {
            "status": moderation.status,
            "overall_grade": moderation.overall_grade if completed else None,
            "outcome": moderation.outcome if completed else None,
            "moderated_on": moderation.moderated_on.isoformat()
            if completed and moderation.moderated_on
            else None,
            "rationale": moderation.overall_rationale if completed else None,
        },
        feedback=[
            {
                "who": f.who,
                "how": f.how,
                "tone": f.tone,
                "said": f.said,
                "consent_to_quote": f.consent_to_quote,
            }
            for f in audit.feedback
        ],
        learning_themes=[t.name for t in audit.learning_themes],
        actions=[
            {
                "description": a.description,
                "due_on": a.due_on.isoformat(),
                "status": a.status,
                "overdue": a.overdue(),
            }
            for a in audit.actions
        ],
    )
    return item


# --- dip samples ----------------------------------------------------------------------


def list_dip_samples(user: User, args: Any) -> dict[str, Any]:
    """Dip samples (summaries, never the sampled case references)."""
    if not user.has_role(*REPORT_ROLES, Role.AUDITOR):
        raise Forbidden("Dip samples are not available to your role")
    model = DipSample
    status = args.get("status") or None
    if status is not None and status not in ("in_progress", "completed"):
        raise DomainError("'status' must be in_progress or completed", "status")
    query = (
        select(model).where(readable_scope(user)).order_by(model.period_to.desc(), model.id.desc())
    )
    if status:
        query = query.where(model.status == status)
    if args.get("service_area"):
        area = narrow(ReportFilters("0001-01", "9999-12"), service_area=args.get("service_area"))
        query = query.where(
            model.id.in_(
                select(dip_sample_service_area.c.dip_sample_id).where(
                    dip_sample_service_area.c.service_area_id == area.service_area_id
                )
            )
        )
    # A viewer gets the figures; the written findings are for those who work the cases.
    findings = user.has_role(Role.QA_LEAD, Role.MODERATOR, Role.SERVICE_MANAGER, Role.AUDITOR)
    items = []
    for sample in db.session.scalars(query):
        item = {
            "id": sample.id,
            "title": sample.title,
            "period_from": sample.period_from,
            "period_to": sample.period_to,
            "sample_unit": sample.sample_unit,
            "sample_size": sample.sample_size,
            "status": sample.status,
            "completed_on": sample.completed_on.isoformat() if sample.completed_on else None,
            "service_areas": [a.key for a in sample.service_areas],
            "learning_themes": [t.name for t in sample.learning_themes],
            "actions_open": sum(1 for a in sample.actions if a.status == "open"),
            "actions_done": sum(1 for a in sample.actions if a.status == "done"),
        }
        if findings:
            item["strengths"] = sample.strengths
            item["areas_for_development"] = sample.areas_for_development
        items.append(item)
    return {"items": items, "available": True}
