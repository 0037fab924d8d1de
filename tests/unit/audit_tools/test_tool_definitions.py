"""Audit tools as data: the seeded versions, validation of definition files, reloading."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from qa_audit.audit_tools import services
from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.audit_tools.models import AuditTool
from qa_audit.audit_tools.services import (
    AuditToolDefinitionError,
    current_tool,
    get_tool,
    load_tools_from,
    validate_definition,
)
from qa_audit.core.config import SEED
from qa_audit.core.errors import NotFound

SEED_TOOLS = SEED / "audit_tools"
PRACTICE_PRINCIPLES = [
    "assessment",
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
]
KEY = "test-tool-2030"


def seed_definition() -> dict[str, Any]:
    """A valid definition (practice-principles-2024's content) under the test key."""
    data = yaml.safe_load((SEED_TOOLS / "practice-principles-2024.yaml").read_text())
    data["key"] = KEY
    data["launched_on"] = "2030-01-01"
    return data


def write(folder: Path, data: Any, name: str = KEY) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture
def in_use() -> Iterator[set[str]]:
    """Tool keys to treat as used by audits, through the documented extension hook."""
    keys: set[str] = set()

    def check(tool: AuditTool) -> bool:
        return tool.key in keys

    services.tool_in_use_checks.append(check)
    try:
        yield keys
    finally:
        services.tool_in_use_checks.remove(check)


# --- the seeded tools ---------------------------------------------------------------------


def test_practice_principles_2024_has_the_five_practice_principles(db) -> None:  # type: ignore[no-untyped-def]
    tool = get_tool("practice-principles-2024")
    assert tool.launched_on == date(2024, 4, 1)
    assert [d.key for d in tool.domains] == PRACTICE_PRINCIPLES
    assert [d.title for d in tool.domains][:4] == [
        "Assessment",
        "Plans and Planning",
        "Child Centred Relational Practice",
        "Management Oversight and Supervision",
    ]
    assert tool.domains[4].title.startswith("Creating Stability and Permanence")
    for domain in tool.domains:
        assert domain.guidance, domain.key
        assert all(domain.descriptor(grade) for grade in GRADED), domain.key
    assert all(tool.overall_descriptor(grade) for grade in GRADED)


def test_qaif_2022_shares_the_five_keys_and_adds_compliance_domains(db) -> None:  # type: ignore[no-untyped-def]
    tool = get_tool("qaif-2022")
    keys = [d.key for d in tool.domains]
    assert tool.launched_on == date(2022, 10, 1)
    assert keys[:5] == PRACTICE_PRINCIPLES
    assert {"recording_quality", "compliance_with_standards", "voice_of_the_child"} <= set(keys)


def test_na_choice_follows_allows_na(db) -> None:  # type: ignore[no-untyped-def]
    domains = get_tool("qaif-2022").domains + get_tool("practice-principles-2024").domains
    for domain in domains:
        assert (Grade.NOT_APPLICABLE in domain.grade_choices) is domain.allows_na
        assert domain.grade_choices[:4] == list(GRADED)


def test_reloading_the_unchanged_seed_tools_changes_nothing(db) -> None:  # type: ignore[no-untyped-def]
    before = {t.key: (t.id, t.content_hash) for t in db.session.scalars(select(AuditTool))}
    results = load_tools_from(SEED_TOOLS)
    assert {(r.key, r.status) for r in results} == {
        ("practice-principles-2024", "unchanged"),
        ("qaif-2022", "unchanged"),
    }
    after = {t.key: (t.id, t.content_hash) for t in db.session.scalars(select(AuditTool))}
    assert after == before


@pytest.mark.parametrize(
    ("on", "key"),
    [
        (date(2022, 10, 1), "qaif-2022"),
        (date(2024, 3, 31), "qaif-2022"),
        (date(2024, 4, 1), "practice-principles-2024"),
        (date(2025, 6, 30), "practice-principles-2024"),
    ],
)
def test_current_tool_is_the_latest_launched_on_or_before_the_date(db, on: date, key: str) -> None:  # type: ignore[no-untyped-def]
    assert current_tool(on).key == key


def test_no_tool_is_in_force_before_the_first_launch(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound, match="No audit tool is in force"):
        current_tool(date(2022, 9, 30))


# --- refusing malformed definitions -------------------------------------------------------


def _drop_descriptor(d: dict) -> None:
    del d["domains"][1]["descriptors"]["good"]


def _unknown_grade(d: dict) -> None:
    d["domains"][0]["descriptors"]["excellent"] = "Better than outstanding"


def _duplicate_key(d: dict) -> None:
    d["domains"][3]["key"] = "assessment"


def _bad_allows_na(d: dict) -> None:
    d["domains"][4]["allows_na"] = "sometimes"


def _wrong_key(d: dict) -> None:
    d["key"] = "other-tool-2030"


def _no_domains(d: dict) -> None:
    d["domains"] = []


def _bad_date(d: dict) -> None:
    d["launched_on"] = "April 2030"


def _unknown_field(d: dict) -> None:
    d["colour"] = "blue"


def _no_guidance(d: dict) -> None:
    d["domains"][2]["guidance"] = []


def _blank_title(d: dict) -> None:
    d["domains"][2]["title"] = "  "


def _overall_descriptor_missing(d: dict) -> None:
    del d["overall"]["descriptors"]["inadequate"]


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (_drop_descriptor, "domain 2 (plans_and_planning): 'descriptors' lacks good"),
        (_unknown_grade, "domain 1 (assessment): 'descriptors' has unknown grade excellent"),
        (_duplicate_key, "domain 4 (assessment): key is used twice"),
        (_bad_allows_na, "domain 5 (permanence): 'allows_na' must be true or false"),
        (_wrong_key, "key 'other-tool-2030' must match the file name 'test-tool-2030'"),
        (_no_domains, "'domains' must be a list of at least one domain"),
        (_bad_date, "'launched_on' must be a date like 2024-04-01"),
        (_unknown_field, "unknown field colour"),
        (_no_guidance, "domain 3 (child_centred_practice): 'guidance' must be a list"),
        (_blank_title, "domain 3 (child_centred_practice): 'title' must be non-empty text"),
        (_overall_descriptor_missing, "overall: 'descriptors' lacks inadequate"),
    ],
)
def test_a_malformed_definition_is_refused_naming_the_file_and_fault(  # type: ignore[no-untyped-def]
    db, tmp_path: Path, fault, message: str
) -> None:
    data = seed_definition()
    fault(data)
    write(tmp_path, data)
    with pytest.raises(AuditToolDefinitionError) as error:
        load_tools_from(tmp_path)
    assert error.value.message.startswith(f"{KEY}.yaml: ")
    assert message in error.value.message
    assert db.session.scalar(select(AuditTool).where(AuditTool.key == KEY)) is None


