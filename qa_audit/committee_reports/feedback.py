"""What children and their families are telling us: the quotes a report chooses from the
period's consented feedback, and its images (a child's drawing, with the consent noted)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import func, select

from qa_audit.audits.models import FEEDBACK_WHO_LABELS, Audit, FeedbackConversation, FeedbackWho
from qa_audit.changelog.services import record_change
from qa_audit.committee_reports import images
from qa_audit.committee_reports.models import (
    CommitteeReport,
    CommitteeReportImage,
    CommitteeReportQuote,
)
from qa_audit.committee_reports.services import report_filters, require_draft
from qa_audit.core.errors import DomainError, NotFound
from qa_audit.core.extensions import db
from qa_audit.reports.queries.scope import COUNTED_STATUSES

if TYPE_CHECKING:
    from qa_audit.auth.models import User

IMAGE_FIELDS = ["alt_text", "caption", "consent_note", "media_type", "width", "height"]


def said_key(said: str) -> str:
    """The words with case and spacing folded: two ways of typing one quote are one quote."""
    return hashlib.sha256(" ".join(said.split()).casefold().encode()).hexdigest()


def who_label(who: str) -> str:
    return FEEDBACK_WHO_LABELS.get(FeedbackWho(who), who) if who in set(FeedbackWho) else who


class Candidate(NamedTuple):
    """Feedback a report may quote."""

    feedback_id: int
    who: str
    who_label: str
    tone: str
    said: str
    chosen: bool


def _quotable(
    report: CommitteeReport,
    who: str | None = None,
    tone: str | None = None,
    feedback_id: int | None = None,
) -> list[tuple[int, str, str, str]]:
    """(id, who, tone, words) of the period's feedback that may be quoted, newest first."""
    filters = report_filters(report)
    f = FeedbackConversation
    query = (
        select(f.id, f.who, f.tone, f.said)
        .join(Audit, Audit.id == f.audit_id)
        .where(
            Audit.submitted_month >= filters.from_month,
            Audit.submitted_month <= filters.to_month,
            Audit.status.in_(COUNTED_STATUSES),
            # Words removed under the retention schedule are no quote (docs/retention.md).
            Audit.anonymised_at.is_(None),
            f.consent_to_quote.is_(True),
            func.length(func.trim(f.said)) > 0,
        )
        .order_by(Audit.submitted_month.desc(), Audit.submitted_on.desc(), f.id.desc())
    )
    if filters.service_area_id is not None:
        query = query.where(Audit.service_area_id == filters.service_area_id)
    if who:
        query = query.where(f.who == who)
    if tone:
        query = query.where(f.tone == tone)
    if feedback_id is not None:
        query = query.where(f.id == feedback_id)
    return [(int(i), w, t, said) for i, w, t, said in db.session.execute(query)]


def candidates(
    report: CommitteeReport, who: str | None = None, tone: str | None = None
) -> list[Candidate]:
    """The period's feedback given with consent to quote, newest first, each text once
    (identical words from two audits are one quote). Feedback of an anonymised audit is
    never offered."""
    chosen = {q.said_key for q in report.quotes}
    seen: set[str] = set()
    out: list[Candidate] = []
    for feedback_id, who_, tone_, said in _quotable(report, who, tone):
        key = said_key(said)
        if key in seen:
            continue
        seen.add(key)
        out.append(Candidate(feedback_id, who_, who_label(who_), tone_, said, key in chosen))
    return out


def choose_quote(actor: User, report: CommitteeReport, feedback_id: int) -> CommitteeReportQuote:
    """Add a quote after those already chosen; refused if its words are already chosen or
    the feedback may not be quoted in this report."""
    require_draft(report)
    found = _quotable(report, feedback_id=feedback_id)
    if not found:
        raise DomainError("This feedback cannot be quoted in this report", "quote")
    _, who, tone, said = found[0]
    key = said_key(said)
    if any(q.said_key == key for q in report.quotes):
        raise DomainError("This quote has already been chosen", "quote")
    quote = CommitteeReportQuote(
        feedback_id=feedback_id,
        position=max((q.position for q in report.quotes), default=-1) + 1,
        who=who,
        tone=tone,
        said=said.strip(),
        said_key=key,
    )
    report.quotes.append(quote)
    _changed(actor, report, "committee_report.quote_chosen", None, _quote_fields(quote))
    return quote


def remove_quote(actor: User, report: CommitteeReport, quote_id: int) -> None:
    require_draft(report)
    quote = next((q for q in report.quotes if q.id == quote_id), None)
    if quote is None:
        raise NotFound("This quote is not in the report")
    before = _quote_fields(quote)
    report.quotes.remove(quote)
    _changed(actor, report, "committee_report.quote_removed", before, None)


def _quote_fields(quote: CommitteeReportQuote) -> dict[str, str]:
    return {"quote": f"{who_label(quote.who)} ({quote.tone}): {quote.said}"}


def add_image(
    actor: User,
    report: CommitteeReport,
    data: bytes,
    alt_text: str,
    caption: str,
    consent_note: str,
) -> CommitteeReportImage:
    """Attach an image, re-encoded without its metadata; DomainError (nothing saved) when
    it is not a PNG or JPEG, too large, or has no alt text or consent note."""
    require_draft(report)
    if not alt_text.strip():
        raise DomainError("Enter alt text that describes the image", "alt_text")
    if not consent_note.strip():
        raise DomainError("Enter how consent to share the image was given", "consent_note")
    clean = images.clean(data)
    image = CommitteeReportImage(
        position=max((i.position for i in report.images), default=-1) + 1,
        content=clean.content,
        media_type=clean.media_type,
        width=clean.width,
        height=clean.height,
        alt_text=alt_text.strip(),
        caption=caption.strip(),
        consent_note=consent_note.strip(),
        uploaded_by_id=actor.id,
    )
    report.images.append(image)
    _changed(actor, report, "committee_report.image_added", None, _image_fields(image))
    return image


def remove_image(actor: User, report: CommitteeReport, image_id: int) -> None:
    require_draft(report)
    image = next((i for i in report.images if i.id == image_id), None)
    if image is None:
        raise NotFound("This image is not in the report")
    before = _image_fields(image)
    report.images.remove(image)
    _changed(actor, report, "committee_report.image_removed", before, None)


def _image_fields(image: CommitteeReportImage) -> dict[str, object]:
    return {f"image {name}": getattr(image, name) for name in IMAGE_FIELDS}


def _changed(
    actor: User,
    report: CommitteeReport,
    action: str,
    before: Mapping[str, object] | None,
    after: Mapping[str, object] | None,
) -> None:
    # Logged against the report, so that its page's history shows every change to it. The
    # report's version is left alone: it guards the narrative, which an open page may be
    # autosaving while a quote or an image is added.
    db.session.flush()
    record_change(actor, action, report, dict(before or {}) or None, dict(after or {}) or None)
