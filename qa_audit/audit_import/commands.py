"""The `qa-audit import audits FILE.csv` command (the format: docs/domain.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from qa_audit.audit_import.services import AuditImportError, import_audits
from qa_audit.core.extensions import db


@click.group("import")
def import_group() -> None:
    """Import historical records."""


class _ProgressBars:
    """The importer's progress as click progress bars on stderr, one per stage."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.stage = ""
        self.done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < 1000:  # small files finish before a bar would be read
            return
        if stage != self.stage:
            self.close()
            self.stage, self.done = stage, 0
            self.bar = click.progressbar(length=total, label=stage, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@import_group.command("audits")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--create-users",
    is_flag=True,
    help="Create accounts for unknown e-mails (they cannot sign in until an admin activates them).",
)
@with_appcontext
def import_audits_command(file: Path, create_users: bool) -> None:
    """Import historical audits from a CSV file, all or nothing (format: docs/domain.md,
    "Importing historical audits")."""
    bars = _ProgressBars()
    try:
        with file.open("rb") as stream:
            result = import_audits(
                None, stream, file.name, create_users=create_users, progress=bars
            )
    except AuditImportError as error:
        bars.close()
        db.session.rollback()  # a command owns its transaction
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo(error.summary, err=True)
        click.echo("Nothing was imported.", err=True)
        sys.exit(1)
    bars.close()
    db.session.commit()
    audits = "audit" if result.audits == 1 else "audits"
    click.echo(
        f"Imported {result.audits} {audits} ({result.moderations} with moderation) from {file}"
    )
    if result.users_created:
        n = len(result.users_created)
        click.echo(
            f"Created {n} {'account' if n == 1 else 'accounts'} that cannot sign in until an "
            f"administrator activates {'it' if n == 1 else 'them'}: "
            + ", ".join(result.users_created)
        )
