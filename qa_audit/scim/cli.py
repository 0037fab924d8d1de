"""`qa-audit scim new-token`: a bearer token for the identity provider, and the hash of it
for the settings file (the token itself is kept nowhere by qa-audit)."""

from __future__ import annotations

import hashlib
import secrets

import click

TOKEN_PREFIX = "qas_"


@click.group("scim")
def scim_group() -> None:
    """SCIM provisioning of accounts by the council's identity provider."""


@scim_group.command("new-token")
def new_token_command() -> None:
    """Print a new SCIM token (for the identity provider) and its hash (for the settings file)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    click.echo(
        f"Token (paste into the identity provider's Secret Token, then forget it):\n  {token}"
    )
    click.echo(
        "Setting (put in the settings file, then restart qa-audit):\n"
        f"  QA_AUDIT_SCIM_TOKEN_HASH={hashlib.sha256(token.encode()).hexdigest()}"
    )
