"""Checking an audits CSV row by row: every problem is collected with its line number, and the
good rows are kept for the insert; then the checks that need the whole file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from qa_audit.audit_import.contract import (
    BATCH_SIZE,
    GRADE_PREFIX,
    MODERATED_GRADE_PREFIX,
    MODERATION_COLUMNS,
    ImportProblem,
    Problems,
    and_words,
    plural,
)
from qa_audit.audit_import.reading import Area, Columns, Lookups, Tool, norm
from qa_audit.audit_import.values import check_date, check_grade
from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.models import Audit, AuditType
from qa_audit.auth.roles import Role
from qa_audit.auth.services import normalise_email
from qa_audit.core.case_refs import CASE_REF_RULE, case_ref_problem
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db

MAX_REFERENCE = 40
_AUDIT_TYPES = {
    "": AuditType.DEEP_DIVE.value,
    "deep dive": AuditType.DEEP_DIVE.value,
    "closing the loop": AuditType.CLOSING_THE_LOOP.value,
}


@dataclass(slots=True)
class Moderated:
    """A row's moderation: who, when, and their grades (None where the row is at fault)."""

    moderator: str | None
    moderated_on: date | None
    overall: Grade | None
    grades: dict[str, Grade]


@dataclass(slots=True)
class Row:
    """A checked row, ready to insert."""

    line: int
    reference: str
    case_ref: str
    area_id: int
    team_id: int | None
    auditor: str
    audit_type: str
    tool: Tool
    submitted_on: date
    overall: Grade
    grades: dict[str, Grade]
    moderator: str | None = None
    moderated_on: date | None = None
    moderated_overall: Grade | None = None
    moderated_grades: dict[str, Grade] = field(default_factory=dict)


