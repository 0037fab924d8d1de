"""The data version moves on with every committed change to records (ORM, Core, the bulk
importer, connections used without a session), in the same transaction, and not for the
bookkeeping tables (access log, change log, API token use)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import insert, select, update

from qa_audit.access_log.exports import record_export
from qa_audit.access_log.models import AccessAction, AccessLogEntry
from qa_audit.access_log.services import record_access
from qa_audit.api.models import ApiToken
from qa_audit.api.tokens import issue_token
from qa_audit.audit_import.services import import_audits
from qa_audit.audits.services import save_draft, submit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.signins import SignInSession
from qa_audit.changelog.services import record_change
from qa_audit.core.clock import utcnow
from qa_audit.core.data_version import (
    DataVersion,
    current,
    holds_changes,
    note_change,
    unreported,
)
from qa_audit.core.extensions import db
from qa_audit.organisation.models import ServiceArea, Team
from tests import factories
from tests.conftest import make_migrated_app
from tests.databases import fresh_database
from tests.factories import audit_import as rows
from tests.factories.audits import draft_data, started


def version() -> int:
    value = current()
    assert value is not None
    return value


def test_a_recorded_change_marks_the_session_and_a_log_entry_does_not(db) -> None:  # type: ignore[no-untyped-def]
    """record_change is where every service's change passes: it marks the transaction (the
    change log it writes is bookkeeping, and so is a change to an API token)."""
    area = db.session.scalar(select(ServiceArea).where(ServiceArea.key == "locality"))
    lead = factories.user(Role.QA_LEAD)
    token, _ = issue_token(lead, "Dashboard")
    db.session.commit()
    assert not holds_changes()
    record_change(lead, "api_token.touched", token, None, {"n": 1})
    assert not holds_changes()
    record_change(None, "service_area.noted", area, None, {"note": "a"})
    assert holds_changes()
    db.session.rollback()
    assert not holds_changes()
    note_change("access_log")
    note_change("api_token")
    assert not holds_changes()
    note_change()
    assert holds_changes()


def test_an_orm_change_moves_the_version_on_once(db) -> None:  # type: ignore[no-untyped-def]
    before = version()
    factories.user(Role.AUDITOR)
    factories.audit()
    db.session.commit()
    assert version() == before + 1
    db.session.commit()  # nothing written: no change
    assert version() == before + 1


def test_core_updates_and_inserts_move_it_on(db) -> None:  # type: ignore[no-untyped-def]
    before = version()
    db.session.execute(update(ServiceArea).where(ServiceArea.key == "locality").values(name="L"))
    db.session.commit()
    assert version() == before + 1
    area_id = db.session.scalar(select(ServiceArea.id).where(ServiceArea.key == "locality"))
    db.session.execute(insert(Team).values(name="Core team", service_area_id=area_id))
    db.session.commit()
    assert version() == before + 2


def test_the_bulk_importer_moves_it_on(db) -> None:  # type: ignore[no-untyped-def]
    """On PostgreSQL the importer writes by COPY, which SQLAlchemy never sees."""
    rows.people()
    db.session.commit()
    before = version()
    data = rows.csv_bytes([rows.row(), rows.row(overall_grade="Inadequate")])
    result = import_audits(None, data, "history.csv", today=date(2024, 6, 1))
    db.session.commit()
    assert result.audits == 2
    assert version() == before + 1


def test_the_access_log_the_change_log_and_token_use_do_not(db) -> None:  # type: ignore[no-untyped-def]
    viewer = factories.user(Role.QA_LEAD)
    db.session.commit()
    before = version()
    record_access(viewer, AccessAction.VIEWED, "audit", "1")
    db.session.commit()
    record_export(viewer, "period_report", file_format="csv", rows=3, filters={})
    db.session.commit()
    assert version() == before
    # The version's own row, written by hand, is not a change to the records either.
    db.session.execute(update(DataVersion).values(n=DataVersion.n))
    db.session.commit()
    assert version() == before


def test_a_rolled_back_change_does_not_count_and_leaves_no_mark(db) -> None:  # type: ignore[no-untyped-def]
    viewer = factories.user(Role.VIEWER)
    db.session.commit()
    before = version()
    viewer.name = "Changed, then not"
    db.session.flush()
    db.session.rollback()
    record_access(viewer, AccessAction.LISTED, "audit_list", "list")
    db.session.commit()
    assert version() == before


def test_savepoints_rolled_back_undo_their_changes_and_nothing_else(db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.VIEWER)
    db.session.commit()
    before = version()
    with db.session.begin_nested() as inner:
        user.name = "Undone"
        db.session.flush()
        inner.rollback()
    db.session.commit()
    assert version() == before  # only an undone change: nothing counted
    user.name = "Kept"
    db.session.flush()
    with db.session.begin_nested() as inner:
        factories.user(Role.AUDITOR)
        db.session.flush()
        inner.rollback()
    db.session.commit()
    assert version() == before + 1  # the change before the savepoint still counts
    assert db.session.get(User, user.id).name == "Kept"  # type: ignore[union-attr]


def test_a_draft_save_leaves_it_and_submitting_moves_it_on(db) -> None:  # type: ignore[no-untyped-def]
    """Defect: every autosave of a draft moved the version, so the report cache was nearly
    always cold during a working day, though no report counts a draft."""
    audit = started()
    db.session.commit()
    before = version()
    assert save_draft(audit.auditor, audit, audit.version, draft_data(audit))
    assert not holds_changes()
    db.session.commit()
    assert version() == before
    assert save_draft(audit.auditor, audit, audit.version, draft_data(audit, rationale="Again"))
    db.session.commit()
    assert version() == before
    submit(audit.auditor, audit, today=date(2024, 5, 20))
    db.session.commit()
    assert version() == before + 1


def test_unreported_counts_what_came_before_it_and_what_follows(db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.VIEWER)
    db.session.commit()
    before = version()
    with unreported():
        user.name = "Unreported"
        db.session.flush()
    db.session.commit()
    assert version() == before
    user.name = "Before the block"  # pending as the block begins: flushed and counted
    with unreported():
        pass
    db.session.commit()
    assert version() == before + 1
    with unreported():
        user.name = "Left unflushed"  # flushed after the block: counted
    db.session.commit()
    assert version() == before + 2


# --- real commits, on a database of their own -----------------------------------------------


@pytest.fixture(scope="module")
def own_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with fresh_database(tmp_path_factory.mktemp("data_version"), "dataversion") as url:
        application = make_migrated_app(url)
        yield application
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def committed_version(app: Flask) -> int:
    with app.app_context(), db.engine.connect() as conn:
        return int(conn.scalar(select(DataVersion.n)) or 0)


def test_a_real_commit_moves_it_on_as_its_last_statement(own_app: Flask) -> None:
    """The app's own session (no test savepoints): the bump waits for the commit; a write on
    the session's connection that bypasses the session (as restoring a backup does) counts
    once noted; a rolled-back change does not count."""
    before = committed_version(own_app)
    with own_app.app_context():
        area = db.session.scalar(select(ServiceArea).where(ServiceArea.key == "fostering"))
        assert area is not None
        area.name = "Foster"
        db.session.flush()
        # Not yet: the bump is the last statement before COMMIT.
        assert db.session.scalar(select(DataVersion.n)) == before
        db.session.commit()
    assert committed_version(own_app) == before + 1
    with own_app.app_context():
        db.session.connection().execute(update(ServiceArea).values(name=ServiceArea.name))
        note_change()
        db.session.commit()
    assert committed_version(own_app) == before + 2
    with own_app.app_context():
        db.session.execute(update(ServiceArea).values(name=ServiceArea.name))
        db.session.rollback()
        db.session.commit()
    assert committed_version(own_app) == before + 2


def test_page_views_change_nothing(own_app: Flask) -> None:
    """Signing in writes the account (a change); then pages, an audit's page (which writes
    the access log and commits), a report download and an API read (recorded in both logs,
    the token's last use noted) do not."""
    with own_app.app_context():
        lead = factories.user(Role.QA_LEAD)
        audit = factories.audit(reference="DV-1")
        _, token = issue_token(lead, "Dashboard")
        db.session.commit()
        audit_id, email = audit.id, lead.email
    client = own_app.test_client()
    signed_in = client.post("/sign-in", data={"email": email, "password": factories.PASSWORD})
    assert signed_in.status_code == 302
    before = committed_version(own_app)
    period = {"from": "2024-02", "to": "2024-04"}
    assert client.get(f"/audits/{audit_id}").status_code == 200
    assert client.get("/reports", query_string=period).status_code == 200
    assert client.get("/reports/download.json", query_string=period).status_code == 200
    assert client.get("/").status_code == 200
    api = own_app.test_client().get(
        "/api/v1/reports/period",
        query_string=period,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 200
    assert committed_version(own_app) == before
    with own_app.app_context():  # they did write, and commit
        logged = db.session.scalars(select(AccessLogEntry.action)).all()
        assert logged.count("viewed") == 1
        assert logged.count("exported") == 2
        assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_a_signed_in_persons_last_seen_time_leaves_it(own_app: Flask) -> None:
    """Defect: a sign-in session's last-seen time, written as the person browses (at most
    once a minute each), moved the version and so emptied the report cache."""
    with own_app.app_context():
        viewer = factories.user(Role.VIEWER)
        db.session.commit()
        email = viewer.email
    client = own_app.test_client()
    signed_in = client.post("/sign-in", data={"email": email, "password": factories.PASSWORD})
    assert signed_in.status_code == 302
    with own_app.app_context():
        db.session.execute(
            update(SignInSession).values(last_seen_at=utcnow() - timedelta(minutes=2))
        )
        db.session.commit()
    before = committed_version(own_app)
    assert client.get("/").status_code == 200
    with own_app.app_context():
        seen = db.session.scalars(select(SignInSession.last_seen_at)).all()
    assert max(seen) > utcnow() - timedelta(minutes=1)  # it was written
    assert committed_version(own_app) == before
