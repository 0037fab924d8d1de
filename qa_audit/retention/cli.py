"""`qa-audit retention --dry-run` and `qa-audit retention apply` (docs/retention.md)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from qa_audit.core.commands import command_transaction, fail
from qa_audit.core.errors import DomainError
from qa_audit.core.months import month_label
from qa_audit.retention import services
from qa_audit.retention.services import Due, Plan, Schedule

USAGE = 2
KINDS = (
    ("audits", "audit", "audits"),
    ("allocations", "rota allocation", "rota allocations"),
    ("dip_samples", "dip sample", "dip samples"),
    ("calibration_rounds", "calibration round", "calibration rounds"),
)
# Kinds named in the totals only when there are some (rounds on a case to be read are rare).
NAMED_WHEN_SOME = {"calibration_rounds"}


def _schedule() -> Schedule:
    try:
        return services.schedule(int(current_app.config.get("RETENTION_MONTHS", 0) or 0))
    except DomainError as error:
        fail(error.message)


def _counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _summary(plan: Plan) -> str:
    parts = [
        _counted(len(getattr(plan, key)), one, many)
        for key, one, many in KINDS
        if key not in NAMED_WHEN_SOME or getattr(plan, key)
    ]
    values = _counted(plan.values, "value", "values")
    return f"{', '.join(parts[:-1])} and {parts[-1]} ({values})"


NAMES = {
    "audit": "Audit",
    "allocation": "Rota allocation",
    "dip_sample": "Dip sample",
    "calibration_round": "Calibration round",
}


def _line(due: Due) -> str:
    # Ids, references, months and counts only: never a case reference or the text removed.
    name = f"{NAMES[due.kind]} {due.id}" + (f" ({due.label})" if due.label else "")
    return f"  {name}, {month_label(due.month)}: {_counted(due.values, 'value', 'values')}"


def _rule(schedule: Schedule) -> str:
    return (
        f"Retention schedule: {schedule.months} months (QA_AUDIT_RETENTION_MONTHS). Records of "
        f"months before {month_label(schedule.keep_from)} lose their case references and free text."
    )


@click.group("retention", invoke_without_command=True)
@click.option("--dry-run", is_flag=True, help="List what would be anonymised; change nothing.")
@click.pass_context
@with_appcontext
def retention_group(context: click.Context, dry_run: bool) -> None:
    """Anonymise records past the council's retention schedule (QA_AUDIT_RETENTION_MONTHS)."""
    if context.invoked_subcommand is not None:
        if dry_run:
            click.echo("Error: give either --dry-run or apply, not both", err=True)
            sys.exit(USAGE)
        return
    if not dry_run:
        click.echo(context.get_help(), err=True)
        click.echo("\nError: give --dry-run to list, or apply to anonymise", err=True)
        sys.exit(USAGE)
    schedule = _schedule()
    plan = services.plan(schedule)
    click.echo(_rule(schedule))
    for key, _, many in KINDS:
        rows = getattr(plan, key)
        if rows:
            click.echo(f"{many.capitalize()}:")
            for due in rows:
                click.echo(_line(due))
    click.echo(f"Would anonymise {_summary(plan)}. Dry run: nothing was changed.")


@retention_group.command("apply")
@with_appcontext
def apply_command() -> None:
    """Anonymise every record past the schedule, all or nothing, each recorded in the change log."""
    schedule = _schedule()
    with command_transaction():
        plan = services.apply(schedule)
    click.echo(_rule(schedule))
    if plan.records == 0:
        click.echo("Nothing is past the retention schedule: nothing was changed.")
        return
    click.echo(f"Anonymised {_summary(plan)}, each recorded in the change log.")
