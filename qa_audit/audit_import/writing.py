"""Writing an import: accounts for unknown e-mails (--create-users), then the audits, their
domain grades and any moderation in bulk (executemany in batches, no per-row ORM objects or
queries; COPY on PostgreSQL), then closing-the-loop audits linked to their earlier audit."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from qa_audit.audit_import.checking import Row
from qa_audit.audit_import.contract import (
    BATCH_SIZE,
    IMPORTING,
    AuditImportError,
    ImportProblem,
    Progress,
)
from qa_audit.audit_import.models import ImportBatch
from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.models import Audit, AuditDomainGrade, AuditSource, AuditStatus, AuditType
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import create_user
from qa_audit.changelog.services import record_change
from qa_audit.core.clock import utcnow
from qa_audit.core.data_version import note_change
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.moderation.models import (
    Moderation,
    ModerationGrade,
    ModerationPriority,
    ModerationStatus,
    outcome_of,
)

SELECTION_REASON = "Imported with the audit"
# Timestamps for imported dates: midday UTC, so the date is the same in any UK time.
MIDDAY = time(12, 0, tzinfo=UTC)
AUDIT_TABLE = cast(Table, Audit.__table__)
GRADE_TABLE = cast(Table, AuditDomainGrade.__table__)
MODERATION_TABLE = cast(Table, Moderation.__table__)
MODERATION_GRADE_TABLE = cast(Table, ModerationGrade.__table__)


def _name_from_email(email: str) -> str:
    local = email.split("@", 1)[0]
    words = [w for w in re.split(r"[._\-+]+", local) if w]
    return " ".join(w.capitalize() for w in words) or email


def create_users(
    actor: User | None,
    wanted: dict[str, tuple[int, set[Role]]],
    users: dict[str, int],
    batch: ImportBatch,
) -> list[str]:
    """Accounts for unknown e-mails: no password, inactive until an admin approves them
    (activates them); each account's history names the import that created it."""
    created: list[str] = []
    problems: list[ImportProblem] = []
    for email, (line, roles) in sorted(wanted.items()):
        try:
            user = create_user(
                actor,
                email=email,
                name=_name_from_email(email),
                roles=sorted(roles),
                password=None,
                active=False,
            )
        except DomainError as error:
            problems.append(ImportProblem(line, f"cannot create an account for {email}: {error}"))
            continue
        record_change(actor, "user.created_by_import", user, None, _awaiting_approval(batch))
        users[email] = user.id
        created.append(user.email)
    if problems:
        raise AuditImportError(problems)
    return created


def _awaiting_approval(batch: ImportBatch) -> dict[str, Any]:
    return {
        "import_batch_id": batch.id,
        "file_name": batch.file_name,
        "file_sha256": batch.file_sha256,
        "awaiting_approval": True,
    }


@dataclass
class _Inserted:
    audits: int = 0
    moderations: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    closing_the_loop_linked: int = 0


def _midday(day: date) -> datetime:
    return datetime.combine(day, MIDDAY)


GRADE_COLUMNS = (
    "audit_id",
    "tool_domain_id",
    "domain_key",
    "position",
    "grade",
    "working_well",
    "needs_improvement",
    "impact",
)
MODERATION_GRADE_COLUMNS = ("moderation_id", "domain_key", "grade", "rationale")


def _defaults(table: Table, given: Sequence[str]) -> dict[str, Any]:
    """Python-side defaults of the columns not given (the driver-level paths skip them)."""
    defaults: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if column.key in given or default is None or column.primary_key:
            continue
        if getattr(default, "is_scalar", False):
            defaults[column.key] = getattr(default, "arg", None)
        elif getattr(default, "is_callable", False):
            defaults[column.key] = default.arg(None)  # type: ignore[attr-defined]
    return defaults


