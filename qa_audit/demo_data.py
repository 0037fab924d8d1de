"""Two years of plausible demo audits (to the current month) so that a newcomer sees a living
dashboard: about 40-60 audits a month across the service areas, improving like the published
figures (final Good about 9% at the start, about 37% at the end, Inadequate about 5%), about
35% moderated (every Inadequate, a sample of the rest; upheld, downgraded, upgraded),
feedback, learning themes, actions (some overdue), rota allocations, reflective conversations
and dip samples where those capabilities have landed.

Deterministic (one seeded random generator; the months follow the date), idempotent (nothing
is added when demo audits are there) and fast: rows go in by bulk INSERT, not one by one.
Case references are "LCS" and digits; there are no names of children or families anywhere.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, select

from qa_audit.actions.models import Action
from qa_audit.audit_tools.models import AuditTool
from qa_audit.audits.models import Audit, AuditDomainGrade, FeedbackConversation
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import create_user, find_user_by_email
from qa_audit.core.clock import local_today, utcnow
from qa_audit.core.extensions import db
from qa_audit.learning_themes.models import LearningTheme, audit_learning_theme
from qa_audit.moderation.models import Moderation, ModerationGrade
from qa_audit.organisation.models import ServiceArea

SEED = 20240401
REFERENCE_PREFIX = "DEMO-"
MONTHS = 24
GRADES = ["inadequate", "requires_improvement", "good", "outstanding"]  # score 1..4
SCORE = {g: i + 1 for i, g in enumerate(GRADES)}
# Relative size of each service area's share of the audits.
AREA_WEIGHTS = {
    "front_door": 5,
    "assessment": 8,
    "locality": 14,
    "cwcn": 4,
    "corporate_parenting": 9,
    "care_experienced": 5,
    "fostering": 4,
    "fgc": 2,
    "youth_justice": 3,
    "early_help": 6,
}
EXTRA_AUDITORS = [
    "Jordan Ellis",
    "Priya Natarajan",
    "Tom Okafor",
    "Hannah Price",
    "Dev Malik",
    "Sophie Turner",
    "Marcus Reid",
    "Aisha Rahman",
    "Liam Byrne",
    "Grace Holloway",
    "Owen Parry",
    "Fatima Begum",
    "Chris Wade",
    "Nina Kowalski",
]
EXTRA_MODERATORS = ["Rachel Stone (Principal Social Worker)", "Ian Fletcher (QI manager)"]
QUOTES = {
    "positive": [
        "My worker listens to me and explains things so I understand.",
        "I know what my plan is and who to ring if things go wrong.",
        "She came back when she said she would. That matters.",
        "Things at home are calmer since the family meeting.",
        "I was asked what I wanted and it was written down.",
        "The support for my son has made a real difference at school.",
        "They helped me keep in touch with my brother.",
    ],
    "constructive": [
        "I have had four social workers this year and had to tell my story again each time.",
        "Nobody asked me, as his dad, what I thought.",
        "Meetings are at times I cannot get to because of work.",
        "I did not get the minutes of the meeting until weeks later.",
        "I would like to be told sooner when things change.",
        "It felt like the plan was made before I arrived.",
    ],
}
WORKING_WELL = [
    "Relationship-based work with the child is evident in recording.",
    "Multi-agency partners are engaged and information is shared.",
    "The child's voice is clear and shapes the plan.",
    "Supervision records reflective discussion and clear actions.",
]
NEEDS_IMPROVEMENT = [
    "The plan's actions are not specific or time-bound.",
    "The assessment has not been updated after the change of circumstances.",
    "Fathers and significant males are not engaged in the work.",
    "Management oversight does not address drift in the plan.",
]
IMPACT = [
    "The child is safer and attending school more regularly.",
    "Drift means the child waits longer for permanence.",
    "The family understand what needs to change and by when.",
]
ACTIONS = [
    "Update the assessment to reflect the change in household",
    "Make the child's plan SMART and share it with the family",
    "Contact the child's father and record his views",
    "Hold a supervision to review drift and agree timescales",
    "Complete the chronology and share with partners",
    "Arrange a visit to see the child alone",
]
DIP_SAMPLES = [
    (
        "Child participation and planning for cared-for review meetings",
        "children",
        20,
        ["corporate_parenting"],
        ["Child's voice not evident in recording"],
    ),
    (
        "Repeat child protection plans",
        "families",
        5,
        ["locality"],
        ["Drift and delay", "Cumulative harm not recognised"],
    ),
    (
        "Section 47 decision making",
        "families",
        17,
        ["front_door", "assessment"],
        ["Multi-agency information not shared"],
    ),
    (
        "Early Years personal education plans",
        "children",
        6,
        ["corporate_parenting"],
        ["Plans not SMART"],
    ),
    (
        "Pathway plans for care-experienced young people",
        "young_people",
        12,
        ["care_experienced"],
        ["Contingency planning weak"],
    ),
]


@dataclass
class _Row:
    """An audit being made, with what hangs off it."""

    values: dict[str, Any]
    tool: AuditTool
    grades: dict[str, str | None] = field(default_factory=dict)
    moderation: dict[str, Any] | None = None
    moderation_grades: dict[str, str] = field(default_factory=dict)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    themes: list[int] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def demo_audits_loaded() -> bool:
    return bool(
        db.session.scalar(
            select(func.count(Audit.id)).where(Audit.reference.like(f"{REFERENCE_PREFIX}%"))
        )
    )


def _month_start(today: date, back: int) -> date:
    index = today.year * 12 + today.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _people() -> tuple[list[User], list[User], User | None]:
    """Auditors and moderators for the demo (extra accounts cannot sign in: no password)."""
    auditors: list[User] = []
    for email in (
        "auditor@example.org",
        "auditor2@example.org",
        "moderator@example.org",
        "manager@example.org",
    ):
        user = find_user_by_email(email)
        if user is not None:
            auditors.append(user)
    areas = {a.key: a for a in db.session.scalars(select(ServiceArea))}
    keys = list(AREA_WEIGHTS)
    for index, name in enumerate(EXTRA_AUDITORS):
        email = f"demo.auditor{index + 1:02d}@example.org"
        user = find_user_by_email(email)
        if user is None:
            area = areas.get(keys[index % len(keys)])
            user = create_user(
                None,
                email=email,
                name=name,
                roles=(Role.AUDITOR,),
                password=None,
                service_area_id=area.id if area else None,
                team_id=area.teams[0].id if area and area.teams else None,
            )
        auditors.append(user)
    moderators: list[User] = []
    for email in ("moderator@example.org", "qa.lead@example.org"):
        user = find_user_by_email(email)
        if user is not None:
            moderators.append(user)
    for index, name in enumerate(EXTRA_MODERATORS):
        email = f"demo.moderator{index + 1:02d}@example.org"
        user = find_user_by_email(email) or create_user(
            None, email=email, name=name, roles=(Role.MODERATOR,), password=None
        )
        moderators.append(user)
    return auditors, moderators, find_user_by_email("manager@example.org")


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _overall(rng: random.Random, progress: float) -> str:
    """The auditor's overall grade; a little more generous than the final will be."""
    good = 0.12 + 0.28 * progress
    outstanding = 0.003 + 0.012 * progress
    inadequate = 0.045 - 0.015 * progress
    return _pick(
        rng,
        {
            "outstanding": outstanding,
            "good": good,
            "inadequate": inadequate,
            "requires_improvement": 1 - good - outstanding - inadequate,
        },
    )


