"""Synthetic authorities for the benchmark, built by bulk insert into a migrated database.

The shape (the same for every size, so that sizes differ only in history):
- 120 months of audits ending at END_MONTH (ten years);
- the latest RECENT_MONTHS months hold RECENT_PER_MONTH audits each (9,600 audits): every
  report the benchmark times reads only these months, so the one-month report has the same
  audits to count on the 10,000- and the 1,000,000-audit database;
- everything else is older history, spread evenly over the 96 months before.
Each audit has a grade per domain of its tool (qaif-2022 before April 2024, the practice
principles after), about 36% a moderation (every Inadequate, a sample of the rest) with a
grade per domain, 1.2 feedback conversations, 0.8 actions, 1.2 learning-theme tags and its
rota allocation; Inadequate maintained after moderation has a reflective conversation.

Built by ``build_database``: migrations (flask_migrate upgrade to head through create_app),
reference data and people through the ORM, then the bulk tables with the secondary indexes
dropped, by executemany in one transaction (SQLite, synchronous=OFF, no journal) or COPY
(PostgreSQL, foreign-key triggers off unless checked), and the indexes built again at the end.
The generator is seeded: the same size always gives the same rows."""

from __future__ import annotations

import contextlib
import hashlib
import io
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
END_MONTH = "2026-10"
MONTHS = 120
RECENT_MONTHS = 24
RECENT_PER_MONTH = 400
SEED = 20261123
PRACTICE_PRINCIPLES_FROM = "2024-04"
QA_LEAD_EMAIL = "bench.qa.lead@example.org"
PASSWORD = "bench-password-qa-audit"
AUDITORS_PER_AREA = 24
VACUUM_ATTEMPTS = 5
MODERATORS = 12

GRADES = np.array(
    ["not_applicable", "inadequate", "requires_improvement", "good", "outstanding"], dtype=object
)  # indexed by score; 0 = N/A
BULK_TABLES = (
    "allocation",
    "audit",
    "audit_domain_grade",
    "moderation",
    "moderation_grade",
    "reflective_conversation",
    "feedback_conversation",
    "action",
    "audit_learning_theme",
)
RATIONALES = np.array(
    [
        "Thorough assessment, child's voice clear, plan outcome-focused.",
        "Assessment not updated after a change in circumstances; plan not SMART.",
        "Good direct work; management oversight not evident in recording.",
        "Drift and delay in permanence planning; father not engaged.",
        "Strong multi-agency working; lived experience analysed well.",
        "Cumulative harm not recognised; escalation needed.",
    ],
    dtype=object,
)
EVIDENCE = np.array(
    [
        "Visits on time; the child's wishes are recorded in their own words.",
        "Chronology out of date; the plan does not say who does what by when.",
        "Supervision records reflective discussion and clear actions.",
        "Impact on the child is not analysed; the plan repeats the assessment.",
    ],
    dtype=object,
)
QUOTES = np.array(
    [
        "My social worker listens to me and tells me what is happening.",
        "I did not know why the meetings kept changing.",
        "She helped us get the support we needed at home.",
        "Nobody asked me what I thought about the plan.",
        "Things are better now; I see my brother every week.",
        "I would like the same worker to stay.",
    ],
    dtype=object,
)
ACTIONS = np.array(
    [
        "Update the assessment to reflect the change in household.",
        "Make the child's plan SMART and share it with the family.",
        "Record management oversight of the decision to step down.",
        "Engage the father in the next review.",
    ],
    dtype=object,
)
WHO = np.array(
    ["child", "care_experienced_adult", "mother", "father", "other_carer", "foster_carer", "other"],
    dtype=object,
)
WHO_P = [0.34, 0.06, 0.26, 0.12, 0.06, 0.12, 0.04]
HOW = np.array(["visit", "phone", "other"], dtype=object)
HOW_P = [0.6, 0.35, 0.05]
# Sampling rates by overall score (Inadequate is always moderated).
MODERATION_RATE = np.array([0.0, 1.0, 0.18, 0.45, 0.45])


# --------------------------------------------------------------------------------------------
# The shape


