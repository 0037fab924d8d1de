"""SCIM 2.0 documents (RFC 7643): a User as SCIM writes it, the error and list messages, and
the discovery documents (ServiceProviderConfig, ResourceTypes, Schemas) kept to what
qa-audit supports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from qa_audit.auth.models import User

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
MAX_PAGE = 200


class ScimError(Exception):
    """A refusal told as SCIM's error message (RFC 7644 section 3.12)."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def document(self) -> dict[str, Any]:
        body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(self.status)}
        if self.scim_type:
            body["scimType"] = self.scim_type
        body["detail"] = self.detail
        return body


def _time(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def user_document(user: User, external_id: str | None, location: str) -> dict[str, Any]:
    body: dict[str, Any] = {"schemas": [USER_SCHEMA], "id": str(user.id)}
    if external_id:
        body["externalId"] = external_id
    body.update(
        {
            "userName": user.email,
            "name": {"formatted": user.name},
            "displayName": user.name,
            "active": bool(user.active),
            "emails": [{"value": user.email, "type": "work", "primary": True}],
            "meta": {
                "resourceType": "User",
                "created": _time(user.created_at),
                "lastModified": _time(user.updated_at),
                "location": location,
            },
        }
    )
    return body


def list_document(resources: list[dict[str, Any]], total: int, start: int) -> dict[str, Any]:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def service_provider_config(base: str) -> dict[str, Any]:
    return {
        "schemas": [CONFIG_SCHEMA],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_PAGE},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "The token made by 'qa-audit scim new-token'",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base}/ServiceProviderConfig",
        },
    }


def user_resource_type(base: str) -> dict[str, Any]:
    return {
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A person's qa-audit account",
        "schema": USER_SCHEMA,
        "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/User"},
    }


def _attribute(name: str, kind: str = "string", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": kind,
        "multiValued": False,
        "required": False,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
        **extra,
    }


def user_schema(base: str) -> dict[str, Any]:
    name_parts = [_attribute("formatted"), _attribute("givenName"), _attribute("familyName")]
    email_parts = [_attribute("value"), _attribute("type"), _attribute("primary", "boolean")]
    return {
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A person's qa-audit account; roles are given in qa-audit",
        "attributes": [
            _attribute("userName", required=True, uniqueness="server"),
            _attribute("name", "complex", subAttributes=name_parts),
            _attribute("displayName"),
            _attribute("active", "boolean"),
            _attribute("emails", "complex", multiValued=True, subAttributes=email_parts),
        ],
        "meta": {"resourceType": "Schema", "location": f"{base}/Schemas/{USER_SCHEMA}"},
    }
