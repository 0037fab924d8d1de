"""Links to one audit's page, for lists, home-page sections and e-mails."""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from markupsafe import Markup
from werkzeug.routing import BuildError

from qa_audit.core.notifications import external_url


def audit_url(audit_id: int, *, external: bool = False) -> str:
    """The audit page's address (its path when the page is not available); ``external``: in
    full, on the configured base URL (for e-mails)."""
    try:
        if external:
            return external_url("audits.show", audit_id=audit_id)
        return url_for("audits.show", audit_id=audit_id)
    except (BuildError, RuntimeError):
        return f"/audits/{audit_id}"


def audit_urls() -> Callable[[int], str]:
    """audit_url for a list of many audits: the address is built once and only the id changes
    from row to row."""
    sample = 2147483647  # any id: it is found again in the address and replaced
    before, found, after = audit_url(sample).rpartition(str(sample))
    if not found:
        return audit_url
    return lambda audit_id: f"{before}{int(audit_id)}{after}"


def audit_link(audit_id: int, reference: str) -> Markup:
    """The audit's reference as a link to its page, for tables of those who may see it."""
    return Markup('<a class="govuk-link" href="{}">{}</a>').format(audit_url(audit_id), reference)
