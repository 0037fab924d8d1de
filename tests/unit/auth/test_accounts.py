"""Accounts: signing in (never locked), creating and updating users, deactivation, change log."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from qa_audit.auth import signins
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import (
    SIGN_IN_FAILED,
    authenticate,
    create_user,
    set_active,
    set_password,
    update_user,
)
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.changelog.services import history, snapshot
from qa_audit.core.errors import DomainError
from tests import factories

PASSWORD = factories.PASSWORD


def entries(db, action: str) -> list[ChangeLogEntry]:  # type: ignore[no-untyped-def]
    return list(db.session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.action == action)))


# --- signing in ---------------------------------------------------------------------------


def test_authenticate_returns_the_user_for_the_right_password_any_case(db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR, email="jo.bloggs@example.org")
    assert authenticate("  Jo.Bloggs@Example.ORG ", PASSWORD) is user
    assert user.last_sign_in_at is not None


def test_wrong_password_and_unknown_email_give_the_same_message(db) -> None:  # type: ignore[no-untyped-def]
    factories.user(Role.AUDITOR, email="known@example.org")
    with pytest.raises(DomainError) as wrong:
        authenticate("known@example.org", "not the password")
    with pytest.raises(DomainError) as unknown:
        authenticate("nobody@example.org", "not the password")
    assert wrong.value.message == unknown.value.message == SIGN_IN_FAILED
    assert wrong.value.field == unknown.value.field


def test_failures_never_lock_the_account_against_its_right_password(db) -> None:  # type: ignore[no-untyped-def]
    """Anyone may type a person's e-mail address: wrong passwords must not lock the person
    out (throttling, by address and by account, is the sign-in page's)."""
    user = factories.user(Role.AUDITOR)
    for _ in range(10):
        with pytest.raises(DomainError) as refused:
            authenticate(user.email, "not the password")
        assert refused.value.message == SIGN_IN_FAILED
    assert authenticate(user.email, PASSWORD) is user
    assert entries(db, "user.locked") == []


def test_deactivated_user_is_refused_with_the_ordinary_message(db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR, active=False)
    with pytest.raises(DomainError) as refused:
        authenticate(user.email, PASSWORD)
    assert refused.value.message == SIGN_IN_FAILED


def test_user_without_a_password_cannot_sign_in(db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR, password=None)
    assert user.password_hash is None
    with pytest.raises(DomainError, match="Enter a correct e-mail address and password"):
        authenticate(user.email, "")


# --- creating users -------------------------------------------------------------------------


def test_create_user_with_several_roles_area_and_team(db) -> None:  # type: ignore[no-untyped-def]
    area = factories.service_area("locality")
    user = create_user(
        None,
        email="Sam.Smith@Example.org",
        name="  Sam Smith ",
        roles=[Role.AUDITOR, "moderator", Role.AUDITOR],
        password=PASSWORD,
        service_area_id=area.id,
        team_id=area.teams[0].id,
    )
    assert user.id is not None
    assert user.email == "sam.smith@example.org"
    assert user.name == "Sam Smith"
    assert user.roles == {Role.AUDITOR, Role.MODERATOR}
    assert user.has_role(Role.MODERATOR)
    assert not user.has_role(Role.ADMIN)
    assert user.service_area is area
    assert user.team is area.teams[0]
    assert user.password_hash
    assert user.password_hash != PASSWORD


def test_create_user_refuses_a_duplicate_email_in_any_case(db) -> None:  # type: ignore[no-untyped-def]
    factories.user(Role.AUDITOR, email="taken@example.org")
    with pytest.raises(DomainError) as error:
        factories.user(Role.VIEWER, email="TAKEN@example.org")
    assert error.value.message == "A user with this e-mail address already exists"
    assert error.value.field == "email"


@pytest.mark.parametrize("email", ["not-an-email", "two@@example.org", "", "jo@"])
def test_create_user_refuses_a_bad_email(db, email: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as error:
        factories.user(Role.AUDITOR, email=email or " ")
    assert "Enter an e-mail address in the correct format" in error.value.message
    assert error.value.field == "email"


def test_create_user_needs_a_role_and_a_name(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as no_roles:
        create_user(None, email="a@example.org", name="A", roles=[], password=None)
    assert (no_roles.value.message, no_roles.value.field) == ("Select at least one role", "roles")
    with pytest.raises(DomainError) as no_name:
        create_user(None, email="a@example.org", name="  ", roles=["auditor"], password=None)
    assert no_name.value.field == "name"
    assert db.session.scalar(select(User).where(User.email == "a@example.org")) is None


def test_create_user_refuses_a_weak_password_and_a_team_outside_the_area(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as weak:
        factories.user(Role.AUDITOR, password="short")
    assert weak.value.field == "password"
    locality = factories.service_area("locality")
    fostering = factories.service_area("fostering")
    with pytest.raises(DomainError) as team:
        create_user(
            None,
            email="b@example.org",
            name="B",
            roles=["auditor"],
            password=None,
            service_area_id=locality.id,
            team_id=fostering.teams[0].id,
        )
    assert team.value.message == "Select a team in the chosen service area"


# --- updating users -------------------------------------------------------------------------


def test_update_user_adds_and_removes_roles_and_logs_before_and_after(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.AUDITOR, Role.VIEWER, name="Old Name")
    update_user(
        admin,
        user,
        name="New Name",
        roles=[Role.AUDITOR, Role.QA_LEAD],
        service_area_id=None,
        team_id=None,
    )
    db.session.commit()
    db.session.expire_all()
    assert user.roles == {Role.AUDITOR, Role.QA_LEAD}
    assert user.name == "New Name"
    entry = history(user)[-1]
    assert entry.action == "user.updated"
    assert entry.actor_id == admin.id
    assert entry.before == {"name": "Old Name", "roles": ["auditor", "viewer"]}
    assert entry.after == {"name": "New Name", "roles": ["auditor", "qa_lead"]}


def test_an_admin_cannot_remove_their_own_admin_role(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN, Role.AUDITOR)
    with pytest.raises(DomainError) as error:
        update_user(
            admin, admin, name=admin.name, roles=[Role.AUDITOR], service_area_id=None, team_id=None
        )
    assert error.value.message == "You cannot remove your own administrator role"
    assert Role.ADMIN in admin.roles
    # Another admin may.
    other = factories.user(Role.ADMIN)
    update_user(
        other, admin, name=admin.name, roles=["auditor"], service_area_id=None, team_id=None
    )
    assert admin.roles == {Role.AUDITOR}


def test_update_user_without_roles_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.AUDITOR)
    with pytest.raises(DomainError, match="Select at least one role"):
        update_user(admin, user, name=user.name, roles=[], service_area_id=None, team_id=None)
    assert user.roles == {Role.AUDITOR}


def test_saving_without_changes_writes_no_log_entry(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.AUDITOR)
    update_user(admin, user, name=user.name, roles=["auditor"], service_area_id=None, team_id=None)
    assert [e.action for e in history(user)] == ["user.created"]


# --- deactivation and sessions ------------------------------------------------------------


def test_deactivation_ends_every_session_at_once(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.AUDITOR)
    token = signins.start(user, "192.0.2.1", "a browser")
    other = signins.start(user, "192.0.2.2", "another browser")
    db.session.flush()
    assert signins.load_user(token) is user
    set_active(admin, user, False)
    db.session.flush()
    assert signins.load_user(token) is None
    assert signins.load_user(other) is None
    assert signins.live_sessions(user) == []
    entry = history(user)[-1]
    assert (entry.action, entry.before, entry.after) == (
        "user.deactivated",
        {"active": True},
        {"active": False},
    )
    assert "session_token" not in json.dumps([entry.before, entry.after])


def test_reactivation_lets_the_user_sign_in_again_but_revives_no_old_session(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.AUDITOR)
    old = signins.start(user, "192.0.2.1", "a browser")
    db.session.flush()
    set_active(admin, user, False)
    set_active(admin, user, True)
    db.session.flush()
    assert signins.load_user(old) is None
    assert authenticate(user.email, PASSWORD) is user
    fresh = signins.start(user, "192.0.2.1", "a browser")
    db.session.flush()
    assert signins.load_user(fresh) is user
    assert history(user)[-1].action == "user.activated"


def test_an_admin_cannot_deactivate_themselves(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    with pytest.raises(DomainError, match="cannot deactivate your own account"):
        set_active(admin, admin, False)
    assert admin.active


def test_set_password_ends_other_sessions(db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    token = signins.start(user, "192.0.2.1", "a browser")
    db.session.flush()
    set_password(None, user, "a brand new passphrase")
    db.session.flush()
    assert signins.load_user(token) is None
    assert authenticate(user.email, "a brand new passphrase") is user


# --- the change log never holds secrets ---------------------------------------------------


def test_change_log_never_holds_password_hashes_or_session_tokens(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    user = factories.user(Role.AUDITOR)
    set_password(user, user, "another long passphrase")  # nobody sets another's password
    set_active(admin, user, False)
    token = signins.start(user, "192.0.2.1", "a browser")
    for _ in range(5):
        with pytest.raises(DomainError):
            authenticate(admin.email, "wrong password")
    logged = json.dumps([[e.before, e.after] for e in db.session.scalars(select(ChangeLogEntry))])
    assert "$argon2" not in logged
    assert "password_hash" not in logged
    assert "session_token" not in logged
    for secret in (user.password_hash, admin.password_hash, token):
        assert secret not in logged
    created = history(user)[0]
    assert created.action == "user.created"
    assert created.before is None
    assert created.after["email"] == user.email
    assert created.after["roles"] == ["auditor"]
    assert history(user)[1].after == {"password": "changed"}


def test_snapshot_leaves_out_secret_columns(db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    data = snapshot(user)
    assert data["email"] == user.email
    assert "password_hash" not in data
    assert "session_token" not in data
