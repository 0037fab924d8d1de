"""E-mail notifications, sent only when SMTP is configured (QA_AUDIT_SMTP_HOST).

In-app, people see what concerns them on their home page; e-mail is a convenience on top.
Messages carry case references and links, never children's names."""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from qa_audit.core.db import AppSession
from qa_audit.core.extensions import db


def external_url(endpoint: str, **values: Any) -> str:
    """A page's full address for an e-mail or a document, on the configured BASE_URL.

    Never the Host header of the request that happened to cause it: anyone can send any
    Host, and a link in a safeguarding e-mail must lead to the council's own service."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def smtp_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send_email(to: Iterable[str], subject: str, body: str) -> bool:
    """Send a plain-text e-mail if SMTP is configured; a failure is logged, never raised."""
    recipients = sorted({address for address in to if address})
    if not recipients or not smtp_configured():
        return False
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(
            current_app.config["MAIL_SERVER"], current_app.config["MAIL_PORT"], timeout=10
        ) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send e-mail %r to %s", subject, recipients)
        return False
    return True


# E-mail waits for the transaction that made the change it tells of: nobody is told about a
# record that was rolled back, and no SMTP call is made while the transaction (and, on
# SQLite, the database's write lock) is held.
_OUTBOX = "qa_audit_outbox"


def send_after_commit(to: Iterable[str], subject: str, body: str) -> None:
    """Queue an e-mail (sent with send_email) for when the current transaction commits."""
    db.session.info.setdefault(_OUTBOX, []).append((list(to), subject, body))


def _send_outbox(session: Session) -> None:
    for to, subject, body in session.info.pop(_OUTBOX, []):
        send_email(to, subject, body)


def _drop_outbox(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint in it
        session.info.pop(_OUTBOX, None)


def init_app(app: Flask) -> None:
    """Send queued e-mail when, and only when, this app's sessions commit."""
    if not event.contains(AppSession, "after_commit", _send_outbox):
        event.listen(AppSession, "after_commit", _send_outbox)
        event.listen(AppSession, "after_soft_rollback", _drop_outbox)
