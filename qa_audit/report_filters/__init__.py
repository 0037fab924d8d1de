"""What a report covers: a period of months and the filters, checked and resolved to ids,
and what the person asking may see of it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.models import Audit, AuditStatus, AuditType
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.errors import DomainError, Forbidden
from qa_audit.core.extensions import db
from qa_audit.organisation.models import Team
from qa_audit.organisation.services import find_service_area

# ASCII 0-9 only, not fullwidth or Arabic-Indic digits.
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
# Figures resting on fewer audits than this carry a caution note.
FEW_AUDITS = 10
# Viewers' figures resting on fewer audits than this are suppressed (the configured default).
DEFAULT_SUPPRESS_BELOW = 5
TREND_MONTHS = 12
MAX_ID = 2**31 - 1  # the largest id an integer column holds
# Months a report can be asked for: years well beyond any audit (and short of year 10000,
# where 'YYYY-MM' text would stop sorting as dates do), and periods of at most ten years
# (a longer one would take minutes to build: a request to do that is refused, not obeyed).
FIRST_YEAR, LAST_YEAR = 1900, 2199
MAX_PERIOD_MONTHS = 120
# The direction of travel may reach further back than the period, to the framework's launch:
# twenty years, well beyond any council's use of one framework, and still a quick query.
MAX_TREND_MONTHS = 240
# The ``trend_from`` that asks for the direction of travel since the first audit that counts.
SINCE_FIRST_AUDIT = "first"


def parse_month(text: str | None, field_name: str = "from", label: str = "start") -> str:
    """A month as 'YYYY-MM'; DomainError naming the field otherwise."""
    value = (text or "").strip()
    if not value:
        raise DomainError(f"Enter the {label} month, for example 2024-02", field_name)
    match = MONTH_PATTERN.match(value)
    if (
        match is None
        or not 1 <= int(match.group(2)) <= 12
        or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR
    ):
        raise DomainError(
            f"The {label} month must be a real month written as YYYY-MM, for example 2024-02",
            field_name,
        )
    return value


def add_months(month: str, delta: int) -> str:
    """'YYYY-MM' moved by ``delta`` months."""
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive."""
    out = []
    month = first
    while month <= last:
        out.append(month)
        month = add_months(month, 1)
    return out


def month_label(month: str) -> str:
    """'2024-02' -> 'February 2024'."""
    return date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def period_label(first: str, last: str) -> str:
    """'February to April 2024', or 'April 2024' for one month."""
    if first == last:
        return month_label(first)
    a, b = date(int(first[:4]), int(first[5:7]), 1), date(int(last[:4]), int(last[5:7]), 1)
    if a.year == b.year:
        return f"{a:%B} to {b:%B %Y}"
    return f"{a:%B %Y} to {b:%B %Y}"


@dataclass(frozen=True)
class ReportFilters:
    """A checked period and filters. Ids select rows; the labels are for people and JSON."""

    from_month: str
    to_month: str
    service_area_id: int | None = None
    service_area_key: str | None = None
    service_area_name: str | None = None
    team_id: int | None = None
    team_name: str | None = None
    tool_id: int | None = None
    tool_key: str | None = None
    audit_type: str | None = None
    # The first month of the direction of travel when asked for (None: the twelve months
    # ending at the period's last month), and whether it was asked as "since the first audit".
    trend_from: str | None = None
    trend_since_first: bool = False

    @property
    def months(self) -> list[str]:
        return months_between(self.from_month, self.to_month)

    @property
    def trend_months(self) -> list[str]:
        """The direction of travel: from ``trend_from`` when given, else the twelve months
        ending at the period's last month."""
        first = self.trend_from or add_months(self.to_month, -(TREND_MONTHS - 1))
        return months_between(first, self.to_month)

    @property
    def earlier_period(self) -> tuple[str, str]:
        """The period of the same length just before this one."""
        length = len(self.months)
        return add_months(self.from_month, -length), add_months(self.from_month, -1)

    @property
    def label(self) -> str:
        return period_label(self.from_month, self.to_month)

    def as_json(self) -> dict[str, str]:
        """The filters applied, by key or name (the "filters" of the report JSON)."""
        out: dict[str, str] = {}
        if self.service_area_key:
            out["service_area"] = self.service_area_key
        if self.team_name:
            out["team"] = self.team_name
        if self.tool_key:
            out["tool"] = self.tool_key
        if self.audit_type:
            out["audit_type"] = self.audit_type
        return out

    def query_args(self) -> dict[str, str]:
        """The URL query that asks for this report again (page, charts and downloads)."""
        args = {"from": self.from_month, "to": self.to_month}
        if self.service_area_key:
            args["service_area"] = self.service_area_key
        if self.team_id:
            args["team"] = str(self.team_id)
        if self.tool_key:
            args["tool"] = self.tool_key
        if self.audit_type:
            args["audit_type"] = self.audit_type
        if self.trend_from:
            args["trend_from"] = SINCE_FIRST_AUDIT if self.trend_since_first else self.trend_from
        return args


