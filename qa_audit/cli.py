"""The `qa-audit` command line: the console script, and the commands that belong to no single
part (each part registers its own commands from its init_app). Each command calls services and
commits once."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from qa_audit.seed import seed_command


def init_app(app: Flask) -> None:
    """The commands that belong to no single part of the domain."""
    for command in (seed_command,):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from qa_audit import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main() -> None:
    """qa-audit: quality-assurance case audits for children's social care."""
