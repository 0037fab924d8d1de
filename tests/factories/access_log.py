"""A small world of case-level records owned by other people, for the access tests: every URL
argument of the app can be filled from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qa_audit.api import tokens as api
from qa_audit.audits.safeguarding import services as safeguarding
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.extensions import db
from qa_audit.dip_samples import services as dip
from qa_audit.learning_themes.services import add_theme
from qa_audit.moderation.reflective import open_reflective_conversation
from tests import access_parts
from tests.factories import actions as factories_actions
from tests.factories import audits, auth, committee_reports, organisation
from tests.factories import moderation as factories_moderation
from tests.factories import rota as factories_rota

# The records' area; a service manager of OTHER_AREA must not see them.
AREA = "locality"
OTHER_AREA = "assessment"
# Case references of other people's records: none may appear on a page a viewer, an
# administrator, another auditor or another area's service manager reaches.
AUDIT_CASE = "CRW4001"
INADEQUATE_CASE = "CRW4002"
ALLOCATION_CASE = "CRW4003"
DIP_CASE = "CRW4004"


@dataclass
class World:
    """Ids of one record of each kind (the values of URL arguments), and who owns them."""

    owner: User
    args: dict[str, Any] = field(default_factory=dict)
    audit_reference: str = ""
    case_refs: tuple[str, ...] = (AUDIT_CASE, INADEQUATE_CASE, ALLOCATION_CASE, DIP_CASE)
    audit_case_refs: tuple[str, ...] = (AUDIT_CASE, INADEQUATE_CASE, ALLOCATION_CASE)


def world() -> World:
    """Records owned by another auditor in AREA: a submitted audit selected for moderation
    (with an action and a safeguarding concern), an Inadequate audit whose moderation upheld
    it (so a reflective conversation is due), a rota allocation, a dip sample with a case,
    a learning theme, an API token. Committed."""
    area = organisation.service_area(AREA)
    owner = auth.user(Role.AUDITOR, name="Olive Owner", area_key=AREA)
    audit = audits.audit(auditor=owner, case_ref=AUDIT_CASE, area_key=AREA)
    moderation = factories_moderation.selected(audit)
    action = factories_actions.action(owner=owner, audit_id=audit.id)
    concern = safeguarding.raise_concern(owner, audit, "A worry about the child's home")

    inadequate = audits.audit(
        auditor=owner, case_ref=INADEQUATE_CASE, area_key=AREA, overall="inadequate"
    )
    upheld = factories_moderation.completed(
        inadequate, moderator_user=auth.user(Role.MODERATOR), overall="inadequate"
    )
    conversation = open_reflective_conversation(None, upheld)

    allocation = factories_rota.allocation(
        auditor=owner, area_key=AREA, case_ref=ALLOCATION_CASE, month="2024-04"
    )
    allocation.batch_id = "accessworldallotment"  # a bulk allotment of one, for its pages
    sample = dip.create_dip_sample(
        owner,
        title="Repeat child protection plans",
        service_areas=[area],
        period_from="2024-04",
        period_to="2024-04",
        sample_unit="families",
        sample_size=4,
        lead_auditors=[owner],
    )
    question = dip.add_question(owner, sample, "Was the plan reviewed on time?")
    case = dip.record_case(owner, sample, case_ref=DIP_CASE, answers={question.id: "yes"})
    theme = add_theme(None, "Access test theme")
    token, _ = api.issue_token(owner, "Owner's dashboard")
    committee = committee_reports.final_with_image()
    newer_parts = access_parts.records(owner, area)
    db.session.commit()
    return World(
        owner=owner,
        audit_reference=audit.reference,
        args={
            "audit_id": audit.id,
            "moderation_id": moderation.id,
            "conversation_id": conversation.id,
            "action_id": action.id,
            "concern_id": concern.id,
            "allocation_id": allocation.id,
            "allotment": "accessworldallotment",
            "sample_id": sample.id,
            "case_id": case.id,
            "question_id": question.id,
            "theme_id": theme.id,
            "token_id": token.id,
            "user_id": owner.id,
            "area_id": area.id,
            "team_id": area.teams[0].id,
            "reference": audit.reference,
            "key": "practice-principles-2024",
            "section": "overall",
            "fmt": "csv",
            "report_id": committee.id,
            "image_id": committee.images[0].id,
            **newer_parts,
        },
    )


def everyone_signed_in(client: Any) -> dict[str, Any]:
    """A world of records and a person holding every role, with a draft of their own, signed
    in on ``client``; the URL arguments naming those records (the draft as ``audit_id``)."""
    records = world()
    everyone = auth.user(*Role, area_key=AREA)
    draft = audits.started(everyone, case_ref="CR31337")
    db.session.commit()
    response = client.post("/sign-in", data={"email": everyone.email, "password": auth.PASSWORD})
    assert response.status_code == 302
    return {**records.args, "audit_id": draft.id}


def actor(role: Role) -> User:
    """The person signed in for ``role``: a service manager of the other area."""
    if role is Role.SERVICE_MANAGER:
        return auth.user(role, area_key=OTHER_AREA)
    return auth.user(role)


def bearer_token(user: User) -> str:
    """An API token for ``user`` (committed)."""
    _, token = api.issue_token(user, "Access test")
    db.session.commit()
    return token


def report_period() -> dict[str, str]:
    return {"from": "2024-04", "to": "2024-04"}


TODAY = date(2024, 5, 20)
