"""The agreement page: QA leads and moderators (the flags of generous auditors are the QA
lead's alone, within the page); never viewers, service managers, auditors or administrators."""

from __future__ import annotations

from tests.access_parts.outcomes import IN, NO, OK

EXPECTED: dict[str, dict[str, tuple[int | str, ...]]] = {
    "agreement.page": {"GET": (IN, NO, OK, NO, OK, NO, NO)},
}
