"""The CSV import of historical audits (docs/domain.md, "Importing historical audits").

Every row is checked first and every problem is collected with the file's line number; if
there is any problem nothing is written. Otherwise the audits, their domain grades and any
moderation are inserted in bulk inside the caller's transaction; the caller commits once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from sqlalchemy.exc import IntegrityError

from qa_audit.audit_import import reading, writing
from qa_audit.audit_import.checking import Checker
from qa_audit.audit_import.contract import (
    AUDIT_COLUMNS,
    CHECKING,
    IMPORTING,
    MODERATION_COLUMNS,
    AuditImportError,
    ImportProblem,
    Progress,
)
from qa_audit.auth.models import User
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db

__all__ = [
    "AUDIT_COLUMNS",
    "CHECKING",
    "IMPORTING",
    "MODERATION_COLUMNS",
    "AuditImportError",
    "ImportProblem",
    "ImportResult",
    "import_audits",
]

PROGRESS_STEP = 500


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    file: str
    rows: int
    audits: int
    moderations: int
    users_created: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    closing_the_loop_linked: int = 0


def _body(data: bytes) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """The records after the header, and the header; AuditImportError if there are none."""
    records, read_problems = reading.records(reading.decode(data))
    if read_problems:
        raise AuditImportError(read_problems)
    if not records or records[0][0] != 1:
        raise AuditImportError(
            [ImportProblem(1, "the first line must be the header row (the file is empty)")]
            if not records
            else [ImportProblem(1, "the first line must be the header row, not blank")]
        )
    return records[1:], records[0][1]


def _checked(body: list[tuple[int, list[str]]], checker: Checker, report: Progress) -> None:
    total = len(body)
    report(CHECKING, 0, total)
    for n, (line, cells) in enumerate(body, start=1):
        checker.check(line, cells)
        if n % PROGRESS_STEP == 0:
            report(CHECKING, n, total)
    report(CHECKING, total, total)
    checker.finish()
    if checker.problems:
        raise AuditImportError(checker.problems)


def import_audits(
    actor: User | None,
    data: bytes,
    file_name: str,
    *,
    create_users: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row of an audits CSV, then insert them all (AuditImportError if any is bad).

    The caller commits once, or rolls back on AuditImportError (when rows are bad nothing has
    been written at all; a clash with a concurrent change may leave part of the insert to undo).
    """
    file_name = PurePath(file_name.replace("\\", "/")).name or "upload.csv"
    report = progress or (lambda stage, done, total: None)
    body, header = _body(data)
    lookups = reading.Lookups.load()
    columns = reading.read_columns(header, lookups)
    if not body:
        raise AuditImportError([ImportProblem(1, "the file has a header row but no audits")])
    checker = Checker(columns, lookups, today or local_today(), create_users)
    _checked(body, checker, report)
    try:
        batch = writing.record_batch(actor, file_name, hashlib.sha256(data).hexdigest())
        created = writing.create_users(actor, checker.new_users, lookups.users, batch)
        result = writing.insert_audits(actor, checker.rows, lookups.users, batch, report)
    except IntegrityError as exc:
        # Only a concurrent change can get here (every row was checked): say so, write nothing.
        raise AuditImportError(
            [
                ImportProblem(
                    0,
                    "the database refused the import, perhaps because someone else added the "
                    f"same audits or accounts at the same time; try again ({exc.orig})",
                )
            ]
        ) from exc
    db.session.add(
        ChangeLogEntry(
            actor_id=actor.id if actor is not None else None,
            action="audits.imported",
            entity_type="import_batch",
            entity_id=str(batch.id),
            before=None,
            after={
                "file": file_name,
                "rows": len(body),
                "audits": result.audits,
                "moderations": result.moderations,
                "users_created": len(created),
            },
        )
    )
    db.session.flush()
    return ImportResult(
        file=file_name,
        rows=len(body),
        audits=result.audits,
        moderations=result.moderations,
        users_created=created,
        outcomes=result.outcomes,
        closing_the_loop_linked=result.closing_the_loop_linked,
    )
