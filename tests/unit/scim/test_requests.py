"""Reading what the identity provider sends: PatchOp shapes (Entra ID's among them), whole
User resources, and the one filter form supported."""

from __future__ import annotations

import pytest

from qa_audit.scim.resources import ScimError
from qa_audit.scim.services import FILTER, changes_from_patch, changes_from_resource


@pytest.mark.parametrize(
    ("operation", "active"),
    [
        ({"op": "Replace", "path": "active", "value": "False"}, False),
        ({"op": "replace", "path": "active", "value": "True"}, True),
        ({"op": "REPLACE", "path": "Active", "value": False}, False),
        ({"op": "Replace", "value": {"active": "False"}}, False),
        ({"op": "add", "value": {"active": True}}, True),
    ],
)
def test_active_in_every_shape_entra_id_sends(operation: dict, active: bool) -> None:  # type: ignore[type-arg]
    assert changes_from_patch({"Operations": [operation]}).active is active


def test_names_addresses_and_external_ids() -> None:
    changes = changes_from_patch(
        {
            "Operations": [
                {"op": "Replace", "path": "userName", "value": "A@Example.org"},
                {"op": "Replace", "path": "displayName", "value": " Ann Example "},
                {"op": "Add", "path": "externalId", "value": "aexample"},
                {"op": "Add", "path": "title", "value": "Ignored"},
            ]
        }
    )
    assert (changes.email, changes.name, changes.external_id) == (
        "A@Example.org",
        "Ann Example",
        "aexample",
    )
    assert changes.active is None
    removed = changes_from_patch({"Operations": [{"op": "Remove", "path": "externalId"}]})
    assert removed.clear_external_id


@pytest.mark.parametrize(
    ("body", "scim_type"),
    [
        ({}, "invalidSyntax"),
        ({"Operations": "replace"}, "invalidSyntax"),
        ({"Operations": [{"op": "copy", "path": "active"}]}, "invalidSyntax"),
        ({"Operations": [{"op": "replace", "path": "active", "value": "no"}]}, "invalidValue"),
        ({"Operations": [{"op": "replace", "value": "False"}]}, "noTarget"),
        ({"Operations": [{"op": "replace", "path": "displayName", "value": ""}]}, "invalidValue"),
    ],
)
def test_malformed_patches_are_refused(body: dict, scim_type: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ScimError) as refused:
        changes_from_patch(body)
    assert refused.value.status == 400
    assert refused.value.scim_type == scim_type


def test_a_whole_resource_takes_its_name_from_display_name_then_name() -> None:
    assert changes_from_resource({"userName": "a@x.org", "displayName": "A"}).name == "A"
    formatted = {"userName": "a@x.org", "name": {"formatted": "Ann B"}}
    assert changes_from_resource(formatted).name == "Ann B"
    parts = {"userName": "a@x.org", "name": {"givenName": "Ann", "familyName": "Bee"}}
    assert changes_from_resource(parts).name == "Ann Bee"
    assert changes_from_resource({"userName": "a@x.org"}).clear_external_id
    with pytest.raises(ScimError):
        changes_from_resource({"displayName": "No userName"})


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('userName eq "ann@example.org"', "ann@example.org"),
        ('USERNAME EQ "ann@example.org"', "ann@example.org"),
        ('externalId eq "a\\"b"', 'a\\"b'),
    ],
)
def test_the_supported_filter(text: str, value: str) -> None:
    match = FILTER.match(text)
    assert match is not None
    assert match.group(2) == value


@pytest.mark.parametrize(
    "text",
    ['userName sw "ann"', 'userName eq "a" and active eq true', "userName eq ann", 'title eq "x"'],
)
def test_other_filters_do_not_match(text: str) -> None:
    assert FILTER.match(text) is None
