"""How every percentage qa-audit shows is rounded: one decimal place, half away from zero.

Python's round() rounds half to even (6.25 would become 6.2, a committee expects 6.3), so
pages, exports, JSON and the API all use this one helper (docs/report-figures.md)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage to one decimal place, half away from zero; None
    for a percentage of nothing (shown as "no audits" rather than a false 0%)."""
    if not whole:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def one_decimal(value: float) -> float:
    """A figure that is already a percentage (or a mean) to one decimal place, half away from
    zero, as ``percent`` rounds."""
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
