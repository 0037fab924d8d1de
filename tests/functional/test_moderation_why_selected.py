"""Why an audit was selected for moderation, as the moderator reads it: a plain sentence, not
the sampling rule's draw and rate (the recorded reason stays as the rule wrote it)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from qa_audit.auth.roles import Role
from qa_audit.core import signals
from qa_audit.moderation.models import Moderation
from qa_audit.moderation.why_selected import why_selected
from tests import factories
from tests.factories import moderation as mf


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def test_a_moderator_reads_why_an_ri_audit_was_selected_in_plain_english(
    login_as, client, db
) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.MODERATOR)
    mf.salt()
    # QA-0002 draws 0.101 with this salt: below Requires improvement's rate of 20%.
    audit = factories.audit(overall="requires_improvement", reference="QA-0002")
    signals.audit_submitted.send(audit, actor=audit.auditor)
    moderation = db.session.query(Moderation).filter_by(audit_id=audit.id).one()
    assert moderation.selection_reason.startswith("RI: draw 0.101 < rate 0.20")
    db.session.commit()

    page = text(client.get(f"/moderation/{moderation.id}"))

    assert (
        "Why selected Selected at random: 20% of Requires improvement audits are moderated" in page
    )
    # (The change history below still shows the reason as the rule recorded it.)
    assert "Why selected RI: draw" not in page


@pytest.mark.parametrize(
    ("recorded", "read"),
    [
        (
            "RI: draw 0.096 < rate 0.20, selected, due 3 May 2024 (20 working days)",
            "Selected at random: 20% of Requires improvement audits are moderated",
        ),
        (
            "Good: draw 0.401 < rate 0.50, selected, due 3 May 2024 (20 working days)",
            "Selected at random: 50% of Good audits are moderated",
        ),
        (
            "Outstanding: draw 0.051 < rate 0.12, selected, due 3 May 2024 (20 working days)",
            "Selected at random: 12% of Outstanding audits are moderated",
        ),
        (
            "Inadequate: every overall Inadequate is moderated at once; selected, high "
            "priority, due 30 December 2024 (5 working days)",
            "Graded Inadequate overall: every Inadequate audit is moderated, as a high priority",
        ),
        (
            "Added by hand by Quinn Lead: Concern from a parent",
            "Chosen by Quinn Lead, who gave this reason: Concern from a parent",
        ),
        (
            "Imported with the audit",
            "Moderated before this service was used: imported with the audit",
        ),
        ("Something else entirely", "Something else entirely"),
    ],
)
def test_every_recorded_reason_reads_as_a_sentence(recorded: str, read: str) -> None:
    assert why_selected(recorded) == read


def test_the_withdraw_page_gives_the_plain_reason_too(login_as, client, db) -> None:  # type: ignore[no-untyped-def]
    login_as(Role.QA_LEAD)
    moderation = mf.selected(factories.audit(reference="Q-WHY"))
    moderation.selection_reason = "Good: draw 0.401 < rate 0.50, selected, due 3 May 2024"
    db.session.commit()
    page = text(client.get(f"/moderation/{moderation.id}/withdraw"))
    assert "Selected at random: 50% of Good audits are moderated" in page
    assert "Why selected: Good: draw 0.401" not in page
