"""Committee report drafts: starting one, saving its narrative, featuring dip samples,
finalising it (a frozen snapshot of its figures and content) and sharing a final with viewers."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_added, record_change
from qa_audit.committee_reports.models import (
    CommitteeReport,
    CommitteeReportDipSample,
    CommitteeReportPrinciple,
    CommitteeReportStatus,
)
from qa_audit.core.clock import utcnow
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.dip_samples.models import DipSample, DipSampleStatus, dip_sample_service_area
from qa_audit.report_filters import ReportAccess, ReportFilters, add_months, resolve_filters
from qa_audit.reports import cache
from qa_audit.reports.services import build_period_report

if TYPE_CHECKING:
    from qa_audit.auth.models import User

WHAT = "report"
NARRATIVE_LIMIT = 20_000
# The report's own texts; each principle's two texts are keyed "<text>:<domain key>".
REPORT_TEXTS = ("introduction", "feedback_narrative")
PRINCIPLE_TEXTS = ("what_we_know", "impact")
FINAL_MESSAGE = "This report is final and can no longer be changed"


def report_filters(report: CommitteeReport) -> ReportFilters:
    """The period report's filters this committee report is built on, with its direction of
    travel's span."""
    return resolve_filters(
        report.period_from,
        report.period_to,
        service_area=report.filters.get("service_area"),
        trend_from=report.trend_from,
    )


def start_report(
    actor: User,
    title: str,
    from_month: str,
    to_month: str,
    service_area: str | None = None,
    trend_from: str | None = None,
) -> CommitteeReport:
    """A new draft for a month or a period, its direction of travel from ``trend_from`` (a
    month, or "first"; blank for the twelve months to the last month), checked as the report
    page checks it (DomainError on the from/to/service_area/trend_from field)."""
    asked = _asked_trend(trend_from)
    filters = resolve_filters(
        from_month, to_month, service_area=service_area or None, trend_from=asked
    )
    report = CommitteeReport(
        title=title.strip(),
        period_from=filters.from_month,
        period_to=filters.to_month,
        filters={"service_area": filters.service_area_key} if filters.service_area_key else {},
        trend_from=asked,
        created_by_id=actor.id,
    )
    record_added(
        actor,
        "committee_report.started",
        report,
        ["title", "period_from", "period_to", "filters", "trend_from"],
    )
    return report


def _asked_trend(text: str | None) -> str | None:
    """The direction of travel's start as kept: "first" stays "first", so a draft follows the
    first audit that counts until it is finalised."""
    return (text or "").strip() or None


def set_trend(
    actor: User, report: CommitteeReport, expected_version: int | None, trend_from: str | None
) -> None:
    """Change where a draft's direction of travel starts (DomainError on "trend_from")."""
    require_draft(report)
    check_version(report, expected_version, WHAT)
    asked = _asked_trend(trend_from)
    resolve_filters(
        report.period_from,
        report.period_to,
        service_area=report.filters.get("service_area"),
        trend_from=asked,
    )
    if asked == report.trend_from:
        return
    record_change(
        actor,
        "committee_report.trend_changed",
        report,
        {"trend_from": report.trend_from},
        {"trend_from": asked},
    )
    report.trend_from = asked
    flush_or_conflict(WHAT)


def get_report(report_id: int) -> CommitteeReport:
    report = db.session.get(CommitteeReport, report_id)
    if report is None:
        raise NotFound("This report does not exist")
    return report


def readable_report(user: User, report_id: int) -> CommitteeReport:
    """The report, if ``user`` may see it: QA leads see every report, viewers finals only."""
    report = get_report(report_id)
    if user.has_role(Role.QA_LEAD):
        return report
    if user.has_role(Role.VIEWER) and report.is_final:
        return report
    raise NotFound("This report does not exist")


