"""An import's attribution: each imported audit records who imported it, from which file
(name and sha256) and when, and says so in its history; accounts an import creates wait,
inactive, for an administrator's approval (issue 13, finding 19)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.audit_import.models import ImportBatch
from qa_audit.audit_import.services import import_audits
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.clock import utcnow
from tests import factories
from tests.factories.audit_import import csv_bytes, people, row

TODAY = date(2024, 6, 1)
NEW_AUDITOR = "jo.imported@example.org"


def test_each_imported_audit_names_who_imported_it_from_which_file_and_when(db) -> None:  # type: ignore[no-untyped-def]
    people()
    lead = factories.user(Role.QA_LEAD)
    rows = [row(), row()]
    data = csv_bytes(rows)
    import_audits(lead, data, "C:\\exports\\spring.csv", today=TODAY)
    db.session.flush()
    audits = [
        db.session.scalar(select(Audit).where(Audit.reference == r["audit_ref"])) for r in rows
    ]
    batch_ids = {a.import_batch_id for a in audits if a is not None}
    assert len(batch_ids) == 1
    assert None not in batch_ids
    batch = db.session.get(ImportBatch, batch_ids.pop())
    assert batch is not None
    assert (batch.imported_by_id, batch.file_name) == (lead.id, "spring.csv")
    assert batch.file_sha256 == hashlib.sha256(data).hexdigest()
    assert abs(batch.imported_at - utcnow()) < timedelta(minutes=1)

    (entry,) = history(audits[0])
    assert (entry.action, entry.actor_id) == ("audits.imported", lead.id)
    assert entry.after is not None
    assert entry.after["file"] == "spring.csv"


def test_accounts_an_import_creates_await_approval(db, client: FlaskClient, login_as) -> None:  # type: ignore[no-untyped-def]
    people()
    lead = factories.user(Role.QA_LEAD)
    import_audits(
        lead, csv_bytes([row(auditor_email=NEW_AUDITOR)]), "a.csv", today=TODAY, create_users=True
    )
    db.session.commit()
    created = db.session.scalar(select(User).where(User.email == NEW_AUDITOR))
    assert created is not None
    assert not created.active
    actions = [(e.action, (e.after or {}).get("file_name")) for e in history(created)]
    assert ("user.created_by_import", "a.csv") in actions

    login_as(Role.ADMIN)
    page = client.get("/admin/users").get_data(as_text=True)
    at = page.index(NEW_AUDITOR)
    assert "Awaiting approval" in page[at : page.index("</tr>", at)]
