"""`qa-audit backup` and `qa-audit restore`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from qa_audit.backup.backup import backup_database
from qa_audit.backup.restore import restore_database
from qa_audit.core.commands import command_transaction


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace FILE if it exists.")
@with_appcontext
def backup_command(file: Path, overwrite: bool) -> None:
    """Write every table to FILE (a zip: JSON lines per table and a manifest with checksums)."""
    with command_transaction():
        summary = backup_database(None, file, overwrite=overwrite)
    click.echo(
        f"Backed up {summary.total_rows} rows from {len(summary.rows)} tables to {file} "
        f"(database revision {', '.join(summary.revisions)}; sha256 {summary.sha256})"
    )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Delete everything the database holds first.")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Replace this database's rows with a backup's, all or nothing (checksums verified first)."""
    with command_transaction():
        summary = restore_database(None, file, force=force)
    if summary.replaced:
        click.echo(f"Replaced the {sum(summary.replaced.values())} rows the database held")
    click.echo(
        f"Restored {summary.total_rows} rows into {len(summary.rows)} tables from {file} "
        f"(backup made {summary.created_at})"
    )
