"""The audit-quality checklist: defined in the tool's YAML (outside its content hash, so a used
version's checklist can be reworded), rated on the decision, read by the auditor only once the
moderation is complete, and counted per auditor over a period for the QA lead."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml

from qa_audit.audit_tools import services as tools
from qa_audit.audit_tools.services import AuditToolDefinitionError
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.config import SEED
from qa_audit.moderation import quality, services
from qa_audit.moderation.models import QualityRating
from qa_audit.moderation.quality import QualityAnswer
from qa_audit.moderation.services import Judgement
from tests import factories
from tests.factories import moderation as mf

KEYS = [
    "assessment",
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
]
ITEMS = ["evidence_specific", "analysis", "child_voice", "actions_specific"]


def definition(key: str = "quality-test-2031") -> dict:
    data = yaml.safe_load((SEED / "audit_tools" / "practice-principles-2024.yaml").read_text())
    data["key"] = key
    return tools.validate_definition(data, "test", expected_key=key)


def complete_with(audit, moderator, answers):  # type: ignore[no-untyped-def]
    moderation = mf.selected(audit)
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        dict.fromkeys(KEYS, Judgement(agree=True)),
        Judgement(agree=True, rationale="Agreed"),
        complete=True,
        quality=answers,
    )
    return moderation


def test_the_seeded_tools_define_the_checklist(db) -> None:
    audit = factories.audit(overall="good")
    assert [item.key for item in quality.checklist_for(audit)] == ITEMS
    assert quality.checklist_for(audit)[0].text == "Evidence is specific to this child"


def test_a_used_tools_checklist_can_change_without_a_new_version(db) -> None:
    first = definition()
    tools.load_definition(first, "test")
    tool = tools.get_tool("quality-test-2031")
    digest = tool.content_hash
    changed = dict(first)
    changed["quality_checklist"] = [{"key": "analysis", "text": "Analysis, not narrative"}]

    def used(_tool) -> bool:  # type: ignore[no-untyped-def]
        return True

    tools.tool_in_use_checks.append(used)
    try:
        result = tools.load_definition(changed, "test")
    finally:
        tools.tool_in_use_checks.remove(used)
    assert result.status == "updated"
    assert tool.content_hash == digest  # the grading is the same version
    assert tool.quality_checklist == [{"key": "analysis", "text": "Analysis, not narrative"}]


@pytest.mark.parametrize(
    "checklist",
    [
        "not a list",
        [{"key": "Bad Key", "text": "x"}],
        [{"key": "a", "text": "x"}, {"key": "a", "text": "y"}],
        [{"key": "a"}],
    ],
)
def test_a_malformed_checklist_is_refused(checklist) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load((SEED / "audit_tools" / "practice-principles-2024.yaml").read_text())
    data["quality_checklist"] = checklist
    with pytest.raises(AuditToolDefinitionError, match="quality_checklist"):
        tools.validate_definition(data, "test", expected_key="practice-principles-2024")


def test_ratings_are_kept_and_shown_to_the_auditor_once_complete(db) -> None:
    auditor = factories.user(Role.AUDITOR, name="Ada Auditor")
    audit = factories.audit(auditor=auditor, overall="good")
    moderation = mf.selected(audit)
    moderator = mf.moderator()
    answers = {
        "evidence_specific": QualityAnswer(QualityRating.YES),
        "analysis": QualityAnswer(QualityRating.PARTLY, "Say why the plan works"),
    }
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        {},
        Judgement(),
        complete=False,
        quality=answers,
    )
    assert [r.item_key for r in moderation.quality_ratings] == ["evidence_specific", "analysis"]
    assert quality.feedback_for(auditor, audit) == []  # not complete yet
    services.save_moderation(
        moderator,
        moderation,
        moderation.version,
        dict.fromkeys(KEYS, Judgement(agree=True)),
        Judgement(agree=True, rationale="Agreed"),
        complete=True,
        quality=answers,
    )
    shown = quality.feedback_for(auditor, audit)
    assert [(r.item_text, r.rating, r.comment) for r in shown] == [
        ("Evidence is specific to this child", "yes", ""),
        ("Analysis, not description", "partly", "Say why the plan works"),
    ]
    assert quality.feedback_for(factories.user(Role.QA_LEAD), audit) == shown
    for role in (Role.VIEWER, Role.SERVICE_MANAGER, Role.AUDITOR):
        assert quality.feedback_for(factories.user(role), audit) == []


def test_the_summary_counts_each_rating_per_auditor_in_the_period(db) -> None:
    ada = factories.user(Role.AUDITOR, name="Ada Auditor")
    bob = factories.user(Role.AUDITOR, name="Bob Auditor")
    moderator = mf.moderator()
    yes, no = QualityAnswer(QualityRating.YES), QualityAnswer(QualityRating.NO)
    complete_with(factories.audit(auditor=ada), moderator, {"analysis": yes, "child_voice": no})
    complete_with(factories.audit(auditor=ada), moderator, {"analysis": no})
    complete_with(factories.audit(auditor=bob), moderator, {"analysis": yes})
    today = local_today()
    summary = quality.summary(today - timedelta(days=30), today)
    assert [key for key, _ in summary.items] == ["analysis", "child_voice"]
    ada_row, bob_row = summary.auditors
    assert (ada_row.auditor, ada_row.audits) == ("Ada Auditor", 2)
    assert ada_row.count("analysis", QualityRating.YES) == 1
    assert ada_row.count("analysis", QualityRating.NO) == 1
    assert ada_row.count("child_voice", QualityRating.NO) == 1
    assert (bob_row.auditor, bob_row.audits) == ("Bob Auditor", 1)
    assert bob_row.count("child_voice", QualityRating.YES) == 0
    before = quality.summary(date(2000, 1, 1), today - timedelta(days=1))
    assert before.auditors == []
