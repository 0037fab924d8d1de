"""Blind moderation and the quality of audits: the blind grading step is a moderator's (the
access world's moderation is not blind, so it leads on to the decision page); the per-auditor
summary of audit quality is the QA lead's alone, never a viewer's."""

from __future__ import annotations

from tests.access_parts.outcomes import GO, IN, NO, OK

EXPECTED: dict[str, dict[str, tuple[int | str, ...]]] = {
    "moderation.blind_grades": {
        "GET": (IN, NO, GO, NO, NO, NO, NO),
        "POST": (IN, NO, GO, NO, NO, NO, NO),
    },
    "moderation.audit_quality": {"GET": (IN, NO, NO, NO, OK, NO, NO)},
}
