"""``qa-audit logs verify``: whether the change log and the access log are as written."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from qa_audit.changelog.chain import verify
from qa_audit.core.extensions import db

logs_group = AppGroup("logs", help="Check the change log and the access log.")


@logs_group.command("verify")
def verify_command() -> None:
    """Check that no log row was changed, deleted or moved since it was written.

    Exits with status 1 and names the first row that does not fit, in each log."""
    counts, breaks = verify(db.session.connection())
    for broken in breaks:
        click.echo(f"Tampered: {broken}", err=True)
    if breaks:
        sys.exit(1)
    checked = ", ".join(f"{rows} rows of {table}" for table, rows in counts.items())
    click.echo(f"The logs are intact: checked {checked}.")
