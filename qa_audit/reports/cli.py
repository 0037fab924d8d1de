"""`qa-audit report`: the period report on the command line (docs/report-figures.md)."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import OperationalError

from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.private_files import write_private

BAD_INPUT = 2
# SQLite: how often, and after how long, the export's record is tried again when another
# command's write got there first (each try also waits up to the connection's busy timeout).
WRITE_TRIES = 8
FIRST_PAUSE = 0.05


def _lost_the_write_lock(error: OperationalError) -> bool:
    """SQLite's "database is locked": another connection holds the write lock, or committed
    after this transaction began reading (SQLITE_BUSY_SNAPSHOT, which no busy timeout helps)."""
    return isinstance(error.orig, sqlite3.OperationalError) and getattr(
        error.orig, "sqlite_errorname", ""
    ).startswith("SQLITE_BUSY")


def write_with_retry(write: Callable[[], None]) -> None:
    """Run ``write`` in a short transaction of its own and commit it; on SQLite, when another
    command's write got in first, roll back and try again a little later.

    A read-only command writes only its export record, after reading: were that write in the
    read's transaction, a commit by another command in between would fail it at once."""
    db.session.commit()  # the read is over: the write begins a transaction of its own
    pause = FIRST_PAUSE
    for attempt in range(1, WRITE_TRIES + 1):
        try:
            write()
            db.session.commit()
            return
        except OperationalError as error:
            db.session.rollback()
            if attempt == WRITE_TRIES or not _lost_the_write_lock(error):
                raise
        time.sleep(pause)
        pause *= 2


@click.command("report")
@click.option("--from", "first", required=True, metavar="YYYY-MM", help="The first month.")
@click.option("--to", "last", required=True, metavar="YYYY-MM", help="The last month.")
@click.option("--service-area", default=None, metavar="NAME", help="Service area key or name.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx", "docx"]),
    default="json",
    show_default=True,
)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
@with_appcontext
def report_command(
    first: str, last: str, service_area: str | None, fmt: str, out: str | None
) -> None:
    """The period report (JSON on stdout unless --format or --out say otherwise)."""
    from qa_audit.report_filters import resolve_filters
    from qa_audit.reports import exports, services

    try:
        filters = resolve_filters(first, last, service_area=service_area)
    except DomainError as error:
        db.session.rollback()
        click.echo(f"Error: {error.message}", err=True)
        sys.exit(BAD_INPUT)
    report = services.build_period_report(filters)
    body = exports.render(report, fmt)
    if out is None and fmt in ("xlsx", "docx") and sys.stdout.isatty():
        click.echo(f"Error: a {fmt} file is binary; give --out FILE", err=True)
        sys.exit(BAD_INPUT)
    # Run from the server's shell: the operator, not a signed-in person, is the actor.
    write_with_retry(
        lambda: services.record_report_export(None, fmt, filters, report, via="command line")
    )
    if out is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    else:
        write_private(out, body)  # 0600: the report quotes children's records
        click.echo(f"Wrote the {fmt} report for {filters.label} to {out}", err=True)
