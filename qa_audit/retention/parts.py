"""What the retention schedule removes: for each kind of record anonymised (an audit, a rota
allocation, a dip sample, a calibration round on a case to be read), the tables holding its
case references and free text, and which of their rows belong to it. Grades, counts, dates,
themes, outcomes and people are not listed here, so they stay as they were
(docs/retention.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, String, Table, cast, literal, null, select

from qa_audit.actions.models import Action
from qa_audit.audits.models import (
    Audit,
    AuditDomainGrade,
    FeedbackConversation,
    PractitionerComment,
    SafeguardingConcern,
)
from qa_audit.audits.safeguarding.models import SafeguardingNote
from qa_audit.calibration.models import (
    CalibrationGrade,
    CalibrationInvitation,
    CalibrationReference,
    CalibrationRound,
)
from qa_audit.dip_samples.models import DipSample, DipSampleCase
from qa_audit.moderation.models import (
    AuditQualityRating,
    Moderation,
    ModerationGrade,
    ReflectiveConversation,
    SamplingDecision,
)
from qa_audit.rota.loop_models import ClosingTheLoopDecision
from qa_audit.rota.models import Allocation

# What an audit's case reference becomes: short enough for the column (30 characters), and
# plainly not a case-management id (it has no digit, which a case reference must have).
CASE_REF_REMOVED = "Removed"

# The (owner id, row id) pairs of the owners given, as a SELECT.
Rows = Callable[[Sequence[int]], Any]


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _itself(model: Any) -> Rows:
    """The records themselves: each row is its own owner."""
    table = _table(model)
    return lambda ids: select(table.c.id.label("owner"), table.c.id.label("row")).where(
        table.c.id.in_(ids)
    )


def _by(model: Any, owner_column: str) -> Rows:
    """Rows pointing at their owner by ``owner_column``."""
    table = _table(model)
    owner = table.c[owner_column]
    return lambda ids: select(owner.label("owner"), table.c.id.label("row")).where(owner.in_(ids))


def _moderation_grades(ids: Sequence[int]) -> Any:
    """A moderator's domain judgements belong to the audit their moderation is of."""
    return (
        select(Moderation.audit_id.label("owner"), ModerationGrade.id.label("row"))
        .join(Moderation, Moderation.id == ModerationGrade.moderation_id)
        .where(Moderation.audit_id.in_(ids))
    )


def _quality_ratings(ids: Sequence[int]) -> Any:
    """The audit-quality ratings belong to the audit their moderation is of."""
    return (
        select(Moderation.audit_id.label("owner"), AuditQualityRating.id.label("row"))
        .join(Moderation, Moderation.id == AuditQualityRating.moderation_id)
        .where(Moderation.audit_id.in_(ids))
    )


def _round_grades(round_owner: ColumnElement[Any]) -> Rows:
    """Invitees' grades belong to their round's owner: its audit, or the round itself."""
    return lambda ids: (
        select(round_owner.label("owner"), CalibrationGrade.id.label("row"))
        .join(CalibrationInvitation, CalibrationInvitation.id == CalibrationGrade.invitation_id)
        .join(CalibrationRound, CalibrationRound.id == CalibrationInvitation.round_id)
        .where(round_owner.in_(ids))
    )


def _round_references(round_owner: ColumnElement[Any]) -> Rows:
    return lambda ids: (
        select(round_owner.label("owner"), CalibrationReference.id.label("row"))
        .join(CalibrationRound, CalibrationRound.id == CalibrationReference.round_id)
        .where(round_owner.in_(ids))
    )


def _safeguarding_notes(ids: Sequence[int]) -> Any:
    """A concern's interim notes belong to the audit the concern was raised on."""
    return (
        select(SafeguardingConcern.audit_id.label("owner"), SafeguardingNote.id.label("row"))
        .join(SafeguardingConcern, SafeguardingConcern.id == SafeguardingNote.concern_id)
        .where(SafeguardingConcern.audit_id.in_(ids))
    )


def _dip_sample_case_ref(table: Table) -> ColumnElement[Any]:
    # A dip sample's cases must stay distinct (one row per case in a sample).
    return literal(CASE_REF_REMOVED + " ") + cast(table.c.id, String)


