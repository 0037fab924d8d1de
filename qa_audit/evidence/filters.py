"""What the evidence explorer shows: the report's period and filters (the same query string
as the report page, so a link from the report carries them), narrowed by principle, kind of
entry, final grade, learning theme and search words; and who may see it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.evidence.search import search_terms
from qa_audit.report_filters import (
    MAX_ID,
    REPORT_ROLES,
    ReportFilters,
    filters_from_query,
    report_access,
)

# The report's roles but viewers: the entries are case-level text (a viewer sees aggregates).
EVIDENCE_ROLES = tuple(role for role in REPORT_ROLES if role is not Role.VIEWER)

# The kinds of entry, in the order the report reads them, with what people call them.
KINDS = {
    "working_well": "Working well",
    "needs_improvement": "Needs to improve",
    "impact": "Impact",
}


@dataclass(frozen=True)
class EvidenceFilters:
    """The report's filters (``report``: period, service area, team, tool, audit type) and
    the explorer's own; None means any."""

    report: ReportFilters
    principle: str | None = None
    kind: str | None = None
    grade: str | None = None
    theme_id: int | None = None
    search: tuple[str, ...] = ()
    # A service manager's own area: never widened, whatever the query string asks.
    forced_area_id: int | None = None

    def as_dict(self) -> dict[str, str | int | None]:
        """The filters applied, for the export's record."""
        return {
            "from": self.report.from_month,
            "to": self.report.to_month,
            **self.report.as_json(),
            "principle": self.principle,
            "kind": self.kind,
            "grade": self.grade,
            "learning_theme_id": self.theme_id,
            "search": " ".join(self.search) or None,
        }


def evidence_filters(args: Mapping[str, str], user: User) -> EvidenceFilters:
    """The explorer's filters from a query string, with the role rules applied;
    DomainError(message, field) when one is wrong, Forbidden when ``user`` may not see it."""
    if not user.has_role(*EVIDENCE_ROLES):
        raise Forbidden("The evidence is for QA leads, moderators and service managers")
    report = filters_from_query(args)
    if not user.has_role(Role.QA_LEAD, Role.MODERATOR) and user.service_area_id is not None:
        # Asked for as their own area, so that the report's rules force it (and never give a
        # service manager who is also a viewer the viewer's wider aggregates).
        report = replace(report, service_area_id=user.service_area_id)
    report, access = report_access(user, report)
    if not access.case_level:
        raise Forbidden("The evidence is for QA leads, moderators and service managers")
    return EvidenceFilters(
        report=report,
        principle=_principle(args.get("principle")),
        kind=_choice(args.get("kind"), KINDS, "kind", "Select a kind of entry from the list"),
        grade=_choice(
            args.get("grade"), {g.value: g for g in GRADED}, "grade", "Select a grade from the list"
        ),
        theme_id=_theme(args.get("theme")),
        search=_search(args.get("q")),
        forced_area_id=access.forced_area_id,
    )


def _choice(value: str | None, known: Mapping[str, object], field: str, message: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if value not in known:
        raise DomainError(message, field)
    return value


def _principle(value: str | None) -> str | None:
    value = (value or "").strip()
    if len(value) > 80:
        raise DomainError("Select a practice principle from the list", "principle")
    return value or None


def _theme(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        raise DomainError("Select a learning theme from the list", "theme")
    return int(value)


def _search(value: str | None) -> tuple[str, ...]:
    terms = search_terms(value)
    if not terms and (value or "").strip():
        raise DomainError("Enter words to search for, for example father", "q")
    return tuple(terms)


def grade_label(value: str | None) -> str:
    """A stored grade as people read it ('' for none)."""
    return Grade(value).label if value else ""
