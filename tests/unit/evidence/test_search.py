"""Full-text search of the evidence with the database's own features (SQLite FTS5 or
PostgreSQL text search, whichever the suite runs on): stemming, the index kept in step with
the texts, and people's words never read as query syntax."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, inspect, select, text, update

from qa_audit.audits.models import AuditDomainGrade
from qa_audit.auth.models import User
from qa_audit.auth.roles import Role
from qa_audit.core.errors import DomainError
from qa_audit.evidence import queries
from qa_audit.evidence.filters import evidence_filters
from qa_audit.evidence.search import (
    FTS_TABLE,
    MAX_TERMS,
    PG_INDEXES,
    fts5_query,
    search_terms,
    text_matches,
)
from tests import factories
from tests.factories.evidence import evidenced

APRIL = date(2024, 4, 15)


def found(user: User, words: str, **args: str) -> list[tuple[str, str]]:
    filters = evidence_filters({"from": "2024-02", "to": "2024-04", "q": words, **args}, user)
    return sorted((e.kind, e.text) for e in queries.all_entries(filters, user))


@pytest.fixture
def lead(db: Any) -> User:
    person = factories.user(Role.QA_LEAD)
    evidenced(
        {
            "assessment": (
                "The social worker met both fathers at home",
                "Mother's partner not assessed",
                "Safer sleeping advice followed",
            ),
            "permanence": ("Father's views recorded", "", "Stable placement"),
        },
        submitted_on=APRIL,
    )
    evidenced({"assessment": ("Grandmother visited weekly", "", "")}, submitted_on=APRIL)
    return person


def test_a_word_finds_its_other_forms_in_the_text_it_is_in(lead: User) -> None:
    assert found(lead, "father") == [
        ("working_well", "Father's views recorded"),
        ("working_well", "The social worker met both fathers at home"),
    ]
    assert found(lead, "Fathers") == found(lead, "father")
    assert found(lead, "visit") == [("working_well", "Grandmother visited weekly")]
    assert found(lead, "assessed") == [("needs_improvement", "Mother's partner not assessed")]


def test_every_word_must_be_found_and_quotes_make_a_phrase(lead: User) -> None:
    assert found(lead, "father home") == [
        ("working_well", "The social worker met both fathers at home")
    ]
    assert found(lead, "father sleeping") == []
    assert found(lead, '"safer sleeping"') == [("impact", "Safer sleeping advice followed")]
    assert found(lead, '"sleeping safer"') == []


def test_search_works_with_the_other_filters(lead: User) -> None:
    assert found(lead, "father", principle="permanence") == [
        ("working_well", "Father's views recorded")
    ]
    assert found(lead, "father", kind="impact") == []


@pytest.mark.parametrize(
    "words",
    [
        '"',
        '"father',
        'father"',
        '""father""',
        "father*",
        "*",
        "NEAR(father home)",
        "father NEAR home",
        "(father",
        "father)",
        "father AND",
        "OR father",
        "NOT",
        "-father",
        "father:*",
        "father & !home",
        "{working_well}: father",
        "working_well:father",
        "^father",
        "'; DROP TABLE audit_domain_grade; --",
        "\\",
        "😀 father 👨‍👧",
        "ﬁather",
        "father " * 300,
        "x" * 5000,
    ],
)
def test_query_syntax_in_the_words_is_searched_for_not_obeyed(lead: User, words: str) -> None:
    """Quotes, *, NEAR, operators, parentheses, column filters, emoji and very long input
    neither fail nor escape the search: each is a word to find, or no word at all."""
    if not search_terms(words):  # nothing to search for: the form says so
        with pytest.raises(DomainError) as refused:
            found(lead, words)
        assert refused.value.field == "q"
        return
    result = found(lead, words)
    terms = search_terms(words)
    assert len(terms) <= MAX_TERMS
    if "father" in words.lower() and not words.startswith("-") and "!" not in words:
        # The word is still searched for, and nothing unrelated is found.
        assert all("ather" in t.lower() for _, t in result), result
    assert ("working_well", "Grandmother visited weekly") not in result or "visit" in words
    # The table is still there.
    assert found(lead, "grandmother") == [("working_well", "Grandmother visited weekly")]


def test_words_without_letters_or_digits_are_not_a_search() -> None:
    assert search_terms('* ( ) " NEAR') == ["NEAR"]
    assert search_terms("*** ((( ---") == []
    assert fts5_query(['say "hi"', "NEAR"]) == '"say ""hi""" "NEAR"'


def test_a_search_of_nothing_is_refused_with_a_message(db: Any) -> None:
    person = factories.user(Role.QA_LEAD)
    with pytest.raises(DomainError) as refused:
        evidence_filters({"from": "2024-02", "to": "2024-04", "q": "***"}, person)
    assert refused.value.field == "q"


def test_the_index_follows_changes_to_the_texts(lead: User, db: Any) -> None:
    audit = evidenced({"assessment": ("Uncle attended the meeting", "", "")}, submitted_on=APRIL)
    assert found(lead, "uncle") == [("working_well", "Uncle attended the meeting")]

    grade_id = next(g.id for g in audit.grades if g.domain_key == "assessment")
    # As the retention schedule and a restore write: SQL, not the audit form.
    db.session.execute(
        update(AuditDomainGrade)
        .where(AuditDomainGrade.id == grade_id)
        .values(working_well="Stepfather attended the meeting")
    )
    assert found(lead, "uncle") == []
    assert found(lead, "stepfather") == [("working_well", "Stepfather attended the meeting")]

    db.session.execute(delete(AuditDomainGrade).where(AuditDomainGrade.id == grade_id))
    assert found(lead, "stepfather") == []


def test_the_search_index_exists_at_head(db: Any) -> None:
    """A later migration that rebuilt audit_domain_grade on SQLite would drop the triggers
    that keep the index in step: this fails until it makes them again."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        triggers = {
            row[0]
            for row in connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                {"t": AuditDomainGrade.__tablename__},
            )
        }
        assert {
            "evidence_search_insert",
            "evidence_search_delete",
            "evidence_search_update",
        } <= triggers
        assert FTS_TABLE in inspect(connection).get_table_names()
    else:
        indexes = {
            row[0]
            for row in connection.execute(
                text("SELECT indexname FROM pg_indexes WHERE tablename = :t"),
                {"t": AuditDomainGrade.__tablename__},
            )
        }
        assert set(PG_INDEXES.values()) <= indexes


def test_the_search_reads_the_index(db: Any) -> None:
    """The condition the explorer writes is the one the index answers: on PostgreSQL the
    expression of the GIN index exactly (else every text would be parsed for each search)."""
    connection = db.session.connection()
    dialect = connection.dialect.name
    grade = AuditDomainGrade
    query = select(grade.id).where(text_matches(dialect, grade.id, grade.working_well, ["father"]))
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    if dialect == "sqlite":
        plan = " ".join(
            str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
        )
        assert "VIRTUAL TABLE INDEX" in plan, plan
        assert FTS_TABLE in plan, plan
    else:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = " ".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}"))
        assert PG_INDEXES["working_well"] in plan, plan
