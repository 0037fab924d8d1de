"""Starting an audit: case reference rules, the tool version, references, dates, closing the loop,
and who may see an audit."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from sqlalchemy import select

from qa_audit.audit_tools.services import (
    AuditToolDefinitionError,
    load_definition,
    validate_definition,
)
from qa_audit.audits import services
from qa_audit.audits.models import AuditStatus
from qa_audit.auth.roles import Role
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.case_refs import NAME_MESSAGE
from qa_audit.core.config import SEED
from qa_audit.core.errors import DomainError, Forbidden, NotFound
from tests import factories
from tests.factories import rota as factories_rota
from tests.factories.audits import TODAY, completed, started, submitted

PP_DOMAINS = [
    "assessment",
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
]


@pytest.mark.parametrize("value", ["CR12345", "LA/2024/001", "123", "ab_1-2", "  CR99  "])
def test_case_reference_accepts_case_management_ids(value: str) -> None:
    assert services.validate_case_ref(value) == value.strip()


@pytest.mark.parametrize("value", ["Jane Smith", "jane", "O'Brien", "Mary-Jane Jones", "J. Smith"])
def test_case_reference_refuses_a_childs_name(value: str) -> None:
    with pytest.raises(DomainError) as caught:
        services.validate_case_ref(value)
    assert caught.value.message == (
        "Enter the case reference from the case-management system, not the child's name"
    )
    assert caught.value.field == "case_ref"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the case reference"),
        ("CR 123", "The case reference must not contain spaces"),
        ("A1", "The case reference must be between 3 and 30 characters"),
        ("CR" + "1" * 29, "The case reference must be between 3 and 30 characters"),
        (
            "CR#123",
            "The case reference can only include letters, numbers, hyphens (-), "
            "underscores (_) and slashes (/)",
        ),
        ("AB_CD", "The case reference must include at least one number"),
    ],
)
def test_case_reference_format_messages(value: str, message: str) -> None:
    with pytest.raises(DomainError) as caught:
        services.validate_case_ref(value)
    assert caught.value.message == message


def test_start_creates_a_draft_on_the_current_tool_with_an_empty_grade_per_domain(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    area = factories.service_area("assessment")
    audit = services.start_audit(
        auditor, " CR555 ", area.id, area.teams[1].id, date(2024, 5, 1), "deep_dive", today=TODAY
    )
    assert audit.status == AuditStatus.DRAFT.value
    assert audit.case_ref == "CR555"
    assert audit.reference == f"QA-{audit.id:06d}"
    assert audit.tool.key == "practice-principles-2024"
    assert audit.team_id == area.teams[1].id
    assert audit.auditor_id == auditor.id
    assert [g.domain_key for g in audit.grades] == PP_DOMAINS
    assert all(g.grade is None and g.working_well == "" for g in audit.grades)
    assert audit.overall_grade is None
    assert audit.submitted_on is None
    entry = db.session.scalar(
        select(ChangeLogEntry).where(
            ChangeLogEntry.entity_type == "audit", ChangeLogEntry.entity_id == str(audit.id)
        )
    )
    assert entry.action == "audit.started"
    assert entry.actor_id == auditor.id
    assert entry.before is None
    assert entry.after["case_ref"] == "CR555"
    assert entry.after["reference"] == audit.reference


def test_an_earlier_date_uses_the_tool_in_force_then(db) -> None:
    audit = started(audit_date=date(2023, 6, 1), today=date(2023, 6, 2))
    assert audit.tool.key == "qaif-2022"
    assert len(audit.grades) == 8


def test_reference_is_qa_and_the_id_with_a_suffix_beside_an_imported_reference(db) -> None:
    first = started()
    # An imported audit already holds the text the next started audit's id gives.
    imported = factories.audit(reference=f"QA-{first.id + 2:06d}")
    nxt = started()
    assert (imported.id, nxt.id) == (first.id + 1, first.id + 2)  # ids are handed out in turn
    assert first.reference == f"QA-{first.id:06d}"
    assert nxt.reference == f"QA-{nxt.id:06d}-2"


def test_the_tool_version_stays_with_the_audit_when_a_new_version_launches(db) -> None:
    audit = started()
    definition = yaml.safe_load(
        (SEED / "audit_tools/practice-principles-2024.yaml").read_text(encoding="utf-8")
    )
    definition["key"] = "practice-principles-2025"
    definition["launched_on"] = "2024-05-15"
    load_definition(validate_definition(definition, "test"), "test")
    later = started()
    db.session.expire_all()
    assert audit.tool.key == "practice-principles-2024"
    assert later.tool.key == "practice-principles-2025"
    # and the version an audit uses can no longer be edited
    definition["key"] = "practice-principles-2024"
    definition["launched_on"] = "2024-04-01"
    definition["name"] = "Edited"
    with pytest.raises(AuditToolDefinitionError, match="has been used by audits"):
        load_definition(validate_definition(definition, "test"), "test")


@pytest.mark.parametrize(
    ("audit_date", "field", "message"),
    [
        (date(2024, 5, 21), "audit_date", "The audit date must be today or in the past"),
        (None, "audit_date", "Enter the audit date"),
        (date(1999, 12, 31), "audit_date", "The audit date must be after 1 January 2000"),
    ],
)
def test_audit_date_rules(db, audit_date, field: str, message: str) -> None:
    auditor = factories.user(Role.AUDITOR)
    area = factories.service_area()
    with pytest.raises(DomainError) as caught:
        services.start_audit(
            auditor, "CR1", area.id, area.teams[0].id, audit_date, "deep_dive", today=TODAY
        )
    assert (caught.value.field, caught.value.message) == (field, message)


def test_audit_date_today_is_allowed(db) -> None:
    assert started(audit_date=TODAY, today=TODAY).audit_date == TODAY


def test_team_must_belong_to_the_service_area(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    locality = factories.service_area("locality")
    fostering = factories.service_area("fostering")
    with pytest.raises(DomainError) as caught:
        services.start_audit(
            auditor, "CR1", locality.id, fostering.teams[0].id, TODAY, "deep_dive", today=TODAY
        )
    assert caught.value.field == "team_id"
    assert caught.value.message == f"Select a team in {locality.name}"
    with pytest.raises(DomainError) as caught:
        services.start_audit(auditor, "CR1", None, None, TODAY, "deep_dive", today=TODAY)
    assert caught.value.field == "service_area_id"


def test_only_auditors_start_audits(db) -> None:
    lead = factories.user(Role.QA_LEAD)
    area = factories.service_area()
    with pytest.raises(Forbidden):
        services.start_audit(
            lead, "CR1", area.id, area.teams[0].id, TODAY, "deep_dive", today=TODAY
        )


def test_a_name_as_case_reference_is_refused_when_starting(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    area = factories.service_area()
    with pytest.raises(DomainError) as caught:
        services.start_audit(
            auditor, "Jane Smith", area.id, area.teams[0].id, TODAY, "deep_dive", today=TODAY
        )
    assert caught.value.message == NAME_MESSAGE


def _closing(auditor, case_ref: str, **kwargs):  # type: ignore[no-untyped-def]
    area = factories.service_area()
    return services.start_audit(
        auditor,
        case_ref,
        area.id,
        area.teams[0].id,
        TODAY,
        "closing_the_loop",
        today=TODAY,
        **kwargs,
    )


def test_closing_the_loop_needs_an_earlier_submitted_audit_of_the_same_case(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    with pytest.raises(DomainError) as caught:
        _closing(auditor, "CR777")
    assert caught.value.field == "audit_type"
    assert "no earlier submitted audit of case CR777" in caught.value.message
    # a draft of the case does not count
    started(case_ref="CR777")
    with pytest.raises(DomainError):
        _closing(auditor, "CR777")


def test_closing_the_loop_links_the_latest_earlier_audit_of_the_case(db) -> None:
    me = factories.user(Role.AUDITOR)
    older = factories.audit(auditor=me, case_ref="cr777", submitted_on=date(2023, 11, 1))
    newer = factories.audit(auditor=me, case_ref="CR777", submitted_on=date(2024, 2, 1))
    factories.audit(auditor=me, case_ref="CR778", submitted_on=date(2024, 3, 1))
    audit = _closing(me, "CR777")
    assert audit.audit_type == "closing_the_loop"
    assert audit.previous_audit_id == newer.id != older.id
    chosen = _closing(me, "CR777", previous_audit_ref=older.reference)
    assert chosen.previous_audit_id == older.id


def test_closing_the_loop_links_only_an_audit_the_auditor_may_see(db) -> None:
    """Finding: starting one told an auditor whether another's (another area's) case was
    audited, and linked their draft to that audit."""
    theirs = factories.audit(case_ref="CR555", area_key="fostering", submitted_on=date(2024, 2, 1))
    outsider = factories.user(Role.AUDITOR, area_key="locality")
    with pytest.raises(DomainError) as seen:
        _closing(outsider, "CR555")
    with pytest.raises(DomainError) as unaudited:
        _closing(outsider, "CR556")
    # The same answer as for a case never audited: nothing about the other audit.
    assert seen.value.message == unaudited.value.message.replace("CR556", "CR555")
    assert seen.value.field == unaudited.value.field == "audit_type"
    with pytest.raises(DomainError) as named:
        _closing(outsider, "CR555", previous_audit_ref=theirs.reference)
    assert named.value.message == f"There is no audit with the reference {theirs.reference}"
    with pytest.raises(DomainError) as by_id:
        _closing(outsider, "CR555", previous_audit_id=theirs.id)
    assert by_id.value.message == "The earlier audit does not exist"
    # Someone who may see it (a QA lead who audits) links it.
    lead = factories.user(Role.AUDITOR, Role.QA_LEAD)
    assert _closing(lead, "CR555").previous_audit_id == theirs.id


def test_closing_the_loop_refuses_an_audit_of_another_case_or_unknown_reference(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    other = factories.audit(auditor=auditor, case_ref="CR999", submitted_on=date(2024, 2, 1))
    with pytest.raises(DomainError) as caught:
        _closing(auditor, "CR777", previous_audit_ref=other.reference)
    assert caught.value.field == "previous_audit_ref"
    assert "of another case" in caught.value.message
    with pytest.raises(DomainError) as caught:
        _closing(auditor, "CR777", previous_audit_ref="QA-999999")
    assert caught.value.message == "There is no audit with the reference QA-999999"
    draft = factories.audit(auditor=auditor, case_ref="CR777", status="draft", overall=None)
    with pytest.raises(DomainError) as caught:
        _closing(auditor, "CR777", previous_audit_id=draft.id)
    assert "has not been submitted" in caught.value.message


def test_a_deep_dive_does_not_link_an_earlier_audit(db) -> None:
    earlier = factories.audit(case_ref="CR777", submitted_on=date(2024, 2, 1))
    auditor = factories.user(Role.AUDITOR)
    area = factories.service_area()
    with pytest.raises(DomainError) as caught:
        services.start_audit(
            auditor,
            "CR777",
            area.id,
            area.teams[0].id,
            TODAY,
            "deep_dive",
            previous_audit_id=earlier.id,
            today=TODAY,
        )
    assert caught.value.field == "previous_audit_ref"


# --- who may see an audit ---------------------------------------------------------------------


def test_get_audit_for_enforces_who_may_see_it(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    audit = started(auditor, area_key="locality")
    assert services.get_audit_for(auditor, audit.id) is audit
    allowed = [
        factories.user(Role.QA_LEAD),
        factories.user(Role.MODERATOR),
        factories.user(Role.SERVICE_MANAGER, area_key="locality"),
    ]
    for person in allowed:
        assert services.get_audit_for(person, audit.id) is audit
    refused = [
        factories.user(Role.AUDITOR),
        factories.user(Role.SERVICE_MANAGER, area_key="fostering"),
        factories.user(Role.VIEWER),
        factories.user(Role.ADMIN),
        factories.user(Role.VIEWER, Role.ADMIN, area_key="locality"),
    ]
    for person in refused:
        with pytest.raises(Forbidden):
            services.get_audit_for(person, audit.id)
    with pytest.raises(NotFound):
        services.get_audit_for(auditor, audit.id + 1000)


def test_my_open_audits_are_drafts_and_returned_only(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    draft = started(auditor)
    done = submitted(auditor)
    back = submitted(auditor)
    services.return_audit(factories.user(Role.QA_LEAD), back, "Please add the father's view")
    started()  # someone else's
    assert {a.id for a in services.my_open_audits(auditor)} == {draft.id, back.id}
    assert done.status == "submitted"


def test_an_audit_started_from_a_rota_allocation_completes_it_on_submission(db) -> None:
    auditor = factories.user(Role.AUDITOR)
    allocation = factories_rota.allocation(auditor=auditor, month="2024-05", case_ref="CR1618")
    area = allocation.service_area
    audit = services.start_audit(
        auditor,
        "CR1618",
        area.id,
        area.teams[0].id,
        TODAY,
        "deep_dive",
        allocation_id=allocation.id,
        today=TODAY,
    )
    assert audit.allocation_id == allocation.id
    completed(audit)
    services.submit(auditor, audit, today=TODAY)
    assert allocation.status == "completed"  # the rota's audit_submitted handler ran


def test_an_allocation_of_someone_else_cannot_start_an_audit(db) -> None:
    allocation = factories_rota.allocation(month="2024-05")
    area = allocation.service_area
    with pytest.raises(DomainError) as caught:
        services.start_audit(
            factories.user(Role.AUDITOR),
            "CR1",
            area.id,
            area.teams[0].id,
            TODAY,
            "deep_dive",
            allocation_id=allocation.id,
            today=TODAY,
        )
    assert caught.value.field == "case_ref"
    assert "not yours" in caught.value.message
    with pytest.raises(DomainError) as caught:
        services.start_audit(
            allocation.auditor,
            "CR1",
            area.id,
            area.teams[0].id,
            TODAY,
            "deep_dive",
            allocation_id=allocation.id + 1000,
            today=TODAY,
        )
    assert caught.value.message == "The rota allocation for this audit no longer exists"
