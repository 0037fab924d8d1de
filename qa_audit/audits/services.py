"""The auditor's journey: start an audit, save drafts, feedback and actions, submit, return.

Services take the acting user explicitly, raise DomainError (field = the form field at fault),
log every change with before and after, and only flush: the caller commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import defaultload, joinedload
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.interfaces import ORMOption

from qa_audit.actions import services as actions
from qa_audit.actions.models import Action, ActionSource
from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.audit_tools.models import AuditTool
from qa_audit.audit_tools.services import current_tool, tool_in_use_checks
from qa_audit.audits.lists import can_view_audit
from qa_audit.audits.models import (
    AUDIT_TRANSITIONS,
    Audit,
    AuditDomainGrade,
    AuditStatus,
    AuditType,
    FeedbackConversation,
    FeedbackHow,
    FeedbackTone,
    FeedbackWho,
    PractitionerComment,
    SafeguardingConcern,
)
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import record_change, snapshot
from qa_audit.core import signals
from qa_audit.core.case_refs import case_ref_problem
from qa_audit.core.clock import LOCAL_TZ, local_today, utcnow
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.notifications import send_email
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.organisation.models import ServiceArea, Team

TEXT_MAX = 10_000
SAID_MAX = 5_000
REASON_MAX = 2_000
EARLIEST_AUDIT_DATE = date(2000, 1, 1)
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


class IncompleteAudit(DomainError):
    """Submission refused: ``problems`` lists every (field, message) at once."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("The audit is not complete", problems[0][0] if problems else None)
        self.problems = problems


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
    leaves the themes as they are."""

    domains: dict[str, DomainEntry] = field(default_factory=dict)
    overall_grade: str | None = None
    overall_rationale: str = ""
    learning_theme_ids: list[int] | None = None


# --- case references, starting ---------------------------------------------------------------


def validate_case_ref(value: str) -> str:
    """The case reference cleaned, or DomainError (field case_ref) saying what is wrong."""
    problem = case_ref_problem(value or "")
    if problem:
        raise DomainError(problem, "case_ref")
    return value.strip()


def _area_and_team(service_area_id: int | None, team_id: int | None) -> tuple[ServiceArea, Team]:
    area = db.session.get(ServiceArea, service_area_id) if service_area_id else None
    if area is None:
        raise DomainError("Select the service area", "service_area_id")
    team = db.session.get(Team, team_id) if team_id else None
    if team is None:
        raise DomainError("Select the team", "team_id")
    if team.service_area_id != area.id:
        raise DomainError(f"Select a team in {area.name}", "team_id")
    return area, team


def _earlier_audit(
    case_ref: str,
    audit_date: date,
    previous_audit_id: int | None,
    previous_audit_ref: str | None,
) -> Audit:
    """The earlier submitted audit of the same case that a closing-the-loop audit links."""
    done = (AuditStatus.SUBMITTED.value, AuditStatus.CLOSED.value)
    if previous_audit_id is None and previous_audit_ref:
        previous = db.session.scalar(
            select(Audit).where(func.upper(Audit.reference) == previous_audit_ref.strip().upper())
        )
        if previous is None:
            raise DomainError(
                f"There is no audit with the reference {previous_audit_ref.strip()}",
                "previous_audit_ref",
            )
        previous_audit_id = previous.id
    if previous_audit_id is not None:
        previous = db.session.get(Audit, previous_audit_id)
        if previous is None:
            raise DomainError("The earlier audit does not exist", "previous_audit_ref")
        if previous.case_ref.upper() != case_ref.upper():
            raise DomainError(
                f"Audit {previous.reference} is of another case: a closing-the-loop audit links "
                "an earlier audit of the same case",
                "previous_audit_ref",
            )
        if previous.status not in done or (previous.submitted_on or audit_date) > audit_date:
            raise DomainError(
                f"Audit {previous.reference} has not been submitted before this audit's date",
                "previous_audit_ref",
            )
        return previous
    previous = db.session.scalar(
        select(Audit)
        .where(
            func.upper(Audit.case_ref) == case_ref.upper(),
            Audit.status.in_(done),
            Audit.submitted_on <= audit_date,
        )
        .order_by(Audit.submitted_on.desc(), Audit.id.desc())
        .limit(1)
    )
    if previous is None:
        raise DomainError(
            f"There is no earlier submitted audit of case {case_ref} to close the loop on: "
            "choose a deep dive, or check the case reference",
            "audit_type",
        )
    return previous


START_LOGGED = [
    "reference",
    "case_ref",
    "service_area_id",
    "team_id",
    "auditor_id",
    "tool_id",
    "audit_type",
    "previous_audit_id",
    "audit_date",
    "status",
    "allocation_id",
]


def start_audit(
    actor: User,
    case_ref: str,
    service_area_id: int | None,
    team_id: int | None,
    audit_date: date | None,
    audit_type: AuditType | str,
    previous_audit_id: int | None = None,
    allocation_id: int | None = None,
    *,
    previous_audit_ref: str | None = None,
    today: date | None = None,
) -> Audit:
    """Start a draft audit on the current tool version, with an empty grade for each domain."""
    if not actor.has_role(Role.AUDITOR):
        raise Forbidden("Only auditors start audits")
    today = today or local_today()
    case_ref = validate_case_ref(case_ref)
    area, team = _area_and_team(service_area_id, team_id)
    if audit_date is None:
        raise DomainError("Enter the audit date", "audit_date")
    if audit_date > today:
        raise DomainError("The audit date must be today or in the past", "audit_date")
    if audit_date < EARLIEST_AUDIT_DATE:
        raise DomainError("The audit date must be after 1 January 2000", "audit_date")
    try:
        kind = AuditType(audit_type)
    except ValueError as error:
        raise DomainError("Select the type of audit", "audit_type") from error
    previous = None
    if kind is AuditType.CLOSING_THE_LOOP:
        previous = _earlier_audit(case_ref, audit_date, previous_audit_id, previous_audit_ref)
    elif previous_audit_id is not None or previous_audit_ref:
        raise DomainError(
            "Only a closing-the-loop audit links an earlier audit", "previous_audit_ref"
        )
    if allocation_id is not None:
        _check_allocation(actor, allocation_id)
    try:
        tool = current_tool(today)
    except NotFound as error:
        raise DomainError(error.message, "case_ref") from error
    audit = Audit(
        # a unique placeholder until the id is known
        reference=f"new-{uuid.uuid4().hex[:24]}",
        case_ref=case_ref,
        service_area=area,
        team=team,
        auditor=actor,
        tool=tool,
        audit_type=kind.value,
        previous_audit=previous,
        audit_date=audit_date,
        status=AuditStatus.DRAFT.value,
        overall_rationale="",
        allocation_id=allocation_id,
    )
    for position, domain in enumerate(tool.domains):
        audit.grades.append(
            AuditDomainGrade(
                tool_domain_id=domain.id,
                domain_key=domain.key,
                position=position,
                grade=None,
                working_well="",
                needs_improvement="",
                impact="",
            )
        )
    db.session.add(audit)
    db.session.flush()
    audit.reference = _reference_for(audit.id)
    db.session.flush()
    record_change(actor, "audit.started", audit, None, snapshot(audit, START_LOGGED))
    return audit


def _check_allocation(actor: User, allocation_id: int) -> None:
    """The rota allocation an audit is started from must be the actor's and still open."""
    from qa_audit.rota.services import allocation_for_audit  # the rota imports audits

    try:
        allocation_for_audit(actor, allocation_id)
    except NotFound as error:
        raise DomainError(
            "The rota allocation for this audit no longer exists", "case_ref"
        ) from error
    except DomainError as error:
        raise DomainError(error.message, "case_ref") from error


