"""The case reference rule: the id in the case-management system, never the child's name."""

from __future__ import annotations

import re

# 3-30 letters, digits, '-', '_' or '/', at least one digit, no spaces: "CR12345", "LA/2024/001".
CASE_REF_PATTERN = re.compile(r"^(?=[^0-9]*[0-9])[A-Za-z0-9_/-]{3,30}$")
CASE_REF_RULE = (
    "use the case-management ID: 3 to 30 letters, digits, '-', '_' or '/', with at least one "
    "digit and no spaces (never the child's name)"
)


NAME_MESSAGE = "Enter the case reference from the case-management system, not the child's name"
# A value with no digit made only of letters, spaces, apostrophes, dots and hyphens reads as a name.
_NAME_LIKE = re.compile(r"^[^\W\d_][^\W\d_' .\-]*(?:['. \-]+[^\W\d_]+)*[.]?$")


def case_ref_problem(value: str) -> str | None:
    """Why ``value`` is not a case reference (in plain English), or None if it is one.

    The message never repeats the value: a refused value may be a child's name."""
    value = value.strip()
    if not value:
        return "Enter the case reference"
    if not any(ch.isdigit() for ch in value) and _NAME_LIKE.match(value):
        return NAME_MESSAGE
    if any(ch.isspace() for ch in value):
        return "The case reference must not contain spaces"
    if not 3 <= len(value) <= 30:
        return "The case reference must be between 3 and 30 characters"
    if not re.fullmatch(r"[A-Za-z0-9_/-]+", value):
        return (
            "The case reference can only include letters, numbers, hyphens (-), "
            "underscores (_) and slashes (/)"
        )
    if not CASE_REF_PATTERN.match(value):
        return "The case reference must include at least one number"
    return None
