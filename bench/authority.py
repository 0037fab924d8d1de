"""The synthetic authority's shape, the same for every size so that sizes differ only in
history: ten years of months ending at END_MONTH, the latest RECENT_MONTHS of them holding
RECENT_PER_MONTH audits each (the months every timed report reads), the older history spread
evenly, and the seed that makes a size always give the same rows."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
END_MONTH = "2026-10"
MONTHS = 120
RECENT_MONTHS = 24
RECENT_PER_MONTH = 400
SEED = 20261123
PRACTICE_PRINCIPLES_FROM = "2024-04"


def add_months(month: str, delta: int) -> str:
    """'YYYY-MM' moved by ``delta`` months."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def all_months() -> list[str]:
    """The MONTHS months of data, oldest first, ending at END_MONTH."""
    return [add_months(END_MONTH, i - MONTHS + 1) for i in range(MONTHS)]


def recent_per_month(size: int) -> int:
    """Audits in each of the latest months: RECENT_PER_MONTH, fewer for a tiny database."""
    return min(RECENT_PER_MONTH, size // (RECENT_MONTHS + 1))


def month_counts(size: int) -> list[int]:
    """Audits per month, oldest first: the latest RECENT_MONTHS months hold
    recent_per_month(size) each; the rest is spread evenly over the older months."""
    recent = recent_per_month(size)
    older = MONTHS - RECENT_MONTHS
    base, extra = divmod(size - recent * RECENT_MONTHS, older)
    return [base + (1 if i < extra else 0) for i in range(older)] + [recent] * RECENT_MONTHS


def busiest_year() -> tuple[str, str]:
    """Twelve months of the older history (the densest months of a large database)."""
    last = add_months(END_MONTH, -RECENT_MONTHS - 12)
    return add_months(last, -11), last