def _reference_for(audit_id: int) -> str:
    """QA-000123 from the id; an imported audit may already hold that text, then -2, -3 …"""
    base = f"QA-{audit_id:06d}"
    candidate, n = base, 1
    while db.session.scalar(select(Audit.id).where(Audit.reference == candidate)) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _tool_used_by_audits(tool: AuditTool) -> bool:
    return db.session.scalar(select(Audit.id).where(Audit.tool_id == tool.id).limit(1)) is not None


# A tool version an audit uses can never be edited (audit_tools.services.load_definition).
if _tool_used_by_audits not in tool_in_use_checks:
    tool_in_use_checks.append(_tool_used_by_audits)


# --- reading ----------------------------------------------------------------------------------


def can_view(actor: User, audit: Audit) -> bool:
    """Auditor: own; QA lead and moderators: all; service manager: own area; never viewer/admin."""
    return can_view_audit(actor, audit)


# What the audit's page (templates/audits/show.html and its partials) reads with the audit.
# The models' defaults load more than the page shows: every person's roles, each service
# area's teams and the tool's domains, for the auditor, each action's owner, each concern's
# people... (make bench: 29 statements for one audit's page). Here a person is read for their
# name only (anything else asked of them is loaded when asked for). The lists (feedback,
# actions, concerns, comments, learning themes) stay lazy, each read once when the page
# reaches it: cheaper than selectinload, whose options SQLAlchemy carries into every query.
AUDIT_PAGE: tuple[ORMOption, ...] = (
    joinedload(Audit.service_area).lazyload("*"),
    joinedload(Audit.team).lazyload("*"),
    joinedload(Audit.auditor).lazyload("*"),
    joinedload(Audit.tool).lazyload("*"),
    defaultload(Audit.actions).joinedload(Action.owner).lazyload("*"),
    defaultload(Audit.safeguarding_concerns).options(
        joinedload(SafeguardingConcern.raised_by).lazyload("*"),
        joinedload(SafeguardingConcern.responded_by).lazyload("*"),
        joinedload(SafeguardingConcern.service_area).lazyload("*"),
    ),
    defaultload(Audit.comments).joinedload(PractitionerComment.recorded_by).lazyload("*"),
)


