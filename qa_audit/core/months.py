"""Calendar months written 'YYYY-MM', as the rota, dip samples and reports use them."""

from __future__ import annotations

import re
from datetime import date

from qa_audit.core.errors import DomainError

# Years 1900 to 2199, as report_filters takes them: a month of year 0 or 9999 is no real
# period here, and the months around it (year 10000) are beyond what a date can hold.
MONTH_PATTERN = re.compile(r"^(19\d\d|2[01]\d\d)-(0[1-9]|1[0-2])$", re.ASCII)


def parse_month(value: str | None, field: str | None = "month") -> str:
    """A 'YYYY-MM' month, checked; DomainError otherwise."""
    value = (value or "").strip()
    if not MONTH_PATTERN.match(value):
        raise DomainError("Enter the month as a year and month, for example 2024-04", field)
    return value


def month_of(day: date) -> str:
    return day.strftime("%Y-%m")


def first_day(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def add_months(month: str, count: int) -> str:
    start = first_day(month)
    index = start.year * 12 + start.month - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_label(month: str) -> str:
    """'2024-04' -> 'April 2024'."""
    return first_day(month).strftime("%B %Y")


def months_around(centre: str, before: int = 12, after: int = 12) -> list[str]:
    """The months from ``before`` months before ``centre`` to ``after`` months after it."""
    return [add_months(centre, n) for n in range(-before, after + 1)]


def one_year_before(day: date) -> date:
    """The same day a year earlier (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def long_date(day: date | None) -> str:
    """'1 April 2024', the way dates are shown."""
    return f"{day.day} {day.strftime('%B %Y')}" if day else ""
