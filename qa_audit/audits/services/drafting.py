"""Drafts: what the auditor writes for each domain, the overall judgement and the learning
themes, saved as often as they like (no completeness check) and never over someone else's
save."""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.audits.models import Audit, AuditDomainGrade
from qa_audit.audits.services.reading import active_themes_for, require_editor
from qa_audit.auth.models import User
from qa_audit.changelog.services import record_change
from qa_audit.core import data_version
from qa_audit.core.clock import utcnow
from qa_audit.core.concurrency import check_version, flush_or_conflict
from qa_audit.core.errors import ConcurrentEdit, DomainError
from qa_audit.core.extensions import db
from qa_audit.learning_themes.models import LearningTheme

TEXT_MAX = 10_000
STALE_MESSAGE = (
    "This audit was changed in another window or by someone else since you opened it. "
    "Your changes have not been saved."
)
EVIDENCE_FIELDS = ("working_well", "needs_improvement", "impact")
EVIDENCE_LABELS = {
    "working_well": "What is working well",
    "needs_improvement": "What needs to improve",
    "impact": "Impact on the child",
}


@dataclass
class DomainEntry:
    """What the auditor wrote for one domain."""

    grade: str | None = None
    working_well: str = ""
    needs_improvement: str = ""
    impact: str = ""


@dataclass
class DraftData:
    """The audit form's content. Domains left out stay as they are; learning_theme_ids None
    leaves the themes as they are; so does every form field named in ``kept`` (a section not
    on the page, or a box whose text was refused while the rest is saved)."""

    domains: dict[str, DomainEntry] = field(default_factory=dict)
    overall_grade: str | None = None
    overall_rationale: str = ""
    learning_theme_ids: list[int] | None = None
    kept: frozenset[str] = frozenset()


def clean_text(value: str | None, max_len: int, field_name: str, label: str) -> str:
    """Typed text as stored: line ends unified, trimmed; DomainError when too long."""
    # NUL is never meant (it arrives with text pasted from some programs) and PostgreSQL
    # cannot store it in text: it is dropped.
    text = (value or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > max_len:
        raise DomainError(f"{label} must be {max_len:,} characters or fewer", field_name)
    return text


def flush_audit() -> None:
    """Flush the audit's changes; a save that lost a race with another is ConcurrentEdit."""
    flush_or_conflict("audit", message=STALE_MESSAGE, field="version")


def _draft_snapshot(audit: Audit) -> dict[str, object]:
    """The draft's content as flat before/after values for the change log."""
    data: dict[str, object] = {
        "overall_grade": audit.overall_grade,
        "overall_rationale": audit.overall_rationale,
        "learning_themes": sorted(t.name for t in audit.learning_themes),
    }
    for row in audit.grades:
        data[f"{row.domain_key}.grade"] = row.grade
        for name in EVIDENCE_FIELDS:
            data[f"{row.domain_key}.{name}"] = getattr(row, name)
    return data


def evidence_label(domain_title: str, name: str) -> str:
    """An evidence box named with its domain, as messages about it must say which one."""
    return f"{domain_title}: {EVIDENCE_LABELS[name].lower()}"


def _apply_domain(
    key: str, row: AuditDomainGrade, entry: DomainEntry, kept: frozenset[str]
) -> None:
    domain = row.tool_domain
    for name in EVIDENCE_FIELDS:
        if f"{key}-{name}" in kept:
            continue
        label = evidence_label(domain.title, name)
        setattr(row, name, clean_text(getattr(entry, name), TEXT_MAX, f"{key}-{name}", label))
    if f"{key}-grade" in kept:
        return
    grade = None
    if entry.grade:
        try:
            grade = Grade(entry.grade)
        except ValueError as error:
            raise DomainError(f"Select a grade for {domain.title}", f"{key}-grade") from error
        if grade not in domain.grade_choices:
            raise DomainError(f"{domain.title} cannot be graded Not applicable", f"{key}-grade")
    row.grade = grade.value if grade else None


def _overall_grade(value: str | None) -> str | None:
    if not value:
        return None
    try:
        overall: Grade | None = Grade(value)
    except ValueError:
        overall = None
    if overall is None or overall not in GRADED:
        raise DomainError("Select the overall grade", "overall_grade")
    return overall.value


def _apply_draft(audit: Audit, data: DraftData, offered: dict[int, LearningTheme]) -> None:
    rows = {row.domain_key: row for row in audit.grades}
    for key, entry in data.domains.items():
        row = rows.get(key)
        if row is None:
            raise DomainError(f"This audit's tool has no domain '{key}'", f"{key}-grade")
        _apply_domain(key, row, entry, data.kept)
    if "overall_grade" not in data.kept:
        audit.overall_grade = _overall_grade(data.overall_grade)
    if "overall_rationale" not in data.kept:
        audit.overall_rationale = clean_text(
            data.overall_rationale, TEXT_MAX, "overall_rationale", "The rationale"
        )
    if data.learning_theme_ids is not None:
        wanted = sorted(set(data.learning_theme_ids))
        if any(i not in offered for i in wanted):
            raise DomainError("Select learning themes from the list", "learning_themes")
        audit.learning_themes = [offered[i] for i in wanted]


def save_draft(actor: User, audit: Audit, expected_version: int | None, data: DraftData) -> bool:
    """Save what the auditor has written (no completeness check); True if anything changed."""
    require_editor(actor, audit)
    # A draft is always saved from a form that carries the version it was opened on: without
    # one, nothing tells this save from one over someone else's.
    if expected_version is None:
        raise ConcurrentEdit(STALE_MESSAGE, "version")
    check_version(audit, expected_version, "audit", message=STALE_MESSAGE, field="version")
    offered = {t.id: t for t in active_themes_for(audit)}
    # An audit that can still be edited (a draft, or returned to its auditor) counts in no
    # report (reports/queries/scope.py counts submitted and closed ones): saving it leaves
    # the data version, and so the reports kept under it, as they were.
    with data_version.unreported():
        before = _draft_snapshot(audit)
        # No flush until everything is set: the audit's version must move on once per save.
        with db.session.no_autoflush:
            _apply_draft(audit, data, offered)
        after = _draft_snapshot(audit)
        if before == after:
            return False
        # Child rows and themes do not touch the audit row: mark it so its version moves on.
        audit.updated_at = utcnow()
        flush_audit()
        record_change(actor, "audit.draft_saved", audit, before, after)
    return True


def _typed(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def differences(audit: Audit, data: DraftData) -> list[str]:
    """Labels of the fields whose stored value differs from ``data`` (for a stale save)."""
    labels: list[str] = []
    rows = {row.domain_key: row for row in audit.grades}
    for key, entry in data.domains.items():
        row = rows.get(key)
        if row is None:
            continue
        title = row.tool_domain.title
        if (row.grade or None) != (entry.grade or None):
            labels.append(f"{title}: grade")
        labels.extend(
            evidence_label(title, name)
            for name in EVIDENCE_FIELDS
            if getattr(row, name) != _typed(getattr(entry, name))
        )
    if "overall_grade" not in data.kept and (audit.overall_grade or None) != (
        data.overall_grade or None
    ):
        labels.append("Overall grade")
    if "overall_rationale" not in data.kept and audit.overall_rationale != _typed(
        data.overall_rationale
    ):
        labels.append("Rationale for the overall grade")
    if data.learning_theme_ids is not None and sorted(
        t.id for t in audit.learning_themes
    ) != sorted(set(data.learning_theme_ids)):
        labels.append("Learning themes")
    return labels
