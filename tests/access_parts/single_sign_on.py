"""The access table's rows for single sign-on: the way to the provider and back, and the
administrators' group-to-role mapping.

Single sign-on is off in the test app (no QA_AUDIT_OIDC_ISSUER): its two sign-in routes answer
404 to everyone. Turned on, they are open to the signed out (a signed-in person is sent home),
as tests/functional/test_single_sign_on*.py show with a real provider."""

from __future__ import annotations

from typing import Any

from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.single_sign_on.models import GroupRole
from tests.access_parts.outcomes import BAD, GO, IN, NF, NO, OK

OFF = (NF, NF, NF, NF, NF, NF, NF)

EXPECTED: dict[str, dict[str, tuple[int | str, ...]]] = {
    "single_sign_on.start": {"GET": OFF},
    "single_sign_on.callback": {"GET": OFF},
    # Offers signing out at the provider once, just after signing out here; else to sign-in.
    "single_sign_on.signed_out": {"GET": (IN, IN, IN, IN, IN, IN, IN)},
    "single_sign_on.group_roles": {
        "GET": (IN, NO, NO, NO, NO, NO, OK),
        "POST": (IN, NO, NO, NO, NO, NO, BAD),
    },
    "single_sign_on.remove_group_role": {"POST": (IN, NO, NO, NO, NO, NO, GO)},
}


def records(owner: Any, area: Any) -> dict[str, Any]:
    mapping = GroupRole(group_id="access-table-group", role=Role.AUDITOR.value)
    db.session.add(mapping)
    db.session.flush()
    return {"mapping_id": mapping.id}