def get_audit(audit_id: int, options: Sequence[ORMOption] = ()) -> Audit:
    """The audit by id (no permission check: use get_audit_for for a person); ``options``
    say what to load with it (AUDIT_PAGE for its page)."""
    audit = db.session.get(Audit, audit_id, options=options)
    if audit is None:
        raise NotFound("No such audit")
    return audit


def get_audit_for(actor: User, audit_id: int, options: Sequence[ORMOption] = ()) -> Audit:
    """The audit, if ``actor`` may see it; NotFound or Forbidden otherwise."""
    audit = get_audit(audit_id, options)
    if not can_view(actor, audit):
        raise Forbidden("You cannot see this audit")
    return audit


def may_edit(actor: User, audit: Audit) -> bool:
    """Only its auditor, and only while it is a draft or returned."""
    return audit.auditor_id == actor.id and audit.editable


def _require_editor(actor: User, audit: Audit) -> None:
    if audit.auditor_id != actor.id:
        raise Forbidden("Only the audit's auditor can change it")
    if not audit.editable:
        raise DomainError(
            f"Audit {audit.reference} has been {audit.status_enum.label.lower()} "
            "and can no longer be changed"
        )


def my_open_audits(actor: User) -> list[Audit]:
    """The actor's draft and returned audits, most recently changed first."""
    return list(
        db.session.scalars(
            select(Audit)
            .where(
                Audit.auditor_id == actor.id,
                Audit.status.in_((AuditStatus.DRAFT.value, AuditStatus.RETURNED.value)),
            )
            .order_by(Audit.updated_at.desc(), Audit.id.desc())
        )
    )


