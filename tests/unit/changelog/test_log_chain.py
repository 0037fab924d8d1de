"""Tamper-evident logs: the change log and the access log are hash chains, and
``qa-audit logs verify`` names the first row edited, deleted or moved (issue 13)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import Table, func, select

from qa_audit.access_log.models import AccessLogEntry
from qa_audit.access_log.services import record_access
from qa_audit.auth.roles import Role
from qa_audit.changelog.chain import verify
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.changelog.services import record_change
from tests import factories

TABLES: dict[str, Table] = {
    "change_log": ChangeLogEntry.__table__,  # type: ignore[dict-item]
    "access_log": AccessLogEntry.__table__,  # type: ignore[dict-item]
}


def write_both_logs(db) -> None:  # type: ignore[no-untyped-def]
    """Five new rows in each log, each flushed on its own as requests write them."""
    lead = factories.user(Role.QA_LEAD)
    area = factories.service_area("fgc")
    for n in range(5):
        record_change(lead, "service_area.renamed", area, {"name": f"A{n}"}, {"name": f"B{n}"})
        record_access(lead, "viewed", "audit", str(1000 + n), detail={"n": n})
        db.session.flush()


def ids(db, table: Table) -> list[int]:  # type: ignore[no-untyped-def]
    return list(db.session.execute(select(table.c.id).order_by(table.c.id)).scalars())


def breaks(db) -> list[str]:  # type: ignore[no-untyped-def]
    db.session.flush()
    return [str(b) for b in verify(db.session.connection())[1]]


def edit(db, table: Table, row_id: int) -> None:  # type: ignore[no-untyped-def]
    db.session.execute(table.update().where(table.c.id == row_id).values(action="listed"))


def delete(db, table: Table, row_id: int) -> None:  # type: ignore[no-untyped-def]
    db.session.execute(table.delete().where(table.c.id == row_id))


def move(db, table: Table, row_id: int) -> None:  # type: ignore[no-untyped-def]
    """The row taken out and put back as the newest (a new id): the order is changed."""
    newest = db.session.scalar(select(func.max(table.c.id)))
    db.session.execute(table.update().where(table.c.id == row_id).values(id=newest + 1))


def swap(db, table: Table, row_id: int) -> None:  # type: ignore[no-untyped-def]
    """The row and the one after it change places, hashes and all."""
    following = db.session.scalar(select(func.min(table.c.id)).where(table.c.id > row_id))
    spare = db.session.scalar(select(func.max(table.c.id))) + 100
    for old, new in ((row_id, spare), (following, row_id), (spare, following)):
        db.session.execute(table.update().where(table.c.id == old).values(id=new))


TAMPERING: dict[str, Callable[..., None]] = {
    "edit": edit,
    "delete": delete,
    "move": move,
    "swap": swap,
}


def test_the_logs_as_written_are_intact(db) -> None:  # type: ignore[no-untyped-def]
    write_both_logs(db)
    counts, found = verify(db.session.connection())
    assert found == []
    assert counts["change_log"] >= 5
    assert counts["access_log"] >= 5
    rows = db.session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id.desc()).limit(2))
    newest, before = list(rows)
    assert newest.row_hash
    assert before.row_hash
    assert newest.row_hash != before.row_hash


@pytest.mark.parametrize("name", sorted(TABLES))
@pytest.mark.parametrize("tampering", sorted(TAMPERING))
def test_each_kind_of_tampering_is_found_at_its_row(db, name: str, tampering: str) -> None:  # type: ignore[no-untyped-def]
    write_both_logs(db)
    table = TABLES[name]
    row_ids = ids(db, table)
    target = row_ids[-3]  # a row in the middle of the newest ones
    TAMPERING[tampering](db, table, target)
    # The first row that no longer fits: the row itself when changed or moved away from its
    # place, the row after it when it is gone.
    first_bad = row_ids[-2] if tampering in ("delete", "move") else target
    assert breaks(db) == [
        f"{name}: row {first_bad}: changed, or a row just before it was deleted or moved"
    ]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_deleting_the_newest_rows_is_found(db, name: str) -> None:  # type: ignore[no-untyped-def]
    write_both_logs(db)
    table = TABLES[name]
    delete(db, table, ids(db, table)[-1])
    assert breaks(db) == [f"{name}: its newest rows: the newest rows were deleted"]


def test_rows_added_after_a_rollback_continue_the_chain(db) -> None:  # type: ignore[no-untyped-def]
    write_both_logs(db)
    lead = factories.user(Role.QA_LEAD)
    with db.session.begin_nested() as savepoint:
        record_access(lead, "viewed", "audit", "2000")
        db.session.flush()
        savepoint.rollback()
    record_access(lead, "viewed", "audit", "2001")
    assert breaks(db) == []


def test_the_command_reports_the_first_bad_row_and_fails(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    write_both_logs(db)
    runner = app.test_cli_runner()
    intact = runner.invoke(args=["logs", "verify"])
    assert intact.exit_code == 0, intact.output
    assert "The logs are intact" in intact.output

    table = TABLES["access_log"]
    target = ids(db, table)[-2]
    edit(db, table, target)
    db.session.flush()
    tampered = runner.invoke(args=["logs", "verify"])
    assert tampered.exit_code == 1
    assert f"Tampered: access_log: row {target}: changed" in tampered.output
