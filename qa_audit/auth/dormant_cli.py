"""`qa-audit accounts dormant [--deactivate | --scheduled]` (docs/accounts.md)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from qa_audit.auth.dormant import deactivate_dormant, dormant_accounts, dormant_days
from qa_audit.core.clock import LOCAL_TZ
from qa_audit.core.commands import command_transaction


@click.group("accounts")
def accounts_group() -> None:
    """Account lifecycle: dormant accounts."""


@accounts_group.command("dormant")
@click.option(
    "--deactivate", is_flag=True, help="Deactivate them (break-glass administrators excepted)."
)
@click.option(
    "--scheduled",
    is_flag=True,
    help="The timer's run: deactivate only if QA_AUDIT_DORMANT_AUTO_DEACTIVATE is true.",
)
@with_appcontext
def dormant_command(deactivate: bool, scheduled: bool) -> None:
    """List accounts nobody has signed in to for QA_AUDIT_DORMANT_DAYS days."""
    accounts = dormant_accounts()
    click.echo(f"Accounts without a sign-in for {dormant_days()} days or more: {len(accounts)}")
    for account in accounts:
        last = (
            account.last_sign_in_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d")
            if account.last_sign_in_at
            else "never"
        )
        roles = ", ".join(sorted(r.value for r in account.user.roles)) or "no roles"
        note = "  (break-glass, kept)" if account.break_glass else ""
        click.echo(
            f"  {account.user.email}  {account.user.name}  {roles}  "
            f"last sign-in {last}  {account.days} days{note}"
        )
    if scheduled:
        deactivate = bool(current_app.config.get("DORMANT_AUTO_DEACTIVATE"))
    if not deactivate:
        return
    with command_transaction():
        done = deactivate_dormant(None)
    click.echo(f"Deactivated {len(done)} account{'' if len(done) == 1 else 's'}")
