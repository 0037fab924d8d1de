"""For views: the audit the signed-in person may see, else the page answers 404 (as for an
audit that does not exist), or 403 when they may see it but not use this page on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy.orm.interfaces import ORMOption

from qa_audit.audits.models import Audit
from qa_audit.audits.services.reading import get_audit_for
from qa_audit.core.errors import Forbidden, NotFound
from qa_audit.core.views import refuse_as_missing


def viewable_audit_or_abort(
    audit_id: int,
    options: Sequence[ORMOption] = (),
    may: Callable[[Any, Audit], bool] | None = None,
) -> Audit:
    """The audit the signed-in user may see; 404 if none or not theirs to see, 403 if (with
    ``may``) not theirs to use this page on. ``options``: what to load with it
    (services.AUDIT_PAGE for its page)."""
    try:
        audit = get_audit_for(current_user, audit_id, options)
    except NotFound:
        abort(404)
    except Forbidden:
        refuse_as_missing()
    if may is not None and not may(current_user, audit):
        abort(403)
    return audit
