"""The records of an inspection evidence pack: the period's audits (those the period report
counts: submitted or closed, by the month submitted, under the same filters) with their final
grades, their moderations, actions and learning themes, and the dip samples completed in the
period. Each sheet is one statement over the report's own scope (reports.queries.scope), so
the pack lists exactly the audits the report counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from qa_audit.actions.models import Action
from qa_audit.audit_tools.grades import Grade
from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.models import Audit, AuditDomainGrade, AuditType
from qa_audit.auth.models import User
from qa_audit.learning_themes.models import LearningTheme, audit_learning_theme
from qa_audit.moderation.models import Moderation, ModerationGrade, ReflectiveConversation
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.report_filters import ReportFilters
from qa_audit.reports.frames import ordered_domain_keys
from qa_audit.reports.queries import Shape, audit_scope, dip_sample_rows, domain_titles
from qa_audit.reports.queries.scope import completed_moderation, run, values_for

# A pack is built in memory: a period of this many audits at most (a few years of a large
# council's audits); a longer period is refused with the reason rather than built slowly.
MAX_AUDITS = 5000


def grade_label(value: str | None) -> str:
    """'requires_improvement' -> 'Requires improvement'; blank when there is no grade."""
    return Grade(value).label if value else ""


@dataclass
class PackAudit:
    """One audit of the period with its grades as audited and final."""

    id: int
    reference: str
    case_ref: str
    service_area: str
    team: str
    auditor: str
    audit_type: str
    tool: str
    submitted_on: date | None
    status: str
    overall_as_audited: str | None
    overall_moderated: str | None
    moderation_outcome: str | None
    # domain key -> (as audited, moderated)
    domains: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    themes: list[str] = field(default_factory=list)

    @property
    def overall_final(self) -> str | None:
        return self.overall_moderated or self.overall_as_audited

    def domain_final(self, key: str) -> str | None:
        audited, moderated = self.domains.get(key, (None, None))
        return moderated or audited


@dataclass
class Pack:
    """Everything the workbook and the summary hold."""

    filters: ReportFilters
    audits: list[PackAudit]
    domain_columns: list[tuple[str, str]]  # (key, title) in the tools' order
    moderations: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    themes: list[dict[str, Any]]
    dip_samples: list[dict[str, Any]]
    today: date  # which open actions are overdue


def audit_count(filters: ReportFilters) -> int:
    """How many audits the pack of ``filters`` would list."""
    query = select(func.count()).select_from(Audit).where(*audit_scope(Shape.of(filters)))
    return int(run(query, values_for(filters)).scalar_one())


def _audits(filters: ReportFilters) -> dict[int, PackAudit]:
    query = (
        select(
            Audit.id,
            Audit.reference,
            Audit.case_ref,
            ServiceArea.name,
            Team.name,
            User.name,
            Audit.audit_type,
            AuditTool.name,
            Audit.submitted_on,
            Audit.status,
            Audit.overall_grade,
            Moderation.overall_grade,
            Moderation.outcome,
        )
        .select_from(Audit)
        .join(ServiceArea, ServiceArea.id == Audit.service_area_id)
        .outerjoin(Team, Team.id == Audit.team_id)
        .join(User, User.id == Audit.auditor_id)
        .join(AuditTool, AuditTool.id == Audit.tool_id)
        .outerjoin(Moderation, completed_moderation())
        .where(*audit_scope(Shape.of(filters)))
        .order_by(Audit.submitted_on, Audit.reference)
    )
    out = {}
    for row in run(query, values_for(filters)):
        (
            id_,
            ref,
            case_ref,
            area,
            team,
            auditor,
            kind,
            tool,
            on,
            status,
            audited,
            moderated,
            outcome,
        ) = row
        out[id_] = PackAudit(
            id_,
            ref,
            case_ref,
            area,
            team or "",
            auditor,
            AuditType(kind).label,
            tool,
            on,
            status,
            audited,
            moderated,
            outcome,
        )
    return out


def _domain_grades(filters: ReportFilters, audits: dict[int, PackAudit]) -> set[str]:
    g, mg = AuditDomainGrade, ModerationGrade
    query = (
        select(g.audit_id, g.domain_key, g.grade, mg.grade)
        .select_from(Audit)
        .join(g, g.audit_id == Audit.id)
        .outerjoin(Moderation, completed_moderation())
        .outerjoin(mg, and_(mg.moderation_id == Moderation.id, mg.domain_key == g.domain_key))
        .where(*audit_scope(Shape.of(filters)))
    )
    keys = set()
    for audit_id, key, audited, moderated in run(query, values_for(filters)):
        audits[audit_id].domains[key] = (audited, moderated)
        keys.add(key)
    return keys


def _themes(filters: ReportFilters, audits: dict[int, PackAudit]) -> list[dict[str, Any]]:
    link = audit_learning_theme.c
    query = (
        select(link.audit_id, LearningTheme.name, LearningTheme.position)
        .select_from(Audit)
        .join(audit_learning_theme, link.audit_id == Audit.id)
        .join(LearningTheme, LearningTheme.id == link.learning_theme_id)
        .where(*audit_scope(Shape.of(filters)))
        .order_by(LearningTheme.position, LearningTheme.name)
    )
    tagged: dict[str, list[PackAudit]] = defaultdict(list)
    for audit_id, theme, _position in run(query, values_for(filters)):
        audits[audit_id].themes.append(theme)
        tagged[theme].append(audits[audit_id])
    ordered = sorted(tagged.items(), key=lambda item: (-len(item[1]), item[0]))
    return [
        {
            "theme": theme,
            "audits": len(tagged_audits),
            "references": sorted(a.reference for a in tagged_audits),
        }
        for theme, tagged_audits in ordered
    ]


def _moderations(filters: ReportFilters) -> list[dict[str, Any]]:
    moderator = aliased(User)
    query = (
        select(
            Audit.reference,
            Audit.case_ref,
            Moderation.status,
            Moderation.selection_reason,
            moderator.name,
            Moderation.moderated_on,
            Audit.overall_grade,
            Moderation.overall_grade,
            Moderation.outcome,
        )
        .select_from(Audit)
        .join(Moderation, Moderation.audit_id == Audit.id)
        .outerjoin(moderator, moderator.id == Moderation.moderator_id)
        .where(*audit_scope(Shape.of(filters)))
        .order_by(Audit.submitted_on, Audit.reference)
    )
    names = (
        "reference",
        "case_ref",
        "status",
        "reason",
        "moderator",
        "moderated_on",
        "as_audited",
        "moderated",
        "outcome",
    )
    return [dict(zip(names, row, strict=True)) for row in run(query, values_for(filters))]


def _actions(filters: ReportFilters, sample_ids: list[int]) -> list[dict[str, Any]]:
    """Actions set by the period's audits, by the reflective conversations of their
    moderations, and by the dip samples completed in the period."""
    owner = aliased(User)
    conversation = aliased(ReflectiveConversation)
    audit = aliased(Audit)
    in_scope = select(Audit.id).where(*audit_scope(Shape.of(filters))).scalar_subquery()
    query = (
        select(
            Action.source,
            func.coalesce(audit.reference, ""),
            func.coalesce(audit.case_ref, ""),
            Action.dip_sample_id,
            Action.description,
            owner.name,
            Action.due_on,
            Action.status,
            Action.completed_at,
        )
        .select_from(Action)
        .join(owner, owner.id == Action.owner_id)
        .outerjoin(conversation, conversation.id == Action.reflective_conversation_id)
        .outerjoin(audit, audit.id == func.coalesce(Action.audit_id, conversation.audit_id))
        .where(
            or_(
                Action.audit_id.in_(in_scope),
                conversation.audit_id.in_(in_scope),
                Action.dip_sample_id.in_(sample_ids or [-1]),
            )
        )
        .order_by(Action.due_on, Action.id)
    )
    names = (
        "source",
        "reference",
        "case_ref",
        "dip_sample_id",
        "description",
        "owner",
        "due_on",
        "status",
        "completed_at",
    )
    return [dict(zip(names, row, strict=True)) for row in run(query, values_for(filters))]


def build_pack(filters: ReportFilters, today: date) -> Pack:
    """Every record of the pack for ``filters``, read in a handful of statements; ``today``
    decides which open actions are overdue."""
    audits = _audits(filters)
    keys = _domain_grades(filters, audits)
    themes = _themes(filters, audits)
    samples = dip_sample_rows(filters, with_ids=True)
    titles = {s["id"]: s["title"] for s in samples}
    actions = _actions(filters, list(titles))
    for action in actions:
        action["dip_sample"] = titles.get(action.pop("dip_sample_id"), "")
    return Pack(
        filters=filters,
        audits=list(audits.values()),
        domain_columns=ordered_domain_keys(keys, domain_titles()),
        moderations=_moderations(filters),
        actions=actions,
        themes=themes,
        dip_samples=samples,
        today=today,
    )