def filters_from_query(args: Mapping[str, str]) -> ReportFilters:
    """``resolve_filters`` of a query string's ``from``, ``to``, ``service_area``, ``team``,
    ``tool``, ``audit_type`` and ``trend_from`` (the report page's and the API's)."""
    return resolve_filters(
        args.get("from"),
        args.get("to"),
        service_area=args.get("service_area"),
        team=args.get("team"),
        tool=args.get("tool"),
        audit_type=args.get("audit_type"),
        trend_from=args.get("trend_from"),
    )


def resolve_filters(
    from_text: str | None,
    to_text: str | None,
    *,
    service_area: str | None = None,
    team: str | None = None,
    tool: str | None = None,
    audit_type: str | None = None,
    trend_from: str | None = None,
) -> ReportFilters:
    """Check a period and filters given as text; DomainError(message, field) when one is wrong.
    ``trend_from``: the first month of the direction of travel, or "first" (since the first
    audit that counts under the filters); blank for the twelve months to the end month."""
    first = parse_month(from_text, "from", "start")
    last = parse_month(to_text, "to", "end")
    if last < first:
        raise DomainError("The end month must be the same as or after the start month", "to")
    if len(months_between(first, last)) > MAX_PERIOD_MONTHS:
        raise DomainError(
            f"A report covers at most {MAX_PERIOD_MONTHS} months (10 years): choose a later "
            "start month or an earlier end month",
            "to",
        )
    filters = narrow(
        ReportFilters(first, last),
        service_area=service_area,
        team=team,
        tool=tool,
        audit_type=audit_type,
    )
    return with_trend(filters, trend_from)


def with_trend(filters: ReportFilters, text: str | None) -> ReportFilters:
    """``filters`` with the direction of travel starting at the month ``text`` names, or at
    the first audit that counts under the filters ("first"); unchanged when ``text`` is blank
    (or "first" finds no audit). DomainError(message, "trend_from") when it is wrong."""
    value = (text or "").strip()
    if not value:
        return filters
    since_first = value == SINCE_FIRST_AUDIT
    if since_first:
        found = _first_audit_month(filters)
        if found is None:
            return filters
        month = found
    else:
        month = parse_month(value, "trend_from", "direction of travel's first")
    if month > filters.to_month:
        raise DomainError(
            "The direction of travel must start in or before the end month", "trend_from"
        )
    if len(months_between(month, filters.to_month)) > MAX_TREND_MONTHS:
        raise DomainError(
            f"The direction of travel covers at most {MAX_TREND_MONTHS} months (20 years): "
            f"choose a start month after {add_months(filters.to_month, -MAX_TREND_MONTHS)}",
            "trend_from",
        )
    return replace(filters, trend_from=month, trend_since_first=since_first)


def _first_audit_month(filters: ReportFilters) -> str | None:
    """The month of the first audit that counts (submitted or closed) under the filters."""
    query = select(func.min(Audit.submitted_month)).where(
        Audit.status.in_((AuditStatus.SUBMITTED.value, AuditStatus.CLOSED.value)),
        Audit.submitted_month <= filters.to_month,
    )
    if filters.service_area_id is not None:
        query = query.where(Audit.service_area_id == filters.service_area_id)
    if filters.team_id is not None:
        query = query.where(Audit.team_id == filters.team_id)
    if filters.tool_id is not None:
        query = query.where(Audit.tool_id == filters.tool_id)
    if filters.audit_type is not None:
        query = query.where(Audit.audit_type == filters.audit_type)
    return db.session.scalar(query)


