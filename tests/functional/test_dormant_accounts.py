"""Dormant accounts: the administrators' list and its Deactivate button, and
`qa-audit accounts dormant [--deactivate | --scheduled]`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.api import tokens as api
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.clock import utcnow
from qa_audit.core.extensions import db as _db
from tests import factories

BREAK_GLASS = "it.admin@council.example.gov.uk"


def aged(user: User, *, signed_in_days_ago: int | None, made_days_ago: int = 400) -> User:
    user.created_at = utcnow() - timedelta(days=made_days_ago)
    user.last_sign_in_at = (
        utcnow() - timedelta(days=signed_in_days_ago) if signed_in_days_ago is not None else None
    )
    return user


@pytest.fixture
def people(app: Flask, db: object, monkeypatch: pytest.MonkeyPatch) -> dict[str, User]:
    monkeypatch.setitem(app.config, "BREAK_GLASS_ADMINS", [BREAK_GLASS])
    found = {
        "idle": aged(factories.user(Role.AUDITOR, name="Ida Idle"), signed_in_days_ago=120),
        "never": aged(factories.user(Role.MODERATOR, name="Nev Never"), signed_in_days_ago=None),
        "recent": aged(factories.user(Role.AUDITOR, name="Rita Recent"), signed_in_days_ago=10),
        "new": aged(
            factories.user(Role.AUDITOR, name="Nia New"), signed_in_days_ago=None, made_days_ago=5
        ),
        "gone": aged(
            factories.user(Role.AUDITOR, name="Gus Gone", active=False), signed_in_days_ago=200
        ),
        "glass": aged(
            factories.user(Role.ADMIN, name="Bea Break-glass", email=BREAK_GLASS),
            signed_in_days_ago=300,
        ),
    }
    _db.session.commit()
    return found


def test_the_page_lists_dormant_accounts_longest_idle_first(
    client: FlaskClient, login_as, people: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    aged(factories.user(Role.VIEWER, name="<b>Odd</b>"), signed_in_days_ago=100)
    login_as(Role.ADMIN)
    response = client.get("/admin/dormant-accounts")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "90 days or more" in html
    # Nev was never signed in to, made 400 days ago; Bea last signed in 300 days ago, Ida 120.
    assert html.index("Nev Never") < html.index("Bea Break-glass") < html.index("Ida Idle")
    for absent in ("Rita Recent", "Nia New", "Gus Gone"):
        assert absent not in html
    assert "Never" in html  # Nev's last sign-in
    assert people["idle"].email in html
    assert "Break-glass" in html
    assert "120" in html
    # Each button names its account to a screen reader (the visible text is the same for all).
    assert 'Deactivate<span class="govuk-visually-hidden"> Ida Idle</span>' in html
    assert "<b>Odd</b>" not in html  # a name is text, wherever it is shown
    assert 'Deactivate<span class="govuk-visually-hidden"> &lt;b&gt;Odd&lt;/b&gt;</span>' in html


def test_deactivate_from_the_page_ends_the_session_and_api_tokens_and_is_logged(
    app: Flask, client: FlaskClient, login_as, people: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    idle = people["idle"]
    browser = app.test_client()
    signed_in = browser.post("/sign-in", data={"email": idle.email, "password": factories.PASSWORD})
    assert signed_in.status_code == 302
    _, secret = api.issue_token(idle, "Dashboard")
    _db.session.commit()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert browser.get("/api/v1/audits", headers=bearer).status_code == 200
    assert browser.get("/account/sessions").status_code == 200

    admin = login_as(Role.ADMIN)
    response = client.post(f"/admin/dormant-accounts/{idle.id}/deactivate")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/dormant-accounts"
    assert "Ida Idle has been deactivated" in client.get("/admin/dormant-accounts").get_data(
        as_text=True
    )
    assert browser.get("/account/sessions").headers["Location"].startswith("/sign-in")
    assert browser.get("/api/v1/audits", headers=bearer).status_code == 401
    entry = _db.session.scalar(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_id == str(idle.id), ChangeLogEntry.action == "user.deactivated"
        )
    )
    assert entry.actor_id == admin.id


def test_an_administrator_cannot_deactivate_themselves_from_the_page(
    client: FlaskClient, login_as, db: object
) -> None:  # type: ignore[no-untyped-def]
    admin = login_as(Role.ADMIN)
    client.post(f"/admin/dormant-accounts/{admin.id}/deactivate")
    _db.session.refresh(admin)
    assert admin.active


def run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["accounts", "dormant", *args])


def test_the_command_lists_and_changes_nothing(app: Flask, people: dict[str, User]) -> None:
    result = run(app)
    assert result.exit_code == 0, result.output
    assert "Accounts without a sign-in for 90 days or more: 3" in result.output
    assert people["never"].email in result.output
    assert "last sign-in never" in result.output
    assert f"{BREAK_GLASS}  Bea Break-glass  admin" in result.output
    assert "(break-glass, kept)" in result.output
    assert people["recent"].email not in result.output
    _db.session.expire_all()
    assert _db.session.get(User, people["idle"].id).active


def test_deactivate_spares_break_glass_administrators_and_logs_each(
    app: Flask, people: dict[str, User]
) -> None:
    result = run(app, "--deactivate")
    assert result.exit_code == 0, result.output
    assert "Deactivated 2 accounts" in result.output
    _db.session.expire_all()
    state = {key: _db.session.get(User, user.id).active for key, user in people.items()}
    assert state == {
        "idle": False,
        "never": False,
        "recent": True,
        "new": True,
        "gone": False,
        "glass": True,
    }
    actors = _db.session.scalars(
        select(ChangeLogEntry.actor_id).where(
            ChangeLogEntry.action == "user.deactivated",
            ChangeLogEntry.entity_id.in_([str(people["idle"].id), str(people["never"].id)]),
        )
    ).all()
    assert actors == [None, None]


def test_the_scheduled_run_deactivates_only_when_the_setting_says_so(
    app: Flask, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    listed_only = run(app, "--scheduled")
    assert listed_only.exit_code == 0
    assert "Deactivated" not in listed_only.output
    _db.session.expire_all()
    assert _db.session.get(User, people["idle"].id).active
    monkeypatch.setitem(app.config, "DORMANT_AUTO_DEACTIVATE", True)
    done = run(app, "--scheduled")
    assert "Deactivated 2 accounts" in done.output
    _db.session.expire_all()
    assert not _db.session.get(User, people["idle"].id).active


def test_the_number_of_days_is_a_setting(
    app: Flask, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "DORMANT_DAYS", 7)
    result = run(app)
    assert "Accounts without a sign-in for 7 days or more: 4" in result.output
    assert people["recent"].email in result.output
    monkeypatch.setitem(app.config, "DORMANT_DAYS", 0)
    assert "or more: 0" in run(app).output


def test_a_leaver_is_deactivated_from_the_command_line_sessions_and_tokens_end(
    app: Flask, db: object
) -> None:
    leaver = factories.user(Role.AUDITOR)
    _db.session.commit()
    browser = app.test_client()
    browser.post("/sign-in", data={"email": leaver.email, "password": factories.PASSWORD})
    _, secret = api.issue_token(leaver, "Dashboard")
    _db.session.commit()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert browser.get("/api/v1/audits", headers=bearer).status_code == 200
    result = app.test_cli_runner().invoke(args=["users", "deactivate", leaver.email.upper()])
    assert result.exit_code == 0, result.output
    assert browser.get("/account/sessions").headers["Location"].startswith("/sign-in")
    assert browser.get("/api/v1/audits", headers=bearer).status_code == 401
    again = app.test_cli_runner().invoke(args=["users", "deactivate", leaver.email])
    assert again.exit_code == 1
    assert "already deactivated" in again.output
    unknown = app.test_cli_runner().invoke(args=["users", "deactivate", "nobody@example.org"])
    assert unknown.exit_code == 1