def test_invalid_yaml_is_refused_naming_the_file(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "key: test-tool-2030\ndomains: [unclosed\n")
    with pytest.raises(AuditToolDefinitionError) as error:
        load_tools_from(tmp_path)
    assert error.value.message.startswith("test-tool-2030.yaml: not valid YAML")


def test_a_file_that_is_not_a_mapping_is_refused(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "- just\n- a list\n")
    with pytest.raises(AuditToolDefinitionError, match=r"^test-tool-2030\.yaml: the file must"):
        load_tools_from(tmp_path)


def test_an_empty_folder_is_refused(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AuditToolDefinitionError, match="no audit tool definitions"):
        load_tools_from(tmp_path)


def test_one_bad_file_means_nothing_is_loaded(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = seed_definition()
    good["key"] = "good-tool-2031"
    write(tmp_path, good, "good-tool-2031")
    bad = seed_definition()
    _drop_descriptor(bad)
    write(tmp_path, bad)
    tools_before = db.session.scalar(select(func.count(AuditTool.id)))
    with pytest.raises(AuditToolDefinitionError, match=r"^test-tool-2030\.yaml: "):
        load_tools_from(tmp_path)
    assert db.session.scalar(select(func.count(AuditTool.id))) == tools_before


def test_validate_definition_cleans_a_good_definition() -> None:
    clean = validate_definition(seed_definition(), "x.yaml", expected_key=KEY)
    assert clean["launched_on"] == "2030-01-01"
    assert [d["key"] for d in clean["domains"]] == PRACTICE_PRINCIPLES
    assert set(clean["domains"][0]["descriptors"]) == {g.value for g in GRADED}
    assert clean["domains"][0]["allows_na"] is False


# --- loading, reloading, versions in use --------------------------------------------------


def test_a_new_tool_is_created_then_unchanged_then_updated(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = seed_definition()
    write(tmp_path, data)
    assert [(r.key, r.status) for r in load_tools_from(tmp_path)] == [(KEY, "created")]
    assert [(r.key, r.status) for r in load_tools_from(tmp_path)] == [(KEY, "unchanged")]

    changed = copy.deepcopy(data)
    changed["domains"][0]["descriptors"]["good"] = "A new descriptor for good assessment."
    del changed["domains"][4]
    write(tmp_path, changed)
    assert [(r.key, r.status) for r in load_tools_from(tmp_path)] == [(KEY, "updated")]
    db.session.expire_all()
    tool = get_tool(KEY)
    assert tool.domain("assessment").descriptor(Grade.GOOD) == (  # type: ignore[union-attr]
        "A new descriptor for good assessment."
    )
    assert [d.key for d in tool.domains] == PRACTICE_PRINCIPLES[:4]


def test_a_tool_in_use_is_never_changed(db, tmp_path: Path, in_use: set[str]) -> None:  # type: ignore[no-untyped-def]
    data = seed_definition()
    write(tmp_path, data)
    load_tools_from(tmp_path)
    original_hash = get_tool(KEY).content_hash
    in_use.add(KEY)

    # Reloading the same content is still fine.
    assert [r.status for r in load_tools_from(tmp_path)] == ["unchanged"]

    data["domains"][0]["title"] = "Assessment and analysis"
    write(tmp_path, data)
    with pytest.raises(AuditToolDefinitionError) as error:
        load_tools_from(tmp_path)
    assert error.value.message.startswith(f"{KEY}.yaml: ")
    assert "has been used by audits and cannot be changed" in error.value.message
    assert "new version" in error.value.message
    db.session.expire_all()
    tool = get_tool(KEY)
    assert tool.content_hash == original_hash
    assert tool.domains[0].title == "Assessment"
