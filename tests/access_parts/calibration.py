"""The access table's rows for calibration rounds. The world's round reads a submitted audit
of another auditor; the world's auditor is invited with a moderator. The people the table
signs in are new, so none of them is invited: an invitee's pages are 'not found' to them (as a
round they may not see), the QA lead's are the QA lead's alone, and viewers and
administrators never see rounds."""

from __future__ import annotations

from typing import Any

from qa_audit.auth.roles import Role
from tests.access_parts.outcomes import BAD, GO, IN, NF, NO, OK
from tests.factories import audits, auth
from tests.factories import calibration as factories_calibration

ROUND_CASE = "CRW4701"

EXPECTED: dict[str, dict[str, tuple[int | str, ...]]] = {
    "calibration.index": {"GET": (IN, NO, NO, NO, OK, NO, NO)},
    "calibration.new": {
        "GET": (IN, NO, NO, NO, OK, NO, NO),
        "POST": (IN, NO, NO, NO, BAD, NO, NO),
    },
    "calibration.show": {"GET": (IN, NF, NF, NF, OK, NO, NO)},
    "calibration.grade": {
        "GET": (IN, NF, NF, NF, NO, NO, NO),
        "POST": (IN, NF, NF, NF, NO, NO, NO),
    },
    # An empty form carries no version: refused and sent back to the round.
    "calibration.close": {"POST": (IN, NO, NO, NO, GO, NO, NO)},
    "calibration.reference": {
        "GET": (IN, NO, NO, NO, OK, NO, NO),
        "POST": (IN, NO, NO, NO, BAD, NO, NO),
    },
    "calibration.discussion": {
        "GET": (IN, NO, NO, NO, OK, NO, NO),
        "POST": (IN, NO, NO, NO, BAD, NO, NO),
    },
    "calibration.mine": {"GET": (IN, OK, OK, OK, NO, NO, NO)},
    "calibration.person": {"GET": (IN, NO, NO, NO, OK, NO, NO)},
}


def records(owner: Any, area: Any) -> dict[str, Any]:
    # Another auditor's audit: the world's auditor has only their two audits (the matrix's
    # own tests list them).
    audit = audits.audit(auditor=auth.user(Role.AUDITOR), case_ref=ROUND_CASE, area_key=area.key)
    invited = [owner, auth.user(Role.MODERATOR)]
    made = factories_calibration.calibration_round(audit=audit, invitees=invited)
    return {"round_id": made.id, "person_id": owner.id}
