"""Case references: the id in the case-management system, never a name."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from qa_audit.audits.services import validate_case_ref
from qa_audit.core.case_refs import CASE_REF_PATTERN, case_ref_problem
from qa_audit.core.errors import DomainError
from tests.property.conftest import tally

ASCII_DIGITS = set("0123456789")


@settings(max_examples=300)
@given(st.text(max_size=40))
@example("CR 123")
@example("Jane Smith")
@example("٣٣٣")  # Arabic-Indic digits: digits, but not 0-9
@example("\u2003CR123\u2003")
def test_a_case_ref_is_accepted_only_if_it_has_a_digit_and_no_space(text: str) -> None:
    tally("case_ref")
    try:
        value = validate_case_ref(text)
    except DomainError as error:
        assert error.field == "case_ref"
        assert error.message
        return
    assert value == text.strip()
    assert not any(ch.isspace() for ch in value)
    assert set(value) & ASCII_DIGITS
    assert 3 <= len(value) <= 30
    assert CASE_REF_PATTERN.match(value)


@settings(max_examples=200)
@given(st.text(max_size=20), st.sampled_from(" \t\u00a0\u2003\n"), st.text(max_size=20))
def test_a_space_inside_is_never_accepted(before: str, space: str, after: str) -> None:
    tally("case_ref")
    text = f"CR1{before}{space}{after}9"
    with pytest.raises(DomainError):
        validate_case_ref(text)


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(blacklist_characters="0123456789"), max_size=30))
def test_no_digit_is_never_accepted(text: str) -> None:
    tally("case_ref")
    with pytest.raises(DomainError):
        validate_case_ref(text)


@settings(max_examples=200)
@given(st.from_regex(CASE_REF_PATTERN, fullmatch=True))
def test_every_well_formed_reference_is_accepted(text: str) -> None:
    tally("case_ref")
    assert validate_case_ref(text) == text


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=40), st.from_regex(CASE_REF_PATTERN, fullmatch=True)))
def test_the_form_and_the_csv_import_agree(text: str) -> None:
    """The audit form and the CSV import accept exactly the same case references."""
    tally("case_ref")
    try:
        validate_case_ref(text)
    except DomainError:
        accepted = False
    else:
        accepted = True
    assert accepted is (case_ref_problem(text) is None)