def active_themes_for(audit: Audit) -> list[LearningTheme]:
    """The themes the form offers: the active list plus any retired theme already on the audit."""
    themes = list(
        db.session.scalars(
            select(LearningTheme)
            .where(LearningTheme.active.is_(True))
            .order_by(LearningTheme.position, LearningTheme.name)
        )
    )
    seen = {t.id for t in themes}
    return themes + [t for t in audit.learning_themes if t.id not in seen]


# --- drafts -----------------------------------------------------------------------------------


def _clean_text(value: str | None, max_len: int, field_name: str, label: str) -> str:
    # NUL is never meant (it arrives with text pasted from some programs) and PostgreSQL
    # cannot store it in text: it is dropped.
    text = (value or "").replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > max_len:
        raise DomainError(f"{label} must be {max_len:,} characters or fewer", field_name)
    return text


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


def check_version(audit: Audit, expected_version: int | None) -> None:
    """ConcurrentEdit unless the form was opened on the version now stored."""
    if expected_version is None or expected_version != audit.version:
        raise ConcurrentEdit(STALE_MESSAGE, "version")


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        raise ConcurrentEdit(STALE_MESSAGE, "version") from error


def _apply_draft(audit: Audit, data: DraftData, offered: dict[int, LearningTheme]) -> None:
    rows = {row.domain_key: row for row in audit.grades}
    for key, entry in data.domains.items():
        row = rows.get(key)
        if row is None:
            raise DomainError(f"This audit's tool has no domain '{key}'", f"{key}-grade")
        domain = row.tool_domain
        grade = None
        if entry.grade:
            try:
                grade = Grade(entry.grade)
            except ValueError as error:
                raise DomainError(f"Select a grade for {domain.title}", f"{key}-grade") from error
            if grade not in domain.grade_choices:
                raise DomainError(f"{domain.title} cannot be graded Not applicable", f"{key}-grade")
        row.grade = grade.value if grade else None
        for name in EVIDENCE_FIELDS:
            label = f"{domain.title}: {EVIDENCE_LABELS[name].lower()}"
            value = _clean_text(getattr(entry, name), TEXT_MAX, f"{key}-{name}", label)
            setattr(row, name, value)
    overall = None
    if data.overall_grade:
        try:
            overall = Grade(data.overall_grade)
        except ValueError:
            overall = None
        if overall not in GRADED:
            raise DomainError("Select the overall grade", "overall_grade")
    audit.overall_grade = overall.value if overall else None
    audit.overall_rationale = _clean_text(
        data.overall_rationale, TEXT_MAX, "overall_rationale", "The rationale"
    )
    if data.learning_theme_ids is not None:
        wanted = sorted(set(data.learning_theme_ids))
        unknown = [i for i in wanted if i not in offered]
        if unknown:
            raise DomainError("Select learning themes from the list", "learning_themes")
        audit.learning_themes = [offered[i] for i in wanted]


def save_draft(actor: User, audit: Audit, expected_version: int | None, data: DraftData) -> bool:
    """Save what the auditor has written (no completeness check); True if anything changed."""
    _require_editor(actor, audit)
    check_version(audit, expected_version)
    offered = {t.id: t for t in active_themes_for(audit)}
    before = _draft_snapshot(audit)
    # No flush until everything is set: the audit's version must move on once per save.
    with db.session.no_autoflush:
        _apply_draft(audit, data, offered)
    after = _draft_snapshot(audit)
    if before == after:
        return False
    # Child rows and themes do not touch the audit row: mark it so its version moves on.
    audit.updated_at = utcnow()
    _flush()
    record_change(actor, "audit.draft_saved", audit, before, after)
    return True


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
        for name in EVIDENCE_FIELDS:
            typed = (getattr(entry, name) or "").replace("\r\n", "\n").strip()
            if getattr(row, name) != typed:
                labels.append(f"{title}: {EVIDENCE_LABELS[name].lower()}")
    if (audit.overall_grade or None) != (data.overall_grade or None):
        labels.append("Overall grade")
    if audit.overall_rationale != (data.overall_rationale or "").replace("\r\n", "\n").strip():
        labels.append("Rationale for the overall grade")
    if data.learning_theme_ids is not None and sorted(
        t.id for t in audit.learning_themes
    ) != sorted(set(data.learning_theme_ids)):
        labels.append("Learning themes")
    return labels


