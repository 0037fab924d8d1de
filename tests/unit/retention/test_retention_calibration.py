"""The retention schedule reaches calibration rounds and the quality of audits: a round on an
audit, the moderator's blind rationale and the audit-quality comments go with the audit; a
round on a case to be read goes once the month it closed (closed early by the QA lead, else
its deadline) is past the schedule. The dry run counts the same values that apply removes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask
from sqlalchemy import func, select

from qa_audit.calibration.models import CalibrationReference, CalibrationRound, RoundStatus
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.extensions import db as _db
from qa_audit.moderation.models import AuditQualityRating, Moderation
from qa_audit.retention import services
from qa_audit.retention.parts import CASE_REF_REMOVED
from tests.factories import audits
from tests.factories import calibration as make_round
from tests.factories import retention as make
from tests.factories.moderation import completed_moderation
from tests.unit.retention.test_retention import (
    FIRST_DAY_KEPT,
    LAST_DAY_PAST,
    MARKER,
    SCHEDULE,
    text_holding,
)

SECRET = make.SECRET


def with_calibration_text(calibration_round: CalibrationRound) -> CalibrationRound:
    """Case content in every free-text box of a round: its instructions and discussion notes,
    each invitee's rationales (one graded) and the QA lead's reference note."""
    calibration_round.instructions = f"Read the file of {SECRET}"
    calibration_round.discussion_notes = f"We disagreed about {SECRET}"
    invitee = calibration_round.invitations[0].person
    make_round.graded(calibration_round, invitee, "good")
    for grade in calibration_round.invitations[0].grades:
        grade.rationale = f"{SECRET} was seen alone"
    calibration_round.references.append(
        CalibrationReference(
            domain_key="overall",
            grade="good",
            note=f"Agreed after reading about {SECRET}",
            set_by_id=calibration_round.created_by_id,
        )
    )
    _db.session.flush()
    return calibration_round


def rated(moderation: Moderation) -> None:
    """The moderator's blind rationale and a quality rating with a comment."""
    moderation.blind_overall_rationale = f"My view of {SECRET}"
    _db.session.add(
        AuditQualityRating(
            moderation_id=moderation.id,
            item_key="child_voice",
            item_text="The child's voice is heard",
            rating="partly",
            comment=f"Say what {SECRET} told the worker",
        )
    )
    _db.session.flush()


def case_round(case_ref: str, deadline: date, closed_on: date | None = None) -> CalibrationRound:
    """A round on a case to be read, its deadline (and the day it closed early) as given."""
    calibration_round = with_calibration_text(make_round.calibration_round(case_ref=case_ref))
    calibration_round.deadline = deadline
    if closed_on is not None:
        calibration_round.status = RoundStatus.CLOSED.value
        calibration_round.closed_at = datetime(
            closed_on.year, closed_on.month, closed_on.day, 12, tzinfo=UTC
        )
        calibration_round.closed_by_id = calibration_round.created_by_id
    _db.session.flush()
    return calibration_round


def test_a_round_and_the_quality_ratings_of_an_audit_go_with_the_audit(db) -> None:  # type: ignore[no-untyped-def]
    past = audits.audit(overall="good", submitted_on=LAST_DAY_PAST)
    kept = audits.audit(overall="good", submitted_on=FIRST_DAY_KEPT)
    moderation = completed_moderation(past, overall="good")
    before = {d.id: d.values for d in services.plan(SCHEDULE).audits}
    past_round = with_calibration_text(make_round.calibration_round(audit=past))
    rated(moderation)
    kept_round = with_calibration_text(make_round.calibration_round(audit=kept))
    graded_boxes = len(past_round.keys)

    # The dry run counts them: 2 round boxes, the rationales, the note, blind rationale, comment.
    planned = {d.id: d.values for d in services.plan(SCHEDULE).audits}
    assert set(planned) == {past.id}
    assert planned[past.id] - before[past.id] == 2 + graded_boxes + 1 + 2

    services.apply(SCHEDULE)

    holding = text_holding(SECRET)
    assert set(holding) == {"calibration_round", "calibration_grade", "calibration_reference"}
    assert holding["calibration_round"] == 1
    _db.session.expire_all()
    assert (past_round.instructions, past_round.discussion_notes) == (MARKER, MARKER)
    assert {g.rationale for g in past_round.invitations[0].grades} == {MARKER}
    assert [r.note for r in past_round.references] == [MARKER]
    assert moderation.blind_overall_rationale == MARKER
    assert [r.comment for r in moderation.quality_ratings] == [MARKER]
    # Grades and ratings stay: the results and the summary are counted from them.
    assert {g.grade for g in past_round.invitations[0].grades} == {"good"}
    assert [r.rating for r in moderation.quality_ratings] == ["partly"]
    assert kept_round.instructions == f"Read the file of {SECRET}"


def test_a_round_on_a_case_goes_once_its_closing_month_is_past(db) -> None:  # type: ignore[no-untyped-def]
    past = case_round("CR70001", LAST_DAY_PAST)
    closed_early = case_round("CR70002", FIRST_DAY_KEPT, closed_on=LAST_DAY_PAST)
    kept = case_round("CR70003", FIRST_DAY_KEPT)
    boxes = 2 + len(past.keys) + 1 + 1  # round text, rationales, note, case reference

    planned = services.plan(SCHEDULE)
    assert [(d.id, d.month, d.values) for d in planned.calibration_rounds] == [
        (past.id, "2025-11", boxes),
        (closed_early.id, "2025-11", boxes),
    ]
    assert planned.audits == []
    assert past.case_ref == "CR70001"  # the dry run changes nothing

    done = services.apply(SCHEDULE)

    assert [d.id for d in done.calibration_rounds] == [past.id, closed_early.id]
    _db.session.expire_all()
    assert (past.case_ref, closed_early.case_ref, kept.case_ref) == (
        CASE_REF_REMOVED,
        CASE_REF_REMOVED,
        "CR70003",
    )
    assert (past.instructions, past.discussion_notes) == (MARKER, MARKER)
    assert {g.rationale for g in closed_early.invitations[0].grades} == {MARKER}
    assert text_holding(SECRET) == {
        "calibration_round": 1,
        "calibration_grade": len(kept.keys),
        "calibration_reference": 1,
    }
    entries = _db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "calibration_round.anonymised")
    ).all()
    assert sorted(int(e.entity_id) for e in entries) == [past.id, closed_early.id]
    assert all(SECRET not in str(e.after) and "CR7000" not in str(e.after) for e in entries)
    # Run again: nothing more.
    entries_before = _db.session.scalar(select(func.count()).select_from(ChangeLogEntry))
    assert services.apply(SCHEDULE).records == 0
    assert _db.session.scalar(select(func.count()).select_from(ChangeLogEntry)) == entries_before


def test_the_command_names_calibration_rounds_only_when_there_are_some(  # type: ignore[no-untyped-def]
    app: Flask, db, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "RETENTION_MONTHS", 12)
    old = case_round("CR70004", date(2000, 1, 31))
    _db.session.commit()
    result = app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"Calibration round {old.id}, January 2000: " in result.stdout
    assert "0 dip samples and 1 calibration round (" in result.stdout
    assert "CR70004" not in result.output
    assert SECRET not in result.output
