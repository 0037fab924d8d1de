"""The backup's signature: an HMAC-SHA256 of the manifest (which holds every table file's
checksum and size) under a key kept out of the backup, so a file edited and given fresh
checksums is still refused."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from flask import current_app

from qa_audit.core.keys import purpose_key

ALGORITHM = "HMAC-SHA256"
CONFIGURED_KEY = "QA_AUDIT_BACKUP_KEY"
DERIVED_KEY = "derived from QA_AUDIT_SECRET_KEY"


def signing_key() -> tuple[bytes, str]:
    """The key backups are signed with, and where it comes from."""
    configured = current_app.config.get("BACKUP_KEY")
    if configured:
        return configured.encode(), CONFIGURED_KEY
    return purpose_key(current_app.config["SECRET_KEY"], "backup signing"), DERIVED_KEY


def _mac(key: bytes, manifest: bytes) -> str:
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


def signature(manifest: bytes) -> bytes:
    """The signature member for these exact manifest bytes."""
    key, source = signing_key()
    record = {"algorithm": ALGORITHM, "key": source, "manifest": _mac(key, manifest)}
    return json.dumps(record, indent=2).encode()


def signature_problem(manifest: bytes, signed: bytes) -> str | None:
    """Why the signature does not vouch for the manifest, or None when it does."""
    try:
        record: Any = json.loads(signed)
    except ValueError:
        return "its signature cannot be read"
    if not isinstance(record, dict) or record.get("algorithm") != ALGORITHM:
        return "its signature is not of a kind this version of qa-audit checks"
    mac = record.get("manifest")
    key, source = signing_key()
    if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(key, manifest)):
        return (
            "its signature does not match: the file was altered after it was made, or it was "
            f"signed with another key (this server checks with the key {source})"
        )
    return None
