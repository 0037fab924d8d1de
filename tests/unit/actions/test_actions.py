"""Actions: setting, completing (owner or QA lead, with a note, no lost updates), the lists,
the CSV export (the closing-the-loop prompt: tests/unit/audits/test_closing_the_loop.py)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select, update

from qa_audit.actions import lists, services
from qa_audit.actions.lists import ActionFilters
from qa_audit.actions.models import Action, ActionSource, ActionStatus
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.changelog.services import history
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden
from qa_audit.core.extensions import db as _db
from qa_audit.core.spreadsheets import csv_text, safe_cell
from tests import factories
from tests.factories.actions import action as make_action

TODAY = date(2024, 6, 10)


def add(actor, **overrides):  # type: ignore[no-untyped-def]
    owner_id = overrides.pop("owner", None) or factories.user(Role.AUDITOR).id
    owner = _db.session.get(User, owner_id)
    # The owner's own audit, so that they see the action (actions.visibility).
    auditor = owner if owner is not None and owner.has_role(Role.AUDITOR) else None
    values = {
        "source": "audit",
        "description": "Review the child's plan with the family",
        "owner_id": owner_id,
        "due_on": date(2024, 7, 1),
        "audit_id": factories.audit(auditor=auditor).id,
        "today": TODAY,
    }
    values.update(overrides)
    return services.add_action(actor, **values)


def test_add_action_records_it_and_logs_it(db) -> None:
    lead = factories.user(Role.QA_LEAD)
    owner = factories.user(Role.SERVICE_MANAGER)
    action = add(lead, owner=owner.id, description="  Convene a strategy meeting  ")
    assert action.status == "open"
    assert action.description == "Convene a strategy meeting"
    assert action.owner_id == owner.id
    assert action.created_by_id == lead.id
    assert action.version == 1
    (entry,) = history(action)
    assert entry.action == "action.added"
    assert entry.actor_id == lead.id
    assert entry.after["description"] == "Convene a strategy meeting"
    assert entry.after["due_on"] == "2024-07-01"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": "   "}, "description", "Enter what needs to be done"),
        ({"due_on": None}, "due_on", "Enter the date the action is due"),
        ({"due_on": date(2024, 6, 9)}, "due_on", "today or in the future"),
        ({"owner_id": None}, "owner_id", "Select who owns the action"),
        ({"owner_id": 987654}, "owner_id", "Select who owns the action"),
        ({"source": "gossip"}, "source", "Unknown action source"),
        ({"audit_id": None}, "audit_id", "must name the audit"),
        ({"audit_id": 987654}, "audit_id", "No such audit"),
    ],
)
def test_add_action_refuses_bad_input(db, overrides, field, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        add(None, **overrides)
    assert caught.value.field == field
    assert message in caught.value.message


def test_owner_must_be_active_and_dip_sample_actions_need_no_audit(db) -> None:
    gone = factories.user(Role.AUDITOR, name="Pat Gone", active=False)
    with pytest.raises(DomainError, match="Pat Gone's account is deactivated"):
        add(None, owner=gone.id)
    dip = add(None, source=ActionSource.DIP_SAMPLE, audit_id=None, due_on=TODAY)
    assert dip.source == "dip_sample"
    assert dip.audit_id is None


def test_owner_marks_done_with_a_note_and_it_is_logged(db) -> None:
    owner = factories.user(Role.AUDITOR)
    action = add(None, owner=owner.id)
    services.complete_action(owner, action, "  Plan reviewed on 20 June  ", expected_version=1)
    assert action.status == ActionStatus.DONE.value
    assert action.done
    assert action.completion_note == "Plan reviewed on 20 June"
    assert action.completed_by_id == owner.id
    assert action.completed_at is not None
    assert action.version == 2
    entry = history(action)[-1]
    assert entry.action == "action.completed"
    assert entry.before["status"] == "open"
    assert entry.after["status"] == "done"
    assert entry.after["completion_note"] == "Plan reviewed on 20 June"


def test_only_owner_or_qa_lead_may_mark_done(db) -> None:
    owner = factories.user(Role.AUDITOR)
    action = add(None, owner=owner.id)
    for role in (Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER, Role.ADMIN):
        with pytest.raises(Forbidden):
            services.complete_action(factories.user(role), action, "Done", expected_version=1)
    lead = factories.user(Role.QA_LEAD)
    services.complete_action(lead, action, "Confirmed with the team manager", expected_version=1)
    assert action.done
    assert action.completed_by_id == lead.id


def test_note_is_required_and_done_is_final(db) -> None:
    owner = factories.user(Role.AUDITOR)
    action = add(None, owner=owner.id)
    with pytest.raises(DomainError) as caught:
        services.complete_action(owner, action, "  ", expected_version=1)
    assert caught.value.field == "note"
    assert not action.done
    services.complete_action(owner, action, "Done", expected_version=1)
    with pytest.raises(DomainError, match="already done"):
        services.complete_action(owner, action, "Again", expected_version=2)


def test_a_stale_version_is_refused_not_overwritten(db) -> None:
    owner = factories.user(Role.AUDITOR)
    action = add(None, owner=owner.id)
    # The page was opened at version 1; someone else has since saved version 2.
    services.update_action(
        owner,
        action,
        description="Reworded",
        owner_id=owner.id,
        due_on=action.due_on,
        expected_version=1,
    )
    with pytest.raises(ConcurrentEdit):
        services.complete_action(owner, action, "Done", expected_version=1)
    assert not action.done


def test_a_write_racing_the_completion_is_caught_by_the_version_column(db) -> None:
    owner = factories.user(Role.AUDITOR)
    action = add(None, owner=owner.id)
    # Another request commits between our read and our write: our copy still says version 1.
    db.session.execute(
        update(Action)
        .where(Action.id == action.id)
        .values(version=2, description="Changed elsewhere")
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(ConcurrentEdit):
        services.complete_action(owner, action, "Done", expected_version=1)
    db.session.rollback()


def test_my_actions_open_first_by_due_date_then_done(db) -> None:
    me = factories.user(Role.AUDITOR)
    later = make_action(owner=me, description="later", due_on=date(2024, 9, 1))
    late = make_action(owner=me, description="late", due_on=date(2024, 6, 1))
    done = make_action(owner=me, description="done", due_on=date(2024, 5, 1), done=True)
    make_action(description="someone else's")
    rows = lists.my_actions(me, today=TODAY)
    assert [r.id for r in rows] == [late.id, later.id, done.id]
    assert [r.overdue for r in rows] == [True, False, False]
    assert rows[0].audit_reference is not None
    assert rows[0].source is ActionSource.AUDIT


def test_actions_centre_filters(db) -> None:
    owner = factories.user(Role.AUDITOR)
    fd_audit = factories.audit(area_key="front_door")
    overdue = make_action(owner=owner, due_on=date(2024, 6, 1))
    due_today = make_action(due_on=TODAY)
    finished = make_action(owner=owner, due_on=date(2024, 1, 1), done=True)
    dip = make_action(source="dip_sample", due_on=date(2024, 12, 1))
    front_door = make_action(audit_id=fd_audit.id, due_on=date(2024, 12, 1))

    def ids(**kwargs: object) -> list[int]:
        rows, paging = lists.actions_centre(ActionFilters(**kwargs), today=TODAY)  # type: ignore[arg-type]
        assert paging.total == len(rows)
        return sorted(r.id for r in rows)

    everything = sorted(a.id for a in (overdue, due_today, finished, dip, front_door))
    assert ids() == everything
    assert ids(owner_id=owner.id) == sorted([overdue.id, finished.id])
    assert ids(source=ActionSource.DIP_SAMPLE) == [dip.id]
    assert ids(status=ActionStatus.DONE) == [finished.id]
    assert ids(status=ActionStatus.OPEN) == sorted(
        [overdue.id, due_today.id, dip.id, front_door.id]
    )
    # Due today is not overdue yet; a done action is never overdue.
    assert ids(overdue=True) == [overdue.id]
    assert ids(service_area_id=factories.service_area("front_door").id) == [front_door.id]


def test_actions_centre_pages_of_50(db) -> None:
    owner = factories.user(Role.AUDITOR)
    audit = factories.audit()
    for n in range(53):
        make_action(owner=owner, audit_id=audit.id, due_on=date(2024, 7, 1 + n % 28))
    first, paging = lists.actions_centre(ActionFilters(), page=1, today=TODAY)
    second, _ = lists.actions_centre(ActionFilters(), page=2, today=TODAY)
    assert (paging.total, paging.pages, len(first), len(second)) == (53, 2, 50, 3)
    assert not {r.id for r in first} & {r.id for r in second}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 1234", "'+44 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Plan reviewed", "Plan reviewed"),
        ("a=b", "a=b"),
        (None, ""),
        (-3, -3),
        (2.5, 2.5),
        (True, "Yes"),
        (date(2024, 4, 1), "2024-04-01"),
    ],
)
def test_safe_cell(value, expected) -> None:  # type: ignore[no-untyped-def]
    assert safe_cell(value) == expected


def test_csv_export_neutralises_formulas_and_is_logged(db) -> None:
    lead = factories.user(Role.QA_LEAD)
    owner = factories.user(Role.AUDITOR, name="=cmd|' /C calc'!A0")
    make_action(owner=owner, description="=1+1", due_on=date(2024, 6, 1))
    make_action(owner=owner, description="@SUM(A1:A9)", due_on=date(2024, 8, 1), done=True)
    make_action(description="Someone else's", due_on=date(2024, 8, 1))
    text = lists.export_actions_csv(lead, ActionFilters(owner_id=owner.id), today=TODAY)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == lists.EXPORT_HEADER
    assert len(rows) == 3
    by_description = {r[5]: r for r in rows[1:]}
    assert set(by_description) == {"'=1+1", "'@SUM(A1:A9)"}
    first = by_description["'=1+1"]
    assert first[6] == "'=cmd|' /C calc'!A0"
    assert (first[7], first[8], first[9]) == ("2024-06-01", "Open", "Yes")
    assert by_description["'@SUM(A1:A9)"][8] == "Done"
    # No cell of the file starts with a formula character.
    assert not [c for r in rows for c in r if c[:1] in ("=", "+", "-", "@")]
    entry = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "action.exported")
    ).one()
    assert entry.actor_id == lead.id
    assert entry.after == {"format": "csv", "rows": 2, "filters": {"owner_id": owner.id}}


def test_csv_text_header_and_line_endings() -> None:
    assert csv_text(["a", "-b"], [[1, "x,y"]]) == 'a,\'-b\r\n1,"x,y"\r\n'
