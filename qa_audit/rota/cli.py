"""`qa-audit rota …`: rota commands for cron jobs."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.rota.services import send_reminders


@click.group("rota")
def rota_group() -> None:
    """The monthly rota."""


@rota_group.command("remind")
@click.option(
    "--days",
    default=5,
    show_default=True,
    type=click.IntRange(0, 60),
    help="Remind of allocations due within this many days (overdue ones too).",
)
@click.option(
    "--today",
    "today_text",
    default=None,
    metavar="YYYY-MM-DD",
    help="Treat this date as today (for catching up on a missed run).",
)
@with_appcontext
def remind_command(days: int, today_text: str | None) -> None:
    """E-mail auditors their allocations due soon (when SMTP is configured; once a day)."""
    try:
        today = date.fromisoformat(today_text) if today_text else local_today()
    except ValueError as error:
        raise click.BadParameter("use the form YYYY-MM-DD", param_hint="--today") from error
    run = send_reminders(today, days)
    db.session.commit()
    if not run.smtp:
        click.echo(
            f"SMTP is not configured (QA_AUDIT_SMTP_HOST): no e-mail sent. {run.allocations} "
            f"allocation(s) of {run.auditors} auditor(s) are due within {days} days; "
            "auditors see them on their home page."
        )
        return
    click.echo(
        f"Reminders e-mailed to {run.emailed} of {run.auditors} auditor(s) about "
        f"{run.allocations} allocation(s) due within {days} days."
    )
