"""An audit's status as a GOV.UK tag, for its page and every list of audits."""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from qa_audit.audits.models import AuditStatus

STATUS_TAG_CLASSES = {
    AuditStatus.DRAFT: "govuk-tag--grey",
    AuditStatus.SUBMITTED: "govuk-tag--blue",
    AuditStatus.RETURNED: "govuk-tag--orange",
    AuditStatus.CLOSED: "govuk-tag--green",
}
_status_tags: dict[AuditStatus, Markup] = {}


def audit_status_tag(status: AuditStatus) -> Markup:
    """The status as a GOV.UK tag, made by the govukTag macro once per status, not once per
    row of every list."""
    tag = _status_tags.get(status)
    if tag is None:
        macro = current_app.jinja_env.get_template(
            "govuk_frontend_jinja/components/tag/macro.html"
        ).module.govukTag  # type: ignore[attr-defined]
        tag = _status_tags[status] = Markup(
            macro({"text": status.label, "classes": STATUS_TAG_CLASSES[status]})
        )
    return tag
