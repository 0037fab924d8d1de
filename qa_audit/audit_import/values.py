"""One value of a row at a time: dates and grades, read as spreadsheets and people write them,
each refused with a message that says how to write it."""

from __future__ import annotations

import re
from datetime import date

from qa_audit.audit_tools.grades import ACCEPTED_SPELLINGS, Grade, parse_grade

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Day first, as UK Excel writes dates in a CSV file (15/03/2024, 15/3/2024, 15.03.2024). A
# two-digit year is refused: 03/04/24 could be either century's, or American.
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
HOW_TO_WRITE = "write it as 15/03/2024 or 2024-03-15"


def _parts(value: str) -> tuple[int, int, int] | None:
    """(year, month, day) of an ISO or day-first date, None when it is neither."""
    if iso := _ISO.match(value):
        y, m, d = (int(x) for x in iso.groups())
        return y, m, d
    if uk := _DAY_FIRST.match(value):
        d, m, y = (int(x) for x in uk.groups())
        return y, m, d
    return None


def check_date(column: str, value: str, today: date, problems: list[str]) -> date | None:
    """The date in ``value`` (15/03/2024, 15/3/2024 or 2024-03-15; not after ``today``),
    else None and a problem."""
    if not value:
        problems.append(f"{column} is blank")
        return None
    parts = _parts(value)
    if parts is None:
        problems.append(f"{column} '{value}' is not a date: {HOW_TO_WRITE}")
        return None
    try:
        parsed = date(*parts)
    except ValueError:
        problems.append(f"{column} '{value}' is not a real date")
        return None
    if parsed > today:
        problems.append(f"{column} {value} is in the future")
        return None
    return parsed


def check_grade(column: str, value: str, problems: list[str]) -> Grade | None:
    """The grade in ``value`` (any accepted spelling, any case; "Requires Improvement (to be
    Good)" as the README writes it), else None and a problem."""
    try:
        return parse_grade(value.replace("(", " ").replace(")", " "))
    except ValueError:
        problems.append(f"{column}: '{value}' is not a grade; use one of: {ACCEPTED_SPELLINGS}")
        return None
