"""Service areas and teams: the seeded list, adding, renaming, finding by key or name."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.config import SEED
from qa_audit.core.errors import DomainError
from qa_audit.organisation.models import ServiceArea
from qa_audit.organisation.services import (
    create_service_area,
    create_team,
    find_service_area,
    list_service_areas,
    rename_service_area,
    rename_team,
    seed_service_areas,
)
from tests import factories

# domain.md, "Organisation"
DOMAIN_SERVICE_AREAS = {
    "front_door": "Integrated Front Door",
    "assessment": "Assessment",
    "locality": "Locality (Children in Need / Child Protection)",
    "cwcn": "Children with Complex Needs",
    "corporate_parenting": "Corporate Parenting (Cared for Children)",
    "care_experienced": "Care Experienced (leaving care)",
    "fostering": "Fostering",
    "fgc": "Family Group Conferencing",
    "youth_justice": "Youth Justice",
    "early_help": "Early Help",
}


def test_seeded_service_areas_are_exactly_those_of_the_domain(db) -> None:  # type: ignore[no-untyped-def]
    assert {a.key: a.name for a in list_service_areas()} == DOMAIN_SERVICE_AREAS
    assert all(area.teams for area in list_service_areas())


def test_seeding_again_adds_nothing_and_keeps_renamed_teams(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    front_door = factories.service_area("front_door")
    mash = next(t for t in front_door.teams if t.name == "MASH")
    rename_team(admin, mash, "Multi-Agency Safeguarding Hub")
    rename_service_area(admin, front_door, "Children's Front Door")
    db.session.flush()
    teams_before = {a.key: sorted(t.name for t in a.teams) for a in list_service_areas()}

    assert seed_service_areas(SEED / "service_areas.yaml") == 0
    db.session.flush()
    db.session.expire_all()

    teams_after = {a.key: sorted(t.name for t in a.teams) for a in list_service_areas()}
    assert teams_after == teams_before
    assert "MASH" not in teams_after["front_door"]
    assert factories.service_area("front_door").name == "Children's Front Door"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("fgc", "fgc"),
        ("FGC", "fgc"),
        ("Family Group Conferencing", "fgc"),
        ("family group conferencing", "fgc"),
        ("  EARLY HELP  ", "early_help"),
        ("Corporate_Parenting", "corporate_parenting"),
        ("locality (children in need / child protection)", "locality"),
    ],
)
def test_find_service_area_by_key_or_name_in_any_case(db, text: str, key: str) -> None:  # type: ignore[no-untyped-def]
    area = find_service_area(text)
    assert area is not None
    assert area.key == key


@pytest.mark.parametrize("text", ["", "Front", "front door", "nowhere"])
def test_find_service_area_returns_none_for_no_match(db, text: str) -> None:  # type: ignore[no-untyped-def]
    assert find_service_area(text) is None


def test_create_service_area_normalises_and_logs(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    area = create_service_area(admin, " Disabled_Children ", "  Disabled   Children's Service ")
    db.session.flush()
    assert (area.key, area.name) == ("disabled_children", "Disabled Children's Service")
    assert find_service_area("disabled children's service") is area
    entry = history(area)[0]
    assert entry.action == "service_area.created"
    assert entry.actor_id == admin.id
    assert entry.after == {"key": "disabled_children", "name": "Disabled Children's Service"}


@pytest.mark.parametrize(
    ("key", "name", "field", "message"),
    [
        ("fgc", "Something New", "key", "A service area with this key already exists"),
        ("new_area", "fostering", "name", "A service area with this name already exists"),
        ("new_area", "FOSTERING", "name", "A service area with this name already exists"),
        ("1st", "Something New", "key", "Key must start with a letter"),
        ("has space", "Something New", "key", "Key must start with a letter"),
        ("new_area", "   ", "name", "Enter the service area name"),
        ("new_area", "x" * 201, "name", "200 characters or fewer"),
    ],
)
def test_create_service_area_refuses_clashes_and_bad_input(  # type: ignore[no-untyped-def]
    db, key: str, name: str, field: str, message: str
) -> None:
    count = len(list_service_areas())
    with pytest.raises(DomainError) as error:
        create_service_area(None, key, name)
    assert error.value.field == field
    assert message in error.value.message
    assert len(list_service_areas()) == count


def test_rename_service_area_keeps_its_key_and_refuses_another_areas_name(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    area = factories.service_area("cwcn")
    with pytest.raises(DomainError) as error:
        rename_service_area(admin, area, "early help")
    assert error.value.message == "A service area with this name already exists"
    assert area.name == "Children with Complex Needs"
    # A change of case of its own name is fine.
    rename_service_area(admin, area, "Children With Complex Needs")
    rename_service_area(admin, area, "Disabled Children")
    db.session.flush()
    assert area.key == "cwcn"
    assert area.name == "Disabled Children"
    assert history(area)[-1].before == {"name": "Children With Complex Needs"}
    assert history(area)[-1].after == {"name": "Disabled Children"}


def test_teams_are_unique_within_an_area_in_any_case(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    fostering = factories.service_area("fostering")
    early_help = factories.service_area("early_help")
    team = create_team(admin, fostering, "  Recruitment   and Assessment ")
    db.session.flush()
    assert team.name == "Recruitment and Assessment"
    assert team.service_area is fostering
    with pytest.raises(DomainError) as clash:
        create_team(admin, fostering, "recruitment and assessment")
    assert clash.value.message == "Fostering already has a team called recruitment and assessment"
    assert clash.value.field == "name"
    # The same name in another area is another team.
    assert create_team(admin, early_help, "Recruitment and Assessment").service_area is early_help


def test_rename_team_refuses_a_clash_but_allows_its_own_name(db) -> None:  # type: ignore[no-untyped-def]
    admin = factories.user(Role.ADMIN)
    locality = factories.service_area("locality")
    north, south = (
        next(t for t in locality.teams if t.name == n) for n in ("North Locality", "South Locality")
    )
    with pytest.raises(DomainError, match="already has a team called South Locality"):
        rename_team(admin, north, "South Locality")
    rename_team(admin, north, "north locality")
    db.session.flush()
    assert north.name == "north locality"
    assert south.name == "South Locality"
    assert history(north)[-1].after == {"name": "north locality"}
    assert db.session.scalar(select(ServiceArea).where(ServiceArea.key == "locality")) is locality
