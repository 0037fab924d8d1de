"""What every part's commands share."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from qa_audit.core.extensions import db


def fail(message: str) -> NoReturn:
    """End a command that could not do its work: nothing it did is kept, the reason goes to
    stderr and the exit status is 1."""
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)
