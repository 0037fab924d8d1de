"""How a figure is written in every export and on the page: a count with its denominator and
percentage."""

from __future__ import annotations

from typing import Any


def pct(value: float | None) -> str:
    """36.8 -> '36.8%'; None (nothing to divide by) -> 'no graded items'."""
    return "no graded items" if value is None else f"{value:.1f}%"


def share(section: dict[str, Any], key: str, whole: int) -> str:
    """figure() of ``section[key]`` and ``section[key + '_percent']``."""
    return figure(section[key], whole, section[f"{key}_percent"])


def figure(count: int, whole: int, value: float | None) -> str:
    """'7 of 19 (36.8%)': every percentage with its count and denominator."""
    if not whole:
        return f"{count} of {whole}"
    return f"{count} of {whole} ({pct(value)})"
