"""What every page of the audit's editing journey starts with: the audit, if the signed-in
person is its auditor and may still change it, and the audit form for it."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.audits import services
from qa_audit.audits.access import can_view_audit
from qa_audit.audits.forms import AuditFormBase, audit_form
from qa_audit.audits.models import Audit
from qa_audit.audits.page_access import viewable_audit_or_abort
from qa_audit.auth import services as accounts


def form_for(audit: Audit, **kwargs: Any) -> AuditFormBase:
    """The audit form for ``audit``: its tool's domains, its themes, who may own an action."""
    return audit_form(
        audit,
        services.active_themes_for(audit),
        [u for u in accounts.list_users(include_inactive=False) if can_view_audit(u, audit)],
        **kwargs,
    )


def editable_audit(audit_id: int) -> Audit | ResponseReturnValue:
    """The audit if the signed-in person may change it; else the answer to give: 404 when
    they may not see it, 403 when it is not theirs, its page once it is submitted."""
    audit = viewable_audit_or_abort(audit_id)
    if services.may_edit(current_user, audit):
        return audit
    if audit.auditor_id != current_user.id:
        abort(403)
    flash(f"Audit {audit.reference} has been submitted, so it can no longer be changed", "info")
    return redirect(url_for("audits.show", audit_id=audit.id))