@dataclass(frozen=True)
class Part:
    """One table's share of an anonymised record: free-text columns replaced with the marker
    where they hold anything, identifier columns replaced as ``identifiers`` says."""

    model: Any
    text: tuple[str, ...]
    rows: Rows
    identifiers: dict[str, Callable[[Table], ColumnElement[Any]]] = field(default_factory=dict)
    key: str = "id"  # the column ``rows`` names as each row's "row"

    @property
    def table(self) -> Table:
        return _table(self.model)

    @property
    def key_column(self) -> ColumnElement[Any]:
        column: ColumnElement[Any] = self.table.c[self.key]
        return column

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.text, *self.identifiers)


def _calibration_parts(
    round_owner: Any, identifiers: dict[str, Callable[[Table], ColumnElement[Any]]]
) -> tuple[Part, ...]:
    """A calibration round's free text (and, for a case to be read, its case reference), its
    owner given by ``round_owner``: the audit read, or the round itself."""
    return (
        Part(
            CalibrationRound,
            ("instructions", "discussion_notes"),
            lambda ids: select(round_owner.label("owner"), CalibrationRound.id.label("row")).where(
                round_owner.in_(ids)
            ),
            identifiers,
        ),
        Part(CalibrationGrade, ("rationale",), _round_grades(round_owner)),
        Part(CalibrationReference, ("note",), _round_references(round_owner)),
    )


AUDIT_PARTS: tuple[Part, ...] = (
    Part(
        Audit,
        ("overall_rationale", "returned_reason"),
        _itself(Audit),
        {"case_ref": lambda table: literal(CASE_REF_REMOVED)},
    ),
    Part(
        AuditDomainGrade,
        ("working_well", "needs_improvement", "impact"),
        _by(AuditDomainGrade, "audit_id"),
    ),
    Part(FeedbackConversation, ("said",), _by(FeedbackConversation, "audit_id")),
    Part(
        SafeguardingConcern,
        ("description", "outcome_detail", "response"),
        _by(SafeguardingConcern, "audit_id"),
    ),
    Part(SafeguardingNote, ("text",), _safeguarding_notes),
    Part(PractitionerComment, ("comment",), _by(PractitionerComment, "audit_id")),
    # A QA lead's reasons for adding or withdrawing an audit may name the case.
    Part(
        Moderation,
        ("selection_reason", "overall_rationale", "withdrawn_reason", "blind_overall_rationale"),
        _by(Moderation, "audit_id"),
    ),
    Part(ModerationGrade, ("rationale",), _moderation_grades),
    Part(AuditQualityRating, ("comment",), _quality_ratings),
    Part(SamplingDecision, ("reason",), _by(SamplingDecision, "audit_id")),
    Part(
        ReflectiveConversation,
        ("participants", "learning"),
        _by(ReflectiveConversation, "audit_id"),
    ),
    # Actions set by the audit and by its reflective conversation (both carry the audit's id).
    Part(
        Action,
        ("description", "completion_note", "practitioner_name"),
        _by(Action, "audit_id"),
    ),
    # Why the QA lead chose not to audit the case again may describe it.
    Part(
        ClosingTheLoopDecision,
        ("reason",),
        lambda ids: select(
            ClosingTheLoopDecision.audit_id.label("owner"),
            ClosingTheLoopDecision.audit_id.label("row"),
        ).where(ClosingTheLoopDecision.audit_id.in_(ids)),
        key="audit_id",
    ),
    # A calibration round on the audit read the audit's evidence: it goes with the audit.
    *_calibration_parts(CalibrationRound.audit_id, {}),
)

ALLOCATION_PARTS: tuple[Part, ...] = (
    # An allocation without a named case is what the rota holds where the case is not known.
    Part(
        Allocation,
        ("exemption_reason", "due_on_reason"),
        _itself(Allocation),
        {"case_ref": lambda table: null()},
    ),
)

DIP_SAMPLE_PARTS: tuple[Part, ...] = (
    Part(
        DipSample,
        ("strengths", "areas_for_development", "cases_not_reviewed_reason"),
        _itself(DipSample),
    ),
    Part(
        DipSampleCase, (), _by(DipSampleCase, "dip_sample_id"), {"case_ref": _dip_sample_case_ref}
    ),
    Part(
        Action,
        ("description", "completion_note", "practitioner_name"),
        _by(Action, "dip_sample_id"),
    ),
)

# A round on a case to be read (no audit) is its own record: its case reference and free text.
CALIBRATION_ROUND_PARTS: tuple[Part, ...] = _calibration_parts(
    CalibrationRound.id, {"case_ref": lambda table: literal(CASE_REF_REMOVED)}
)
