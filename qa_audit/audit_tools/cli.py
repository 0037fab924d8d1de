"""`qa-audit tools load`: audit-tool definitions loaded from YAML files."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from qa_audit.audit_tools.services import load_tools_from
from qa_audit.core.commands import command_transaction
from qa_audit.core.config import SEED

# The definitions every installation starts with.
DEFINITIONS = SEED / "audit_tools"


@click.group("tools")
def tools_group() -> None:
    """Audit tools (definitions in seed/audit_tools)."""


@tools_group.command("load")
@click.argument("folder", required=False, type=click.Path(file_okay=False, exists=True))
@with_appcontext
def load_tools_command(folder: str | None) -> None:
    """Validate and load audit-tool definitions (all or nothing)."""
    with command_transaction():
        results = load_tools_from(Path(folder) if folder else DEFINITIONS)
    for result in results:
        click.echo(f"{result.key}: {result.status}")
