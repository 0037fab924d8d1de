"""The QA lead's page for importing historical audits from a CSV file."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from pathlib import Path

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


@pytest.fixture(autouse=True)
def own_instance_folder(app: Flask, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Checked files are kept in the instance folder: the test's own, not the repository's."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))


def upload(client: FlaskClient, data: bytes, name: str = "audits.csv", **fields: object):  # type: ignore[no-untyped-def]
    return client.post(
        URL,
        data={"file": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def confirm(client: FlaskClient, preview_page: str):  # type: ignore[no-untyped-def]
    """Press "Import audits" on the dry run's page: its hidden fields as it sends them."""
    fields = dict(
        re.findall(
            r'<input[^>]*name="(token|file_name|create_users)"[^>]*value="([^"]*)"', preview_page
        )
    )
    return client.post(f"{URL}/confirm", data=fields)


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
    preview = upload(client, csv_bytes(rows), "history 2024.csv")
    assert preview.status_code == 200
    page = text(preview)
    assert "Check the audits before you import them" in page
    assert "Nothing has been imported yet." in page
    assert count(Audit) == before  # the dry run writes nothing
    response = confirm(client, page)
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

    preview = upload(client, data, create_users="y")
    assert preview.status_code == 200
    assert "brand.new@example.org" in text(preview)  # an account it would create
    response = confirm(client, text(preview))
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
    assert "Select a CSV file or an Excel workbook of audits" in text(response)


def test_not_a_csv_file(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.QA_LEAD)
    response = upload(client, b"hello", "notes.txt")
    assert response.status_code == 400
    assert "The selected file must be a CSV file (.csv) or an Excel workbook (.xlsx)" in text(
        response
    )


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


def test_the_dry_run_counts_by_month_and_area_and_shows_the_first_rows(
    client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.QA_LEAD)
    people()
    db.session.commit()
    before = count(Audit)
    rows = [row(audit_ref=f"DRY-{n}", submitted_on=f"{n}/05/2024") for n in range(1, 13)]
    rows.append(
        row(audit_ref="DRY-JUNE", submitted_on="2024-06-03", service_area="fostering", team="")
    )
    page = text(upload(client, csv_bytes(rows)))
    assert re.search(
        r"<td[^>]*>2024-05</td>\s*<td[^>]*>Locality[^<]*</td>\s*<td[^>]*>12</td>", page
    )
    assert re.search(r"<td[^>]*>2024-06</td>\s*<td[^>]*>Fostering</td>\s*<td[^>]*>1</td>", page)
    assert "The first 10 rows" in page
    assert "DRY-10" in page
    assert "DRY-11" not in page
    assert count(Audit) == before


def test_an_excel_workbook_is_checked_and_imported(
    client: FlaskClient, login_as: Callable, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    from bench.csv_sample import sample_header

    login_as(Role.QA_LEAD)
    people()
    db.session.commit()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(sample_header())
    values = row(audit_ref="XLS-WEB-1", overall_grade="Requires Improvement (to be Good)")
    sheet.append([values.get(c) for c in sample_header()])
    out = io.BytesIO()
    book.save(out)
    before = count(Audit)
    preview = upload(client, out.getvalue(), "history.xlsx")
    assert preview.status_code == 200
    assert "XLS-WEB-1" in text(preview)
    assert confirm(client, text(preview)).status_code == 302
    assert count(Audit) == before + 1
    assert list((tmp_path / "pending-imports").iterdir()) == []  # removed once imported


def test_a_file_not_kept_is_not_imported(client: FlaskClient, login_as: Callable) -> None:
    login_as(Role.QA_LEAD)
    response = client.post(f"{URL}/confirm", data={"token": "x" * 32, "file_name": "a.csv"})
    assert response.status_code == 400
    assert "The checked file is no longer kept" in text(response)


def test_another_qa_leads_checked_file_is_not_theirs_to_import(
    client: FlaskClient, login_as: Callable
) -> None:
    login_as(Role.QA_LEAD)
    people()
    db.session.commit()
    page = text(upload(client, csv_bytes([row()])))
    client.post("/sign-out")
    login_as(Role.QA_LEAD)  # someone else, on the same browser
    before = count(Audit)
    response = confirm(client, page)
    assert response.status_code == 400
    assert "The checked file is no longer kept" in text(response)
    assert count(Audit) == before
