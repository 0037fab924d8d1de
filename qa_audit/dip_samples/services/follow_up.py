"""Follow-up actions set from a dip sample (kept in the actions centre)."""

from __future__ import annotations

from datetime import date

from qa_audit.actions.models import Action, ActionSource
from qa_audit.actions.services import add_action
from qa_audit.auth.models import User
from qa_audit.changelog.services import record_change
from qa_audit.core.errors import Forbidden
from qa_audit.core.extensions import db
from qa_audit.dip_samples.models import DipSample
from qa_audit.dip_samples.services.editing import may_edit
from qa_audit.dip_samples.services.queries import may_read


def add_dip_sample_action(
    actor: User | None,
    sample: DipSample,
    *,
    description: str | None,
    owner_id: int | None,
    due_on: date | None,
    today: date | None = None,
    practitioner_role: str | None = None,
    practitioner_name: str | None = None,
) -> Action:
    """Set a follow-up action from a dip sample (through the actions centre's add_action),
    optionally done by a practitioner who is not a user, the owner responsible. Actions can
    still be set once the sample is completed."""
    if actor is not None and not may_edit(actor, sample):
        raise Forbidden("Only the QA lead and this dip sample's lead auditors can set its actions")
    action = add_action(
        actor,
        source=ActionSource.DIP_SAMPLE,
        description=description or "",
        owner_id=owner_id,
        due_on=due_on,
        today=today,
        may_own=("dip sample", lambda owner: may_read(owner, sample)),
        practitioner_role=practitioner_role,
        practitioner_name=practitioner_name,
    )
    action.dip_sample_id = sample.id
    db.session.flush()
    record_change(actor, "action.dip_sample_linked", action, None, {"dip_sample_id": sample.id})
    return action
