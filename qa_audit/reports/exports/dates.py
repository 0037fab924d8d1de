"""Dates as a UK reader writes them, for the documents a committee reads: '3 December 2026',
'April 2024'. The report JSON keeps its ISO dates (other programs read those)."""

from __future__ import annotations

from datetime import date


def uk_date(iso: str | date | None) -> str:
    """'2026-12-03' -> '3 December 2026'; None -> ''."""
    if iso is None:
        return ""
    day = iso if isinstance(iso, date) else date.fromisoformat(iso[:10])
    return f"{day.day} {day:%B %Y}"


def uk_month(month: str) -> str:
    """'2024-04' -> 'April 2024'."""
    return f"{date(int(month[:4]), int(month[5:7]), 1):%B %Y}"
