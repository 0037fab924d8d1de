"""Separation of duties on accounts (issue #13 finding 1): nobody gives themself a role that
sees case records; nobody chooses another person's password; every role change and password
reset is logged and told to the person. Password rules (finding 16): no common password, not
the current one again."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from qa_audit.auth.passwords import common_passwords, password_problem, verify_password
from qa_audit.auth.roles import CASE_LEVEL_ROLES, Role
from qa_audit.auth.services import (
    authenticate,
    create_user,
    reset_password,
    set_password,
    update_user,
)
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.changelog.services import history
from qa_audit.core import notifications
from qa_audit.core.errors import DomainError
from tests import factories

TOO_COMMON = "Password is too common: choose one that is harder to guess"


@pytest.fixture
def mailbox(app: Flask, monkeypatch) -> list:  # type: ignore[no-untyped-def]
    sent: list = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(
        notifications, "send_email", lambda to, subject, body: sent.append((to, subject, body))
    )
    return sent


def _roles(user, roles):  # type: ignore[no-untyped-def]
    return {"name": user.name, "roles": roles, "service_area_id": None, "team_id": None}


@pytest.mark.parametrize("role", sorted(CASE_LEVEL_ROLES))
def test_nobody_adds_a_case_level_role_to_their_own_account(db, role: Role) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    with pytest.raises(DomainError, match="cannot give yourself a role that sees case records"):
        update_user(admin, admin, **_roles(admin, [Role.ADMIN, role]))
    db.session.expire_all()
    assert admin.roles == {Role.ADMIN}


def test_one_may_keep_or_drop_ones_own_roles_and_add_a_non_case_role(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN, Role.AUDITOR)
    update_user(admin, admin, **_roles(admin, [Role.ADMIN, Role.AUDITOR, Role.VIEWER]))
    update_user(admin, admin, **_roles(admin, [Role.ADMIN]))
    db.session.expire_all()
    assert admin.roles == {Role.ADMIN}


def test_a_role_change_is_logged_and_told_to_the_person(db, mailbox: list) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.VIEWER, email="val@example.org")
    db.session.commit()
    update_user(admin, user, **_roles(user, [Role.QA_LEAD]))
    db.session.commit()
    entry = history(user)[-1]
    assert entry.action == "user.updated"
    assert entry.actor_id == admin.id
    assert (entry.before["roles"], entry.after["roles"]) == (["viewer"], ["qa_lead"])
    [(to, subject, body)] = mailbox
    assert to == ["val@example.org"]
    assert "your roles have changed" in subject
    assert "Before: Viewer" in body
    assert "Now: QA lead" in body


def test_a_rename_alone_tells_nobody(db, mailbox: list) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.VIEWER)
    db.session.commit()
    update_user(admin, user, **{**_roles(user, [Role.VIEWER]), "name": "Renamed"})
    db.session.commit()
    assert mailbox == []
    assert "roles" not in history(user)[-1].after


def test_nobody_chooses_another_persons_password(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.AUDITOR)
    with pytest.raises(DomainError, match="cannot choose another person's password"):
        set_password(admin, user, "a takeover passphrase")
    assert not verify_password(user.password_hash, "a takeover passphrase")
    with pytest.raises(DomainError, match="cannot choose another person's password"):
        create_user(
            admin, email="new@example.org", name="New", roles=["auditor"], password="known to me 1"
        )


def test_a_reset_emails_a_one_time_password_to_the_person_alone(db, mailbox: list) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.AUDITOR, email="ash@example.org")
    db.session.commit()
    reset_password(admin, user)
    db.session.commit()
    [(to, _, body)] = mailbox
    assert to == ["ash@example.org"]
    one_time = body.split("one-time password is: ")[1].split()[0]
    assert user.must_change_password
    with pytest.raises(DomainError):
        authenticate(user.email, factories.PASSWORD)  # the old password no longer works
    assert authenticate(user.email, one_time) is user
    entry = history(user)[-1]
    assert (entry.action, entry.actor_id) == ("user.password_reset", admin.id)
    assert one_time not in str(entry.after)
    set_password(user, user, "my own new passphrase")
    assert not user.must_change_password


def test_a_reset_without_email_is_refused_clearly(app: Flask, db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.AUDITOR)
    with pytest.raises(DomainError, match="e-mail is not set up"):
        reset_password(admin, user)
    assert not user.must_change_password
    assert (
        db.session.scalar(
            select(ChangeLogEntry).where(ChangeLogEntry.action == "user.password_reset")
        )
        is None
    )


# --- password rules (finding 16) -----------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["password1234", "Password1234", "qwertyuiop123", "liverpool2024", "123456789012"]
)
def test_common_passwords_are_refused(password: str) -> None:
    assert password_problem(password) == TOO_COMMON


def test_the_deny_list_is_shipped_with_thousands_of_entries() -> None:
    listed = common_passwords()
    assert len(listed) > 5000
    assert factories.PASSWORD not in listed


def test_the_current_password_again_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    with pytest.raises(DomainError, match="must not be your current password"):
        set_password(user, user, factories.PASSWORD)
    assert authenticate(user.email, factories.PASSWORD) is user


def test_users_set_password_on_the_server_reads_stdin_and_applies_the_rules(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    """Where e-mail is not set up, a password is given on the server, never by a page."""
    user = factories.user(Role.AUDITOR, email="sam@example.org")
    db.session.commit()  # a refused command rolls back what is not committed
    runner = app.test_cli_runner()
    weak = runner.invoke(args=["users", "set-password", "sam@example.org"], input="password1234\n")
    assert weak.exit_code == 1
    assert TOO_COMMON in weak.output
    unknown = runner.invoke(args=["users", "set-password", "nobody@example.org"], input="x\n")
    assert unknown.exit_code == 1
    assert "no user with the e-mail address nobody@example.org" in unknown.output
    done = runner.invoke(
        args=["users", "set-password", "sam@example.org"], input="a server-side passphrase\n"
    )
    assert done.exit_code == 0, done.output
    assert "a server-side passphrase" not in done.output
    assert authenticate(user.email, "a server-side passphrase") is user