def add_months(month: str, delta: int) -> str:
    """'YYYY-MM' moved by ``delta`` months."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def all_months() -> list[str]:
    """The MONTHS months of data, oldest first, ending at END_MONTH."""
    return [add_months(END_MONTH, i - MONTHS + 1) for i in range(MONTHS)]


def recent_per_month(size: int) -> int:
    """Audits in each of the latest months: RECENT_PER_MONTH, fewer for a tiny database."""
    return min(RECENT_PER_MONTH, size // (RECENT_MONTHS + 1))


def month_counts(size: int) -> list[int]:
    """Audits per month, oldest first: the latest RECENT_MONTHS months hold
    recent_per_month(size) each; the rest is spread evenly over the older months."""
    recent = recent_per_month(size)
    older = MONTHS - RECENT_MONTHS
    base, extra = divmod(size - recent * RECENT_MONTHS, older)
    return [base + (1 if i < extra else 0) for i in range(older)] + [recent] * RECENT_MONTHS


def busiest_year() -> tuple[str, str]:
    """Twelve months of the older history (the densest months of a large database)."""
    last = add_months(END_MONTH, -RECENT_MONTHS - 12)
    return add_months(last, -11), last


def schema_key() -> str:
    """A hash of the migrations and of this generator: a database is rebuilt when it changes."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "qa_audit" / "migrations" / "versions").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:12]


# --------------------------------------------------------------------------------------------
# Reference data and people (through the ORM: a few hundred rows)


@dataclass
class Lookups:
    area_ids: np.ndarray
    area_weights: np.ndarray
    teams: np.ndarray  # area index x team slot -> team id, -1 where the area has fewer teams
    team_counts: np.ndarray
    managers: np.ndarray  # area index -> the area's service manager
    auditors: np.ndarray
    moderators: np.ndarray
    themes: np.ndarray
    tools: dict[str, tuple[int, list[tuple[int, str, int, bool]]]]  # key -> id, domains
    qa_lead_id: int


def bench_app(url: str) -> Any:
    """The application on ``url`` (TESTING off: it behaves as deployed)."""
    from qa_audit import create_app
    from qa_audit.core.config import Config

    config = Config()
    config.SQLALCHEMY_DATABASE_URI = url
    return create_app(config)


