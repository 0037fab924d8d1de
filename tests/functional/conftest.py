"""Fixtures of the page tests: ``auditor``, an auditor signed in on the test client, and
``audit``, a draft audit of theirs started three days ago."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from tests.factories.audits import started
from tests.functional.audit_form_pages import TODAY


@pytest.fixture
def auditor(login_as) -> User:  # type: ignore[no-untyped-def]
    return login_as(Role.AUDITOR, name="Alex Auditor")


@pytest.fixture
def audit(auditor: User) -> Audit:
    row = started(auditor, audit_date=TODAY - timedelta(days=3), today=TODAY)
    db.session.commit()
    return row
