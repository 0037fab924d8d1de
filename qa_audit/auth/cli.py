"""`qa-audit users …`: accounts made from the command line (the first administrator's)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from qa_audit.auth.roles import Role
from qa_audit.auth.services import create_user, find_user_by_email, set_active, set_password
from qa_audit.core.commands import command_transaction, fail
from qa_audit.organisation.services import find_service_area


def _read_password() -> str:
    """From a prompt, or the first line of stdin: never an argument, which others can see."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\n")


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
    password = _read_password()
    with command_transaction():
        user = create_user(
            None, email=email, name=name, roles=roles, password=password, service_area_id=area_id
        )
    click.echo(f"Created {user.email} with roles {', '.join(sorted(r.value for r in user.roles))}")


@users_group.command("set-password")
@click.argument("email")
@with_appcontext
def set_password_command(email: str) -> None:
    """Set a person's password on the server (read from stdin or prompted): for when e-mail
    is not set up and a one-time password cannot be sent. The person must choose a new one
    when they first sign in with it."""
    user = find_user_by_email(email)
    if user is None:
        fail(f"no user with the e-mail address {email}")
    password = _read_password()
    with command_transaction():
        set_password(None, user, password, to_be_changed=True)
    click.echo(
        f"The password of {user.email} has been set; they must choose a new password when "
        "they first sign in"
    )


@users_group.command("deactivate")
@click.argument("email")
@with_appcontext
def deactivate_command(email: str) -> None:
    """Deactivate a leaver's account: their sessions end and their API tokens are revoked at
    once; nothing they recorded is removed."""
    user = find_user_by_email(email)
    if user is None:
        fail(f"no user with the e-mail address {email}")
    if not user.active:
        fail(f"{user.email} is already deactivated")
    with command_transaction():
        set_active(None, user, False)
    click.echo(f"Deactivated {user.email}: their sessions have ended and API tokens are revoked")
