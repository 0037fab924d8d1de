"""A round's results and each person's over rounds: the spread of grades per domain, the
reference grade (the QA lead's where set, else the moderator's final grade for the audit),
and each person against it: exact agreement, agreement within one grade and the mean signed
difference (their grade's score minus the reference's, Outstanding 4 to Inadequate 1).

Only submitted gradings count; N/A on either side is left out, as the report leaves it out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.models import User
from qa_audit.calibration.models import (
    OVERALL,
    CalibrationInvitation,
    CalibrationRound,
)
from qa_audit.calibration.rounds import grades_for
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.core.figures import one_decimal, percent
from qa_audit.moderation.models import Moderation, ModerationStatus

FROM_QA_LEAD = "Set by the QA lead"
FROM_MODERATION = "The moderator's final grade"


@dataclass(frozen=True)
class Reference:
    grade: Grade | None
    source: str = ""
    note: str = ""


@dataclass
class Agreement:
    """How one person's grades compare with the reference: over ``compared`` domains."""

    compared: int = 0
    exact: int = 0
    within_one: int = 0
    difference: int = 0

    def add(self, mine: Grade | None, reference: Grade | None) -> None:
        if mine is None or reference is None or mine.score is None or reference.score is None:
            return
        gap = mine.score - reference.score
        self.compared += 1
        self.exact += gap == 0
        self.within_one += abs(gap) <= 1
        self.difference += gap

    def __iadd__(self, other: Agreement) -> Agreement:
        self.compared += other.compared
        self.exact += other.exact
        self.within_one += other.within_one
        self.difference += other.difference
        return self

    @property
    def exact_percent(self) -> float | None:
        return percent(self.exact, self.compared)

    @property
    def within_one_percent(self) -> float | None:
        return percent(self.within_one, self.compared)

    @property
    def mean_difference(self) -> float | None:
        """Positive: more generous than the reference; negative: harsher."""
        return one_decimal(self.difference / self.compared) if self.compared else None


@dataclass
class PersonRow:
    invitation: CalibrationInvitation
    grades: dict[str, Grade | None]
    agreement: Agreement


@dataclass
class RoundResults:
    calibration_round: CalibrationRound
    references: dict[str, Reference]
    spread: dict[str, list[tuple[Grade, int]]]
    people: list[PersonRow]
    not_submitted: list[User] = field(default_factory=list)


def _moderations(audit_ids: Iterable[int | None]) -> dict[int, Moderation]:
    ids = {i for i in audit_ids if i is not None}
    if not ids:
        return {}
    query = select(Moderation).where(
        Moderation.audit_id.in_(ids), Moderation.status == ModerationStatus.COMPLETED.value
    )
    return {m.audit_id: m for m in db.session.scalars(query).unique()}


def _moderated(moderation: Moderation | None, key: str) -> Grade | None:
    if moderation is None:
        return None
    if key == OVERALL:
        return moderation.overall
    row = moderation.grade_for(key)
    return Grade(row.grade) if row is not None else None


def references(
    calibration_round: CalibrationRound, moderations: dict[int, Moderation] | None = None
) -> dict[str, Reference]:
    """Each domain's reference grade: the QA lead's where set, else the moderator's
    (``moderations``: the completed moderations by audit, when already read)."""
    audit_id = calibration_round.audit_id
    if moderations is None:
        moderations = _moderations([audit_id])
    moderation = moderations.get(audit_id) if audit_id is not None else None
    found = {}
    for key in calibration_round.keys:
        chosen = calibration_round.reference_for(key)
        if chosen is not None:
            found[key] = Reference(Grade(chosen.grade), FROM_QA_LEAD, chosen.note)
            continue
        moderated = _moderated(moderation, key)
        found[key] = Reference(moderated, FROM_MODERATION if moderated else "")
    return found


def _graded(invitation: CalibrationInvitation, keys: list[str]) -> dict[str, Grade | None]:
    grades = {}
    for key in keys:
        saved = invitation.grade_for(key)
        grades[key] = saved.grade_enum if saved is not None else None
    return grades


def agreement_of(invitation: CalibrationInvitation, reference: dict[str, Reference]) -> Agreement:
    agreement = Agreement()
    for key, mine in _graded(invitation, invitation.round.keys).items():
        agreement.add(mine, reference[key].grade)
    return agreement


def round_results(calibration_round: CalibrationRound) -> RoundResults:
    """The spread per domain, the references and every submitted grading against them."""
    reference = references(calibration_round)
    submitted = [i for i in calibration_round.invitations if i.submitted]
    spread = {}
    for key in calibration_round.keys:
        counts = {grade: 0 for grade in grades_for(calibration_round, key)}
        for invitation in submitted:
            saved = invitation.grade_for(key)
            if saved is not None and saved.grade_enum in counts:
                counts[saved.grade_enum] += 1
        spread[key] = list(counts.items())
    people = [
        PersonRow(i, _graded(i, calibration_round.keys), agreement_of(i, reference))
        for i in sorted(submitted, key=lambda i: (i.person.name, i.person_id))
    ]
    waiting = [i.person for i in calibration_round.invitations if not i.submitted]
    return RoundResults(calibration_round, reference, spread, people, waiting)


@dataclass
class PersonRound:
    calibration_round: CalibrationRound
    agreement: Agreement


@dataclass
class PersonHistory:
    person: User
    rounds: list[PersonRound]
    total: Agreement


def person_history(person: User, today: date | None = None) -> PersonHistory:
    """The person's submitted gradings of rounds whose results are open, oldest first, each
    against its references, and all of them together."""
    today = today or local_today()
    query = (
        select(CalibrationInvitation)
        .join(CalibrationRound)
        .where(
            CalibrationInvitation.person_id == person.id,
            CalibrationInvitation.submitted_at.is_not(None),
        )
        .order_by(CalibrationRound.deadline, CalibrationRound.id)
    )
    invitations = [i for i in db.session.scalars(query).unique() if i.round.results_open(today)]
    moderations = _moderations(i.round.audit_id for i in invitations)
    rounds, total = [], Agreement()
    for invitation in invitations:
        the_round = invitation.round
        reference = references(the_round, moderations)
        agreement = agreement_of(invitation, reference)
        rounds.append(PersonRound(the_round, agreement))
        total += agreement
    return PersonHistory(person, rounds, total)


def people_taking_part() -> list[User]:
    """Everyone who has submitted a grading of any round, by name (the QA lead's index)."""
    ids = select(CalibrationInvitation.person_id).where(
        CalibrationInvitation.submitted_at.is_not(None)
    )
    query = select(User).where(User.id.in_(ids)).order_by(User.name, User.id)
    return list(db.session.scalars(query))
