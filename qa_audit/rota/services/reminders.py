"""E-mail reminders of allocations due soon, for `qa-audit rota remind` (a daily cron job).

The command sends each auditor's e-mail itself and marks the allocations reminded only when
the SMTP server took it, so that a failed e-mail is tried again on the next run and the count
it prints is of e-mail actually sent. (Queued after-commit e-mail would report neither.) The
command line reads in a deferred transaction and writes once at the end, so no write lock is
held while the SMTP server is talked to."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from qa_audit.auth.models import User
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.core.months import long_date
from qa_audit.core.notifications import send_email, smtp_configured
from qa_audit.rota.models import Allocation
from qa_audit.rota.services.queries import REMINDER_DAYS, due_soon


@dataclass
class ReminderRun:
    """What `qa-audit rota remind` did."""

    auditors: int = 0
    allocations: int = 0
    emailed: int = 0
    smtp: bool = False


def send_reminders(today: date | None = None, days: int = REMINDER_DAYS) -> ReminderRun:
    """E-mail each auditor their allotted allocations due within ``days`` days (overdue ones
    too), once a day at most per allocation. Without SMTP nothing is sent or marked."""
    today = today or local_today()
    pending = [a for a in due_soon(today, days) if a.last_reminded_on != today]
    by_auditor: dict[int, list[Allocation]] = defaultdict(list)
    for allocation in pending:
        by_auditor[allocation.auditor_id].append(allocation)
    run = ReminderRun(auditors=len(by_auditor), allocations=len(pending), smtp=smtp_configured())
    if not run.smtp:
        return run
    for allocations in by_auditor.values():
        auditor = allocations[0].auditor
        if not auditor.active:
            continue
        if send_email([auditor.email], *_reminder(auditor, allocations, today)):
            run.emailed += 1
            for a in allocations:
                a.last_reminded_on = today
    db.session.flush()
    return run


def _reminder(auditor: User, allocations: list[Allocation], today: date) -> tuple[str, str]:
    """The subject and body of one auditor's reminder."""
    lines = [
        f"Hello {auditor.name},",
        "",
        "These audits on the rota are yours and due soon:",
        "",
    ]
    for a in allocations:
        when = "OVERDUE, was due" if a.due_on < today else "due"
        case = f"case {a.case_ref}" if a.case_ref else "a case of your choice"
        lines.append(f"- {a.service_area.name}, {case}: {when} {long_date(a.due_on)}")
    lines += ["", "Sign in to qa-audit to start them from your home page.", ""]
    count = len(allocations)
    subject = f"Rota reminder: {count} audit{'' if count == 1 else 's'} due soon"
    return subject, "\n".join(lines)