def migrate(url: str) -> None:
    """Upgrade the empty database at ``url`` to head and load the reference data."""
    from flask_migrate import upgrade

    from qa_audit.core.extensions import db
    from qa_audit.seed import load_reference_data

    app = bench_app(url)
    noise = io.StringIO()
    with app.app_context():
        try:
            with contextlib.redirect_stderr(noise):
                upgrade(revision="head")
        except Exception:
            print(noise.getvalue())
            raise
        load_reference_data()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _people(url: str, size: int) -> Lookups:
    """Service managers, auditors, moderators, the benchmark's QA lead and the dip samples."""
    from sqlalchemy import select

    from qa_audit.actions.models import Action
    from qa_audit.audit_tools.models import AuditTool
    from qa_audit.auth.models import User, UserRole
    from qa_audit.auth.passwords import hash_password
    from qa_audit.core.extensions import db
    from qa_audit.dip_samples.models import DipSample
    from qa_audit.learning_themes.models import LearningTheme
    from qa_audit.organisation.models import ServiceArea

    app = bench_app(url)
    with app.app_context():
        areas = list(db.session.scalars(select(ServiceArea).order_by(ServiceArea.id)))
        themes = list(db.session.scalars(select(LearningTheme).order_by(LearningTheme.id)))
        tools = {
            tool.key: (
                tool.id,
                [(d.id, d.key, i, bool(d.allows_na)) for i, d in enumerate(tool.domains)],
            )
            for tool in db.session.scalars(select(AuditTool))
        }

        def person(email: str, name: str, roles: list[str], **kw: Any) -> User:
            user = User(email=email, name=name, role_rows=[UserRole(role=r) for r in roles], **kw)
            db.session.add(user)
            return user

        lead = person(
            QA_LEAD_EMAIL,
            "Bench QA Lead",
            ["qa_lead"],
            password_hash=hash_password(PASSWORD),
        )
        managers, auditors, moderators = [], [], []
        for n, area in enumerate(areas):
            managers.append(
                person(
                    f"manager.{area.key}@bench.example.org",
                    f"Manager {area.name}",
                    ["service_manager", "auditor"],
                    service_area_id=area.id,
                )
            )
            for k in range(AUDITORS_PER_AREA):
                team = area.teams[k % len(area.teams)] if area.teams else None
                auditors.append(
                    person(
                        f"auditor.{n:02d}.{k:02d}@bench.example.org",
                        f"Auditor {n:02d}-{k:02d}",
                        ["auditor"],
                        service_area_id=area.id,
                        team_id=team.id if team else None,
                    )
                )
        for k in range(MODERATORS):
            moderators.append(
                person(f"moderator.{k:02d}@bench.example.org", f"Moderator {k:02d}", ["moderator"])
            )
        db.session.flush()

        # Two thematic dip samples a month in the latest two years (a few hundred rows).
        rng = np.random.default_rng(SEED)
        months = all_months()[-RECENT_MONTHS:] if size >= 1000 else all_months()[-2:]
        for month in months:
            for k in range(2):
                area = areas[int(rng.integers(len(areas)))]
                sample = DipSample(
                    title=f"Dip sample {month} {k + 1}",
                    period_from=month,
                    period_to=month,
                    sample_unit=["children", "young_people", "families"][k % 3],
                    sample_size=int(rng.integers(5, 21)),
                    strengths="Visits are purposeful.",
                    areas_for_development="Plans are not SMART.",
                    status="completed",
                    completed_on=date(int(month[:4]), int(month[5:]), 20),
                    created_by_id=lead.id,
                    service_areas=[area],
                    lead_auditors=[managers[0]],
                    learning_themes=[themes[int(rng.integers(len(themes)))]],
                )
                db.session.add(sample)
                db.session.flush()
                db.session.add(
                    Action(
                        source="dip_sample",
                        dip_sample_id=sample.id,
                        description="Share the findings with the teams.",
                        owner_id=managers[0].id,
                        due_on=date(int(month[:4]), int(month[5:]), 28),
                        status="open",
                        created_by_id=lead.id,
                    )
                )
        db.session.flush()

        width = max(len(a.teams) for a in areas)
        teams = np.full((len(areas), width), -1, dtype=np.int64)
        for i, area in enumerate(areas):
            for j, team in enumerate(area.teams):
                teams[i, j] = team.id
        weights = np.array([3, 3, 5, 1, 3, 1, 1, 1, 1, 2][: len(areas)] + [1] * (len(areas) - 10))
        lookups = Lookups(
            area_ids=np.array([a.id for a in areas], dtype=np.int64),
            area_weights=weights / weights.sum(),
            teams=teams,
            team_counts=np.array([len(a.teams) for a in areas], dtype=np.int64),
            managers=np.array([m.id for m in managers], dtype=np.int64),
            auditors=np.array([a.id for a in auditors], dtype=np.int64),
            moderators=np.array([m.id for m in moderators], dtype=np.int64),
            themes=np.array([t.id for t in themes], dtype=np.int64),
            tools=tools,
            qa_lead_id=lead.id,
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return lookups


# --------------------------------------------------------------------------------------------
# The bulk rows


@dataclass
class Batch:
    """Rows of one table, as tuples in ``columns`` order."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


@dataclass
class _Ids:
    """The next id of each bulk table."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str, n: int) -> np.ndarray:
        first = self.next[table]
        self.next[table] = first + n
        return np.arange(first, first + n, dtype=np.int64)


def _dates(days: np.ndarray) -> list[str]:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").tolist()  # type: ignore[no-any-return]


class _Stamps:
    """Timestamps as the database stores them (SQLite's text form; UTC offset for PostgreSQL)."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix

    def at(self, days: np.ndarray, clock: str) -> list[str]:
        return [f"{d} {clock}.000000{self.suffix}" for d in _dates(days)]


def _pick(rng: np.random.Generator, values: np.ndarray, n: int) -> list[Any]:
    return values[rng.integers(0, len(values), n)].tolist()  # type: ignore[no-any-return]


def generate(size: int, lookups: Lookups, ids: _Ids, stamps: _Stamps) -> Iterator[list[Batch]]:
    """The bulk rows, month by month (oldest first); each item in foreign-key order."""
    months = all_months()
    counts = month_counts(size)
    end_day = np.datetime64(f"{add_months(END_MONTH, 1)}-01") - np.timedelta64(1, "D")
    for index, (month, n) in enumerate(zip(months, counts, strict=True)):
        if n:
            yield _month(index, month, n, lookups, ids, stamps, end_day)


def _month(
    index: int,
    month: str,
    n: int,
    lk: Lookups,
    ids: _Ids,
    stamps: _Stamps,
    end_day: np.datetime64,
) -> list[Batch]:
    rng = np.random.default_rng([SEED, index])
    age = MONTHS - 1 - index  # months before END_MONTH
    recent = age < RECENT_MONTHS
    t = index / (MONTHS - 1)  # 0 oldest .. 1 newest: grades improve over the decade
    first_day = np.datetime64(f"{month}-01")
    submitted = first_day + np.sort(rng.integers(0, 28, n)).astype("timedelta64[D]")
    audit_date = submitted - rng.integers(0, 15, n).astype("timedelta64[D]")
    audit_ids = ids.take("audit", n)

    area = rng.choice(len(lk.area_ids), n, p=lk.area_weights)
    slot = (rng.random(n) * lk.team_counts[area]).astype(np.int64)
    team = np.where(rng.random(n) < 0.85, lk.teams[area, slot], -1)
    auditor = lk.auditors[rng.integers(0, len(lk.auditors), n)]
    tool_key = "practice-principles-2024" if month >= PRACTICE_PRINCIPLES_FROM else "qaif-2022"
    tool_id, domains = lk.tools[tool_key]
    p_out, p_good, p_inad = 0.04 + 0.04 * t, 0.12 + 0.28 * t, 0.15 - 0.08 * t
    overall = rng.choice(
        [4, 3, 2, 1], n, p=[p_out, p_good, 1 - p_out - p_good - p_inad, p_inad]
    ).astype(np.int64)

    # Status: drafts and returned audits only at the end; older audits mostly closed.
    status = np.full(n, "submitted", dtype=object)
    if age >= 6:
        status[rng.random(n) < 0.7] = "closed"
    draw = rng.random(n)
    if age == 0:
        status[draw < 0.03] = "draft"
    if age <= 1:
        status[(draw >= 0.03) & (draw < 0.04)] = "returned"
    counted = (status == "submitted") | (status == "closed")
    is_draft = status == "draft"

    closing = (rng.random(n) < 0.1) & (audit_ids > 2000)
    previous = np.where(closing, audit_ids - rng.integers(100, 2000, n), -1)
    case_ref = [
        f"CR{(p if p > 0 else a) * 7919 % 900000 + 100000}"
        for a, p in zip(audit_ids.tolist(), previous.tolist(), strict=True)
    ]
    submitted_on = _dates(submitted)
    submitted_at = stamps.at(submitted, "12:00:00")
    created_at = stamps.at(audit_date, "09:00:00")
    month_text = [month] * n

    # Rota allocations: one per audit, completed when the audit counts.
    allocation_ids = ids.take("allocation", n)
    due_on = _dates(np.full(n, first_day + np.timedelta64(27, "D")))
    allocation = Batch(
        "allocation",
        ("id", "month", "auditor_id", "service_area_id", "team_id", "case_ref", "due_on",
         "status", "completed_at", "version", "created_at", "updated_at"),
        list(zip(
            allocation_ids.tolist(), month_text, auditor.tolist(), lk.area_ids[area].tolist(),
            [x if x > 0 else None for x in team.tolist()], case_ref, due_on,
            ["completed" if c else "allotted" for c in counted],
            [s if c else None for s, c in zip(submitted_at, counted, strict=True)],
            [1] * n, created_at, created_at, strict=True,
        )),
    )  # fmt: skip

    rationale = _pick(rng, RATIONALES, n)
    audit = Batch(
        "audit",
        ("id", "reference", "case_ref", "service_area_id", "team_id", "auditor_id", "tool_id",
         "audit_type", "previous_audit_id", "audit_date", "status", "source", "overall_grade",
         "overall_rationale", "submitted_at", "submitted_on", "submitted_month",
         "returned_reason", "allocation_id", "version", "created_at", "updated_at"),
        list(zip(
            audit_ids.tolist(), [f"B{a:07d}" for a in audit_ids.tolist()], case_ref,
            lk.area_ids[area].tolist(), [x if x > 0 else None for x in team.tolist()],
            auditor.tolist(), [tool_id] * n,
            ["closing_the_loop" if c else "deep_dive" for c in closing],
            [p if p > 0 else None for p in previous.tolist()],
            _dates(audit_date), status.tolist(), ["app"] * n, GRADES[overall].tolist(),
            rationale,
            [None if d else s for s, d in zip(submitted_at, is_draft, strict=True)],
            [None if d else s for s, d in zip(submitted_on, is_draft, strict=True)],
            [None if d else month for d in is_draft],
            ["Please add the child's views." if s == "returned" else None for s in status],
            allocation_ids.tolist(), [1] * n, created_at,
            [None if d else s for s, d in zip(submitted_at, is_draft, strict=True)],
            strict=True,
        )),
    )  # fmt: skip
    # updated_at is NOT NULL: drafts keep their creation time.
    audit.rows = [row if row[-1] is not None else (*row[:-1], row[-2]) for row in audit.rows]

    # Domain grades: the overall grade give or take one; N/A where the domain allows it.
    d = len(domains)
    na_ok = np.array([allows for _, _, _, allows in domains])
    scores = np.clip(overall[:, None] + rng.choice([-1, 0, 0, 0, 1], (n, d)), 1, 4)
    scores[(rng.random((n, d)) < 0.1) & na_ok[None, :]] = 0
    grade_ids = ids.take("audit_domain_grade", n * d)
    evidence: list[Any] = _pick(rng, EVIDENCE, n * d) if recent else [""] * (n * d)
    grades = Batch(
        "audit_domain_grade",
        ("id", "audit_id", "tool_domain_id", "domain_key", "position", "grade", "working_well",
         "needs_improvement", "impact"),
        list(zip(
            grade_ids.tolist(), np.repeat(audit_ids, d).tolist(),
            [x[0] for x in domains] * n, [x[1] for x in domains] * n,
            [x[2] for x in domains] * n, GRADES[scores.ravel()].tolist(),
            evidence, evidence, [""] * (n * d), strict=True,
        )),
    )  # fmt: skip

    # Moderation: every Inadequate, a sample of the rest; pending ones only in the last month.
    selected = counted & (rng.random(n) < MODERATION_RATE[overall])
    rows = np.flatnonzero(selected)
    m = len(rows)
    mod_ids = ids.take("moderation", m)
    pending = (rng.random(m) < 0.4) if age == 0 else np.zeros(m, dtype=bool)
    withdrawn = (rng.random(m) < 0.01) & ~pending
    done = ~pending & ~withdrawn
    swing = rng.random(m)
    before = overall[rows]
    after = before.copy()
    after[(swing < 0.18) & (before > 1)] -= 1
    after[(swing > 0.93) & (before < 4)] += 1
    outcome = np.where(
        after == before, "upheld", np.where(after > before, "upgraded", "downgraded")
    )
    moderated_on = np.minimum(
        submitted[rows] + rng.integers(0, 30, m).astype("timedelta64[D]"), end_day
    )
    moderated_text = _dates(moderated_on)
    moderated_at = stamps.at(moderated_on, "15:00:00")
    moderator = lk.moderators[rng.integers(0, len(lk.moderators), m)]
    done_list = done.tolist()
    selected_at = [submitted_at[i] for i in rows.tolist()]
    moderation = Batch(
        "moderation",
        ("id", "audit_id", "status", "priority", "selection_reason", "selected_by_id",
         "selected_at", "due_on", "moderator_id", "overall_grade", "overall_rationale",
         "outcome", "moderated_on", "completed_at", "withdrawn_reason", "source", "version",
         "created_at", "updated_at"),
        list(zip(
            mod_ids.tolist(), audit_ids[rows].tolist(),
            ["completed" if c else ("withdrawn" if w else "selected")
             for c, w in zip(done_list, withdrawn.tolist(), strict=True)],
            ["high" if b == 1 else "normal" for b in before.tolist()],
            ["Inadequate: always moderated" if b == 1 else "Sampled at the rate for its grade"
             for b in before.tolist()],
            [None] * m, selected_at, _dates(submitted[rows] + np.timedelta64(20, "D")),
            [x if c else None for x, c in zip(moderator.tolist(), done_list, strict=True)],
            [GRADES[a] if c else None for a, c in zip(after.tolist(), done_list, strict=True)],
            ["Agreed with the auditor's analysis." if c else "" for c in done_list],
            [o if c else None for o, c in zip(outcome.tolist(), done_list, strict=True)],
            [x if c else None for x, c in zip(moderated_text, done_list, strict=True)],
            [x if c else None for x, c in zip(moderated_at, done_list, strict=True)],
            ["Selected in error" if w else None for w in withdrawn.tolist()],
            ["app"] * m, [1] * m, selected_at,
            [x if c else s for x, c, s in zip(moderated_at, done_list, selected_at, strict=True)],
            strict=True,
        )),
    )  # fmt: skip

    # Moderation grades for the completed moderations: agree, or regrade by one.
    finished = rows[done]
    f = len(finished)
    mod_scores = scores[finished].copy()
    change = (rng.random((f, d)) < 0.12) & (mod_scores > 0)
    mod_scores[change] = np.clip(mod_scores[change] + rng.choice([-1, 1], change.sum()), 1, 4)
    moderation_grades = Batch(
        "moderation_grade",
        ("id", "moderation_id", "domain_key", "grade", "rationale"),
        list(zip(
            ids.take("moderation_grade", f * d).tolist(),
            np.repeat(mod_ids[done], d).tolist(), [x[1] for x in domains] * f,
            GRADES[mod_scores.ravel()].tolist(), ["" if not c else "Regraded on the evidence."
                                               for c in change.ravel().tolist()],
            strict=True,
        )),
    )  # fmt: skip

    # Reflective conversations: Inadequate maintained after moderation.
    kept = done & (before == 1) & (after == 1)
    k = int(kept.sum())
    k_rows = rows[kept]
    held = age >= 2
    due = moderated_on[kept] + np.timedelta64(10, "D")
    held_on = due - rng.integers(0, 8, k).astype("timedelta64[D]")
    reflective = Batch(
        "reflective_conversation",
        ("id", "moderation_id", "audit_id", "service_area_id", "status", "due_on", "held_on",
         "participants", "learning", "recorded_by_id", "recorded_at", "version", "created_at",
         "updated_at"),
        list(zip(
            ids.take("reflective_conversation", k).tolist(), mod_ids[kept].tolist(),
            audit_ids[k_rows].tolist(), lk.area_ids[area[k_rows]].tolist(),
            ["held" if held else "due"] * k, _dates(due),
            _dates(held_on) if held else [None] * k,
            ["Service manager, team manager, social worker" if held else None] * k,
            ["Escalate drift at the first review." if held else None] * k,
            lk.managers[area[k_rows]].tolist() if held else [None] * k,
            stamps.at(held_on, "16:00:00") if held else [None] * k,
            [1] * k, [moderated_at[i] for i in np.flatnonzero(kept).tolist()],
            [moderated_at[i] for i in np.flatnonzero(kept).tolist()], strict=True,
        )),
    )  # fmt: skip

    # Feedback conversations.
    per = np.where(counted, rng.choice([0, 1, 2, 3], n, p=[0.25, 0.4, 0.25, 0.1]), 0)
    owner = np.repeat(np.arange(n), per)
    c = len(owner)
    feedback = Batch(
        "feedback_conversation",
        ("id", "audit_id", "who", "how", "said", "tone", "consent_to_quote", "created_at",
         "updated_at"),
        list(zip(
            ids.take("feedback_conversation", c).tolist(), audit_ids[owner].tolist(),
            rng.choice(WHO, c, p=WHO_P).tolist(), rng.choice(HOW, c, p=HOW_P).tolist(),
            _pick(rng, QUOTES, c),
            ["positive" if x < 0.6 else "constructive" for x in rng.random(c).tolist()],
            (rng.random(c) < 0.4).tolist(), [submitted_at[i] for i in owner.tolist()],
            [submitted_at[i] for i in owner.tolist()], strict=True,
        )),
    )  # fmt: skip

    # Actions: due one to three months after submission; most done, some overdue.
    per = np.where(counted, rng.choice([0, 1, 2], n, p=[0.4, 0.4, 0.2]), 0)
    owner = np.repeat(np.arange(n), per)
    a = len(owner)
    action_due = submitted[owner] + rng.integers(30, 91, a).astype("timedelta64[D]")
    finished_on = action_due - rng.integers(0, 20, a).astype("timedelta64[D]")
    is_done = (finished_on <= end_day) & (rng.random(a) < 0.85)
    done_at = stamps.at(finished_on, "10:00:00")
    action_owner = lk.managers[area[owner]].tolist()
    is_done_list = is_done.tolist()
    actions = Batch(
        "action",
        ("id", "source", "audit_id", "description", "owner_id", "due_on", "status",
         "completed_at", "completed_by_id", "completion_note", "created_by_id", "version",
         "created_at", "updated_at"),
        list(zip(
            ids.take("action", a).tolist(), ["audit"] * a, audit_ids[owner].tolist(),
            _pick(rng, ACTIONS, a), action_owner, _dates(action_due),
            ["done" if x else "open" for x in is_done_list],
            [s if x else None for s, x in zip(done_at, is_done_list, strict=True)],
            [o if x else None for o, x in zip(action_owner, is_done_list, strict=True)],
            ["Done and checked at supervision." if x else None for x in is_done_list],
            auditor[owner].tolist(), [1] * a, [submitted_at[i] for i in owner.tolist()],
            [s if x else submitted_at[i]
             for s, x, i in zip(done_at, is_done_list, owner.tolist(), strict=True)],
            strict=True,
        )),
    )  # fmt: skip

    # Learning themes: up to three distinct themes per counted audit.
    per = np.where(counted, rng.choice([0, 1, 2, 3], n, p=[0.3, 0.35, 0.25, 0.1]), 0)
    order = np.argsort(rng.random((n, len(lk.themes))), axis=1)
    take = np.arange(len(lk.themes))[None, :] < per[:, None]
    theme_rows, theme_cols = np.nonzero(take)
    themes = Batch(
        "audit_learning_theme",
        ("audit_id", "learning_theme_id"),
        list(zip(
            audit_ids[theme_rows].tolist(), lk.themes[order[theme_rows, theme_cols]].tolist(),
            strict=True,
        )),
    )  # fmt: skip
    return [allocation, audit, grades, moderation, moderation_grades, reflective, feedback,
            actions, themes]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Writing: SQLite and PostgreSQL


class _SQLiteWriter:
    def __init__(self, path: str, check_foreign_keys: bool) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute(f"PRAGMA foreign_keys={'ON' if check_foreign_keys else 'OFF'}")
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("PRAGMA cache_size=-262144")  # 256 MB
        self.conn.execute("PRAGMA temp_store=MEMORY")
        marks = ",".join("?" * len(BULK_TABLES))
        self.indexes = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks})",
            BULK_TABLES,
        ).fetchall()
        self.conn.execute("BEGIN")
        for name, _ in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')

    def max_id(self, table: str) -> int:
        return int(self.conn.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0])

    def columns(self, table: str) -> list[tuple[str, bool, bool]]:
        """(name, not null, has a default) of each column."""
        return [
            (row[1], bool(row[3]), row[4] is not None)
            for row in self.conn.execute(f'PRAGMA table_info("{table}")')
        ]

    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def finish(self) -> None:
        for _, sql in self.indexes:
            self.conn.execute(sql)
        self.conn.execute("COMMIT")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.close()


def libpq_url(url: str) -> str:
    """A SQLAlchemy postgresql+psycopg URL as psycopg's connection string."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class _PostgresWriter:
    def __init__(self, url: str, check_foreign_keys: bool) -> None:
        import psycopg

        self.conn = psycopg.connect(libpq_url(url))
        if not check_foreign_keys:
            # The rows are made consistent; the smoke test builds with the checks on.
            self.conn.execute("SET session_replication_role = replica")
        self.conn.execute("SET maintenance_work_mem = '256MB'")
        self.indexes = self.conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [list(BULK_TABLES)],
        ).fetchall()
        for name, _ in self.indexes:
            self.conn.execute(f'DROP INDEX "{name}"')

    def max_id(self, table: str) -> int:
        row = self.conn.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()
        return int(row[0]) if row else 0

    def columns(self, table: str) -> list[tuple[str, bool, bool]]:
        return [
            (name, nullable == "NO", default is not None)
            for name, nullable, default in self.conn.execute(
                "SELECT column_name, is_nullable, column_default FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
                [table],
            )
        ]

    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        with (
            self.conn.cursor() as cursor,
            cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        for _, sql in self.indexes:
            self.conn.execute(sql)
        for table in BULK_TABLES:
            if table != "audit_learning_theme":
                self.conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)'
                )
        self.conn.commit()
        self.conn.autocommit = True
        # What autovacuum would do after such a load; until VACUUM has marked the pages
        # all-visible, index-only scans read the table too and the planner prefers scans.
        # A VACUUM can leave the newest pages unmarked while another transaction (autovacuum's
        # own ANALYZE of a table just loaded) holds an older snapshot: then once more.
        for attempt in range(VACUUM_ATTEMPTS):
            self.conn.execute("VACUUM ANALYZE")
            if self.all_visible() >= 0.99 or attempt + 1 == VACUUM_ATTEMPTS:
                break
            time.sleep(2)
        self.conn.close()

    def all_visible(self) -> float:
        """The share of the bulk tables' pages that VACUUM has marked all-visible."""
        row = self.conn.execute(
            "SELECT SUM(relallvisible)::float / NULLIF(SUM(relpages), 0) FROM pg_class "
            "WHERE relname = ANY(%s) AND relkind = 'r'",
            (list(BULK_TABLES),),
        ).fetchone()
        return float(row[0]) if row and row[0] is not None else 1.0


