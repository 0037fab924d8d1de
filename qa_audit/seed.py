"""Reference data every installation needs: service areas, teams, learning themes, audit tools;
and the ``seed`` command that loads it."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from qa_audit.audit_tools.cli import DEFINITIONS
from qa_audit.audit_tools.services import LoadResult, load_tools_from
from qa_audit.core.commands import command_transaction
from qa_audit.core.config import SEED
from qa_audit.learning_themes.services import seed_themes
from qa_audit.organisation.services import seed_service_areas


def load_reference_data() -> tuple[int, list[LoadResult]]:
    """Seed service areas, teams, learning themes and audit tools (idempotent); caller commits."""
    areas = seed_service_areas(SEED / "service_areas.yaml")
    seed_themes(SEED / "learning_themes.yaml")
    tools = load_tools_from(DEFINITIONS)
    return areas, tools


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load reference data: service areas, teams and audit tools (idempotent)."""
    with command_transaction():
        areas, tools = load_reference_data()
    loaded = ", ".join(f"{t.key} {t.status}" for t in tools)
    click.echo(f"Service areas added: {areas}; tools: {loaded}")