def _domain_grade(rng: random.Random, overall: str, key: str, progress: float) -> str:
    if key == "management_oversight":
        # Published: 0% Good in April 2023, 37% a year later.
        shift = _pick(
            rng, {"-1": 0.75 - 0.55 * progress, "0": 0.25 + 0.43 * progress, "1": 0.12 * progress}
        )
    else:
        shift = _pick(rng, {"-1": 0.18, "0": 0.64, "1": 0.18})
    score = min(4, max(1, SCORE[overall] + int(shift)))
    return GRADES[score - 1]


def load_demo_audits(today: date | None = None) -> int:
    """Add the demo audits and all that hangs off them, unless already there; caller commits.
    Returns the number of audits added."""
    if demo_audits_loaded():
        return 0
    today = today or local_today()
    rng = random.Random(SEED)
    auditors, moderators, manager = _people()
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

    rows: list[_Row] = []
    number = 0
    first = _month_start(today, MONTHS - 1)
    for back in range(MONTHS - 1, -1, -1):
        start = _month_start(today, back)
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
            overall = _overall(rng, progress)
            row = _Row(
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
                    row.grades[domain.key] = _domain_grade(rng, overall, domain.key, progress)
            _moderate(rng, row, auditor, moderators, today, now)
            _feedback(rng, row, area.key, now)
            row.themes = sorted(
                set(
                    rng.choices(
                        list(theme_weights),
                        weights=list(theme_weights.values()),
                        k=rng.choice([0, 1, 1, 2, 3]),
                    )
                )
            )
            _actions(rng, row, manager if area.key == "locality" else auditor, today, now)
            if (
                row.actions
                and all(a["status"] == "done" for a in row.actions)
                and (row.moderation is None or row.moderation["status"] == "completed")
            ):
                row.values["status"] = "closed"
            rows.append(row)
    _insert(rows, now)
    _reflective_conversations(rows, manager, today, now)
    _rota(rng, rows, today, now)
    _dip_samples(rng, today, now, themes)
    return len(rows)


def _moderate(
    rng: random.Random,
    row: _Row,
    auditor: User,
    moderators: Sequence[User],
    today: date,
    now: datetime,
) -> None:
    overall = row.values["overall_grade"]
    if overall != "inadequate" and rng.random() > 0.33:
        return
    submitted: date = row.values["submitted_on"]
    moderated_on = submitted + timedelta(days=rng.randint(2, 24))
    moderator = rng.choice([m for m in moderators if m.id != auditor.id])
    high = overall == "inadequate"
    values: dict[str, Any] = {
        "status": "selected",
        "priority": "high" if high else "normal",
        "selection_reason": "Every Inadequate is moderated swiftly"
        if high
        else "Chosen by the sampling rate for its grade",
        "selected_at": row.values["submitted_at"],
        "due_on": submitted + timedelta(days=5 if high else 20),
        "moderator_id": moderator.id,
        "overall_rationale": "",
        "source": "app",
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    row.moderation = values
    if moderated_on >= today:
        return  # still in the queue
    score = SCORE[overall]
    outcome = _pick(rng, {"upheld": 0.72, "downgraded": 0.2, "upgraded": 0.08})
    # Moderators mostly find "good" optimistic; an RI is seldom found Inadequate.
    if outcome == "downgraded" and score == 2 and rng.random() < 0.75:
        outcome = "upheld"
    if (outcome == "downgraded" and score == 1) or (outcome == "upgraded" and score == 4):
        outcome = "upheld"
    if outcome == "downgraded":
        final = GRADES[score - 2]
    elif outcome == "upgraded":
        final = GRADES[score]
    else:
        final = overall
    values.update(
        status="completed",
        overall_grade=final,
        outcome=outcome,
        moderated_on=moderated_on,
        completed_at=datetime.combine(moderated_on, datetime.min.time(), UTC) + timedelta(hours=14),
        overall_rationale="Agreed with the auditor's judgement."
        if outcome == "upheld"
        else "The evidence supports a different judgement; discussed with the auditor.",
    )
    for key, grade in row.grades.items():
        if grade == "not_applicable" or grade is None:
            row.moderation_grades[key] = grade or "not_applicable"
            continue
        if outcome != "upheld" and rng.random() < 0.5:
            step = 1 if outcome == "upgraded" else -1
            grade = GRADES[min(4, max(1, SCORE[grade] + step)) - 1]
        elif rng.random() < 0.08:
            grade = GRADES[min(4, max(1, SCORE[grade] + rng.choice([-1, 1]))) - 1]
        row.moderation_grades[key] = grade


def _feedback(rng: random.Random, row: _Row, area_key: str, now: datetime) -> None:
    if rng.random() > 0.65:
        return
    who_weights = {
        "child": 0.35,
        "mother": 0.25,
        "father": 0.12,
        "foster_carer": 0.1,
        "care_experienced_adult": 0.08,
        "other_carer": 0.05,
        "other": 0.05,
    }
    if area_key == "care_experienced":
        who_weights = {"care_experienced_adult": 0.7, "other": 0.3}
    for _ in range(rng.choice([1, 1, 2])):
        tone = "positive" if rng.random() < 0.6 else "constructive"
        row.feedback.append(
            {
                "who": _pick(rng, who_weights),
                "how": _pick(rng, {"visit": 0.6, "phone": 0.35, "other": 0.05}),
                "said": rng.choice(QUOTES[tone]),
                "tone": tone,
                "consent_to_quote": rng.random() < 0.4,
                "created_at": now,
                "updated_at": now,
            }
        )


def _actions(rng: random.Random, row: _Row, owner: User | None, today: date, now: datetime) -> None:
    if rng.random() > 0.7 or owner is None:
        return
    submitted: date = row.values["submitted_on"]
    for _ in range(rng.choice([1, 1, 2, 3])):
        due = submitted + timedelta(days=rng.randint(28, 70))
        # Most actions due a while ago are done; a few are left overdue.
        done = due < today - timedelta(days=rng.randint(-15, 40)) and rng.random() < 0.9
        completed = min(due + timedelta(days=rng.randint(-20, 10)), today - timedelta(days=1))
        row.actions.append(
            {
                "source": "audit",
                "description": rng.choice(ACTIONS),
                "owner_id": owner.id,
                "due_on": due,
                "status": "done" if done else "open",
                "completed_at": datetime.combine(completed, datetime.min.time(), UTC)
                + timedelta(hours=11)
                if done
                else None,
                "completed_by_id": owner.id if done else None,
                "completion_note": "Done and recorded on the case file." if done else None,
                "created_by_id": row.values["auditor_id"],
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )


def _uniform(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same keys in every row (a multi-row INSERT binds one set of columns)."""
    keys = {key for row in values for key in row}
    return [{key: row.get(key) for key in keys} for row in values]


def _insert(rows: list[_Row], now: datetime) -> None:
    """Everything in a few multi-row INSERTs (RETURNING the audit ids in order)."""
    audit_table = _table(Audit)
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
    db.session.execute(insert(_table(AuditDomainGrade)), grades)
    if feedback:
        db.session.execute(insert(_table(FeedbackConversation)), feedback)
    if tags:
        db.session.execute(insert(audit_learning_theme), tags)
    if actions:
        db.session.execute(insert(_table(Action)), actions)
    if moderated:
        moderation_table = _table(Moderation)
        moderation_ids = [
            moderation_id
            for (moderation_id,) in db.session.execute(
                insert(moderation_table).returning(
                    moderation_table.c.id, sort_by_parameter_order=True
                ),
                _uniform(
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
            db.session.execute(insert(_table(ModerationGrade)), moderation_grades)


def _reflective_conversations(
    rows: list[_Row], manager: User | None, today: date, now: datetime
) -> None:
    """Inadequate maintained after moderation: a reflective conversation is due (most held)."""
    from qa_audit.reports.queries import reflective_conversation_model

    model = reflective_conversation_model()
    if model is None or manager is None:
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
            {
                "moderation_id": m["id"],
                "audit_id": row.values["id"],
                "service_area_id": row.values["service_area_id"],
                "status": "held" if held else "due",
                "due_on": due,
                "held_on": due - timedelta(days=5) if held else None,
                "participants": "Service manager, team manager, social worker" if held else None,
                "learning": "Agreed what had driven the drift and how supervision will catch it."
                if held
                else None,
                "recorded_by_id": manager.id if held else None,
                "recorded_at": now if held else None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    if values:
        db.session.execute(insert(_table(model)), values)


def _rota(rng: random.Random, rows: list[_Row], today: date, now: datetime) -> None:
    """A rota allocation behind each audit, a few exemptions, and this month's open ones."""
    from qa_audit.reports.queries import allocation_model

    model = allocation_model()
    if model is None:
        return
    table = _table(model)
    values = []
    for row in rows:
        v = row.values
        month = v["submitted_month"]
        values.append(
            {
                "month": month,
                "auditor_id": v["auditor_id"],
                "service_area_id": v["service_area_id"],
                "team_id": v["team_id"],
                "case_ref": v["case_ref"],
                "due_on": date(int(month[:4]), int(month[5:]), 1) + timedelta(days=27),
                "status": "completed",
                "completed_at": v["submitted_at"],
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    open_months = {
        _month_start(today, 0).strftime("%Y-%m"),
        _month_start(today, 1).strftime("%Y-%m"),
    }
    for row in rng.sample(rows, k=min(len(rows), len(rows) // 25)):
        v = row.values
        month = v["submitted_month"]
        exempt = month not in open_months or rng.random() < 0.3
        values.append(
            {
                "month": month,
                "auditor_id": v["auditor_id"],
                "service_area_id": v["service_area_id"],
                "team_id": None,
                "case_ref": None,
                "due_on": date(int(month[:4]), int(month[5:]), 1) + timedelta(days=27),
                "status": "exempted" if exempt else "allotted",
                "exemption_reason": "On leave for most of the month" if exempt else None,
                "exemption_approved_by": "Quinn QA-Lead" if exempt else None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    ids = [
        allocation_id
        for (allocation_id,) in db.session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), _uniform(values)
        )
    ]
    audit_table = _table(Audit)
    from sqlalchemy import bindparam, update

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


def _dip_samples(
    rng: random.Random, today: date, now: datetime, themes: list[LearningTheme]
) -> None:
    from qa_audit.reports.queries import dip_sample_model

    model = dip_sample_model()
    if model is None:
        return
    from qa_audit.dip_samples.models import dip_sample_learning_theme, dip_sample_service_area

    areas = {a.key: a.id for a in db.session.scalars(select(ServiceArea))}
    by_name = {t.name: t.id for t in themes}
    lead = find_user_by_email("qa.lead@example.org")
    table = _table(model)
    for index, (title, unit, size, area_keys, theme_names) in enumerate(DIP_SAMPLES):
        back = 20 - index * 4
        start = _month_start(today, max(back, 1))
        completed = index < len(DIP_SAMPLES) - 1
        completed_on = min(start + timedelta(days=45), today - timedelta(days=3))
        (sample_id,) = db.session.execute(
            insert(table).returning(table.c.id),
            {
                "title": title,
                "period_from": start.strftime("%Y-%m"),
                "period_to": _month_start(today, max(back - 1, 0)).strftime("%Y-%m"),
                "sample_unit": unit,
                "sample_size": size,
                "strengths": "Children's wishes and feelings were recorded in most cases.",
                "areas_for_development": "Plans did not always say who does what by when.",
                "status": "completed" if completed else "in_progress",
                "completed_on": completed_on if completed else None,
                "created_by_id": lead.id if lead else None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            },
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
        if lead is not None and hasattr(Action, "dip_sample_id"):
            for n in range(rng.randint(1, 3)):
                done = completed and n == 0
                db.session.execute(
                    insert(_table(Action)),
                    {
                        "source": "dip_sample",
                        "dip_sample_id": sample_id,
                        "description": "Share the dip sample's learning at the practice forum",
                        "owner_id": lead.id,
                        "due_on": completed_on + timedelta(days=30 + 10 * n),
                        "status": "done" if done else "open",
                        "completed_at": now if done else None,
                        "completed_by_id": lead.id if done else None,
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                    },
                )
