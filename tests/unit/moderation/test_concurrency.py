"""Two moderators saving one moderation at the same moment, each in their own database session
and connection (committed for real, on a database of its own): the second is refused, nothing
of theirs is saved half-way, and re-saving from the fresh version works. Neither decision is
lost: the first's stays in the change log even when the second then overwrites it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from qa_audit.audit_tools.grades import Grade
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.concurrency import stale_snapshot
from qa_audit.core.errors import ConcurrentEdit, DomainError
from qa_audit.core.extensions import db
from qa_audit.moderation import services
from qa_audit.moderation.models import Moderation
from qa_audit.moderation.services import Judgement
from tests import factories
from tests.conftest import make_migrated_app
from tests.databases import fresh_database
from tests.factories import moderation as mf


@pytest.fixture(scope="module")
def own_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with fresh_database(tmp_path_factory.mktemp("concurrency"), "concurrency") as url:
        application = make_migrated_app(url)
        yield application
        with application.app_context():
            db.engine.dispose()


def test_simultaneous_saves_never_lose_a_decision(own_app: Flask) -> None:
    with own_app.app_context():
        audit = factories.audit(auditor=factories.user(Role.AUDITOR), overall="good")
        moderation_id = mf.selected(audit).id
        first_id = mf.moderator(name="First Moderator").id
        second_id = mf.moderator(name="Second Moderator").id
        keys = [g.domain_key for g in audit.grades]
        db.session.commit()

    agree = {k: Judgement(agree=True) for k in keys}
    first_view = {
        **agree,
        "assessment": Judgement(
            agree=False, grade=Grade.REQUIRES_IMPROVEMENT, rationale="No analysis of risk"
        ),
    }
    second_view = {
        **agree,
        "assessment": Judgement(
            agree=False, grade=Grade.OUTSTANDING, rationale="Exceptional analysis"
        ),
    }

    # The second moderator's request: its own app context, so its own session and connection.
    with own_app.app_context():
        second = db.session.get(services.User, second_id)
        mine = db.session.get(Moderation, moderation_id)
        assert mine.version == 1
        assert len(mine.audit.grades) == len(keys)  # everything read before the other saves

        # Meanwhile the first moderator's request saves and commits.
        with own_app.app_context():
            first = db.session.get(services.User, first_id)
            theirs = db.session.get(Moderation, moderation_id)
            services.save_moderation(first, theirs, 1, first_view, Judgement(), complete=False)
            db.session.commit()

        # The second's save was read at version 1: refused (a stale row on PostgreSQL, a
        # stale snapshot on SQLite), and nothing of theirs is written.
        with pytest.raises(ConcurrentEdit, match="Someone else saved this moderation") as refused:
            services.save_moderation(second, mine, 1, second_view, Judgement(), complete=False)
        # Refused by the database write itself, not by comparing the form's version number.
        cause = refused.value.__cause__
        assert isinstance(cause, StaleDataError) or (
            isinstance(cause, OperationalError) and stale_snapshot(cause)
        )
        db.session.rollback()

        fresh = db.session.get(Moderation, moderation_id)
        assert fresh.version == 2
        assert fresh.moderator_id == first_id
        assert fresh.grade_for("assessment").grade == "requires_improvement"
        summary = services.decision_summary(fresh)
        assert summary[0].startswith("First Moderator saved progress")
        assert (
            "Assessment: regraded from Good to Requires improvement to be good – "
            "“No analysis of risk”"
        ) in summary

        # Shown the first's decision, the second saves again from the fresh version: the
        # first has the moderation now, so only once the QA lead reassigns it.
        with pytest.raises(DomainError, match="assigned to First Moderator: ask the QA lead"):
            services.save_moderation(
                second, fresh, fresh.version, second_view, Judgement(), complete=False
            )
        lead = factories.user(Role.QA_LEAD)
        services.assign(lead, fresh, second)
        services.save_moderation(
            second,
            fresh,
            fresh.version,
            second_view,
            Judgement(agree=True, rationale="Good overall"),
            complete=True,
        )
        db.session.commit()

    with own_app.app_context():
        final = db.session.get(Moderation, moderation_id)
        assert (final.status, final.version, final.moderator_id) == ("completed", 4, second_id)
        assert final.grade_for("assessment").grade == "outstanding"
        entries = history(final)
        assert [e.action for e in entries] == [
            "moderation.saved",
            "moderation.assigned",
            "moderation.completed",
        ]
        # The first decision is not lost: the log keeps it, beside who made it.
        assert entries[0].actor_id == first_id
        assert entries[0].after["grades"]["assessment"] == [
            "requires_improvement",
            "No analysis of risk",
        ]
        assert entries[2].before["grades"]["assessment"] == [
            "requires_improvement",
            "No analysis of risk",
        ]
        assert entries[2].actor_id == second_id


def test_a_form_opened_before_the_first_completed_is_refused_as_already_moderated(
    own_app: Flask,
) -> None:
    with own_app.app_context():
        audit = factories.audit(auditor=factories.user(Role.AUDITOR), overall="good")
        moderation_id = mf.selected(audit).id
        first_id = mf.moderator(name="Fast Moderator").id
        second_id = mf.moderator().id
        keys = [g.domain_key for g in audit.grades]
        db.session.commit()
    agree = {k: Judgement(agree=True) for k in keys}
    with own_app.app_context():
        first = db.session.get(services.User, first_id)
        services.save_moderation(
            first,
            db.session.get(Moderation, moderation_id),
            1,
            agree,
            Judgement(agree=True, rationale="Sound"),
            complete=True,
        )
        db.session.commit()
    with own_app.app_context():
        second = db.session.get(services.User, second_id)
        moderation = db.session.get(Moderation, moderation_id)
        for version in (1, moderation.version):  # opened before, or after, it was completed
            with pytest.raises(services.DomainError, match="already been moderated by Fast"):
                services.save_moderation(
                    second,
                    moderation,
                    version,
                    agree,
                    Judgement(agree=True, rationale="Me too"),
                    complete=True,
                )
        db.session.rollback()
        assert db.session.get(Moderation, moderation_id).overall_rationale == "Sound"
