"""Who may moderate what: not one's own audit, moderators alone, selected audits alone, not a
moderation completed, withdrawn or returned, and not over a stale version."""

from __future__ import annotations

import pytest

from qa_audit.auth.roles import Role
from qa_audit.core.errors import ConcurrentEdit, DomainError, Forbidden
from qa_audit.core.extensions import db as _db
from qa_audit.moderation import services
from qa_audit.moderation.services import Judgement
from tests import factories
from tests.factories import moderation as mf
from tests.unit.moderation.moderating import AGREE, agree_all, setup


def test_no_one_moderates_their_own_audit(db) -> None:
    both = factories.user(Role.AUDITOR, Role.MODERATOR, name="Sam Both")
    audit = factories.audit(auditor=both)
    moderation = mf.selected(audit)
    with pytest.raises(DomainError, match=r"you are its auditor\. No one moderates their own"):
        services.save_moderation(
            both,
            moderation,
            moderation.version,
            agree_all(),
            Judgement(agree=True, rationale="R"),
            complete=True,
        )
    with pytest.raises(DomainError, match="you are its auditor"):
        services.take(both, moderation)
    lead = factories.user(Role.QA_LEAD)
    with pytest.raises(DomainError, match="Sam Both is the auditor of audit") as refused:
        services.assign(lead, moderation, both)
    assert refused.value.field == "moderator_id"
    assert moderation.status == "selected"
    assert moderation.moderator_id is None


def test_only_moderators_moderate(db) -> None:
    _audit, moderation, _moderator = setup()
    lead = factories.user(Role.QA_LEAD)
    with pytest.raises(Forbidden, match="Only moderators"):
        services.save_moderation(
            lead,
            moderation,
            moderation.version,
            agree_all(),
            Judgement(agree=True, rationale="R"),
            complete=True,
        )


def test_an_audit_not_selected_cannot_be_moderated(db) -> None:
    audit = factories.audit(reference="NOT-SEL-1")
    with pytest.raises(DomainError, match="Audit NOT-SEL-1 has not been selected for moderation"):
        services.moderation_for_audit(audit)


def test_completed_withdrawn_or_returned_moderations_are_refused(db) -> None:
    _audit, moderation, moderator = setup()
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        agree_all(),
        Judgement(agree=True, rationale="R"),
        complete=True,
    )
    other = mf.moderator()
    with pytest.raises(DomainError, match="already been moderated by Mo Moderator on"):
        services.save_moderation(
            other,
            moderation,
            moderation.version,
            agree_all(),
            Judgement(agree=True, rationale="Again"),
            complete=True,
        )
    with pytest.raises(DomainError, match="already been moderated"):
        services.take(other, moderation)

    withdrawn_audit = factories.audit()
    withdrawn = mf.selected(withdrawn_audit)
    from qa_audit.moderation.sampling import withdraw

    withdraw(factories.user(Role.QA_LEAD), withdrawn, "Duplicate")
    with pytest.raises(DomainError, match="withdrawn from moderation: Duplicate"):
        services.save_moderation(
            other,
            withdrawn,
            withdrawn.version,
            agree_all(),
            Judgement(agree=True, rationale="R"),
            complete=True,
        )

    returned_audit = factories.audit(status="returned")
    returned = mf.selected(returned_audit)
    with pytest.raises(DomainError, match="returned to its auditor"):
        services.save_moderation(
            other,
            returned,
            returned.version,
            agree_all(),
            Judgement(agree=True, rationale="R"),
            complete=True,
        )


def test_a_stale_version_is_refused_and_nothing_is_saved(db) -> None:
    _audit, moderation, moderator = setup()
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        {"assessment": AGREE},
        Judgement(),
        complete=False,
    )
    with pytest.raises(ConcurrentEdit, match="Someone else saved this moderation"):
        services.save_moderation(
            mf.moderator(),
            moderation,
            1,
            agree_all(),
            Judgement(agree=True, rationale="R"),
            complete=True,
        )
    _db.session.flush()
    assert moderation.status == "selected"
    assert moderation.version == 2
    summary = services.decision_summary(moderation)
    assert summary[0].startswith("Mo Moderator saved progress at")
    assert summary[1] == "Assessment: agreed (Good)"
    assert summary[2] == "Plans and Planning: not decided yet"
    assert summary[-1] == "Overall: not decided yet"
