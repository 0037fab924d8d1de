"""`qa-audit safeguarding …`: the escalation of concerns not acknowledged in time (a timer)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import with_appcontext

from qa_audit.audits.safeguarding.escalation import (
    acknowledgement_days,
    escalate_unacknowledged,
    escalation_possible,
)
from qa_audit.core.clock import LOCAL_TZ
from qa_audit.core.commands import command_transaction, fail


@click.group("safeguarding")
def safeguarding_group() -> None:
    """Safeguarding concerns raised during audits."""


def _now(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail("--now: use the form YYYY-MM-DDTHH:MM (the council's time)")
    when = moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_TZ)
    return when.astimezone(UTC)


@safeguarding_group.command("escalate")
@click.option(
    "--now",
    "now_text",
    default=None,
    metavar="YYYY-MM-DDTHH:MM",
    help="Treat this moment (the council's time) as now.",
)
@with_appcontext
def escalate_command(now_text: str | None) -> None:
    """E-mail the area's service managers and the QA leads about each concern not
    acknowledged in time, once (run hourly; nothing without SMTP)."""
    days = acknowledgement_days()
    within = f"within {days} working day{'' if days == 1 else 's'}"
    if not escalation_possible():
        click.echo(
            "SMTP is not configured (QA_AUDIT_SMTP_HOST): nothing escalated. Concerns not "
            f"acknowledged {within} show on the home pages of service managers and QA leads."
        )
        return
    now = _now(now_text)
    with command_transaction():
        escalated = escalate_unacknowledged(now)
    click.echo(f"{len(escalated)} safeguarding concern(s) not acknowledged {within} escalated.")