# --- feedback conversations and actions -------------------------------------------------------

FEEDBACK_LOGGED = ["who", "how", "said", "tone", "consent_to_quote"]


def add_feedback(
    actor: User,
    audit: Audit,
    who: str | None,
    how: str | None,
    said: str | None,
    tone: str | None,
    consent_to_quote: bool,
) -> FeedbackConversation:
    """Record a conversation with the child, a parent or a carer about the help they received."""
    _require_editor(actor, audit)
    if who not in {w.value for w in FeedbackWho}:
        raise DomainError("Select who you spoke to", "feedback-who")
    if how not in {h.value for h in FeedbackHow}:
        raise DomainError("Select how you spoke to them", "feedback-how")
    text = _clean_text(said, SAID_MAX, "feedback-said", "What they said")
    if not text:
        raise DomainError("Enter what they said", "feedback-said")
    if tone not in {t.value for t in FeedbackTone}:
        raise DomainError(
            "Select whether the feedback was positive or constructive", "feedback-tone"
        )
    conversation = FeedbackConversation(
        who=who, how=how, said=text, tone=tone, consent_to_quote=bool(consent_to_quote)
    )
    audit.feedback.append(conversation)
    db.session.flush()
    after = {"feedback_id": conversation.id, **snapshot(conversation, FEEDBACK_LOGGED)}
    record_change(actor, "audit.feedback_added", audit, None, after)
    return conversation


def remove_feedback(actor: User, audit: Audit, feedback_id: int) -> None:
    """Take a conversation off a draft (its content stays in the change log)."""
    _require_editor(actor, audit)
    conversation = next((f for f in audit.feedback if f.id == feedback_id), None)
    if conversation is None:
        raise NotFound("This conversation is not on the audit (it may have been removed already)")
    before = {"feedback_id": conversation.id, **snapshot(conversation, FEEDBACK_LOGGED)}
    audit.feedback.remove(conversation)
    db.session.delete(conversation)
    record_change(actor, "audit.feedback_removed", audit, before, None)
    db.session.flush()


def add_action(
    actor: User,
    audit: Audit,
    description: str | None,
    owner_id: int | None,
    due_on: date | None,
    *,
    today: date | None = None,
) -> Action:
    """Set an action on the audit: what, who owns it (an active user), when it is due."""
    _require_editor(actor, audit)
    try:
        action = actions.add_action(
            actor,
            source=ActionSource.AUDIT,
            description=description or "",
            owner_id=owner_id,
            due_on=due_on,
            audit_id=audit.id,
            today=today or local_today(),
        )
    except DomainError as error:
        if error.field in ("description", "owner_id", "due_on"):
            error.field = f"action-{error.field}"
        raise
    if action not in audit.actions:
        audit.actions.append(action)
    record_change(
        actor,
        "audit.action_added",
        audit,
        None,
        {
            "action_id": action.id,
            "description": action.description,
            "owner": action.owner.name,
            "due_on": action.due_on,
        },
    )
    return action


def remove_action(actor: User, audit: Audit, action_id: int) -> None:
    """Take an action off a draft (its content stays in the change log)."""
    _require_editor(actor, audit)
    action = next((a for a in audit.actions if a.id == action_id), None)
    if action is None:
        raise NotFound("This action is not on the audit (it may have been removed already)")
    if action.done:
        raise DomainError("This action has been done and cannot be removed")
    before = {
        "action_id": action.id,
        "description": action.description,
        "owner": action.owner.name,
        "due_on": action.due_on,
    }
    record_change(actor, "action.removed", action, snapshot(action, actions.LOGGED), None)
    audit.actions.remove(action)
    db.session.delete(action)
    record_change(actor, "audit.action_removed", audit, before, None)
    db.session.flush()


