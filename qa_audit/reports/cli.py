"""`qa-audit report`: the period report on the command line (docs/report-figures.md)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.private_files import write_private

BAD_INPUT = 2


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
    from qa_audit.reports import exports, services
    from qa_audit.reports.filters import resolve_filters

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
    services.record_report_export(None, fmt, filters, report, via="command line")
    db.session.commit()
    if out is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    else:
        write_private(out, body)  # 0600: the report quotes children's records
        click.echo(f"Wrote the {fmt} report for {filters.label} to {out}", err=True)
