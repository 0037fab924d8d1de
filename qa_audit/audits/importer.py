"""CSV import of historical audits (docs/domain.md, "Importing historical audits").

Every row is checked first and every problem is collected with the file's line number; if
there is any problem nothing is written. Otherwise the audits, their domain grades and any
moderation are inserted in bulk (executemany in batches, no per-row ORM objects or queries)
inside the caller's transaction; the caller commits once.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import PurePath
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from qa_audit.audit_tools.grades import ACCEPTED_SPELLINGS, Grade, parse_grade
from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.models import Audit, AuditDomainGrade, AuditSource, AuditStatus, AuditType
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.case_refs import CASE_REF_RULE, case_ref_problem
from qa_audit.core.clock import local_today, utcnow
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
from qa_audit.organisation.models import ServiceArea

AUDIT_COLUMNS = (
    "audit_ref",
    "case_ref",
    "service_area",
    "team",
    "auditor_email",
    "audit_type",
    "tool",
    "submitted_on",
    "overall_grade",
)
MODERATION_COLUMNS = ("moderator_email", "moderated_on", "moderated_overall_grade")
GRADE_PREFIX = "grade:"
MODERATED_GRADE_PREFIX = "moderated_grade:"
SELECTION_REASON = "Imported with the audit"
BATCH_SIZE = 1000
PROGRESS_STEP = 500
MAX_REFERENCE = 40
# Timestamps for imported dates: midday UTC, so the date is the same in any UK time.
MIDDAY = time(12, 0, tzinfo=UTC)

_AUDIT_TYPES = {
    "": AuditType.DEEP_DIVE.value,
    "deep dive": AuditType.DEEP_DIVE.value,
    "closing the loop": AuditType.CLOSING_THE_LOOP.value,
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")

AUDIT_TABLE = cast(Table, Audit.__table__)
GRADE_TABLE = cast(Table, AuditDomainGrade.__table__)
MODERATION_TABLE = cast(Table, Moderation.__table__)
MODERATION_GRADE_TABLE = cast(Table, ModerationGrade.__table__)

# progress(stage, done, total): called now and then while checking and while inserting.
Progress = Callable[[str, int, int], None]
CHECKING = "Checking rows"
IMPORTING = "Importing audits"


@dataclass(frozen=True)
class ImportProblem:
    """One problem with the file: its physical line number (header = 1; 0 = the whole file)
    and the reason."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class AuditImportError(DomainError):
    """The file cannot be imported; ``problems`` lists every bad line. Nothing was written."""

    def __init__(self, problems: Iterable[ImportProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: p.line)
        lines = len({p.line for p in self.problems})
        self.summary = (
            f"The file has {_plural(len(self.problems), 'problem')} on {_plural(lines, 'line')}."
        )
        super().__init__(f"{self.summary} Nothing was imported.", "file")

    @property
    def lines(self) -> list[int]:
        """The distinct line numbers with a problem, in order."""
        return sorted({p.line for p in self.problems})


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


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


# ---------------------------------------------------------------------------------------------
# Look-ups, loaded once per import


@dataclass(slots=True)
class _Domain:
    id: int
    key: str
    position: int


@dataclass(slots=True)
class _Tool:
    id: int
    key: str
    domains: list[_Domain]
    keys: frozenset[str]


@dataclass(slots=True)
class _Area:
    id: int
    name: str
    teams: dict[str, int]
    team_names: list[str]


def _norm(value: str) -> str:
    return " ".join(value.split()).lower()


@dataclass
class _Lookups:
    areas: dict[str, _Area]
    area_keys: list[str]
    team_homes: dict[str, list[str]]
    tools: dict[str, _Tool]
    domain_keys: set[str]
    users: dict[str, int]

    @classmethod
    def load(cls) -> _Lookups:
        areas: dict[str, _Area] = {}
        keys: list[str] = []
        team_homes: dict[str, list[str]] = {}
        for area in db.session.scalars(select(ServiceArea).order_by(ServiceArea.key)):
            names = [t.name for t in area.teams]
            entry = _Area(area.id, area.name, {_norm(t.name): t.id for t in area.teams}, names)
            areas[_norm(area.key)] = entry
            areas[_norm(area.name)] = entry
            keys.append(area.key)
            for name in names:
                team_homes.setdefault(_norm(name), []).append(area.name)
        tools: dict[str, _Tool] = {}
        domain_keys: set[str] = set()
        for tool in db.session.scalars(select(AuditTool).order_by(AuditTool.launched_on)):
            domains = [_Domain(d.id, d.key, i) for i, d in enumerate(tool.domains)]
            tools[tool.key.lower()] = _Tool(
                tool.id, tool.key, domains, frozenset(d.key for d in domains)
            )
            domain_keys.update(d.key for d in domains)
        users = {
            email: user_id
            for user_id, email in db.session.execute(select(User.id, func.lower(User.email)))
        }
        return cls(areas, keys, team_homes, tools, domain_keys, users)


# ---------------------------------------------------------------------------------------------
# Reading the file


def _decode(data: bytes) -> str:
    nul = data.find(b"\x00")
    if nul >= 0:
        # Never in a CSV file (UTF-16 text, or not text at all); PostgreSQL cannot store it.
        raise AuditImportError(
            [
                ImportProblem(
                    data.count(b"\n", 0, nul) + 1,
                    "the file contains a NUL character, so it is not UTF-8 CSV text; in Excel "
                    "use Save As and choose 'CSV UTF-8 (Comma delimited)'",
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise AuditImportError(
            [
                ImportProblem(
                    line,
                    "the file is not UTF-8 text; in Excel use Save As and choose "
                    "'CSV UTF-8 (Comma delimited)'",
                )
            ]
        ) from exc


def _records(text: str) -> tuple[list[tuple[int, list[str]]], list[ImportProblem]]:
    """(line, cells) for every non-blank record; line is where the record starts."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    problems: list[ImportProblem] = []
    last = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(ImportProblem(last + 1, f"the line cannot be read as CSV ({exc})"))
            break
        start, last = last + 1, reader.line_num
        if "".join(cells).strip():
            records.append((start, cells))
    return records, problems


@dataclass
class _Columns:
    count: int
    index: dict[str, int]
    grades: dict[str, int]
    moderated_grades: dict[str, int]
    unnamed: list[int]

    @property
    def moderation(self) -> bool:
        return "moderator_email" in self.index


def _columns(header: list[str], lookups: _Lookups) -> _Columns:
    problems: list[str] = []
    names = [_norm(h) for h in header]
    index: dict[str, int] = {}
    grades: dict[str, int] = {}
    moderated: dict[str, int] = {}
    unnamed: list[int] = []
    seen: dict[str, int] = {}
    known = ", ".join(sorted(lookups.domain_keys))
    for i, name in enumerate(names):
        if not name:
            unnamed.append(i)
            continue
        if name in seen:
            problems.append(f"column '{name}' appears twice (columns {seen[name] + 1} and {i + 1})")
            continue
        seen[name] = i
        if name in AUDIT_COLUMNS or name in MODERATION_COLUMNS:
            index[name] = i
        elif name.startswith((GRADE_PREFIX, MODERATED_GRADE_PREFIX)):
            prefix, _, key = name.partition(":")
            key = key.strip()
            if key not in lookups.domain_keys:
                problems.append(
                    f"unknown column '{header[i].strip()}': no audit tool has a domain "
                    f"'{key}' (the domain keys are: {known})"
                )
            else:
                (grades if prefix == "grade" else moderated)[key] = i
        else:
            problems.append(
                f"unknown column '{header[i].strip()}'; the columns are "
                f"{', '.join(AUDIT_COLUMNS)}, grade:<domain key> for each domain, and optionally "
                f"{', '.join(MODERATION_COLUMNS)} and moderated_grade:<domain key>"
            )
    missing = [c for c in AUDIT_COLUMNS if c not in index]
    if missing:
        problems.append(
            f"missing {'column' if len(missing) == 1 else 'columns'}: {', '.join(missing)}"
        )
    given = [c for c in MODERATION_COLUMNS if c in index]
    if (given or moderated) and len(given) < len(MODERATION_COLUMNS):
        absent = [c for c in MODERATION_COLUMNS if c not in index]
        problems.append(
            f"missing {'column' if len(absent) == 1 else 'columns'}: {', '.join(absent)} "
            f"(the moderation columns {_and(list(MODERATION_COLUMNS))} come together)"
        )
    if len(header) == 1 and ";" in header[0]:
        problems.append("the values are separated by ';': save the file as CSV with commas")
    if problems:
        raise AuditImportError(ImportProblem(1, p) for p in problems)
    return _Columns(len(header), index, grades, moderated, unnamed)


# ---------------------------------------------------------------------------------------------
# Checking rows


@dataclass(slots=True)
class _Row:
    line: int
    reference: str
    case_ref: str
    area_id: int
    team_id: int | None
    auditor: str
    audit_type: str
    tool: _Tool
    submitted_on: date
    overall: Grade
    grades: dict[str, Grade]
    moderator: str | None = None
    moderated_on: date | None = None
    moderated_overall: Grade | None = None
    moderated_grades: dict[str, Grade] = field(default_factory=dict)


def _date(column: str, value: str, today: date, problems: list[str]) -> date | None:
    if not value:
        problems.append(f"{column} is blank")
        return None
    parsed: date | None = None
    if _DATE.match(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None:
        hint = ""
        day_first = _DAY_FIRST.match(value)
        if day_first:
            d, m, y = (int(x) for x in day_first.groups())
            try:
                meant = date(y, m, d)
                hint = f" (for {meant.day} {meant:%B %Y} write {meant.isoformat()})"
            except ValueError:
                hint = ""
        problems.append(f"{column} '{value}' is not a date in the form YYYY-MM-DD{hint}")
        return None
    if parsed > today:
        problems.append(f"{column} {value} is in the future")
        return None
    return parsed


def _grade(column: str, value: str, problems: list[str]) -> Grade | None:
    try:
        return parse_grade(value)
    except ValueError:
        problems.append(f"{column}: '{value}' is not a grade; use one of: {ACCEPTED_SPELLINGS}")
        return None


class _Checker:
    """Checks rows one by one, collecting problems; keeps the good rows for the insert."""

    def __init__(
        self, columns: _Columns, lookups: _Lookups, today: date, create_users: bool
    ) -> None:
        self.columns = columns
        self.lookups = lookups
        self.today = today
        self.create_users = create_users
        self.problems: list[ImportProblem] = []
        self.rows: list[_Row] = []
        self.references: dict[str, int] = {}
        self.tool_use: dict[str, list[int]] = {}
        # e-mail (lower case) -> (first line, roles) for accounts --create-users will make
        self.new_users: dict[str, tuple[int, set[Role]]] = {}
        self._email_ok: dict[str, bool] = {}

    def _user(self, column: str, value: str, role: Role, line: int, out: list[str]) -> str | None:
        if not value:
            out.append(f"{column} is blank")
            return None
        email = value.lower()
        if email in self.lookups.users:
            return email
        if not self.create_users:
            out.append(
                f"unknown {column} '{value}': no account has this e-mail address "
                "(add the account first, or let the import create missing accounts: "
                "--create-users)"
            )
            return None
        if email not in self._email_ok:
            from qa_audit.auth.services import normalise_email

            try:
                normalise_email(value)
                self._email_ok[email] = True
            except DomainError:
                self._email_ok[email] = False
        if not self._email_ok[email]:
            out.append(f"{column} '{value}' is not an e-mail address")
            return None
        self.new_users.setdefault(email, (line, set()))[1].add(role)
        return email

    def check(self, line: int, cells: list[str]) -> None:
        columns = self.columns
        out: list[str] = []
        if len(cells) != columns.count:
            extra = cells[columns.count :]
            if len(cells) < columns.count or any(c.strip() for c in extra):
                self._add(
                    line,
                    [
                        f"{len(cells)} values but the header has {columns.count} columns "
                        "(a value with a comma in it must be in double quotes)"
                    ],
                )
                return
        value = [c.strip() for c in cells]
        ix = columns.index
        for i in columns.unnamed:
            if value[i]:
                out.append(f"a value in column {i + 1}, which has no heading")
                break

        reference = value[ix["audit_ref"]]
        if not reference:
            out.append("audit_ref is blank")
        elif len(reference) > MAX_REFERENCE:
            out.append(f"audit_ref is longer than {MAX_REFERENCE} characters")
        elif reference in self.references:
            out.append(f"audit_ref '{reference}' is also on line {self.references[reference]}")
        else:
            self.references[reference] = line

        case_ref = value[ix["case_ref"]]
        if not case_ref:
            out.append("case_ref is blank")
        elif case_ref_problem(case_ref):
            # The value is not repeated: it may be a child's name.
            out.append(f"case_ref is not a case reference; {CASE_REF_RULE}")

        area_text = value[ix["service_area"]]
        area = self.lookups.areas.get(_norm(area_text)) if area_text else None
        if not area_text:
            out.append("service_area is blank")
        elif area is None:
            out.append(
                f"unknown service area '{area_text}'; use a key or name, such as "
                f"{', '.join(self.lookups.area_keys)}"
            )
        team_id: int | None = None
        team_text = value[ix["team"]]
        if team_text and area is not None:
            team_id = area.teams.get(_norm(team_text))
            if team_id is None:
                teams = (
                    f"its teams are: {', '.join(area.team_names)}"
                    if area.team_names
                    else "it has no teams (leave team blank)"
                )
                elsewhere = self.lookups.team_homes.get(_norm(team_text), [])
                hint = f" ('{team_text}' is a team of {', '.join(elsewhere)})" if elsewhere else ""
                out.append(f"team '{team_text}' is not a team of {area.name}; {teams}{hint}")

        auditor = self._user("auditor_email", value[ix["auditor_email"]], Role.AUDITOR, line, out)

        type_text = value[ix["audit_type"]]
        audit_type = _AUDIT_TYPES.get(_norm(type_text.replace("_", " ").replace("-", " ")))
        if audit_type is None:
            out.append(
                f"audit_type '{type_text}' is not an audit type; use deep_dive (or leave it "
                "blank) or closing_the_loop"
            )

        tool_text = value[ix["tool"]]
        tool = self.lookups.tools.get(tool_text.lower()) if tool_text else None
        if not tool_text:
            out.append("tool is blank")
        elif tool is None:
            out.append(
                f"unknown tool '{tool_text}'; the audit tool versions are: "
                f"{', '.join(t.key for t in self.lookups.tools.values())}"
            )
        else:
            self.tool_use.setdefault(tool.key, []).append(line)

        submitted_on = _date("submitted_on", value[ix["submitted_on"]], self.today, out)

        overall_text = value[ix["overall_grade"]]
        overall: Grade | None = None
        if not overall_text:
            out.append("overall_grade is blank: every audit needs its overall grade")
        else:
            overall = _grade("overall_grade", overall_text, out)
            if overall is Grade.NOT_APPLICABLE:
                out.append("overall_grade cannot be N/A: give the audit's overall judgement")
                overall = None

        grades = self._domain_grades(GRADE_PREFIX, columns.grades, value, tool, out)

        moderation: tuple[str | None, date | None, Grade | None, dict[str, Grade]] | None = None
        if columns.moderation:
            moderation = self._moderation(value, tool, auditor, submitted_on, line, out)

        if out:
            self._add(line, out)
            return
        assert area is not None
        assert auditor is not None
        assert audit_type is not None
        assert tool is not None
        assert submitted_on is not None
        assert overall is not None
        row = _Row(
            line, reference, case_ref, area.id, team_id, auditor, audit_type, tool,
            submitted_on, overall, grades,
        )  # fmt: skip
        if moderation is not None:
            row.moderator, row.moderated_on, row.moderated_overall, row.moderated_grades = (
                moderation
            )
        self.rows.append(row)

    def _domain_grades(
        self,
        prefix: str,
        columns: dict[str, int],
        value: list[str],
        tool: _Tool | None,
        out: list[str],
    ) -> dict[str, Grade]:
        grades: dict[str, Grade] = {}
        for key, i in columns.items():
            text = value[i]
            if tool is not None and key not in tool.keys:
                if text:
                    out.append(
                        f"{prefix}{key} must be blank: tool {tool.key} has no domain '{key}'"
                    )
                continue
            if text:
                grade = _grade(f"{prefix}{key}", text, out)
                if grade is not None:
                    grades[key] = grade
        return grades

    def _moderation(
        self,
        value: list[str],
        tool: _Tool | None,
        auditor: str | None,
        submitted_on: date | None,
        line: int,
        out: list[str],
    ) -> tuple[str | None, date | None, Grade | None, dict[str, Grade]] | None:
        ix = self.columns.index
        texts = {c: value[ix[c]] for c in MODERATION_COLUMNS}
        domain_given = any(value[i] for i in self.columns.moderated_grades.values())
        if not any(texts.values()) and not domain_given:
            return None
        blank = [c for c in MODERATION_COLUMNS if not texts[c]]
        if blank:
            out.append(
                f"the moderation is incomplete: {_and(blank)} "
                f"{'is' if len(blank) == 1 else 'are'} blank; give moderator_email, moderated_on "
                "and moderated_overall_grade together, or leave every moderation column blank"
            )
        moderator: str | None = None
        if texts["moderator_email"]:
            moderator = self._user(
                "moderator_email", texts["moderator_email"], Role.MODERATOR, line, out
            )
            if moderator is not None and moderator == auditor:
                out.append("the moderator is the auditor: no one moderates their own audit")
        moderated_on: date | None = None
        if texts["moderated_on"]:
            moderated_on = _date("moderated_on", texts["moderated_on"], self.today, out)
            if moderated_on and submitted_on and moderated_on < submitted_on:
                out.append(
                    f"moderated_on {moderated_on.isoformat()} is before submitted_on "
                    f"{submitted_on.isoformat()}"
                )
        moderated_overall: Grade | None = None
        if texts["moderated_overall_grade"]:
            moderated_overall = _grade(
                "moderated_overall_grade", texts["moderated_overall_grade"], out
            )
            if moderated_overall is Grade.NOT_APPLICABLE:
                out.append("moderated_overall_grade cannot be N/A")
        grades = self._domain_grades(
            MODERATED_GRADE_PREFIX, self.columns.moderated_grades, value, tool, out
        )
        return moderator, moderated_on, moderated_overall, grades

    def _add(self, line: int, messages: Sequence[str]) -> None:
        self.problems.extend(ImportProblem(line, m) for m in messages)

    def finish(self) -> None:
        """Whole-file checks: references already stored, grade columns a used tool needs."""
        self._check_existing_references()
        for key, lines in self.tool_use.items():
            tool = self.lookups.tools[key.lower()]
            missing = [d.key for d in tool.domains if d.key not in self.columns.grades]
            if missing:
                names = ", ".join(f"{GRADE_PREFIX}{k}" for k in missing)
                self.problems.append(
                    ImportProblem(
                        1,
                        f"no {'column' if len(missing) == 1 else 'columns'} {names}, which tool "
                        f"{tool.key} needs (it is used on {_plural(len(lines), 'row')}, first on "
                        f"line {lines[0]})",
                    )
                )

    def _check_existing_references(self) -> None:
        references = list(self.references)
        for start in range(0, len(references), BATCH_SIZE):
            chunk = references[start : start + BATCH_SIZE]
            for reference in db.session.scalars(
                select(Audit.reference).where(Audit.reference.in_(chunk))
            ):
                self.problems.append(
                    ImportProblem(
                        self.references[reference],
                        f"audit_ref '{reference}' is already in qa-audit (imported or recorded "
                        "before)",
                    )
                )


# ---------------------------------------------------------------------------------------------
# The import


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
    today = today or local_today()
    report = progress or (lambda stage, done, total: None)
    records, read_problems = _records(_decode(data))
    if read_problems:
        raise AuditImportError(read_problems)
    if not records or records[0][0] != 1:
        raise AuditImportError(
            [ImportProblem(1, "the first line must be the header row (the file is empty)")]
            if not records
            else [ImportProblem(1, "the first line must be the header row, not blank")]
        )
    lookups = _Lookups.load()
    columns = _columns(records[0][1], lookups)
    body = records[1:]
    if not body:
        raise AuditImportError([ImportProblem(1, "the file has a header row but no audits")])

    checker = _Checker(columns, lookups, today, create_users)
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

    try:
        created = _create_users(actor, checker.new_users, lookups.users)
        result = _insert(actor, checker.rows, lookups.users, file_name, report)
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
    entry = ChangeLogEntry(
        actor_id=actor.id if actor is not None else None,
        action="audits.imported",
        entity_type="audit_import",
        entity_id=file_name[:80],
        before=None,
        after={
            "file": file_name,
            "rows": total,
            "audits": result.audits,
            "moderations": result.moderations,
            "users_created": len(created),
        },
    )
    db.session.add(entry)
    db.session.flush()
    return ImportResult(
        file=file_name,
        rows=total,
        audits=result.audits,
        moderations=result.moderations,
        users_created=created,
        outcomes=result.outcomes,
        closing_the_loop_linked=result.closing_the_loop_linked,
    )


def _name_from_email(email: str) -> str:
    local = email.split("@", 1)[0]
    words = [w for w in re.split(r"[._\-+]+", local) if w]
    return " ".join(w.capitalize() for w in words) or email


def _create_users(
    actor: User | None, wanted: dict[str, tuple[int, set[Role]]], users: dict[str, int]
) -> list[str]:
    """Accounts for unknown e-mails: no password, inactive until an admin activates them."""
    from qa_audit.auth.services import create_user

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
        users[email] = user.id
        created.append(user.email)
    if problems:
        raise AuditImportError(problems)
    return created


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
            connection.exec_driver_sql(sql, values)  # type: ignore[arg-type]
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


def _insert(
    actor: User | None,
    rows: list[_Row],
    users: dict[str, int],
    file_name: str,
    report: Progress,
) -> _Inserted:
    now = utcnow()
    actor_id = actor.id if actor is not None else None
    rationale = f"Imported from {file_name}"
    outcomes: Counter[str] = Counter()
    moderations = 0
    total = len(rows)
    writer = _writer()
    closing: list[tuple[int, _Row]] = []
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
        moderated_rows: list[_Row] = []
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


def _link_closing_the_loop(closing: list[tuple[int, _Row]]) -> int:
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
