"""Loading the demo data set: reference data, the demo accounts, then two years of audits
and what hangs off them, by bulk INSERT (idempotent; the caller commits)."""

from __future__ import annotations

import calendar
import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, insert, select

from qa_audit.actions.models import Action
from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.models import Audit, AuditDomainGrade, FeedbackConversation
from qa_audit.auth.models import User
from qa_audit.auth.services import create_user, find_user_by_email
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.data_version import note_change
from qa_audit.core.extensions import db
from qa_audit.core.statistics import refresh_statistics
from qa_audit.demo.definition import (
    AREA_WEIGHTS,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    IMPACT,
    MONTHS,
    NEEDS_IMPROVEMENT,
    REFERENCE_PREFIX,
    SEED,
    WORKING_WELL,
    DemoAccount,
)
from qa_audit.demo.generating import (
    Row,
    add_actions,
    add_feedback,
    domain_grade,
    moderate,
    month_start,
    overall_grade,
    people,
    table_of,
    uniform,
)
from qa_audit.demo.linked_records import dip_samples, reflective_conversations, rota
from qa_audit.learning_themes.models import LearningTheme, audit_learning_theme
from qa_audit.moderation.models import Moderation, ModerationGrade
from qa_audit.organisation.models import ServiceArea
from qa_audit.seed import load_reference_data

# The tables the demo fills by the thousand, and so the ones the report reads.
LOADED_TABLES = (
    *(
        str(model.__tablename__)
        for model in (
            Audit,
            AuditDomainGrade,
            FeedbackConversation,
            Action,
            Moderation,
            ModerationGrade,
        )
    ),
    audit_learning_theme.name,
)


def load_demo() -> list[DemoAccount]:
    """Reference data plus the demo accounts that are missing; caller commits."""
    load_reference_data()
    db.session.flush()
    for account in DEMO_ACCOUNTS:
        if find_user_by_email(account.email) is not None:
            continue
        area = (
            db.session.scalar(select(ServiceArea).where(ServiceArea.key == account.area_key))
            if account.area_key
            else None
        )
        create_user(
            None,
            email=account.email,
            name=account.name,
            roles=account.roles,
            password=DEMO_PASSWORD,
            service_area_id=area.id if area else None,
            team_id=area.teams[0].id if area and area.teams else None,
        )
    db.session.flush()
    load_demo_audits()
    return list(DEMO_ACCOUNTS)


def demo_loaded() -> bool:
    return (
        db.session.scalar(select(User.id).where(User.email == DEMO_ACCOUNTS[0].email)) is not None
    )


def demo_audits_loaded() -> bool:
    return bool(
        db.session.scalar(
            select(func.count(Audit.id)).where(Audit.reference.like(f"{REFERENCE_PREFIX}%"))
        )
    )


