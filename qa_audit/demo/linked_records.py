"""What hangs off the demo audits beyond their own rows: reflective conversations where an
Inadequate grade was maintained, the rota allocations behind the audits, and dip samples."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from qa_audit.actions.models import Action
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.services import find_user_by_email
from qa_audit.core.extensions import db
from qa_audit.demo.definition import DIP_SAMPLES
from qa_audit.demo.generating import Row, month_start, new_record, table_of, uniform
from qa_audit.dip_samples.models import (
    DipSample,
    dip_sample_learning_theme,
    dip_sample_service_area,
)
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.moderation.models import ReflectiveConversation
from qa_audit.organisation.models import ServiceArea
from qa_audit.rota.models import Allocation


def reflective_conversations(
    rows: list[Row], manager: User | None, today: date, now: datetime
) -> None:
    """Inadequate maintained after moderation: a reflective conversation is due (most held)."""
    if manager is None:
        return
    values = []
    for row in rows:
        m = row.moderation
        if not m or m.get("status") != "completed" or m.get("overall_grade") != "inadequate":
            continue
        if row.values["overall_grade"] != "inadequate":
            continue
        due = m["moderated_on"] + timedelta(days=20)
        held = due < today - timedelta(days=7)
        values.append(
            new_record(
                now,
                moderation_id=m["id"],
                audit_id=row.values["id"],
                service_area_id=row.values["service_area_id"],
                status="held" if held else "due",
                due_on=due,
                held_on=due - timedelta(days=5) if held else None,
                participants="Service manager, team manager, social worker" if held else None,
                learning="Agreed what had driven the drift and how supervision will catch it."
                if held
                else None,
                recorded_by_id=manager.id if held else None,
                recorded_at=now if held else None,
            )
        )
    if values:
        db.session.execute(insert(table_of(ReflectiveConversation)), values)


def _allocation(now: datetime, audit: dict[str, Any], **values: Any) -> dict[str, Any]:
    """An allocation of the audit's month to its auditor in its service area, due on the 28th."""
    month = audit["submitted_month"]
    return new_record(
        now,
        month=month,
        auditor_id=audit["auditor_id"],
        service_area_id=audit["service_area_id"],
        due_on=date(int(month[:4]), int(month[5:]), 1) + timedelta(days=27),
        **values,
    )


def rota(rng: random.Random, rows: list[Row], today: date, now: datetime) -> None:
    """A rota allocation behind each audit, a few exemptions, and this month's open ones."""
    table = table_of(Allocation)
    values = []
    for row in rows:
        v = row.values
        values.append(
            _allocation(
                now,
                v,
                team_id=v["team_id"],
                case_ref=v["case_ref"],
                status="completed",
                completed_at=v["submitted_at"],
            )
        )
    open_months = {
        month_start(today, 0).strftime("%Y-%m"),
        month_start(today, 1).strftime("%Y-%m"),
    }
    for row in rng.sample(rows, k=min(len(rows), len(rows) // 25)):
        v = row.values
        exempt = v["submitted_month"] not in open_months or rng.random() < 0.3
        values.append(
            _allocation(
                now,
                v,
                team_id=None,
                case_ref=None,
                status="exempted" if exempt else "allotted",
                exemption_reason="On leave for most of the month" if exempt else None,
                exemption_approved_by="Quinn QA-Lead" if exempt else None,
            )
        )
    ids = [
        allocation_id
        for (allocation_id,) in db.session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), uniform(values)
        )
    ]
    audit_table = table_of(Audit)
    db.session.execute(
        update(audit_table)
        .where(audit_table.c.id == bindparam("audit_id"))
        .values(allocation_id=bindparam("allocation_id")),
        [
            {"audit_id": row.values["id"], "allocation_id": allocation_id}
            for row, allocation_id in zip(rows, ids, strict=False)
        ],
        execution_options={"synchronize_session": False},
    )


def dip_samples(
    rng: random.Random, today: date, now: datetime, themes: list[LearningTheme]
) -> None:
    """Dip samples over the two years (the last still in progress), with their service areas,
    learning themes and actions."""
    areas = {a.key: a.id for a in db.session.scalars(select(ServiceArea))}
    by_name = {t.name: t.id for t in themes}
    lead = find_user_by_email("qa.lead@example.org")
    table = table_of(DipSample)
    for index, (title, unit, size, area_keys, theme_names) in enumerate(DIP_SAMPLES):
        back = 20 - index * 4
        start = month_start(today, max(back, 1))
        completed = index < len(DIP_SAMPLES) - 1
        completed_on = min(start + timedelta(days=45), today - timedelta(days=3))
        (sample_id,) = db.session.execute(
            insert(table).returning(table.c.id),
            new_record(
                now,
                title=title,
                period_from=start.strftime("%Y-%m"),
                period_to=month_start(today, max(back - 1, 0)).strftime("%Y-%m"),
                sample_unit=unit,
                sample_size=size,
                strengths="Children's wishes and feelings were recorded in most cases.",
                areas_for_development="Plans did not always say who does what by when.",
                status="completed" if completed else "in_progress",
                completed_on=completed_on if completed else None,
                created_by_id=lead.id if lead else None,
            ),
        ).one()
        db.session.execute(
            insert(dip_sample_service_area),
            [
                {"dip_sample_id": sample_id, "service_area_id": areas[k]}
                for k in area_keys
                if k in areas
            ],
        )
        links = [
            {"dip_sample_id": sample_id, "learning_theme_id": by_name[n]}
            for n in theme_names
            if n in by_name
        ]
        if links:
            db.session.execute(insert(dip_sample_learning_theme), links)
        if lead is not None:
            for n in range(rng.randint(1, 3)):
                done = completed and n == 0
                db.session.execute(
                    insert(table_of(Action)),
                    new_record(
                        now,
                        source="dip_sample",
                        dip_sample_id=sample_id,
                        description="Share the dip sample's learning at the practice forum",
                        owner_id=lead.id,
                        due_on=completed_on + timedelta(days=30 + 10 * n),
                        status="done" if done else "open",
                        completed_at=now if done else None,
                        completed_by_id=lead.id if done else None,
                    ),
                )
