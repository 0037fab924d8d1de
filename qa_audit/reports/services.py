"""The period report: SQL aggregates (queries.py) shaped by frames.py into the plain dict of
docs/report-figures.md "The report JSON" (keys may be added, never renamed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from qa_audit.access_log.exports import record_export
from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.models import FEEDBACK_WHO_LABELS, AuditType, FeedbackWho
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.organisation.models import ServiceArea, Team
from qa_audit.report_filters import (
    FEW_AUDITS,
    SINCE_FIRST_AUDIT,
    ReportAccess,
    ReportFilters,
    month_label,
)
from qa_audit.reports import confidence, frames, queries, suppression, trend

EXPORT_FORMATS = ("csv", "xlsx", "docx", "json")
# Every section is drawn from records the application always has: kept in the JSON, which
# keeps its keys (contracts.md), as always available.
AVAILABLE = {"available": True}


def build_period_report(
    filters: ReportFilters, access: ReportAccess | None = None, today: date | None = None
) -> dict[str, Any]:
    """The period report for ``filters`` as a plain dict (docs/report-figures.md).

    ``access`` says what the asker may see (viewers get no quotes, no per-auditor rota and no
    figure resting on too few audits: suppression.py);
    ``today`` fixes the date that decides which open actions are overdue."""
    access = access or ReportAccess()
    today = today or local_today()
    titles = queries.domain_titles()
    overall, domains = queries.grade_rows(filters)
    period = frames.in_months(overall, filters.from_month, filters.to_month)
    period_domains = frames.in_months(domains, filters.from_month, filters.to_month)

    completed, overall_section = frames.overall_section(period)
    moderation = frames.moderation_section(period, completed)
    actions, reflective = queries.follow_up_counts(filters, today)
    moderation["reflective_conversations"] = {**reflective, **AVAILABLE}
    months = frames.months_section(overall, domains, filters.trend_months, titles)

    feedback_rows, audits_with_feedback = queries.feedback_rows(filters)
    feedback = frames.feedback_section(feedback_rows, audits_with_feedback, completed)
    if access.quotes:
        feedback["quotes"] = [
            {
                "who": who,
                "who_label": FEEDBACK_WHO_LABELS[FeedbackWho(who)],
                "tone": tone,
                "said": said,
            }
            for who, tone, said in queries.quotes(filters)
        ]
    else:
        feedback["quotes"] = []
        feedback["quotes_withheld"] = True

    theme_rows, earlier_audits = queries.theme_rows(filters)
    themes = frames.learning_themes_section(
        theme_rows,
        # The period's audits are the ones already counted above.
        {"current": completed, "earlier": earlier_audits},
        (filters.from_month, filters.to_month),
        filters.earlier_period,
    )
    actions.update(
        as_of=today.isoformat(),
        done_percent=frames.percent(actions["done"], actions["total"]),
        open_percent=frames.percent(actions["open"], actions["total"]),
        overdue_percent=frames.percent(actions["overdue"], actions["total"]),
    )

    dip_samples = queries.dip_sample_rows(filters)
    rota_rows = queries.rota_rows(filters, by_auditor=access.case_level)
    rota = frames.rota_section(rota_rows, by_auditor=access.case_level)
    report = {
        "period": {"from": filters.from_month, "to": filters.to_month},
        "filters": filters.as_json(),
        "audits_completed": completed,
        "overall": overall_section,
        "domains": frames.domains_section(period_domains, titles),
        "moderation": moderation,
        "months": months,
        "feedback": feedback,
        "dip_samples": dip_samples,
        "learning_themes": themes,
        "actions": actions,
        "rota": rota,
        "agreement": frames.agreement_section(period, period_domains, months, titles),
        # Added keys: what the figures rest on, and the sections' availability.
        "few_audits": completed < FEW_AUDITS,
        "few_audits_threshold": FEW_AUDITS,
        "sections": {
            "dip_samples": dict(AVAILABLE),
            "rota": dict(AVAILABLE),
            "reflective_conversations": dict(AVAILABLE),
        },
        "generated_on": today.isoformat(),
        # Added key: the direction of travel's span and the changes of audit tool within it.
        "trend": trend.trend_section(filters, queries.tool_launches()),
        # Added key: how far the grades can be trusted (confidence.py).
        "confidence": confidence.confidence_section(filters, moderation),
    }
    return suppression.suppress(report, access.suppress_below)


def record_report_export(
    actor: User | None, fmt: str, filters: ReportFilters, report: dict[str, Any], via: str
) -> None:
    """Note in the change log that a report left the system: who, what, when (caller commits)."""
    record_export(
        actor,
        "period_report",
        file_format=fmt,
        rows=int(report["audits_completed"]),
        filters={
            "from": filters.from_month,
            "to": filters.to_month,
            "via": via,
            **filters.as_json(),
        },
    )


def filter_options(user: User | None) -> dict[str, list[tuple[str, str]]]:
    """The choices of the report's filters; a service manager (without a wider role) sees only
    their own service area and its teams."""
    areas = select(ServiceArea.key, ServiceArea.name, ServiceArea.id).order_by(ServiceArea.name)
    teams = (
        select(Team.id, ServiceArea.name, Team.name)
        .join(ServiceArea, ServiceArea.id == Team.service_area_id)
        .order_by(ServiceArea.name, Team.name)
    )
    own_only = (
        user is not None
        and not user.has_role(Role.QA_LEAD, Role.MODERATOR, Role.VIEWER)
        and user.has_role(Role.SERVICE_MANAGER)
    )
    if own_only and user is not None:
        areas = areas.where(ServiceArea.id == user.service_area_id)
        teams = teams.where(Team.service_area_id == user.service_area_id)
    tools = select(AuditTool.key, AuditTool.name).order_by(AuditTool.launched_on.desc())
    launches = [
        (key, name, launched.strftime("%Y-%m")) for key, name, launched in queries.tool_launches()
    ]
    return {
        "areas": [(key, name) for key, name, _ in db.session.execute(areas)],
        "teams": [(str(i), f"{area}: {team}") for i, area, team in db.session.execute(teams)],
        "tools": [(key, f"{name} ({key})") for key, name in db.session.execute(tools)],
        "audit_types": [(t.value, t.label) for t in AuditType],
        # Where the direction of travel may start: the first audit, or a tool's launch.
        "trend_starts": [
            (SINCE_FIRST_AUDIT, "Since the first audit"),
            *[
                (month, f"Since the {name} was launched ({month_label(month)})")
                for _key, name, month in launches
            ],
        ],
    }
