"""The `qa-audit` command line. Each command calls services and commits once."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db


def _fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.group("users")
def users_group() -> None:
    """Manage user accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", "roles", multiple=True, required=True, help="A role; repeat for several.")
@click.option("--service-area", default=None, help="Service area key or name.")
@with_appcontext
def create_user_command(
    email: str, name: str, roles: tuple[str, ...], service_area: str | None
) -> None:
    """Create a user; the password is read from stdin or prompted, never an argument."""
    from qa_audit.auth.roles import Role
    from qa_audit.auth.services import create_user
    from qa_audit.organisation.services import find_service_area

    known = {r.value for r in Role}
    bad = [r for r in roles if r not in known]
    if bad:
        _fail(f"unknown role {', '.join(bad)}; use one of: {', '.join(sorted(known))}")
    area_id = None
    if service_area:
        area = find_service_area(service_area)
        if area is None:
            _fail(f"unknown service area '{service_area}'")
        area_id = area.id if area else None
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_user(
            None, email=email, name=name, roles=roles, password=password, service_area_id=area_id
        )
    except DomainError as error:
        _fail(error.message)
        return
    db.session.commit()
    click.echo(f"Created {user.email} with roles {', '.join(sorted(r.value for r in user.roles))}")


@click.group("tools")
def tools_group() -> None:
    """Audit tools (definitions in seed/audit_tools)."""


@tools_group.command("load")
@click.argument("folder", required=False, type=click.Path(file_okay=False, exists=True))
@with_appcontext
def load_tools_command(folder: str | None) -> None:
    """Validate and load audit-tool definitions (all or nothing)."""
    from pathlib import Path

    from qa_audit.audit_tools.services import load_tools_from
    from qa_audit.seed import SEED

    try:
        results = load_tools_from(Path(folder) if folder else SEED / "audit_tools")
    except DomainError as error:
        _fail(error.message)
        return
    db.session.commit()
    for result in results:
        click.echo(f"{result.key}: {result.status}")


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load reference data: service areas, teams and audit tools (idempotent)."""
    from qa_audit.seed import load_reference_data

    try:
        areas, tools = load_reference_data()
    except DomainError as error:
        _fail(error.message)
        return
    db.session.commit()
    loaded = ", ".join(f"{t.key} {t.status}" for t in tools)
    click.echo(f"Service areas added: {areas}; tools: {loaded}")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace FILE if it exists.")
@with_appcontext
def backup_command(file: Path, overwrite: bool) -> None:
    """Write every table to FILE (a zip: JSON lines per table and a manifest with checksums)."""
    from qa_audit.backup import backup_database

    try:
        summary = backup_database(None, file, overwrite=overwrite)
    except DomainError as error:
        _fail(error.message)
        return
    db.session.commit()
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
    from qa_audit.backup import restore_database

    try:
        summary = restore_database(None, file, force=force)
    except DomainError as error:
        _fail(error.message)
        return
    db.session.commit()
    if summary.replaced:
        click.echo(f"Replaced the {sum(summary.replaced.values())} rows the database held")
    click.echo(
        f"Restored {summary.total_rows} rows into {len(summary.rows)} tables from {file} "
        f"(backup made {summary.created_at})"
    )


def init_app(app: Flask) -> None:
    """The commands that belong to no single part of the domain."""
    for command in (
        users_group,
        tools_group,
        seed_command,
        backup_command,
        restore_command,
    ):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from qa_audit import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """qa-audit: quality-assurance case audits for children's social care."""
