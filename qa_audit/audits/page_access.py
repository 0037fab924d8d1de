"""For views: the audit the signed-in person may see, else the page answers 404 or 403."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy.orm.interfaces import ORMOption

from qa_audit.audits.models import Audit
from qa_audit.audits.services.reading import get_audit_for
from qa_audit.core.errors import Forbidden, NotFound


def viewable_audit_or_abort(
    audit_id: int,
    options: Sequence[ORMOption] = (),
    may: Callable[[Any, Audit], bool] | None = None,
) -> Audit:
    """The audit the signed-in user may see; 404 if none, 403 if not theirs to see, or (with
    ``may``) not theirs to use this page on. ``options``: what to load with it
    (services.AUDIT_PAGE for its page)."""
    try:
        audit = get_audit_for(current_user, audit_id, options)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    if may is not None and not may(current_user, audit):
        abort(403)
    return audit
