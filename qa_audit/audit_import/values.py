"""One value of a row at a time: dates and grades, each refused with a message that says
how to write it."""

from __future__ import annotations

import re
from datetime import date

from qa_audit.audit_tools.grades import ACCEPTED_SPELLINGS, Grade, parse_grade

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _iso_date(value: str) -> date | None:
    if not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _day_first_hint(value: str) -> str:
    """For 27/03/2024 (a spreadsheet's own way), how to write it."""
    day_first = _DAY_FIRST.match(value)
    if not day_first:
        return ""
    d, m, y = (int(x) for x in day_first.groups())
    try:
        meant = date(y, m, d)
    except ValueError:
        return ""
    return f" (for {meant.day} {meant:%B %Y} write {meant.isoformat()})"


def check_date(column: str, value: str, today: date, problems: list[str]) -> date | None:
    """The date in ``value`` (YYYY-MM-DD, not after ``today``), else None and a problem."""
    if not value:
        problems.append(f"{column} is blank")
        return None
    parsed = _iso_date(value)
    if parsed is None:
        hint = _day_first_hint(value)
        problems.append(f"{column} '{value}' is not a date in the form YYYY-MM-DD{hint}")
        return None
    if parsed > today:
        problems.append(f"{column} {value} is in the future")
        return None
    return parsed


def check_grade(column: str, value: str, problems: list[str]) -> Grade | None:
    """The grade in ``value`` (any accepted spelling), else None and a problem."""
    try:
        return parse_grade(value)
    except ValueError:
        problems.append(f"{column}: '{value}' is not a grade; use one of: {ACCEPTED_SPELLINGS}")
        return None
