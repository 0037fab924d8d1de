"""The access table's rows for the pages behind the home page's "View all" links: every
safeguarding concern (for those who respond to them: service managers and QA leads), and an
auditor's own allocations and moderation outcomes (auditors only)."""

from __future__ import annotations

from tests.access_parts.outcomes import IN, NO, OK

EXPECTED: dict[str, dict[str, tuple[int | str, ...]]] = {
    "safeguarding.concerns": {"GET": (IN, NO, NO, OK, OK, NO, NO)},
    "rota.your_allocations": {"GET": (IN, OK, NO, NO, NO, NO, NO)},
    "moderation.your_outcomes": {"GET": (IN, OK, NO, NO, NO, NO, NO)},
}
