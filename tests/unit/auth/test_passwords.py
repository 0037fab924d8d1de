"""Password hashing (argon2) and the rules a new password must meet."""

from __future__ import annotations

import pytest

from qa_audit.auth.passwords import MIN_LENGTH, hash_password, password_problem, verify_password


def test_hash_is_argon2_salted_and_never_the_password() -> None:
    first = hash_password("correct horse battery staple")
    second = hash_password("correct horse battery staple")
    assert first.startswith("$argon2id$")
    assert "correct horse" not in first
    assert first != second  # a new salt each time


def test_verify_accepts_the_password_and_refuses_anything_else() -> None:
    stored = hash_password("correct horse battery staple")
    assert verify_password(stored, "correct horse battery staple") is True
    assert verify_password(stored, "correct horse battery stapler") is False
    assert verify_password(stored, "") is False


@pytest.mark.parametrize("stored", [None, "", "not-an-argon2-hash", "$argon2id$broken"])
def test_verify_refuses_a_missing_or_corrupt_hash(stored: str | None) -> None:
    assert verify_password(stored, "correct horse battery staple") is False
    # Even the password the timing-equalising dummy hash was made from.
    assert verify_password(stored, "not-a-real-password-timing-equaliser") is False


def test_a_good_password_has_no_problem() -> None:
    assert password_problem("correct horse battery staple", "jo.bloggs@example.org") is None


@pytest.mark.parametrize(
    ("password", "email", "problem"),
    [
        ("a" * (MIN_LENGTH - 1), "", f"Password must be {MIN_LENGTH} characters or more"),
        ("long enough " * 30, "", "Password must be 256 characters or fewer"),
        ("my name is JO.BLOGGS ok", "jo.bloggs@example.org", "must not contain your e-mail"),
        ("aaaaaaaaaaaaaaaa", "", "must not be one character repeated"),
        ("abababababababab", "", "must not be one character repeated"),
    ],
)
def test_password_rules(password: str, email: str, problem: str) -> None:
    message = password_problem(password, email)
    assert message is not None
    assert problem in message


def test_a_short_email_name_does_not_forbid_ordinary_passwords() -> None:
    # "al@…": a password merely containing the letters "al" is not "your e-mail address".
    assert password_problem("a total rebuild of the plan", "al@example.org") is None
