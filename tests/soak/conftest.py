"""Soak tests (make soak): a real gunicorn server on loopback, on SQLite or PostgreSQL
(QA_AUDIT_TEST_DATABASE_URL, as for the suite). Run only with QA_AUDIT_SOAK=1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from qa_audit.auth.roles import Role
from qa_audit.auth.services import create_user
from qa_audit.core.extensions import db as _db
from qa_audit.organisation.models import ServiceArea
from tests.databases import fresh_database
from tests.soak.harness import PASSWORD

AUDITORS = 20
FIGURES: list[str] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("QA_AUDIT_SOAK") == "1":
        return
    skip = pytest.mark.skip(reason="soak test: run with `make soak` (QA_AUDIT_SOAK=1)")
    for item in items:
        if "tests/soak/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in FIGURES:
        terminalreporter.write_line(line)


@dataclass
class Prepared:
    """A migrated database with reference data and the people of the soak."""

    url: str
    instance: Path
    area_id: int
    team_id: int
    auditors: list[str] = field(default_factory=list)
    moderators: list[str] = field(default_factory=list)
    qa_lead: str = ""


@pytest.fixture
def prepared(tmp_path: Path) -> Iterator[Prepared]:
    from tests.conftest import make_migrated_app

    instance = tmp_path / "instance"
    (instance / "matplotlib").mkdir(parents=True)
    with fresh_database(tmp_path, "soak") as url:
        app = make_migrated_app(url)
        with app.app_context():
            area = _db.session.query(ServiceArea).filter_by(key="locality").one()
            found = Prepared(url, instance, area.id, area.teams[0].id)
            for n in range(AUDITORS):
                email = f"soak-auditor-{n:02d}@example.org"
                create_user(
                    None,
                    email=email,
                    name=f"Soak Auditor {n:02d}",
                    roles=[Role.AUDITOR],
                    password=PASSWORD,
                    service_area_id=area.id,
                    team_id=area.teams[0].id,
                )
                found.auditors.append(email)
            for n in range(2):
                email = f"soak-moderator-{n}@example.org"
                create_user(
                    None,
                    email=email,
                    name=f"Soak Moderator {n}",
                    roles=[Role.MODERATOR],
                    password=PASSWORD,
                )
                found.moderators.append(email)
            found.qa_lead = "soak-lead@example.org"
            create_user(
                None, email=found.qa_lead, name="Soak Lead", roles=[Role.QA_LEAD], password=PASSWORD
            )
            _db.session.commit()
            _db.session.remove()
            _db.engine.dispose()
        yield found
