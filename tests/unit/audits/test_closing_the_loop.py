"""The closing-the-loop prompt: an audit whose every action is done waits for a
closing-the-loop audit of its case."""

from __future__ import annotations

from qa_audit.actions.services import complete_action
from qa_audit.audits.closing_the_loop import audits_with_all_actions_done
from tests import factories
from tests.factories.actions import action as make_action


def test_closing_the_loop_prompt_when_every_action_of_an_audit_is_done(db) -> None:
    audit = factories.audit(reference="QA-2024-0007")
    first = make_action(audit_id=audit.id, done=True)
    second = make_action(owner=audit.auditor, audit_id=audit.id)
    untouched = factories.audit(reference="QA-NO-ACTIONS")
    draft = factories.audit(reference="QA-DRAFT", status="draft", overall=None)
    make_action(audit_id=draft.id, done=True)
    assert [loop.reference for loop in audits_with_all_actions_done()] == []

    owner = second.owner
    complete_action(owner, second, "Done", expected_version=second.version)
    loops = audits_with_all_actions_done()
    assert [(loop.audit_id, loop.reference) for loop in loops] == [(audit.id, "QA-2024-0007")]
    assert loops[0].case_ref == audit.case_ref
    assert first.done
    assert untouched.id not in {loop.audit_id for loop in loops}

    # Once the closing-the-loop audit of the case is started, the prompt goes.
    follow_up = factories.audit(audit_type="closing_the_loop", case_ref=audit.case_ref)
    follow_up.previous_audit_id = audit.id
    db.session.flush()
    assert audits_with_all_actions_done() == []


def test_a_never_submitted_closing_the_loop_draft_does_not_hide_the_prompt(db) -> None:
    audit = factories.audit(reference="QA-2024-0008")
    make_action(owner=audit.auditor, audit_id=audit.id, done=True)
    draft = factories.audit(
        audit_type="closing_the_loop", case_ref=audit.case_ref, status="draft", overall=None
    )
    draft.previous_audit_id = audit.id
    db.session.flush()
    assert [loop.audit_id for loop in audits_with_all_actions_done()] == [audit.id]
    submitted = factories.audit(audit_type="closing_the_loop", case_ref=audit.case_ref)
    submitted.previous_audit_id = audit.id
    db.session.flush()
    assert audits_with_all_actions_done() == []
