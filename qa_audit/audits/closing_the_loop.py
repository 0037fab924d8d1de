"""Closing the loop: once every action an audit set is done, the QA lead schedules a
closing-the-loop audit of the case. Their home page lists the audits waiting for one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from qa_audit.actions.models import Action, ActionStatus
from qa_audit.audits.links import audit_url
from qa_audit.audits.models import Audit, AuditStatus, AuditType
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.core.home import Link, Section, sections_receiver


@dataclass(frozen=True)
class LoopToClose:
    audit_id: int
    reference: str
    case_ref: str
    last_done: datetime | None


def audits_with_all_actions_done() -> list[LoopToClose]:
    """Submitted audits whose every action is done and whose case has no closing-the-loop
    audit linked to them yet: the QA lead should schedule one."""
    later = aliased(Audit)
    result = db.session.execute(
        select(Audit.id, Audit.reference, Audit.case_ref, func.max(Action.completed_at))
        .join(Action, Action.audit_id == Audit.id)
        .where(
            Audit.status != AuditStatus.DRAFT.value,
            # A closing-the-loop draft never submitted does not count: it may be abandoned.
            ~exists().where(
                later.previous_audit_id == Audit.id,
                later.audit_type == AuditType.CLOSING_THE_LOOP.value,
                later.status != AuditStatus.DRAFT.value,
            ),
        )
        .group_by(Audit.id, Audit.reference, Audit.case_ref)
        .having(
            func.count(Action.id)
            == func.count(Action.id).filter(Action.status == ActionStatus.DONE.value)
        )
        .order_by(func.max(Action.completed_at).desc(), Audit.id)
    )
    return [LoopToClose(*values) for values in result]


def closing_the_loop_prompts(user: User) -> Section:
    """QA lead's home page: audits whose actions are all done."""
    loops = audits_with_all_actions_done()
    return Section(
        title="Closing-the-loop audits to schedule",
        count=len(loops),
        rows=[
            [
                f"All actions for audit {loop.reference} are done: "
                "schedule a closing-the-loop audit",
                loop.case_ref,
            ]
            for loop in loops
        ],
        head=["Prompt", "Case reference"] if loops else [],
        empty="No audit has all its actions done without a closing-the-loop audit.",
        links=[
            *(Link(f"Open audit {loop.reference}", audit_url(loop.audit_id)) for loop in loops),
            Link("Go to the actions centre", url_for("actions.centre")),
        ],
    )


# The QA lead's section of the home page (connected to signals.home_sections in init_app).
home_sections = sections_receiver(
    (Role.QA_LEAD, closing_the_loop_prompts),
)
