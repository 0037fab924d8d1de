"""Password sign-in switched to break-glass administrators only
(QA_AUDIT_PASSWORD_SIGN_IN=break-glass-only, QA_AUDIT_BREAK_GLASS_ADMINS)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from qa_audit.auth import services
from qa_audit.auth.break_glass import PASSWORD_OFF, USE_COUNCIL_ACCOUNT
from qa_audit.auth.roles import Role
from qa_audit.cli import main
from qa_audit.core.config import Config, ConfigError
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db as _db
from tests import factories

ADMIN_EMAIL = "it.admin@council.example.gov.uk"


@pytest.fixture
def break_glass_only(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "PASSWORD_SIGN_IN", "break-glass-only")
    monkeypatch.setitem(app.config, "BREAK_GLASS_ADMINS", [ADMIN_EMAIL])


def sign_in(client: FlaskClient, email: str, password: str = factories.PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/sign-in", data={"email": email, "password": password})


@pytest.mark.usefixtures("break_glass_only")
def test_others_are_refused_whether_or_not_the_password_is_right(
    client: FlaskClient, db: object, caplog: pytest.LogCaptureFixture
) -> None:
    person = factories.user(Role.AUDITOR)
    _db.session.commit()
    caplog.set_level(logging.WARNING, logger="qa_audit.auth.break_glass")
    right = sign_in(client, person.email)
    wrong = sign_in(client, person.email, "not the password")
    unknown = sign_in(client, "nobody@council.example.gov.uk")
    for response in (right, wrong, unknown):
        assert response.status_code == 400  # the form again, nobody signed in
        html = response.get_data(as_text=True)
        assert "There is a problem" in html
        assert USE_COUNCIL_ACCOUNT in html
        assert services.SIGN_IN_FAILED not in html
    assert right.get_data(as_text=True).count(USE_COUNCIL_ACCOUNT) == wrong.get_data(
        as_text=True
    ).count(USE_COUNCIL_ACCOUNT)
    assert client.get("/account/sessions").status_code == 302
    refusals = [r for r in caplog.records if "break-glass only" in r.getMessage()]
    assert len(refusals) == 3
    assert f"account {person.id}" in refusals[0].getMessage()
    assert person.email not in caplog.text


@pytest.mark.usefixtures("break_glass_only")
def test_a_listed_administrator_still_signs_in_with_a_password(
    client: FlaskClient, db: object
) -> None:
    factories.user(Role.ADMIN, email=ADMIN_EMAIL)
    _db.session.commit()
    wrong = sign_in(client, ADMIN_EMAIL.upper(), "not the password")
    assert services.SIGN_IN_FAILED in wrong.get_data(as_text=True)
    assert sign_in(client, ADMIN_EMAIL.upper()).status_code == 302
    assert client.get("/account/sessions").status_code == 200


@pytest.mark.usefixtures("break_glass_only")
def test_listed_but_not_an_administrator_and_unlisted_administrators_are_refused(
    client: FlaskClient, db: object
) -> None:
    factories.user(Role.QA_LEAD, email=ADMIN_EMAIL)
    other_admin = factories.user(Role.ADMIN)
    _db.session.commit()
    for email in (ADMIN_EMAIL, other_admin.email):
        response = sign_in(client, email)
        assert response.status_code == 400
        assert USE_COUNCIL_ACCOUNT in response.get_data(as_text=True)


def test_with_passwords_on_everyone_signs_in_as_before(client: FlaskClient, db: object) -> None:
    person = factories.user(Role.AUDITOR)
    _db.session.commit()
    assert sign_in(client, person.email).status_code == 302


def test_password_changes_and_one_time_passwords_are_off_for_others(
    app: Flask, client: FlaskClient, login_as, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    person = login_as(Role.AUDITOR)  # signed in before passwords were switched off
    admin = factories.user(Role.ADMIN, email=ADMIN_EMAIL)
    _db.session.commit()
    monkeypatch.setitem(app.config, "PASSWORD_SIGN_IN", "break-glass-only")
    monkeypatch.setitem(app.config, "BREAK_GLASS_ADMINS", [ADMIN_EMAIL])
    page = client.get("/account/password")
    assert page.status_code == 302
    home = client.get(page.headers["Location"]).get_data(as_text=True)
    assert "Passwords are not used for this account" in home
    posted = client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "a brand new long passphrase 42",
            "confirm_password": "a brand new long passphrase 42",
        },
    )
    assert posted.status_code == 302
    with pytest.raises(DomainError) as refused:
        services.reset_password(admin, person)
    assert refused.value.message == PASSWORD_OFF
    with pytest.raises(DomainError):
        services.set_password(None, person, "another long passphrase 42", to_be_changed=True)


def test_a_one_time_password_holder_is_not_sent_to_choose_one_when_passwords_are_off(
    app: Flask, client: FlaskClient, db: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = factories.user(Role.AUDITOR)
    person.must_change_password = True
    _db.session.commit()
    assert sign_in(client, person.email).status_code == 302
    assert client.get("/account/sessions").status_code == 302  # to choose a password
    monkeypatch.setitem(app.config, "PASSWORD_SIGN_IN", "break-glass-only")
    assert client.get("/account/sessions").status_code == 200


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("QA_AUDIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("QA_AUDIT_INSTANCE_PATH", str(tmp_path))
    return monkeypatch


def test_the_settings_are_read_checked_and_shown_by_config_check(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("QA_AUDIT_PASSWORD_SIGN_IN", "Break-Glass-Only")
    environment.setenv("QA_AUDIT_BREAK_GLASS_ADMINS", f" {ADMIN_EMAIL.upper()} , second@x.org,")
    config = Config()
    assert config.PASSWORD_SIGN_IN == "break-glass-only"
    assert config.BREAK_GLASS_ADMINS == [ADMIN_EMAIL, "second@x.org"]
    result = CliRunner().invoke(main, ["config", "check"])
    assert result.exit_code == 0, result.output
    for name in (
        "QA_AUDIT_PASSWORD_SIGN_IN",
        "QA_AUDIT_BREAK_GLASS_ADMINS",
        "QA_AUDIT_DORMANT_DAYS",
        "QA_AUDIT_DORMANT_AUTO_DEACTIVATE",
        "QA_AUDIT_SCIM_TOKEN_HASH",
    ):
        assert name in result.output
    environment.setenv("QA_AUDIT_PASSWORD_SIGN_IN", "off")
    with pytest.raises(
        ConfigError, match="QA_AUDIT_PASSWORD_SIGN_IN must be on or break-glass-only"
    ):
        Config()
    environment.setenv("QA_AUDIT_PASSWORD_SIGN_IN", "on")
    environment.setenv("QA_AUDIT_SCIM_TOKEN_HASH", "not-a-hash")
    with pytest.raises(ConfigError, match="QA_AUDIT_SCIM_TOKEN_HASH"):
        Config()
