"""The QA lead's page for importing historical audits from a CSV file."""

from __future__ import annotations

import html
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.extensions import db
from tests.factories.audit_import import MODERATOR, count, csv_bytes, people, row

URL = "/audits/import"


def upload(client: FlaskClient, data: bytes, name: str = "audits.csv", **fields: object):  # type: ignore[no-untyped-def]
    return client.post(
        URL,
        data={"file": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def test_the_qa_lead_sees_the_upload_form(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.QA_LEAD)
    response = client.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert '<h1 class="govuk-heading-l">Import audits</h1>' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page
    assert 'name="file"' in page
    assert 'name="create_users"' in page
    assert "moderated_grade:&lt;domain key&gt;" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "role", [Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER, Role.VIEWER, Role.ADMIN]
)
def test_other_roles_may_not_import(client: FlaskClient, login_as: Callable, role: Role) -> None:
    login_as(role)
    assert client.get(URL).status_code == 403
    before = count(Audit)
    assert upload(client, csv_bytes([row()])).status_code == 403
    assert count(Audit) == before


def test_signed_out_goes_to_sign_in(client: FlaskClient, db: object) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_a_valid_file_is_imported_and_the_counts_shown(
    client: FlaskClient, login_as: Callable
) -> None:
    qa_lead = login_as(Role.QA_LEAD)
    people()
    db.session.commit()
    before = count(Audit)
    rows = [
        row(audit_ref="WEB-1"),
        row(
            audit_ref="WEB-2",
            moderator_email=MODERATOR,
            moderated_on="2024-05-11",
            moderated_overall_grade="Good",
        ),
    ]
    response = upload(client, csv_bytes(rows), "history 2024.csv")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(URL)
    page = text(client.get(URL))
    assert "Imported 2 audits (1 with moderation) from history 2024.csv" in page
    assert count(Audit) == before + 2
    entry = db.session.scalars(
        select(ChangeLogEntry)
        .where(ChangeLogEntry.action == "audits.imported")
        .order_by(ChangeLogEntry.id.desc())
    ).first()
    assert entry is not None
    assert entry.actor_id == qa_lead.id
    assert entry.after is not None
    assert entry.after["audits"] == 2


def test_bad_rows_are_listed_and_nothing_is_imported(
    client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.QA_LEAD)
    people()
    db.session.commit()
    before = count(Audit)
    rows = [row(), row(service_area="Fostring"), row(), row(overall_grade="")]
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "The file has 2 problems on 2 lines. Nothing was imported." in page
    assert 'href="#file"' in page
    assert "Line 3: unknown service area 'Fostring'" in page
    assert "Line 5: overall_grade is blank: every audit needs its overall grade" in page
    assert "<title>Error: " in page
    assert count(Audit) == before


def test_create_users_checkbox(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.QA_LEAD)
    people()
    db.session.commit()
    data = csv_bytes([row(auditor_email="brand.new@example.org")])
    refused = upload(client, data)
    assert refused.status_code == 400
    assert "unknown auditor_email 'brand.new@example.org'" in text(refused)

    response = upload(client, data, create_users="y")
    assert response.status_code == 302
    page = text(client.get(URL))
    assert "Created 1 account that cannot sign in until an administrator activates it" in page
    user = db.session.scalar(select(User).where(User.email == "brand.new@example.org"))
    assert user is not None
    assert user.active is False
    assert user.password_hash is None


def test_no_file_chosen(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.QA_LEAD)
    response = client.post(URL, data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Select a CSV file of audits" in text(response)


def test_not_a_csv_file(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.QA_LEAD)
    response = upload(client, b"hello", "notes.txt")
    assert response.status_code == 400
    assert "The selected file must be a CSV file (.csv)" in text(response)


def test_too_large_a_file(
    app: Flask, client: FlaskClient, login_as: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as(Role.QA_LEAD)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2_000)
    response = upload(client, b"x" * 5_000)
    assert response.status_code == 413
    assert "The file is too large" in text(response)


def test_upload_needs_the_csrf_token(
    app: Flask, client: FlaskClient, login_as: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    login_as(Role.QA_LEAD)
    people()
    db.session.commit()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert 'name="csrf_token"' in text(client.get(URL))
    before = count(Audit)
    response = upload(client, csv_bytes([row()]))
    assert response.status_code == 400
    assert "Your form has expired" in text(response)
    assert count(Audit) == before


def test_past_a_thousand_problems_the_page_lists_a_thousand_and_counts_the_rest(
    client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.QA_LEAD)
    people()
    db.session.commit()
    before = count(Audit)
    response = upload(client, csv_bytes([row(overall_grade="") for _ in range(1_250)]))
    assert response.status_code == 400
    page = text(response)
    assert page.count("overall_grade is blank") == 1000
    assert "Line 1001: overall_grade is blank" in page
    assert "Line 1002: " not in page
    assert (
        "The file has 1,250 problems: the first 1,000 are listed, and 250 more are not. "
        "Nothing was imported." in page
    )
    assert "And 250 more problems, not listed here." in page
    assert count(Audit) == before
