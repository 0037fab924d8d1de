"""The reflective conversation page says what moderation did to the overall grade: an
Inadequate kept as it was, or a better grade brought down to Inadequate."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from qa_audit.auth.roles import Role
from qa_audit.moderation.reflective import open_reflective_conversation
from tests import factories
from tests.factories import moderation as mf


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


@pytest.mark.parametrize(
    ("audited", "expected", "not_expected"),
    [
        (
            "requires_improvement",
            "Downgraded to Inadequate at moderation (audited as Requires improvement to be good)",
            "Inadequate maintained",
        ),
        ("inadequate", "Inadequate maintained at moderation", "Downgraded"),
    ],
)
def test_the_conversation_says_whether_inadequate_was_maintained_or_a_downgrade(
    login_as, client, db, audited, expected, not_expected
) -> None:
    login_as(Role.SERVICE_MANAGER, area_key="locality")
    audit = factories.audit(overall=audited, reference="Q-LABEL")
    moderation = mf.completed(
        audit, moderator_user=mf.moderator(), overall="inadequate", moderated_on=date(2024, 5, 1)
    )
    conversation = open_reflective_conversation(None, moderation)
    db.session.commit()
    page = text(client.get(f"/moderation/reflective-conversations/{conversation.id}"))
    assert expected in page
    assert not_expected not in page