def load_demo_audits(today: date | None = None) -> int:
    """Add the demo audits and all that hangs off them, unless already there; caller commits.
    Returns the number of audits added."""
    if demo_audits_loaded():
        return 0
    today = today or local_today()
    rng = random.Random(SEED)
    auditors, moderators, manager = people()
    if not auditors or not moderators:
        return 0
    db.session.flush()
    areas = list(db.session.scalars(select(ServiceArea).order_by(ServiceArea.key)))
    area_weights = [AREA_WEIGHTS.get(a.key, 3) for a in areas]
    tools = sorted(db.session.scalars(select(AuditTool)), key=lambda t: t.launched_on)
    themes = list(db.session.scalars(select(LearningTheme).order_by(LearningTheme.position)))
    theme_weights = {
        t.id: (6 if "Fathers" in t.name else 4 if "SMART" in t.name or "Drift" in t.name else 2)
        for t in themes
    }
    now = utcnow()

    rows: list[Row] = []
    number = 0
    first = month_start(today, MONTHS - 1)
    for back in range(MONTHS - 1, -1, -1):
        start = month_start(today, back)
        days = calendar.monthrange(start.year, start.month)[1]
        last_day = min(days, today.day) if back == 0 else days
        progress = (MONTHS - 1 - back) / (MONTHS - 1)
        count = rng.randint(40, 60)
        if back == 0:
            count = max(1, round(count * last_day / days))
        tool = next((t for t in reversed(tools) if t.launched_on <= start), tools[0])
        for _ in range(count):
            number += 1
            area = rng.choices(areas, weights=area_weights)[0]
            submitted = start + timedelta(days=rng.randint(0, last_day - 1))
            auditor = rng.choice(auditors)
            overall = overall_grade(rng, progress)
            row = Row(
                values={
                    "reference": f"{REFERENCE_PREFIX}{number:05d}",
                    "case_ref": f"LCS{rng.randint(100000, 999999)}",
                    "service_area_id": area.id,
                    "team_id": rng.choice(area.teams).id if area.teams else None,
                    "auditor_id": auditor.id,
                    "tool_id": tool.id,
                    "audit_type": "deep_dive",
                    "audit_date": max(first, submitted - timedelta(days=rng.randint(0, 9))),
                    "status": "submitted",
                    "source": "app",
                    "overall_grade": overall,
                    "overall_rationale": "Judgement made with the practitioner; see domains.",
                    "submitted_at": datetime.combine(submitted, datetime.min.time(), UTC)
                    + timedelta(hours=rng.randint(9, 17)),
                    "submitted_on": submitted,
                    "submitted_month": submitted.strftime("%Y-%m"),
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                },
                tool=tool,
            )
            for domain in tool.domains:
                if domain.allows_na and rng.random() < 0.15:
                    row.grades[domain.key] = "not_applicable"
                else:
                    row.grades[domain.key] = domain_grade(rng, overall, domain.key, progress)
            moderate(rng, row, auditor, moderators, today, now)
            add_feedback(rng, row, area.key, now)
            row.themes = sorted(
                set(
                    rng.choices(
                        list(theme_weights),
                        weights=list(theme_weights.values()),
                        k=rng.choice([0, 1, 1, 2, 3]),
                    )
                )
            )
            add_actions(rng, row, manager if area.key == "locality" else auditor, today, now)
            if (
                row.actions
                and all(a["status"] == "done" for a in row.actions)
                and (row.moderation is None or row.moderation["status"] == "completed")
            ):
                row.values["status"] = "closed"
            rows.append(row)
    _insert(rows, now)
    reflective_conversations(rows, manager, today, now)
    rota(rng, rows, today, now)
    dip_samples(rng, today, now, themes)
    refresh_statistics(*LOADED_TABLES)
    return len(rows)


def _insert(rows: list[Row], now: datetime) -> None:
    """Everything in a few multi-row INSERTs (RETURNING the audit ids in order)."""
    note_change()  # bulk rows bypass record_change
    audit_table = table_of(Audit)
    ids = [
        audit_id
        for (audit_id,) in db.session.execute(
            insert(audit_table).returning(audit_table.c.id, sort_by_parameter_order=True),
            [r.values for r in rows],
        )
    ]
    grades, moderated, feedback, tags, actions = [], [], [], [], []
    for audit_id, row in zip(ids, rows, strict=True):
        for position, domain in enumerate(row.tool.domains):
            grades.append(
                {
                    "audit_id": audit_id,
                    "tool_domain_id": domain.id,
                    "domain_key": domain.key,
                    "position": position,
                    "grade": row.grades[domain.key],
                    "working_well": WORKING_WELL[(audit_id + position) % len(WORKING_WELL)],
                    "needs_improvement": NEEDS_IMPROVEMENT[
                        (audit_id * 3 + position) % len(NEEDS_IMPROVEMENT)
                    ],
                    "impact": IMPACT[(audit_id + 2 * position) % len(IMPACT)],
                }
            )
        if row.moderation is not None:
            moderated.append((audit_id, row))
        feedback += [{**f, "audit_id": audit_id} for f in row.feedback]
        tags += [{"audit_id": audit_id, "learning_theme_id": t} for t in row.themes]
        actions += [{**a, "audit_id": audit_id} for a in row.actions]
        row.values["id"] = audit_id
    db.session.execute(insert(table_of(AuditDomainGrade)), grades)
    if feedback:
        db.session.execute(insert(table_of(FeedbackConversation)), feedback)
    if tags:
        db.session.execute(insert(audit_learning_theme), tags)
    if actions:
        db.session.execute(insert(table_of(Action)), actions)
    if moderated:
        moderation_table = table_of(Moderation)
        moderation_ids = [
            moderation_id
            for (moderation_id,) in db.session.execute(
                insert(moderation_table).returning(
                    moderation_table.c.id, sort_by_parameter_order=True
                ),
                uniform(
                    [
                        {**(row.moderation or {}), "audit_id": audit_id}
                        for audit_id, row in moderated
                    ]
                ),
            )
        ]
        moderation_grades = []
        for moderation_id, (_, row) in zip(moderation_ids, moderated, strict=True):
            assert row.moderation is not None
            row.moderation["id"] = moderation_id
            moderation_grades += [
                {"moderation_id": moderation_id, "domain_key": key, "grade": grade, "rationale": ""}
                for key, grade in row.moderation_grades.items()
            ]
        if moderation_grades:
            db.session.execute(insert(table_of(ModerationGrade)), moderation_grades)
