"""The `qa-audit import audits FILE.csv` command (the format: docs/domain.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from qa_audit.audit_import.services import (
    AuditImportError,
    ImportPreview,
    import_audits,
    preview_audits,
)
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
@click.option(
    "--dry-run",
    is_flag=True,
    help="Check the file and show what would be imported, importing nothing.",
)
@with_appcontext
def import_audits_command(file: Path, create_users: bool, dry_run: bool) -> None:
    """Import historical audits from a CSV file or an Excel workbook (.xlsx), all or nothing
    (format: docs/domain.md, "Importing historical audits")."""
    bars = _ProgressBars()
    try:
        with file.open("rb") as stream:
            if dry_run:
                preview = preview_audits(
                    stream, file.name, create_users=create_users, progress=bars
                )
            else:
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
    if dry_run:
        db.session.rollback()  # a dry run writes nothing
        _show_preview(preview, file)
        return
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


def _show_preview(preview: ImportPreview, file: Path) -> None:
    audits = "audit" if preview.rows == 1 else "audits"
    click.echo(
        f"Would import {preview.rows} {audits} ({preview.moderations} with moderation) "
        f"from {file}. Nothing has been imported."
    )
    click.echo("Month    Audits  Service area")
    for month, area, n in preview.by_month_and_area:
        click.echo(f"{month}  {n:>6}  {area}")
    click.echo("First rows:")
    for row in preview.first_rows:
        moderated = f", moderated {row.moderated_overall}" if row.moderated_overall else ""
        click.echo(
            f"line {row.line}: {row.reference}, {row.service_area}, "
            f"submitted {row.submitted_on}, {row.overall}{moderated}"
        )
    if preview.users_to_create:
        click.echo("Accounts it would create: " + ", ".join(preview.users_to_create))