class _Writer:
    """Bulk inserts: executemany, RETURNING the natural key to map new ids.

    (Not sort_by_parameter_order, which SQLite runs one row at a time.)"""

    def new_ids(self, table: Table, params: list[dict[str, Any]], key: str) -> dict[Any, int]:
        """Insert ``params`` into ``table``; the new id of each row, by its ``key`` column."""
        statement = insert(table).returning(table.c.id, table.c[key])
        return {value: new_id for new_id, value in db.session.execute(statement, params)}

    def rows(self, table: Table, names: Sequence[str], values: list[tuple[Any, ...]]) -> None:
        """Insert plain rows (``values`` in the order of ``names``)."""
        connection = db.session.connection()
        dialect = connection.dialect
        defaults = _defaults(table, names)
        columns = [*names, *defaults]
        extra = tuple(defaults.values())
        if extra:
            values = [v + extra for v in values]
        if dialect.paramstyle == "qmark" and all(
            table.c[n].type.bind_processor(dialect) is None for n in columns
        ):
            # Nothing to convert: straight to the driver's executemany (much less overhead).
            quote = dialect.identifier_preparer.quote
            sql = (
                f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            connection.exec_driver_sql(sql, values)
        else:
            db.session.execute(insert(table), [dict(zip(columns, v, strict=True)) for v in values])


class _CopyWriter(_Writer):
    """PostgreSQL: ids drawn from the table's sequence in one query, then the rows by COPY.

    executemany there sends one statement per row (85,000 for 10,000 audits) and a
    multi-row VALUES with RETURNING is slow to parse; COPY is several times faster."""

    def new_ids(self, table: Table, params: list[dict[str, Any]], key: str) -> dict[Any, int]:
        ids = db.session.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table.name, "n": len(params)},
        ).scalars()
        result: dict[Any, int] = {}
        for row, new_id in zip(params, ids, strict=True):
            row["id"] = new_id
            result[row[key]] = new_id
        names = list(params[0])
        self.rows(table, names, [tuple(row[n] for n in names) for row in params])
        return result

    def rows(self, table: Table, names: Sequence[str], values: list[tuple[Any, ...]]) -> None:
        connection = db.session.connection()
        defaults = _defaults(table, names)
        columns = [*names, *defaults]
        extra = tuple(defaults.values())
        quote = connection.dialect.identifier_preparer.quote
        sql = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in columns)}) FROM STDIN"
        raw: Any = connection.connection.dbapi_connection  # psycopg's Connection
        try:
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                for row in values:
                    copy.write_row(row + extra if extra else row)
        except connection.dialect.loaded_dbapi.IntegrityError as exc:
            raise IntegrityError(sql, None, exc) from exc


def _writer() -> _Writer:
    db.session.flush()
    note_change()  # bulk rows bypass record_change (and on PostgreSQL the session: COPY)
    if db.session.connection().dialect.name == "postgresql":
        return _CopyWriter()
    return _Writer()