def _check_columns(writer: Any, table: str, given: Sequence[str]) -> None:
    """Columns this generator does not fill that the database requires: refuse clearly (a new
    NOT NULL column without a default means bench/data.py must learn about it)."""
    missing = [
        name
        for name, not_null, has_default in writer.columns(table)
        if name not in given and not_null and not has_default
    ]
    if missing:
        raise RuntimeError(
            f"bench/data.py does not fill {table}.{', '.join(missing)} (NOT NULL, no default): "
            "add the column to the generator"
        )


@dataclass
class BuildSummary:
    audits: int = 0
    rows: dict[str, int] = field(default_factory=dict)


def build_database(
    url: str,
    size: int,
    *,
    check_foreign_keys: bool = False,
    log: Callable[[str], None] = lambda message: None,
) -> BuildSummary:
    """Fill the empty database at ``url``: migrate, seed, people, then ``size`` audits."""
    from sqlalchemy.engine import make_url

    migrate(url)
    lookups = _people(url, size)
    backend = make_url(url).get_backend_name()
    writer: Any
    if backend == "sqlite":
        database = make_url(url).database
        assert database, "a SQLite file, not an in-memory database"
        writer = _SQLiteWriter(database, check_foreign_keys)
        stamps = _Stamps("")
    else:
        writer = _PostgresWriter(url, check_foreign_keys)
        stamps = _Stamps("+00")
    ids = _Ids({t: writer.max_id(t) + 1 for t in BULK_TABLES if t != "audit_learning_theme"})
    summary = BuildSummary(audits=size)
    checked: set[str] = set()
    pending: dict[str, Batch] = {}

    def flush(table: str) -> None:
        batch = pending.pop(table)
        if table not in checked:
            _check_columns(writer, table, batch.columns)
            checked.add(table)
        writer.write(table, batch.columns, batch.rows)
        summary.rows[table] = summary.rows.get(table, 0) + len(batch.rows)

    done = 0
    for batches in generate(size, lookups, ids, stamps):
        for batch in batches:
            if batch.table in pending:
                pending[batch.table].rows.extend(batch.rows)
            else:
                pending[batch.table] = batch
        done += len(batches[1].rows)
        # Flush in foreign-key order once enough rows have gathered.
        if sum(len(b.rows) for b in pending.values()) > 400_000:
            for table in list(pending):
                flush(table)
            log(f"{done:,} of {size:,} audits")
    for table in list(pending):
        flush(table)
    writer.finish()
    return summary
