"""The guard on submitted grades: the auditor's grades of a submitted or closed audit cannot be
changed, added or removed, except on the return path; drafts and other fields stay free."""

from __future__ import annotations

import pytest

from qa_audit.audits.grade_guard import SubmittedGradesLocked
from qa_audit.audits.models import AuditDomainGrade
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.unit.moderation.moderating import stored_audit_grades


class TestTheGuardOnSubmittedGrades:
    def test_changing_a_submitted_audits_overall_grade_is_refused(self, db) -> None:
        audit = factories.audit(overall="good", reference="LOCK-1")
        audit.overall_grade = "outstanding"
        with pytest.raises(SubmittedGradesLocked, match="audit LOCK-1 cannot be changed"):
            _db.session.flush()
        _db.session.rollback()

    def test_changing_a_domain_grade_of_a_submitted_or_closed_audit_is_refused(self, db) -> None:
        for status in ("submitted", "closed"):
            audit = factories.audit(overall="good", status=status)
            _db.session.commit()
            audit.grades[0].grade = "inadequate"
            with pytest.raises(SubmittedGradesLocked):
                _db.session.flush()
            _db.session.rollback()
            assert stored_audit_grades(audit.id)[1]["assessment"] == "good"

    def test_removing_or_adding_a_domain_grade_is_refused(self, db) -> None:
        audit = factories.audit(overall="good")
        _db.session.commit()
        audit.grades.remove(audit.grades[0])
        with pytest.raises(SubmittedGradesLocked):
            _db.session.flush()
        _db.session.rollback()
        assert len(stored_audit_grades(audit.id)[1]) == 5
        first = audit.grades[0]
        audit.grades.append(
            AuditDomainGrade(
                tool_domain_id=first.tool_domain_id, domain_key="extra", position=9, grade="good"
            )
        )
        with pytest.raises(SubmittedGradesLocked):
            _db.session.flush()
        _db.session.rollback()

    def test_the_return_path_allows_the_auditor_to_regrade(self, db) -> None:
        audit = factories.audit(overall="good")
        audit.status = "returned"
        _db.session.flush()
        audit.overall_grade = "requires_improvement"
        audit.grades[0].grade = "requires_improvement"
        _db.session.flush()
        audit.status = "submitted"
        _db.session.flush()
        assert stored_audit_grades(audit.id)[0] == "requires_improvement"

    def test_drafts_and_new_audits_are_not_locked(self, db) -> None:
        draft = factories.audit(overall=None, status="draft")
        draft.overall_grade = "good"
        draft.grades[0].grade = "good"
        _db.session.flush()
        assert stored_audit_grades(draft.id)[0] == "good"

    def test_other_fields_of_a_submitted_audit_can_still_change(self, db) -> None:
        audit = factories.audit(overall="good")
        audit.status = "closed"
        audit.returned_reason = None
        _db.session.flush()
        assert stored_audit_grades(audit.id)[0] == "good"
