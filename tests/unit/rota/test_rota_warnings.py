"""The rota's two warnings on allotting a case: the auditor's own team, and a case audited
recently."""

from __future__ import annotations

from datetime import date

from qa_audit.auth.roles import Role
from qa_audit.rota import services as rota
from tests import factories
from tests.factories.rota import allocation

APRIL = "2024-04"


def test_own_team_warning_when_the_case_team_is_the_auditors(db) -> None:
    auditor = factories.user(Role.AUDITOR, name="Tia Team", area_key="locality")
    own_team = auditor.team
    assert own_team is not None
    made = rota.allot(
        None,
        month=APRIL,
        auditor=auditor,
        service_area=factories.service_area("locality"),
        team=own_team,
        case_ref="CR9001",
        due_on=date(2024, 4, 30),
    )
    assert made.warnings == [
        f"Tia Team would audit case CR9001 from their own team ({own_team.name}). "
        "Auditors should not audit their own team's cases."
    ]
    # Another team of the same area: no warning.
    other_team = factories.service_area("locality").teams[1]
    assert (
        rota.allocation_warnings(allocation(auditor=auditor, team=other_team, case_ref="CR9002"))
        == []
    )
    # No case named: nothing to warn about.
    assert rota.allocation_warnings(allocation(auditor=auditor, team=own_team)) == []


def test_own_team_warning_from_the_case_team_of_its_latest_audit(db) -> None:
    auditor = factories.user(Role.AUDITOR, area_key="locality")
    earlier = factories.audit(case_ref="CR9100", area_key="locality", submitted_on=date(2020, 1, 6))
    assert earlier.team_id == auditor.team_id
    mine = allocation(auditor=auditor, area_key="locality", case_ref="cr9100")
    assert rota.own_team_warning(mine) is not None
    assert "from their own team" in (rota.own_team_warning(mine) or "")


def test_own_team_warning_when_the_team_is_unknown_but_the_area_is_the_auditors(db) -> None:
    auditor = factories.user(Role.AUDITOR, name="Uma Unknown", area_key="fostering")
    mine = allocation(auditor=auditor, area_key="fostering", case_ref="CR9200")
    assert rota.allocation_warnings(mine) == [
        "Uma Unknown works in Fostering and the team of case CR9200 is not recorded: "
        "check that it is not from their own team."
    ]
    elsewhere = allocation(auditor=auditor, area_key="fgc", case_ref="CR9201")
    assert rota.allocation_warnings(elsewhere) == []


def test_recently_audited_warning_within_12_months_of_the_month_start(db) -> None:
    """May 2024 allotments look back to 1 May 2023."""
    factories.audit(case_ref="CR3001", reference="A-IN", submitted_on=date(2023, 5, 1))
    factories.audit(case_ref="CR3002", reference="A-OUT", submitted_on=date(2023, 4, 30))
    factories.audit(case_ref="CR3003", status="draft", overall=None)
    auditor = factories.user(Role.AUDITOR)

    inside = rota.allot(
        None,
        month="2024-05",
        auditor=auditor,
        service_area=factories.service_area("fgc"),
        case_ref="CR3001",
        due_on=date(2024, 5, 31),
    )
    assert inside.warnings == [
        "Case CR3001 was audited in the last 12 months (audit A-IN, submitted 1 May 2023)."
    ]
    assert (
        rota.allocation_warnings(allocation(month="2024-05", case_ref="CR3002", area_key="fgc"))
        == []
    )
    assert (
        rota.allocation_warnings(allocation(month="2024-05", case_ref="CR3003", area_key="fgc"))
        == []
    )
