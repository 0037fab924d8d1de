"""When the demo data set may be loaded: never in production (its accounts share a published
password), and only into a database whose every account is a demo account, so that it can
never mix made-up audits with a council's real ones.

Demo data is recognised without marking it in the schema: the demo accounts (those that
sign in, and the extra auditors and moderators, who cannot) are known by their e-mail
addresses (definition.demo_emails), and every real record (an audit, an action, an import, an
API token...) was made by, or for, an account. A database holding any other account holds real
work."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from qa_audit.auth.models import User
from qa_audit.core.extensions import db
from qa_audit.demo.definition import demo_emails

PRODUCTION = (
    "The demo data cannot be loaded in production (QA_AUDIT_ENV is production): its accounts "
    "share a published password. Nothing was changed."
)
REAL_ACCOUNTS = (
    "The demo data can only be loaded into a new database or one holding only demo data, "
    "and this one has {count} other account{s} (for example {example}). Nothing was changed."
)


def demo_refusal(*, loading: bool) -> str | None:
    """Why ``qa-audit demo load`` must not go on, or None. ``loading``: it is about to add
    records (not only list the demo accounts)."""
    if current_app.config.get("ENV") == "production":
        return PRODUCTION
    if not loading:
        return None
    others = select(User.email).where(User.email.not_in(demo_emails()))
    count = db.session.scalar(select(func.count()).select_from(others.subquery())) or 0
    if not count:
        return None
    example = db.session.scalar(others.order_by(User.id).limit(1))
    return REAL_ACCOUNTS.format(count=count, s="" if count == 1 else "s", example=example)
