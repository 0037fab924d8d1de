"""Saving an audit draft with any content: it is saved, or refused with a DomainError that
names the field; never any other error (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from qa_audit.audit_tools.grades import Grade
from qa_audit.audits import services
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.errors import DomainError
from qa_audit.learning_themes.models import LearningTheme
from tests import factories
from tests.factories import audits as factories_audit_journey
from tests.property.conftest import tally

DOMAIN_KEYS = [
    "assessment",
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
]

awkward_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.sampled_from(["\x00", "a\x00b", "\r\n\r\n", "=cmd|' /C calc'!A0", "<script>", "'; --"]),
    st.integers(services.TEXT_MAX - 3, services.TEXT_MAX + 3).map(lambda n: "é" * n),
)
# Mostly real grades (so that many drafts are saved), sometimes anything at all.
real_grades = st.sampled_from(
    [None, "", *(g.value for g in Grade if g is not Grade.NOT_APPLICABLE)]
)
grade_text = st.one_of(
    *[real_grades] * 12,
    st.sampled_from(["not_applicable", "Good", "GOOD", "n/a", "ri"]),
    st.text(max_size=20),
)
entries = st.builds(
    services.DomainEntry,
    grade=grade_text,
    working_well=awkward_text,
    needs_improvement=awkward_text,
    impact=awkward_text,
)
theme_ids = st.one_of(
    st.none(),
    st.lists(st.one_of(st.integers(-5, 500), st.integers(2**31, 2**63)), max_size=6),
)


@pytest.fixture
def auditor(db) -> Iterator[User]:  # type: ignore[no-untyped-def]
    person = factories.user(Role.AUDITOR)
    db.session.commit()
    return person


@settings(max_examples=100)
@given(
    domains=st.one_of(
        st.dictionaries(st.sampled_from(DOMAIN_KEYS), entries, max_size=5),
        st.dictionaries(st.sampled_from(DOMAIN_KEYS), entries, max_size=5),
        st.dictionaries(st.text(max_size=12), entries, max_size=3),
    ),
    overall=grade_text,
    rationale=awkward_text,
    themes=theme_ids,
    use_real_themes=st.booleans(),
    version_shift=st.sampled_from([0] * 12 + [1, -1, None]),
)
def test_save_draft_saves_or_gives_a_domain_error(
    db, auditor, domains, overall, rationale, themes, use_real_themes, version_shift
) -> None:  # type: ignore[no-untyped-def]
    tally("save_draft")
    savepoint = db.session.begin_nested()
    try:
        audit = factories_audit_journey.started(auditor)
        if use_real_themes:
            themes = list(db.session.scalars(select(LearningTheme.id).limit(3))) + (themes or [])
        data = services.DraftData(
            domains=domains,
            overall_grade=overall,
            overall_rationale=rationale,
            learning_theme_ids=themes,
        )
        version = None if version_shift is None else audit.version + version_shift
        try:
            changed = services.save_draft(auditor, audit, version, data)
        except DomainError as error:
            assert error.message
            event(f"refused: {error.message[:50]}")
            return
        event("saved")
        assert version == audit.version - (1 if changed else 0)
        db.session.flush()
        db.session.expire_all()
        stored = services.get_audit(audit.id)
        for key, entry in domains.items():
            row = next(r for r in stored.grades if r.domain_key == key)
            assert row.grade == (Grade(entry.grade).value if entry.grade else None)
            assert "\x00" not in row.working_well + row.needs_improvement + row.impact
    finally:
        savepoint.rollback()