def narrow(
    filters: ReportFilters,
    *,
    service_area: str | None = None,
    team: str | None = None,
    tool: str | None = None,
    audit_type: str | None = None,
) -> ReportFilters:
    """``filters`` narrowed by a service area (key or name), team (id or name), audit tool
    version (key) and audit type given as text; DomainError(message, field) when one is wrong."""
    if service_area and service_area.strip():
        area = find_service_area(service_area)
        if area is None:
            raise DomainError(f"There is no service area '{service_area.strip()}'", "service_area")
        filters = replace(
            filters, service_area_id=area.id, service_area_key=area.key, service_area_name=area.name
        )
    if team and team.strip():
        value = team.strip()
        query = select(Team)
        if value.isascii() and value.isdigit():
            # An id beyond the column's range matches nothing (and would overflow PostgreSQL).
            query = query.where(Team.id == (int(value) if int(value) <= MAX_ID else -1))
        else:
            query = query.where(func.lower(Team.name) == value.lower())
        if filters.service_area_id is not None:
            query = query.where(Team.service_area_id == filters.service_area_id)
        found = list(db.session.scalars(query.limit(2)))
        if not found:
            where = " in that service area" if filters.service_area_id else ""
            raise DomainError(f"There is no team '{value}'{where}", "team")
        if len(found) > 1:
            raise DomainError(
                f"More than one team is called '{value}'; choose a service area too", "team"
            )
        filters = replace(filters, team_id=found[0].id, team_name=found[0].name)
    if tool and tool.strip():
        row = db.session.scalar(select(AuditTool).where(AuditTool.key == tool.strip()))
        if row is None:
            raise DomainError(f"There is no audit tool version '{tool.strip()}'", "tool")
        filters = replace(filters, tool_id=row.id, tool_key=row.key)
    if audit_type and audit_type.strip():
        value = audit_type.strip()
        if value not in {t.value for t in AuditType}:
            raise DomainError(
                "The audit type must be one of: " + ", ".join(t.value for t in AuditType),
                "audit_type",
            )
        filters = replace(filters, audit_type=value)
    return filters


@dataclass(frozen=True)
class ReportAccess:
    """What the person asking may see: all areas or their own, and the quotes or not."""

    forced_area_id: int | None = None
    quotes: bool = True
    case_level: bool = True
    # Figures resting on fewer audits than this are not shown (0: all are).
    suppress_below: int = 0


REPORT_ROLES = (Role.QA_LEAD, Role.MODERATOR, Role.SERVICE_MANAGER, Role.VIEWER)


def report_access(user: User | None, filters: ReportFilters) -> tuple[ReportFilters, ReportAccess]:
    """Apply the role rules to a report request; Forbidden if the user may not see reports.

    QA leads and moderators see everything. A service manager sees their own service area
    (forced), quotes included. A viewer sees aggregates of any area but no quotes (a quote is
    anonymous, but its words can still point to a family), and no figure resting on fewer
    audits than REPORT_SUPPRESS_BELOW (a report narrowed to one audit would show its grades).
    ``None`` is the command line.
    """
    if user is None or user.has_role(Role.QA_LEAD, Role.MODERATOR):
        return filters, ReportAccess()
    own = filters.service_area_id is not None and filters.service_area_id == user.service_area_id
    if user.has_role(Role.SERVICE_MANAGER) and (own or not user.has_role(Role.VIEWER)):
        area = user.service_area
        if area is None:
            raise Forbidden("Your account has no service area, so there is no report to show you")
        forced = replace(
            filters, service_area_id=area.id, service_area_key=area.key, service_area_name=area.name
        )
        if forced.team_id is not None and not any(t.id == forced.team_id for t in area.teams):
            forced = replace(forced, team_id=None, team_name=None)
        return forced, ReportAccess(forced_area_id=area.id, quotes=True, case_level=True)
    if user.has_role(Role.VIEWER):
        threshold = int(current_app.config.get("REPORT_SUPPRESS_BELOW", DEFAULT_SUPPRESS_BELOW))
        return filters, ReportAccess(quotes=False, case_level=False, suppress_below=threshold)
    raise Forbidden("Reports are for QA leads, moderators, service managers and viewers")
