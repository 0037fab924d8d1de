from tests import factories


def test_audit_factory_builds_a_submitted_audit_with_domain_grades(db) -> None:
    row = factories.audit(overall="requires_improvement", grades={"permanence": "not_applicable"})
    assert row.status == "submitted"
    assert row.submitted_month == "2024-04"
    assert [g.domain_key for g in row.grades] == [
        "assessment",
        "plans_and_planning",
        "child_centred_practice",
        "management_oversight",
        "permanence",
    ]
    assert row.grade_for("permanence").grade == "not_applicable"
    assert row.grade_for("assessment").grade == "requires_improvement"
    assert row.version == 1
