"""The CSV import of historical audits (docs/domain.md, "Importing historical audits").

Every row is checked first and every problem is collected with the file's line number; if
there is any problem nothing is written. Otherwise the audits, their domain grades and any
moderation are inserted in bulk inside the caller's transaction; the caller commits once.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import BinaryIO

from flask import current_app
from sqlalchemy.exc import IntegrityError

from qa_audit.audit_import import reading, workbook, writing
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
from qa_audit.audit_import.preview import ImportPreview, summarise
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
    "ImportPreview",
    "ImportProblem",
    "ImportResult",
    "import_audits",
    "preview_audits",
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


def _header(rows: Iterator[tuple[int, list[str]]]) -> list[str]:
    """The header row; AuditImportError if the file is empty or starts with a blank line."""
    first = next(rows, None)
    if first is None:
        raise AuditImportError(
            [ImportProblem(1, "the first line must be the header row (the file is empty)")]
        )
    if first[0] != 1:
        raise AuditImportError(
            [ImportProblem(1, "the first line must be the header row, not blank")]
        )
    return first[1]


def _too_many_rows(line: int, limit: int) -> AuditImportError:
    return AuditImportError(
        [
            ImportProblem(
                line,
                f"the file has more than {limit:,} audit rows, the most one import takes; "
                "split it into files of fewer rows and import each",
            )
        ]
    )


def _checked(
    rows: Iterator[tuple[int, list[str]]], checker: Checker, report: Progress, estimate: int
) -> int:
    """Check every row as it is read; the number of rows."""
    limit = current_app.config.get("IMPORT_MAX_ROWS", 50_000)
    report(CHECKING, 0, estimate)
    n = 0
    for n, (line, cells) in enumerate(rows, start=1):
        if n > limit:
            raise _too_many_rows(line, limit)
        checker.check(line, cells)
        if n % PROGRESS_STEP == 0:
            report(CHECKING, n, max(n, estimate))
    report(CHECKING, max(n, estimate), max(n, estimate))
    if not n:
        raise AuditImportError([ImportProblem(1, "the file has a header row but no audits")])
    checker.finish()
    if checker.problems:
        raise checker.problems.error()
    return n


@dataclass
class _Checked:
    """A file read and every row checked: nothing written yet."""

    file_name: str
    digest: str
    rows: int
    checker: Checker
    lookups: reading.Lookups


@contextmanager
def _rows_of(
    stream: BinaryIO, file_name: str
) -> Iterator[tuple[str, int, Iterator[tuple[int, list[str]]]]]:
    """(digest, estimated rows, rows) of a CSV file or an Excel workbook (.xlsx)."""
    if workbook.is_workbook(file_name, stream):
        digest = workbook.digest(stream)
        estimate, rows = workbook.rows(stream)
        yield digest, max(0, estimate - 1), rows
        return
    digest, line_breaks = reading.scan(stream)
    with reading.text_of(stream) as text:
        yield digest, max(0, line_breaks - 1), reading.records(text)


def _check_file(
    data: bytes | BinaryIO,
    file_name: str,
    create_users: bool,
    today: date | None,
    report: Progress,
) -> _Checked:
    """Read and check every row (AuditImportError naming every bad one); nothing is written."""
    file_name = PurePath(file_name.replace("\\", "/")).name or "upload.csv"
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    with _rows_of(stream, file_name) as (digest, estimate, rows):
        header = _header(rows)
        lookups = reading.Lookups.load()
        columns = reading.read_columns(header, lookups)
        checker = Checker(columns, lookups, today or local_today(), create_users)
        count = _checked(rows, checker, report, estimate)
    return _Checked(file_name, digest, count, checker, lookups)


def preview_audits(
    data: bytes | BinaryIO,
    file_name: str,
    *,
    create_users: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportPreview:
    """A dry run: every row checked as the import checks it (AuditImportError if any is bad),
    and what the import would write, counted by month and service area. Nothing is written."""
    checked = _check_file(
        data, file_name, create_users, today, progress or (lambda stage, done, total: None)
    )
    return summarise(checked.file_name, checked.rows, checked.checker, checked.lookups)


def import_audits(
    actor: User | None,
    data: bytes | BinaryIO,
    file_name: str,
    *,
    create_users: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row of an audits CSV file or Excel workbook, then insert them all
    (AuditImportError if any is bad).

    ``data`` is the file's bytes or a seekable binary stream; it is read as it is checked, so
    only the good rows are held, and at most MAX_PROBLEMS problems (the rest are counted).

    The caller commits once, or rolls back on AuditImportError (when rows are bad nothing has
    been written at all; a clash with a concurrent change may leave part of the insert to undo).
    """
    report = progress or (lambda stage, done, total: None)
    checked = _check_file(data, file_name, create_users, today, report)
    file_name, digest, count = checked.file_name, checked.digest, checked.rows
    checker, lookups = checked.checker, checked.lookups
    try:
        batch = writing.record_batch(actor, file_name, digest)
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
                "rows": count,
                "audits": result.audits,
                "moderations": result.moderations,
                "users_created": len(created),
            },
        )
    )
    db.session.flush()
    return ImportResult(
        file=file_name,
        rows=count,
        audits=result.audits,
        moderations=result.moderations,
        users_created=created,
        outcomes=result.outcomes,
        closing_the_loop_linked=result.closing_the_loop_linked,
    )
