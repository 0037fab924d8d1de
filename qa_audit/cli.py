"""The `qa-audit` command line: the console script, and the commands that belong to no single
part (each part registers its own commands from its init_app). Each command calls services and
commits once."""

from __future__ import annotations

import os
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup

from qa_audit.core.config_command import config_group
from qa_audit.core.settings import ConfigError
from qa_audit.seed import seed_command

# Files the command line writes (reports, exports, backups, restored SQLite files) hold
# children's and families' details: only the account that wrote them may read them.
PRIVATE_UMASK = 0o077


def init_app(app: Flask) -> None:
    """The commands that belong to no single part of the domain."""
    for command in (seed_command,):
        app.cli.add_command(command)


def _create_app() -> Flask:
    from qa_audit import create_app

    return create_app()


class QaAuditGroup(FlaskGroup):
    """Flask's command group, with files private to their owner and settings problems told
    as a sentence rather than a traceback."""

    # Flask's own options choose an app, a .env file and debug mode: qa-audit's app is fixed,
    # its settings come only from QA_AUDIT_CONFIG and the environment, and debug mode must
    # never reach a council's server. Offering them in --help would only mislead.
    FLASK_ONLY = frozenset({"app", "env_file", "debug"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.params = [p for p in self.params if p.name not in self.FLASK_ONLY]

    def main(self, *args: Any, **kwargs: Any) -> Any:
        previous = os.umask(PRIVATE_UMASK)
        try:
            return super().main(*args, **kwargs)
        except ConfigError as error:
            click.echo(f"Error: {error}", err=True)
            raise SystemExit(1) from None
        finally:
            # Only for the command's own run: a program that calls main (the tests) keeps its own.
            os.umask(previous)


# load_dotenv=False: settings come from QA_AUDIT_CONFIG's file and the environment only, never
# from a .env or .flaskenv file that happens to lie in the current folder or above it.
# --version is the release installed, from its package metadata (Flask's would name Flask's).
@click.group(
    cls=QaAuditGroup,
    create_app=_create_app,
    add_default_commands=True,
    load_dotenv=False,
    add_version_option=False,
)
@click.version_option(package_name="qa-audit", prog_name="qa-audit")
def main() -> None:
    """qa-audit: quality-assurance case audits for children's social care."""


main.add_command(config_group)
