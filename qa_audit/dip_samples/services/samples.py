"""Setting up a dip sample, changing its details and findings, completing and reopening it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TypedDict, Unpack

from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_change
from qa_audit.core.clock import local_today
from qa_audit.core.concurrency import flush_or_conflict
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.extensions import db
from qa_audit.core.months import parse_month
from qa_audit.dip_samples.models import DipSample, DipSampleStatus, SampleUnit
from qa_audit.dip_samples.services.editing import (
    WHAT,
    check_sample_version,
    move,
    must_edit,
    sample_snapshot,
)
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.organisation.models import ServiceArea

TITLE_MAX = 200
FINDINGS_MAX = 20000
SAMPLE_SIZE_MAX = 1000
NOT_REVIEWED_MAX = 2000


class SampleDetails(TypedDict):
    """A dip sample's details as entered, checked by ``_details``."""

    title: str | None
    service_areas: Iterable[ServiceArea]
    period_from: str | None
    period_to: str | None
    sample_unit: str | None
    sample_size: int | None
    lead_auditors: Iterable[User]


def _details(cases_recorded: int = 0, **entered: Unpack[SampleDetails]) -> dict[str, Any]:
    title = " ".join((entered["title"] or "").split())
    if not title:
        raise DomainError("Enter the title or theme of the dip sample", "title")
    if len(title) > TITLE_MAX:
        raise DomainError(f"The title must be {TITLE_MAX} characters or fewer", "title")
    areas = list(entered["service_areas"])
    if not areas:
        raise DomainError("Select at least one service area", "service_area_ids")
    start = parse_month(entered["period_from"], "period_from")
    end = parse_month(entered["period_to"], "period_to")
    if end < start:
        raise DomainError("The end of the period must not be before its start", "period_to")
    try:
        unit = SampleUnit(entered["sample_unit"] or "")
    except ValueError as error:
        raise DomainError(
            "Select what was sampled: children, young people or families", "sample_unit"
        ) from error
    return {
        "title": title,
        "service_areas": areas,
        "period_from": start,
        "period_to": end,
        "sample_unit": unit.value,
        "sample_size": _sample_size(entered["sample_size"], cases_recorded),
        "lead_auditors": _leads(entered["lead_auditors"]),
    }


def _sample_size(sample_size: int | None, cases_recorded: int) -> int:
    if sample_size is None or sample_size < 1:
        raise DomainError("Enter the sample size: 1 or more", "sample_size")
    if sample_size > SAMPLE_SIZE_MAX:
        raise DomainError(f"The sample size must be {SAMPLE_SIZE_MAX} or fewer", "sample_size")
    if sample_size < cases_recorded:
        raise DomainError(
            f"The sample size cannot be smaller than the {cases_recorded} cases already "
            f"recorded: enter {cases_recorded} or more, or remove cases first",
            "sample_size",
        )
    return sample_size


def _leads(lead_auditors: Iterable[User]) -> list[User]:
    leads = list(lead_auditors)
    if not leads:
        raise DomainError("Select at least one lead auditor", "lead_auditor_ids")
    for lead in leads:
        if not lead.active:
            raise DomainError(
                f"{lead.name}'s account is deactivated: choose an active lead auditor",
                "lead_auditor_ids",
            )
    return leads


def create_dip_sample(
    actor: User | None,
    *,
    learning_themes: Iterable[LearningTheme] = (),
    **entered: Unpack[SampleDetails],
) -> DipSample:
    """Set up a dip sample (in progress)."""
    sample = DipSample(
        **_details(**entered),
        learning_themes=list(learning_themes),
        strengths="",
        areas_for_development="",
        status=DipSampleStatus.IN_PROGRESS.value,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(sample)
    db.session.flush()
    record_change(actor, "dip_sample.created", sample, None, sample_snapshot(sample))
    return sample


def update_dip_sample(
    actor: User | None,
    sample: DipSample,
    *,
    learning_themes: Iterable[LearningTheme],
    strengths: str | None,
    areas_for_development: str | None,
    expected_version: int | None = None,
    **entered: Unpack[SampleDetails],
) -> DipSample:
    """Change a dip sample's details and findings (refused: a sample size below the cases
    already recorded)."""
    must_edit(actor, sample)
    check_sample_version(sample, expected_version)
    details = _details(cases_recorded=len(sample.cases), **entered)
    for name, text in (("strengths", strengths), ("areas_for_development", areas_for_development)):
        if len(text or "") > FINDINGS_MAX:
            raise DomainError(f"Write no more than {FINDINGS_MAX} characters here", name)
    before = sample_snapshot(sample)
    for key, value in details.items():
        setattr(sample, key, value)
    sample.learning_themes = list(learning_themes)
    sample.strengths = (strengths or "").strip()
    sample.areas_for_development = (areas_for_development or "").strip()
    flush_or_conflict(WHAT)
    record_change(actor, "dip_sample.updated", sample, before, sample_snapshot(sample))
    return sample


def complete_dip_sample(
    actor: User | None,
    sample: DipSample,
    completed_on: date | None = None,
    expected_version: int | None = None,
    not_reviewed_reason: str | None = None,
) -> DipSample:
    """Mark a dip sample completed: it then counts in reports for the month it was completed.
    Its findings must be written first, and every sampled case recorded, unless the reason the
    missing ones could not be reviewed is given (kept on the sample)."""
    must_edit(actor, sample)
    check_sample_version(sample, expected_version)
    if not (sample.strengths.strip() or sample.areas_for_development.strip()):
        raise DomainError(
            "Write the findings (strengths or areas for development) before completing the "
            "dip sample"
        )
    reason = _not_reviewed(sample, not_reviewed_reason)
    _change_status(actor, sample, DipSampleStatus.COMPLETED, completed_on or local_today(), reason)
    return sample


def _not_reviewed(sample: DipSample, reason: str | None) -> str | None:
    """Why the sample completes with fewer cases than its size; refused without a reason."""
    recorded = len(sample.cases)
    missing = sample.sample_size - recorded
    if missing <= 0:
        return None
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(
            f"{missing} of the {sample.sample_size} sampled cases "
            f"{'is' if missing == 1 else 'are'} not recorded: record "
            f"{'it' if missing == 1 else 'them'}, or give the reason "
            f"{'it' if missing == 1 else 'they'} could not be reviewed",
            "not_reviewed_reason",
        )
    if len(reason) > NOT_REVIEWED_MAX:
        raise DomainError(
            f"The reason must be {NOT_REVIEWED_MAX} characters or fewer", "not_reviewed_reason"
        )
    return reason


def reopen_dip_sample(
    actor: User | None, sample: DipSample, expected_version: int | None = None
) -> DipSample:
    """Reopen a completed dip sample (QA lead only) to correct it."""
    if actor is not None and not actor.has_role(Role.QA_LEAD):
        raise Forbidden("Only the QA lead can reopen a completed dip sample")
    check_sample_version(sample, expected_version)
    _change_status(
        actor, sample, DipSampleStatus.IN_PROGRESS, None, sample.cases_not_reviewed_reason
    )
    return sample


def _change_status(
    actor: User | None,
    sample: DipSample,
    to: DipSampleStatus,
    completed_on: date | None,
    not_reviewed_reason: str | None,
) -> None:
    before = sample_snapshot(sample)
    move(sample, to)
    sample.completed_on = completed_on
    sample.cases_not_reviewed_reason = not_reviewed_reason
    flush_or_conflict(WHAT)
    event = "dip_sample.completed" if to is DipSampleStatus.COMPLETED else "dip_sample.reopened"
    record_change(actor, event, sample, before, sample_snapshot(sample))
