"""`qa-audit demo load`: the demo data set, committed once."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from qa_audit.core.commands import command_transaction, fail
from qa_audit.demo.definition import DEMO_ACCOUNTS, DEMO_PASSWORD
from qa_audit.demo.guard import demo_refusal
from qa_audit.demo.loading import demo_loaded, load_demo


@click.group("demo")
def demo_group() -> None:
    """The demo data set."""


@demo_group.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing if the demo data is already there.")
@with_appcontext
def demo_load_command(if_empty: bool) -> None:
    """Load the demo data set (idempotent) and print the demo accounts.

    Refused in production (QA_AUDIT_ENV=production), and on a database holding any account
    other than the demo accounts (those it prints): such a database holds real work, which demo
    audits must never be mixed with. Nothing is written when it is refused."""
    loading = not (if_empty and demo_loaded())
    refusal = demo_refusal(loading=loading)
    if refusal:
        fail(refusal)
    if loading:
        with command_transaction():
            load_demo()
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.email:28} {', '.join(r.label for r in account.roles)}")
