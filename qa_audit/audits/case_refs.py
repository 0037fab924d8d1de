"""The case reference rule: the id in the case-management system, never the child's name."""

from __future__ import annotations

import re

# 3-30 letters, digits, '-', '_' or '/', at least one digit, no spaces: "CR12345", "LA/2024/001".
CASE_REF_PATTERN = re.compile(r"^(?=[^0-9]*[0-9])[A-Za-z0-9_/-]{3,30}$")
CASE_REF_RULE = (
    "use the case-management ID: 3 to 30 letters, digits, '-', '_' or '/', with at least one "
    "digit and no spaces (never the child's name)"
)


def case_ref_problem(value: str) -> str | None:
    """Why ``value`` is not a case reference, or None if it is one."""
    value = value.strip()
    if not value:
        return "Enter the case reference"
    if not CASE_REF_PATTERN.match(value):
        return f"This is not a case reference: {CASE_REF_RULE}"
    return None
