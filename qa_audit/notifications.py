"""E-mail notifications, sent only when SMTP is configured (QA_AUDIT_SMTP_HOST).

In-app, people see what concerns them on their home page; e-mail is a convenience on top.
Messages carry case references and links, never children's names."""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from email.message import EmailMessage

from flask import current_app


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
