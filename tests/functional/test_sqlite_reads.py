"""SQLite: pages are built while another connection holds the write lock, and requests that
read and requests that write run side by side without "database is locked".

A request that only asks to see something begins its transaction DEFERRED and reads its own
snapshot; what it still writes (the access log's row) is written after an explicit upgrade
to a write transaction, before the page leaves the server (qa_audit/core/db.py). These tests
need the application's own connections on a real file, not the suite's one test connection,
so they use an application of their own."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, template_rendered
from flask.testing import FlaskClient
from sqlalchemy import select

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.databases import is_postgres
from tests.factories.audits import started

pytestmark = pytest.mark.skipif(is_postgres(), reason="SQLite's locking (PostgreSQL has MVCC)")

# How long the other connection holds the write lock at most: far longer than a page takes to
# build, far shorter than busy_timeout (15 s), so a page that waited for it still completes.
HOLD_SECONDS = 8
READERS = 4
WRITERS = 2
ROUNDS = 12


@dataclass(frozen=True)
class Person:
    id: int
    email: str


@dataclass(frozen=True)
class Draft:
    id: int
    version: int
    domain_key: str


@dataclass
class World:
    app: Flask
    path: Path
    auditors: list[Person]
    drafts: list[Draft]
    lead: Person


def _person(user: User) -> Person:
    return Person(user.id, user.email)


def _draft(audit: Audit) -> Draft:
    return Draft(audit.id, audit.version, audit.grades[0].domain_key)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from tests.conftest import make_migrated_app

    path = tmp_path_factory.mktemp("sqlite-reads") / "qa-audit.sqlite"
    app = make_migrated_app(f"sqlite:///{path}")
    with app.app_context():
        auditors = [factories.user(Role.AUDITOR) for _ in range(WRITERS + 1)]
        audits = [started(auditor, case_ref=f"CR77{n:04d}") for n, auditor in enumerate(auditors)]
        lead = factories.user(Role.QA_LEAD)
        _db.session.commit()
        found = World(
            app, path, [_person(a) for a in auditors], [_draft(a) for a in audits], _person(lead)
        )
        _db.session.remove()
    yield found
    with app.app_context():
        _db.engine.dispose()


def signed_in(world: World, user: Person) -> FlaskClient:
    client = world.app.test_client()
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


class Writer(threading.Thread):
    """Another connection to the file holding the write lock (BEGIN IMMEDIATE) until ``until``
    is set, or HOLD_SECONDS pass; ``released_early`` says which."""

    def __init__(self, path: Path, until: threading.Event) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.until = until
        self.holding = threading.Event()
        self.released_early = False

    def run(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            self.holding.set()
            self.released_early = self.until.wait(HOLD_SECONDS)
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    def __enter__(self) -> Writer:
        self.start()
        assert self.holding.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.until.set()
        self.join(HOLD_SECONDS + 5)


def access_rows(world: World, user: Person, entity_id: str) -> list[AccessLogEntry]:
    """``user``'s access-log rows for audits (``entity_id``: one audit's id, or "list")."""
    with world.app.app_context():
        return list(
            _db.session.scalars(
                select(AccessLogEntry).where(
                    AccessLogEntry.user_id == user.id,
                    AccessLogEntry.entity_type == "audit",
                    AccessLogEntry.entity_id == entity_id,
                )
            )
        )


def test_a_page_without_a_log_row_returns_while_a_writer_holds_the_lock(world: World) -> None:
    """Defect: every request began BEGIN IMMEDIATE, so a page waited for any writer to finish."""
    client = signed_in(world, world.lead)
    returned = threading.Event()
    with Writer(world.path, returned) as writer:
        response = client.get("/account/sessions")
        returned.set()
    assert response.status_code == 200
    assert writer.released_early  # the page came back while the writer still held the lock


@pytest.mark.parametrize(
    ("path", "entity_id"),
    [("/audit-list", "list"), ("/audits/{audit_id}", "{audit_id}")],
)
def test_a_case_level_page_is_built_while_a_writer_holds_the_lock_and_is_logged(
    world: World, path: str, entity_id: str
) -> None:
    """Defect: the audit list and an audit page queued behind any writer before reading
    anything. Now the page is built while the writer holds the lock; its access-log row is
    then written (waiting for the lock) before the page leaves, so no page is shown unlogged."""
    client = signed_in(world, world.lead)
    url = path.format(audit_id=world.drafts[-1].id)
    entity_id = entity_id.format(audit_id=world.drafts[-1].id)
    before = len(access_rows(world, world.lead, entity_id))
    built = threading.Event()

    def page_built(sender: Flask, template: Any, context: dict[str, Any], **extra: Any) -> None:
        built.set()

    with template_rendered.connected_to(page_built, world.app), Writer(world.path, built) as writer:
        response = client.get(url)
    assert response.status_code == 200
    assert writer.released_early  # built before the writer let go, not after
    assert len(access_rows(world, world.lead, entity_id)) == before + 1


def _reading(world: World, user: Person, url: str) -> Callable[[], list[int]]:
    def run() -> list[int]:
        client = signed_in(world, user)
        return [client.get(url).status_code for _ in range(ROUNDS)]

    return run


def _autosaving(world: World, user: Person, draft: Draft) -> Callable[[], list[int]]:
    def run() -> list[int]:
        client = signed_in(world, user)
        key = draft.domain_key
        version = draft.version
        statuses = []
        for n in range(ROUNDS):
            response = client.post(
                f"/audits/{draft.id}/autosave",
                data={
                    "version": str(version),
                    "section": key,
                    f"{key}-grade": "good",
                    f"{key}-working_well": f"saved {n}",
                    f"{key}-needs_improvement": "",
                    f"{key}-impact": "",
                },
            )
            statuses.append(response.status_code)
            version = response.get_json().get("version", version)
        return statuses

    return run


def test_reads_and_writes_at_once_never_meet_a_locked_database(world: World) -> None:
    """Pages read (and log themselves) while drafts are saved, in threads on one file: a read
    transaction that writes its log row without first taking the write lock would fail at
    once with "database is locked" whenever a save committed after its first read."""
    jobs: list[Callable[[], list[int]]] = []
    for n in range(READERS):
        url = "/audit-list" if n % 2 else f"/audits/{world.drafts[-1].id}"
        jobs.append(_reading(world, world.lead, url))
    for n in range(WRITERS):
        jobs.append(_autosaving(world, world.auditors[n], world.drafts[n]))
    results: list[list[int]] = [[] for _ in jobs]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            results[index] = jobs[index]()
        except BaseException as error:  # every failure is reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [str(error) for error in errors] == []
    assert all(status == 200 for statuses in results for status in statuses), results
    assert sum(len(statuses) for statuses in results) == len(jobs) * ROUNDS