class Checker:
    """Checks rows one by one, collecting problems; keeps the good rows for the insert."""

    def __init__(self, columns: Columns, lookups: Lookups, today: date, create_users: bool) -> None:
        self.columns = columns
        self.lookups = lookups
        self.today = today
        self.create_users = create_users
        self.problems = Problems()
        self.rows: list[Row] = []
        self.references: dict[str, int] = {}
        self.tool_use: dict[str, list[int]] = {}
        # e-mail (lower case) -> (first line, roles) for accounts --create-users will make
        self.new_users: dict[str, tuple[int, set[Role]]] = {}
        self._email_ok: dict[str, bool] = {}

    # --- one row -------------------------------------------------------------------------------

    def check(self, line: int, cells: list[str]) -> None:
        """Check one record; its problems are kept, or else the row."""
        if not self._width_ok(line, cells):
            return
        value = [c.strip() for c in cells]
        ix = self.columns.index
        out: list[str] = []
        if any(value[i] for i in self.columns.unnamed):
            i = next(i for i in self.columns.unnamed if value[i])
            out.append(f"a value in column {i + 1}, which has no heading")
        reference = self._reference(value[ix["audit_ref"]], line, out)
        case_ref = self._case_ref(value[ix["case_ref"]], out)
        area, team_id = self._area_and_team(value[ix["service_area"]], value[ix["team"]], out)
        auditor = self._user("auditor_email", value[ix["auditor_email"]], Role.AUDITOR, line, out)
        audit_type = self._audit_type(value[ix["audit_type"]], out)
        tool = self._tool(value[ix["tool"]], line, out)
        submitted_on = check_date("submitted_on", value[ix["submitted_on"]], self.today, out)
        overall = self._overall(value[ix["overall_grade"]], out)
        grades = self._domain_grades(GRADE_PREFIX, self.columns.grades, value, tool, out)
        moderated = None
        if self.columns.moderation:
            moderated = self._moderation(value, tool, auditor, submitted_on, line, out)
        if out:
            self._add(line, out)
            return
        assert area is not None
        assert auditor is not None
        assert audit_type is not None
        assert tool is not None
        assert submitted_on is not None
        assert overall is not None
        row = Row(
            line, reference, case_ref, area.id, team_id, auditor, audit_type, tool,
            submitted_on, overall, grades,
        )  # fmt: skip
        if moderated is not None:
            row.moderator, row.moderated_on = moderated.moderator, moderated.moderated_on
            row.moderated_overall, row.moderated_grades = moderated.overall, moderated.grades
        self.rows.append(row)

    def _width_ok(self, line: int, cells: list[str]) -> bool:
        count = self.columns.count
        if len(cells) == count:
            return True
        if len(cells) > count and not any(c.strip() for c in cells[count:]):
            return True  # trailing empty cells, as spreadsheets write them
        self._add(
            line,
            [
                f"{len(cells)} values but the header has {count} columns "
                "(a value with a comma in it must be in double quotes)"
            ],
        )
        return False

    def _reference(self, reference: str, line: int, out: list[str]) -> str:
        if not reference:
            out.append("audit_ref is blank")
        elif len(reference) > MAX_REFERENCE:
            out.append(f"audit_ref is longer than {MAX_REFERENCE} characters")
        elif reference in self.references:
            out.append(f"audit_ref '{reference}' is also on line {self.references[reference]}")
        else:
            self.references[reference] = line
        return reference

    @staticmethod
    def _case_ref(case_ref: str, out: list[str]) -> str:
        if not case_ref:
            out.append("case_ref is blank")
        elif case_ref_problem(case_ref):
            # The value is not repeated: it may be a child's name.
            out.append(f"case_ref is not a case reference; {CASE_REF_RULE}")
        return case_ref

    def _area_and_team(
        self, area_text: str, team_text: str, out: list[str]
    ) -> tuple[Area | None, int | None]:
        area = self.lookups.areas.get(norm(area_text)) if area_text else None
        if not area_text:
            out.append("service_area is blank")
        elif area is None:
            out.append(
                f"unknown service area '{area_text}'; use a key or name, such as "
                f"{', '.join(self.lookups.area_keys)}"
            )
        if not team_text or area is None:
            return area, None
        team_id = area.teams.get(norm(team_text))
        if team_id is None:
            teams = (
                f"its teams are: {', '.join(area.team_names)}"
                if area.team_names
                else "it has no teams (leave team blank)"
            )
            elsewhere = self.lookups.team_homes.get(norm(team_text), [])
            hint = f" ('{team_text}' is a team of {', '.join(elsewhere)})" if elsewhere else ""
            out.append(f"team '{team_text}' is not a team of {area.name}; {teams}{hint}")
        return area, team_id

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
        if not self._is_email(email, value):
            out.append(f"{column} '{value}' is not an e-mail address")
            return None
        self.new_users.setdefault(email, (line, set()))[1].add(role)
        return email

    def _is_email(self, email: str, value: str) -> bool:
        if email not in self._email_ok:
            try:
                normalise_email(value)
                self._email_ok[email] = True
            except DomainError:
                self._email_ok[email] = False
        return self._email_ok[email]

    @staticmethod
    def _audit_type(type_text: str, out: list[str]) -> str | None:
        audit_type = _AUDIT_TYPES.get(norm(type_text.replace("_", " ").replace("-", " ")))
        if audit_type is None:
            out.append(
                f"audit_type '{type_text}' is not an audit type; use deep_dive (or leave it "
                "blank) or closing_the_loop"
            )
        return audit_type

    def _tool(self, tool_text: str, line: int, out: list[str]) -> Tool | None:
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
        return tool

    @staticmethod
    def _overall(overall_text: str, out: list[str]) -> Grade | None:
        if not overall_text:
            out.append("overall_grade is blank: every audit needs its overall grade")
            return None
        overall = check_grade("overall_grade", overall_text, out)
        if overall is Grade.NOT_APPLICABLE:
            out.append("overall_grade cannot be N/A: give the audit's overall judgement")
            return None
        return overall

    def _domain_grades(
        self,
        prefix: str,
        columns: dict[str, int],
        value: list[str],
        tool: Tool | None,
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
                grade = check_grade(f"{prefix}{key}", text, out)
                if grade is not None:
                    grades[key] = grade
        return grades

    def _moderation(
        self,
        value: list[str],
        tool: Tool | None,
        auditor: str | None,
        submitted_on: date | None,
        line: int,
        out: list[str],
    ) -> Moderated | None:
        ix = self.columns.index
        texts = {c: value[ix[c]] for c in MODERATION_COLUMNS}
        domain_given = any(value[i] for i in self.columns.moderated_grades.values())
        if not any(texts.values()) and not domain_given:
            return None
        blank = [c for c in MODERATION_COLUMNS if not texts[c]]
        if blank:
            out.append(
                f"the moderation is incomplete: {and_words(blank)} "
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
        moderated_on = self._moderated_on(texts["moderated_on"], submitted_on, out)
        moderated_overall: Grade | None = None
        if texts["moderated_overall_grade"]:
            moderated_overall = check_grade(
                "moderated_overall_grade", texts["moderated_overall_grade"], out
            )
            if moderated_overall is Grade.NOT_APPLICABLE:
                out.append("moderated_overall_grade cannot be N/A")
        grades = self._domain_grades(
            MODERATED_GRADE_PREFIX, self.columns.moderated_grades, value, tool, out
        )
        return Moderated(moderator, moderated_on, moderated_overall, grades)

    def _moderated_on(self, text: str, submitted_on: date | None, out: list[str]) -> date | None:
        if not text:
            return None
        moderated_on = check_date("moderated_on", text, self.today, out)
        if moderated_on and submitted_on and moderated_on < submitted_on:
            out.append(
                f"moderated_on {moderated_on.isoformat()} is before submitted_on "
                f"{submitted_on.isoformat()}"
            )
        return moderated_on

    def _add(self, line: int, messages: list[str]) -> None:
        self.problems.extend(ImportProblem(line, m) for m in messages)

    # --- the whole file ------------------------------------------------------------------------

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
                        f"{tool.key} needs (it is used on {plural(len(lines), 'row')}, first on "
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
