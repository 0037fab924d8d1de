"""`qa-audit db`: Flask-Migrate's commands, with `check` saying whether the database's
migrations are at this release's head.

Flask-Migrate's own `db check` asks whether the models need a new migration, a question for
developers; operators upgrading or rolling back need to know whether the database matches
the code they are about to start. This app's `db` group is a copy of Flask-Migrate's with
`check` answering that, and Flask-Migrate's kept as `check-models`. The library's group is
left as it is (other apps in the process keep it)."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate.cli import db as migrate_group
from sqlalchemy.exc import SQLAlchemyError

from qa_audit.core.commands import fail
from qa_audit.core.database_failures import first_line
from qa_audit.core.extensions import db
from qa_audit.core.schema_state import schema_state

NOT_AT_HEAD = 1


@click.command("check")
@with_appcontext
def check_command() -> None:
    """Say whether the migrations are at head (exit 0 only then)."""
    try:
        with db.engine.connect() as connection:
            state = schema_state(connection)
    except SQLAlchemyError as error:
        fail(f"database unavailable: {first_line(error)}")
    if state.at_head:
        click.echo(state.describe())
        return
    click.echo(state.describe(), err=True)
    sys.exit(NOT_AT_HEAD)


def database_group() -> click.Group:
    """Flask-Migrate's `db` group with this project's `check`."""
    commands = dict(migrate_group.commands)
    commands["check-models"] = commands.pop("check")
    commands["check"] = check_command
    return click.Group(
        name="db",
        commands=commands,
        params=migrate_group.params,
        callback=migrate_group.callback,
        help=migrate_group.help,
    )


def init_app(app: Flask) -> None:
    """Put this project's `db` group where Flask-Migrate registered its own."""
    app.cli.add_command(database_group(), name="db")