def record_batch(actor: User | None, file_name: str, file_sha256: str) -> ImportBatch:
    """The import's own record: each audit it writes points to it, and the import's one
    change-log entry is about it, so an imported audit's history says who imported it, from
    which file, when."""
    batch = ImportBatch(
        imported_by_id=actor.id if actor is not None else None,
        imported_at=utcnow(),
        file_name=file_name[:255],
        file_sha256=file_sha256,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def insert_audits(
    actor: User | None,
    rows: list[Row],
    users: dict[str, int],
    import_batch: ImportBatch,
    report: Progress,
) -> _Inserted:
    now = utcnow()
    actor_id = actor.id if actor is not None else None
    rationale = f"Imported from {import_batch.file_name}"
    outcomes: Counter[str] = Counter()
    moderations = 0
    total = len(rows)
    writer = _writer()
    closing: list[tuple[int, Row]] = []
    report(IMPORTING, 0, total)
    for start in range(0, total, BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        audit_params: list[dict[str, Any]] = []
        for row in batch:
            submitted_at = _midday(row.submitted_on)
            audit_params.append(
                {
                    "reference": row.reference,
                    "case_ref": row.case_ref,
                    "service_area_id": row.area_id,
                    "team_id": row.team_id,
                    "auditor_id": users[row.auditor],
                    "tool_id": row.tool.id,
                    "audit_type": row.audit_type,
                    "previous_audit_id": None,
                    "audit_date": row.submitted_on,
                    "status": AuditStatus.SUBMITTED.value,
                    "source": AuditSource.IMPORT.value,
                    "import_batch_id": import_batch.id,
                    "overall_grade": row.overall.value,
                    "overall_rationale": rationale,
                    "submitted_at": submitted_at,
                    "submitted_on": row.submitted_on,
                    "submitted_month": f"{row.submitted_on:%Y-%m}",
                    "returned_reason": None,
                    "allocation_id": None,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        ids = writer.new_ids(AUDIT_TABLE, audit_params, "reference")
        audit_ids = [ids[row.reference] for row in batch]
        grade_values: list[tuple[Any, ...]] = []
        moderation_params: list[dict[str, Any]] = []
        moderated_rows: list[Row] = []
        na = Grade.NOT_APPLICABLE.value
        for audit_id, row in zip(audit_ids, batch, strict=True):
            if row.audit_type == AuditType.CLOSING_THE_LOOP.value:
                closing.append((audit_id, row))
            for domain in row.tool.domains:
                grade = row.grades.get(domain.key)
                grade_values.append(
                    (
                        audit_id,
                        domain.id,
                        domain.key,
                        domain.position,
                        grade.value if grade is not None else na,
                        "",
                        "",
                        "",
                    )
                )
            if row.moderator is None:
                continue
            assert row.moderated_overall is not None
            assert row.moderated_on is not None
            outcome = outcome_of(row.overall, row.moderated_overall).value
            outcomes[outcome] += 1
            completed_at = _midday(row.moderated_on)
            moderated_rows.append(row)
            moderation_params.append(
                {
                    "audit_id": audit_id,
                    "status": ModerationStatus.COMPLETED.value,
                    "priority": ModerationPriority.NORMAL.value,
                    "selection_reason": SELECTION_REASON,
                    "selected_by_id": actor_id,
                    "selected_at": _midday(row.submitted_on),
                    "due_on": None,
                    "moderator_id": users[row.moderator],
                    "overall_grade": row.moderated_overall.value,
                    "overall_rationale": rationale,
                    "outcome": outcome,
                    "moderated_on": row.moderated_on,
                    "completed_at": completed_at,
                    "withdrawn_reason": None,
                    "source": AuditSource.IMPORT.value,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        writer.rows(GRADE_TABLE, GRADE_COLUMNS, grade_values)
        if moderation_params:
            by_audit = writer.new_ids(MODERATION_TABLE, moderation_params, "audit_id")
            moderation_ids = [by_audit[p["audit_id"]] for p in moderation_params]
            moderation_grade_values: list[tuple[Any, ...]] = []
            for moderation_id, row in zip(moderation_ids, moderated_rows, strict=True):
                for domain in row.tool.domains:
                    # A blank moderated domain grade means the moderator agreed with the auditor.
                    grade = row.moderated_grades.get(domain.key) or row.grades.get(domain.key)
                    moderation_grade_values.append(
                        (moderation_id, domain.key, grade.value if grade is not None else na, "")
                    )
            writer.rows(MODERATION_GRADE_TABLE, MODERATION_GRADE_COLUMNS, moderation_grade_values)
            moderations += len(moderation_params)
        report(IMPORTING, start + len(batch), total)
    linked = _link_closing_the_loop(closing)
    return _Inserted(total, moderations, dict(outcomes), linked)


def _link_closing_the_loop(closing: list[tuple[int, Row]]) -> int:
    """Link each closing-the-loop audit to the latest earlier audit of the same case."""
    if not closing:
        return 0
    case_refs = sorted({row.case_ref for _, row in closing})
    earlier: dict[str, list[tuple[date, int]]] = {}
    for start in range(0, len(case_refs), BATCH_SIZE):
        chunk = case_refs[start : start + BATCH_SIZE]
        query = select(Audit.id, Audit.case_ref, Audit.audit_date).where(
            Audit.case_ref.in_(chunk), Audit.status != AuditStatus.DRAFT.value
        )
        for audit_id, case_ref, audit_date in db.session.execute(query):
            earlier.setdefault(case_ref, []).append((audit_date, audit_id))
    links: list[dict[str, int]] = []
    for audit_id, row in closing:
        before = [
            (day, other)
            for day, other in earlier.get(row.case_ref, [])
            if day < row.submitted_on and other != audit_id
        ]
        if before:
            links.append({"b_id": audit_id, "b_previous": max(before)[1]})
    if links:
        db.session.execute(
            update(AUDIT_TABLE)
            .where(AUDIT_TABLE.c.id == bindparam("b_id"))
            .values(previous_audit_id=bindparam("b_previous")),
            links,
        )
    return len(links)
