"""What the committee report's pages and documents show of a report: its figures and the
content the QA lead added (reports.exports.content.CommitteeContent), as the reader may see
them. A final's come from its snapshot alone, so later changes to audits never alter it."""

from __future__ import annotations

import copy
from typing import Any

from flask import current_app

from qa_audit.committee_reports.feedback import who_label
from qa_audit.committee_reports.models import CommitteeReport
from qa_audit.committee_reports.services import featured_dip_samples, period_report
from qa_audit.report_filters import period_label
from qa_audit.reports.exports.content import (
    DEFAULT_COUNCIL,
    DEFAULT_MARKING,
    CommitteeContent,
    Image,
    PrincipleText,
    Quote,
)


def shows_narrative(report: CommitteeReport, for_viewer: bool) -> bool:
    """Viewers see the narrative, quotes and images only where the QA lead shared them: the
    narrative is written from the audits' evidence, and quotes and images come from families."""
    return not for_viewer or report.shareable_with_viewers


def figures(report: CommitteeReport, for_viewer: bool) -> dict[str, Any]:
    """The report's figures; a viewer's are those a viewer is shown (no quotes, no per-auditor
    rota, small figures withheld), frozen with the rest at finalising."""
    if for_viewer and report.snapshot is not None:
        return copy.deepcopy(report.snapshot["viewer_report"])
    return period_report(report)


def content(report: CommitteeReport, for_viewer: bool = False) -> CommitteeContent:
    """The narrative, quotes, images and featured dip samples, as the reader may see them."""
    config = current_app.config
    base = CommitteeContent(
        council_name=config.get("COUNCIL_NAME") or DEFAULT_COUNCIL,
        title=report.title,
        period_label=period_label(report.period_from, report.period_to),
        dip_samples=featured_dip_samples(report),
        protective_marking=config.get("PROTECTIVE_MARKING") or DEFAULT_MARKING,
    )
    if not shows_narrative(report, for_viewer):
        return base
    texts = _texts(report)
    return CommitteeContent(
        council_name=base.council_name,
        title=base.title,
        period_label=base.period_label,
        introduction=texts["introduction"],
        principles={k: PrincipleText(*v) for k, v in texts["principles"].items()},
        feedback_narrative=texts["feedback_narrative"],
        quotes=[Quote(who_label(q["who"]), q["tone"], q["said"]) for q in texts["quotes"]],
        images=[
            Image(i.content, i.media_type, i.alt_text, i.caption, i.consent_note)
            for i in report.images
        ],
        dip_samples=base.dip_samples,
        protective_marking=base.protective_marking,
    )


def _texts(report: CommitteeReport) -> dict[str, Any]:
    if report.snapshot is not None:
        return dict(report.snapshot["content"])
    return {
        "introduction": report.introduction,
        "feedback_narrative": report.feedback_narrative,
        "principles": {p.domain_key: [p.what_we_know, p.impact] for p in report.principles},
        "quotes": [{"who": q.who, "tone": q.tone, "said": q.said} for q in report.quotes],
    }
