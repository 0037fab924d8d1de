"""`qa-audit users …`: accounts made from the command line (the first administrator's)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from qa_audit.auth.roles import Role
from qa_audit.auth.services import create_user
from qa_audit.core.commands import command_transaction, fail
from qa_audit.organisation.services import find_service_area


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
    known = {r.value for r in Role}
    bad = [r for r in roles if r not in known]
    if bad:
        fail(f"unknown role {', '.join(bad)}; use one of: {', '.join(sorted(known))}")
    area_id = None
    if service_area:
        area = find_service_area(service_area)
        if area is None:
            fail(f"unknown service area '{service_area}'")
        area_id = area.id
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    with command_transaction():
        user = create_user(
            None, email=email, name=name, roles=roles, password=password, service_area_id=area_id
        )
    click.echo(f"Created {user.email} with roles {', '.join(sorted(r.value for r in user.roles))}")
