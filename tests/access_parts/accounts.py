"""The access table's rows for the account lifecycle: the dormant accounts page, and SCIM.

SCIM is off in the test app (no QA_AUDIT_SCIM_TOKEN_HASH): every /scim route answers 404 to
everyone, signed in or holding an API token (tests/functional/test_scim.py covers it on)."""

from __future__ import annotations

from tests.access_parts.outcomes import GO, IN, NF, NO, OK

SCIM_OFF = (NF, NF, NF, NF, NF, NF, NF)

EXPECTED: dict[str, dict[str, tuple[int | str, ...]]] = {
    "admin_accounts.dormant": {"GET": (IN, NO, NO, NO, NO, NO, OK)},
    "admin_accounts.deactivate": {"POST": (IN, NO, NO, NO, NO, NO, GO)},
    "scim.users": {"GET": SCIM_OFF},
    "scim.create_user": {"POST": SCIM_OFF},
    "scim.user": {"GET": SCIM_OFF},
    "scim.replace_user": {"PUT": SCIM_OFF},
    "scim.patch_user": {"PATCH": SCIM_OFF},
    "scim.delete_user": {"DELETE": SCIM_OFF},
    "scim.service_provider_config": {"GET": SCIM_OFF},
    "scim.resource_types": {"GET": SCIM_OFF},
    "scim.schemas": {"GET": SCIM_OFF},
}
