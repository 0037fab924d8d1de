"""The benchmark's reference data and people, made through the ORM (a few hundred rows): the
migrated database, service managers, auditors, moderators, the benchmark's QA lead, and the
dip samples with their actions; and the ids the bulk rows are drawn from (Lookups)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from bench.authority import RECENT_MONTHS, SEED, all_months

QA_LEAD_EMAIL = "bench.qa.lead@example.org"
PASSWORD = "bench-password-qa-audit"
AUDITORS_PER_AREA = 24
MODERATORS = 12


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


def make_people(url: str, size: int) -> Lookups:
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
