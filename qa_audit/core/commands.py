"""What every part's commands share."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click

from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db


def fail(message: str) -> NoReturn:
    """End a command that could not do its work: nothing it did is kept, the reason goes to
    stderr and the exit status is 1."""
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@contextmanager
def command_transaction() -> Iterator[None]:
    """A command's one transaction: committed when its work is done; a DomainError ends the
    command through ``fail`` with nothing kept."""
    try:
        yield
    except DomainError as error:
        fail(error.message)
    db.session.commit()
