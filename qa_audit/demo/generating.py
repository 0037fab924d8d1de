"""Making the demo audits' rows: who audits and moderates, the grades (improving with
``progress``, 0 at the first month and 1 at the last), moderation, feedback and actions."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, select

from qa_audit.audit_tools.models import AuditTool
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.auth.services import create_user, find_user_by_email
from qa_audit.core.extensions import db
from qa_audit.demo.definition import (
    ACTIONS,
    AREA_WEIGHTS,
    EXTRA_AUDITORS,
    EXTRA_MODERATORS,
    GRADES,
    QUOTES,
    SCORE,
    extra_email,
)
from qa_audit.organisation.models import ServiceArea


@dataclass
class Row:
    """An audit being made, with what hangs off it."""

    values: dict[str, Any]
    tool: AuditTool
    grades: dict[str, str | None] = field(default_factory=dict)
    moderation: dict[str, Any] | None = None
    moderation_grades: dict[str, str] = field(default_factory=dict)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    themes: list[int] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)


def table_of(model: Any) -> Table:
    table: Table = model.__table__
    return table


def new_record(now: datetime, **values: Any) -> dict[str, Any]:
    """A versioned record's row as it is first saved: version 1, created and updated now."""
    return {**values, "version": 1, "created_at": now, "updated_at": now}


def month_start(today: date, back: int) -> date:
    index = today.year * 12 + today.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def people() -> tuple[list[User], list[User], User | None]:
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
        email = extra_email("auditor", index)
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
        email = extra_email("moderator", index)
        user = find_user_by_email(email) or create_user(
            None, email=email, name=name, roles=(Role.MODERATOR,), password=None
        )
        moderators.append(user)
    return auditors, moderators, find_user_by_email("manager@example.org")


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def overall_grade(rng: random.Random, progress: float) -> str:
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


def domain_grade(rng: random.Random, overall: str, key: str, progress: float) -> str:
    if key == "management_oversight":
        # Published: 0% Good in April 2023, 37% a year later.
        shift = _pick(
            rng, {"-1": 0.75 - 0.55 * progress, "0": 0.25 + 0.43 * progress, "1": 0.12 * progress}
        )
    else:
        shift = _pick(rng, {"-1": 0.18, "0": 0.64, "1": 0.18})
    score = min(4, max(1, SCORE[overall] + int(shift)))
    return GRADES[score - 1]


def moderate(
    rng: random.Random,
    row: Row,
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
    values: dict[str, Any] = new_record(
        now,
        status="selected",
        priority="high" if high else "normal",
        selection_reason="Every Inadequate is moderated swiftly"
        if high
        else "Chosen by the sampling rate for its grade",
        selected_at=row.values["submitted_at"],
        due_on=submitted + timedelta(days=5 if high else 20),
        moderator_id=moderator.id,
        overall_rationale="",
        source="app",
    )
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


def add_feedback(rng: random.Random, row: Row, area_key: str, now: datetime) -> None:
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


def add_actions(
    rng: random.Random, row: Row, owner: User | None, today: date, now: datetime
) -> None:
    if rng.random() > 0.7 or owner is None:
        return
    submitted: date = row.values["submitted_on"]
    for _ in range(rng.choice([1, 1, 2, 3])):
        due = submitted + timedelta(days=rng.randint(28, 70))
        # Most actions due a while ago are done; a few are left overdue.
        done = due < today - timedelta(days=rng.randint(-15, 40)) and rng.random() < 0.9
        completed = min(due + timedelta(days=rng.randint(-20, 10)), today - timedelta(days=1))
        row.actions.append(
            new_record(
                now,
                source="audit",
                description=rng.choice(ACTIONS),
                owner_id=owner.id,
                due_on=due,
                status="done" if done else "open",
                completed_at=datetime.combine(completed, datetime.min.time(), UTC)
                + timedelta(hours=11)
                if done
                else None,
                completed_by_id=owner.id if done else None,
                completion_note="Done and recorded on the case file." if done else None,
                created_by_id=row.values["auditor_id"],
            )
        )


def uniform(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same keys in every row (a multi-row INSERT binds one set of columns)."""
    keys = {key for row in values for key in row}
    return [{key: row.get(key) for key in keys} for row in values]