def list_reports(user: User) -> list[CommitteeReport]:
    """Drafts and finals, newest period first; viewers see finals alone."""
    query = select(CommitteeReport).order_by(
        CommitteeReport.period_to.desc(), CommitteeReport.id.desc()
    )
    if not user.has_role(Role.QA_LEAD):
        query = query.where(CommitteeReport.status == CommitteeReportStatus.FINAL.value)
    return list(db.session.scalars(query))


def require_draft(report: CommitteeReport) -> None:
    if report.is_final:
        raise Forbidden(FINAL_MESSAGE)


def period_report(report: CommitteeReport) -> dict[str, Any]:
    """The figures a report shows: the frozen snapshot's for a final, built afresh for a
    draft (as a QA lead sees them)."""
    if report.is_final and report.snapshot is not None:
        return copy.deepcopy(report.snapshot["report"])
    return fresh_report(report)


def fresh_report(report: CommitteeReport) -> dict[str, Any]:
    """The report's figures as they are now (reused while no record changes)."""
    return copy.deepcopy(cache.period_report(report_filters(report), ReportAccess()))


def principle_keys(figures: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(domain key, title) of the practice principles of the period, in the report's order."""
    return [(key, domain["title"]) for key, domain in figures["domains"].items()]


def texts_of(report: CommitteeReport) -> dict[str, str]:
    """Every text of the report by its field name (the form's and the change log's)."""
    texts = {name: getattr(report, name) for name in REPORT_TEXTS}
    for principle in report.principles:
        for name in PRINCIPLE_TEXTS:
            texts[f"{name}:{principle.domain_key}"] = getattr(principle, name)
    return texts


def save_texts(
    actor: User, report: CommitteeReport, expected_version: int | None, texts: Mapping[str, str]
) -> bool:
    """Save the narrative; True when anything changed. ``texts`` are keyed as texts_of's;
    unknown keys are ignored. ConcurrentEdit when the report changed since the form opened."""
    require_draft(report)
    check_version(report, expected_version, WHAT)
    before = texts_of(report)
    for name in REPORT_TEXTS:
        if name in texts:
            setattr(report, name, _checked(texts[name]))
    for key, value in texts.items():
        name, _, domain_key = key.partition(":")
        if name in PRINCIPLE_TEXTS and domain_key:
            _principle(report, domain_key).__setattr__(name, _checked(value))
    after = texts_of(report)
    changed = {k: v for k, v in after.items() if before.get(k, "") != v}
    if not changed:
        return False
    record_change(
        actor,
        "committee_report.saved",
        report,
        {k: before.get(k, "") for k in changed},
        changed,
    )
    # The principles live in rows of their own: the report's version moves on with them.
    report.updated_at = utcnow()
    flush_or_conflict(WHAT)
    return True


def _checked(text: str | None) -> str:
    value = (text or "").replace("\r\n", "\n")
    if len(value) > NARRATIVE_LIMIT:
        raise DomainError(f"Text must be {NARRATIVE_LIMIT:,} characters or less")
    return value


def _principle(report: CommitteeReport, domain_key: str) -> CommitteeReportPrinciple:
    found = report.principle(domain_key)
    if found is None:
        found = CommitteeReportPrinciple(domain_key=domain_key, what_we_know="", impact="")
        report.principles.append(found)
    return found


def completed_dip_samples(report: CommitteeReport) -> list[DipSample]:
    """The period's completed dip samples (by completion date, as the period report counts
    them) that a report may feature; anonymised ones are left out."""
    filters = report_filters(report)
    query = (
        select(DipSample)
        .where(
            DipSample.status == DipSampleStatus.COMPLETED.value,
            DipSample.completed_on >= _first_day(filters.from_month),
            DipSample.completed_on < _first_day(add_months(filters.to_month, 1)),
            DipSample.anonymised_at.is_(None),
        )
        .order_by(DipSample.completed_on, DipSample.id)
    )
    if filters.service_area_id is not None:
        query = query.where(
            DipSample.id.in_(
                select(dip_sample_service_area.c.dip_sample_id).where(
                    dip_sample_service_area.c.service_area_id == filters.service_area_id
                )
            )
        )
    return list(db.session.scalars(query))


def _first_day(month: str) -> date:
    return date.fromisoformat(f"{month}-01")


def feature_dip_samples(actor: User, report: CommitteeReport, ids: Sequence[int]) -> None:
    """Feature exactly the dip samples ``ids`` (of the period's completed ones), in the
    period's order."""
    require_draft(report)
    allowed = completed_dip_samples(report)
    wanted = set(ids)
    if not wanted <= {s.id for s in allowed}:
        raise DomainError("Select dip samples completed in the report's period", "dip_samples")
    before = [f.dip_sample_id for f in report.dip_samples]
    after = [s.id for s in allowed if s.id in wanted]
    if before == after:
        return
    report.dip_samples.clear()
    db.session.flush()
    for position, sample_id in enumerate(after):
        report.dip_samples.append(
            CommitteeReportDipSample(dip_sample_id=sample_id, position=position)
        )
    record_change(
        actor,
        "committee_report.dip_samples_featured",
        report,
        {"dip_samples": before},
        {"dip_samples": after},
    )


def featured_dip_samples(report: CommitteeReport) -> list[dict[str, Any]]:
    """The featured dip samples shaped as the report JSON's dip_samples (with their id)."""
    if report.is_final and report.snapshot is not None:
        return list(report.snapshot["content"]["dip_samples"])
    chosen = {f.dip_sample_id for f in report.dip_samples}
    return [_dip_sample_row(s) for s in completed_dip_samples(report) if s.id in chosen]


def _dip_sample_row(sample: DipSample) -> dict[str, Any]:
    return {
        "id": sample.id,
        "title": sample.title,
        "sample_unit": sample.sample_unit,
        "sample_size": sample.sample_size,
        "completed_on": sample.completed_on.isoformat() if sample.completed_on else None,
        "learning_themes": [t.name for t in sample.learning_themes],
        "strengths": sample.strengths,
        "areas_for_development": sample.areas_for_development,
    }


def viewer_access() -> ReportAccess:
    """What a viewer may see of the figures (report_filters.report_access's viewer rule)."""
    threshold = int(current_app.config.get("REPORT_SUPPRESS_BELOW", 5))
    return ReportAccess(quotes=False, case_level=False, suppress_below=threshold)


def finalise(actor: User, report: CommitteeReport, expected_version: int | None) -> None:
    """Freeze the report: its figures as built now (as a QA lead and as a viewer sees
    them), its narrative, quotes and featured dip samples; nothing of it changes after."""
    require_draft(report)
    check_version(report, expected_version, WHAT)
    filters = report_filters(report)
    report.snapshot = {
        "report": build_period_report(filters),
        "viewer_report": build_period_report(filters, viewer_access()),
        "content": {
            "introduction": report.introduction,
            "feedback_narrative": report.feedback_narrative,
            "principles": {p.domain_key: [p.what_we_know, p.impact] for p in report.principles},
            "quotes": [{"who": q.who, "tone": q.tone, "said": q.said} for q in report.quotes],
            "dip_samples": featured_dip_samples(report),
        },
    }
    report.status = CommitteeReportStatus.FINAL.value
    report.finalised_at = utcnow()
    report.finalised_by_id = actor.id
    record_change(
        actor,
        "committee_report.finalised",
        report,
        {"status": CommitteeReportStatus.DRAFT.value},
        {"status": report.status},
    )
    flush_or_conflict(WHAT)


def set_shareable(
    actor: User, report: CommitteeReport, expected_version: int | None, shareable: bool
) -> None:
    """Share (or stop sharing) a report's narrative, quotes and images with viewers."""
    check_version(report, expected_version, WHAT)
    if report.shareable_with_viewers == shareable:
        return
    record_change(
        actor,
        "committee_report.sharing_changed",
        report,
        {"shareable_with_viewers": report.shareable_with_viewers},
        {"shareable_with_viewers": shareable},
    )
    report.shareable_with_viewers = shareable
    flush_or_conflict(WHAT)
