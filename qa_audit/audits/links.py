"""Links to one audit's page, for lists, home-page sections and e-mails."""

from __future__ import annotations

from flask import url_for
from werkzeug.routing import BuildError


def audit_url(audit_id: int, *, external: bool = False) -> str:
    """The audit page's address (its path when the page or a host name is not available)."""
    try:
        return url_for("audits.show", audit_id=audit_id, _external=external)
    except (BuildError, RuntimeError):
        return f"/audits/{audit_id}"