# --- lifecycle --------------------------------------------------------------------------------


def _transition(audit: Audit, to: AuditStatus) -> None:
    if to not in AUDIT_TRANSITIONS[audit.status_enum]:
        raise DomainError(
            f"Audit {audit.reference} is {audit.status_enum.label.lower()}: "
            f"it cannot be {to.label.lower()}"
        )
    audit.status = to.value


def completeness_problems(audit: Audit) -> list[tuple[str, str]]:
    """Every reason the audit cannot yet be submitted, as (field, message), in page order."""
    problems: list[tuple[str, str]] = []
    rows = {row.domain_key: row for row in audit.grades}
    any_inadequate = False
    for domain in audit.tool.domains:
        row = rows.get(domain.key)
        grade = row.grade_enum if row else None
        if grade is None:
            extra = ", or Not applicable" if domain.allows_na else ""
            problems.append((f"{domain.key}-grade", f"Select a grade for {domain.title}{extra}"))
        elif grade is Grade.INADEQUATE:
            any_inadequate = True
    if audit.overall is None:
        problems.append(("overall_grade", "Select the overall grade"))
    elif audit.overall is Grade.INADEQUATE:
        any_inadequate = True
    if not audit.overall_rationale.strip():
        problems.append(("overall_rationale", "Enter the rationale for the overall grade"))
    if any_inadequate and not audit.actions:
        problems.append(
            ("actions", "Add at least one action: a grade of Inadequate needs an action")
        )
    return problems


def submit(actor: User, audit: Audit, *, today: date | None = None) -> Audit:
    """Submit (or resubmit) a complete audit; IncompleteAudit lists every problem at once."""
    _require_editor(actor, audit)
    problems = completeness_problems(audit)
    if problems:
        raise IncompleteAudit(problems)
    fields = ["status", "submitted_at", "submitted_on", "submitted_month", "returned_reason"]
    before = snapshot(audit, fields)
    resubmission = audit.status == AuditStatus.RETURNED.value
    _transition(audit, AuditStatus.SUBMITTED)
    if audit.submitted_on is None:
        # The month it counts in is fixed by the first submission: a resubmission after a
        # return does not move it (published monthly figures stay put).
        now = utcnow()
        submitted_on = today or now.astimezone(LOCAL_TZ).date()
        audit.submitted_at = now
        audit.submitted_on = submitted_on
        audit.submitted_month = submitted_on.strftime("%Y-%m")
    audit.returned_reason = None
    _flush()
    action = "audit.resubmitted" if resubmission else "audit.submitted"
    record_change(actor, action, audit, before, snapshot(audit, fields))
    signals.audit_submitted.send(audit, actor=actor)
    return audit


def return_audit(actor: User, audit: Audit, reason: str | None) -> Audit:
    """The QA lead sends a submitted audit back to its auditor with a reason."""
    if not actor.has_role(Role.QA_LEAD):
        raise Forbidden("Only the QA lead can return an audit")
    text = _clean_text(reason, REASON_MAX, "reason", "The reason")
    if not text:
        raise DomainError("Enter why the audit is being returned", "reason")
    before = snapshot(audit, ["status", "returned_reason"])
    _transition(audit, AuditStatus.RETURNED)
    audit.returned_reason = text
    _flush()
    after = snapshot(audit, ["status", "returned_reason"])
    record_change(actor, "audit.returned", audit, before, after)
    signals.audit_returned.send(audit, actor=actor)
    # No reason in the e-mail: it is free text and could name someone.
    send_email(
        [audit.auditor.email],
        f"Audit {audit.reference} has been returned to you",
        f"{actor.name} has returned audit {audit.reference} (case {audit.case_ref}) to you.\n"
        "Sign in to qa-audit to see the reason, change the audit and submit it again.",
    )
    return audit
