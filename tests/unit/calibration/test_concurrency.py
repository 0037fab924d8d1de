"""Calibration grading at the same moment as other work, each request in its own database
session and connection, committed for real on a database of its own: two invitees saving at
once both keep their grades; a round closed while someone grades refuses their save (nothing
of it written) and keeps everything submitted before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.models import User
from qa_audit.calibration.grading import Entry, save_grades
from qa_audit.calibration.models import CalibrationInvitation, CalibrationRound
from qa_audit.calibration.rounds import close_round
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from tests.conftest import make_migrated_app
from tests.databases import fresh_database
from tests.factories import calibration as cf


@pytest.fixture(scope="module")
def own_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with fresh_database(tmp_path_factory.mktemp("calibration"), "calibration") as url:
        application = make_migrated_app(url)
        yield application
        with application.app_context():
            db.engine.dispose()


def _entries(made: CalibrationRound, grade: Grade) -> dict[str, Entry]:
    return {key: Entry(grade, "mine") for key in made.keys}


def _round(own_app: Flask) -> tuple[int, list[int], int]:
    with own_app.app_context():
        made = cf.calibration_round()
        ids = [i.person_id for i in made.invitations]
        ids_lead = made.created_by_id
        round_id = made.id
        db.session.commit()
    return round_id, ids, ids_lead


def test_two_invitees_saving_at_once_both_keep_their_grades(own_app: Flask) -> None:
    round_id, (first_id, second_id, _), _ = _round(own_app)
    with own_app.app_context():
        second = db.session.get(User, second_id)
        theirs = db.session.get(CalibrationRound, round_id)
        version = theirs.invitation_of(second_id).version  # read before the other saves
        with own_app.app_context():
            first = db.session.get(User, first_id)
            mine = db.session.get(CalibrationRound, round_id)
            save_grades(first, mine, 1, _entries(mine, Grade.GOOD), submit=True)
            db.session.commit()
        db.session.rollback()  # a new request: SQLite's snapshot is taken afresh
        theirs = db.session.get(CalibrationRound, round_id)
        save_grades(second, theirs, version, _entries(theirs, Grade.INADEQUATE), submit=True)
        db.session.commit()

    with own_app.app_context():
        graded = {
            i.person_id: {g.grade for g in i.grades}
            for i in db.session.query(CalibrationInvitation).filter_by(round_id=round_id)
        }
        assert graded[first_id] == {"good"}
        assert graded[second_id] == {"inadequate"}


def test_a_round_closed_while_someone_grades_refuses_their_save(own_app: Flask) -> None:
    round_id, (first_id, late_id, _), lead_id = _round(own_app)
    with own_app.app_context():
        first = db.session.get(User, first_id)
        made = db.session.get(CalibrationRound, round_id)
        save_grades(first, made, 1, _entries(made, Grade.GOOD), submit=True)
        db.session.commit()

    with own_app.app_context():
        late = db.session.get(User, late_id)
        opened = db.session.get(CalibrationRound, round_id)
        assert opened.status == "open"  # the grading page was read while open
        with own_app.app_context():  # meanwhile the QA lead closes the round
            lead = db.session.get(User, lead_id)
            closing = db.session.get(CalibrationRound, round_id)
            close_round(lead, closing, closing.version)
            db.session.commit()
        # PostgreSQL reads the close (committed) under the lock; SQLite's snapshot is older
        # than the close, so the write itself is refused. Either way: refused, not a 500.
        with pytest.raises(DomainError):
            save_grades(late, opened, 1, _entries(opened, Grade.OUTSTANDING), submit=True)
        db.session.rollback()

    with own_app.app_context():
        invitations = {
            i.person_id: i
            for i in db.session.query(CalibrationInvitation).filter_by(round_id=round_id)
        }
        assert invitations[late_id].grades == []
        assert not invitations[late_id].submitted
        assert {g.grade for g in invitations[first_id].grades} == {"good"}
        assert db.session.get(CalibrationRound, round_id).status == "closed"
