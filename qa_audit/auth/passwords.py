"""Password hashing (argon2) and the password rules (NCSC guidance: length, no common
password, not the current one again)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

MIN_LENGTH = 12
# A dummy hash so that an unknown e-mail costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-timing-equaliser")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@cache
def common_passwords() -> frozenset[str]:
    """The shipped deny list (lower case), read once: nothing is fetched at run time."""
    text = files("qa_audit.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"Password must be {MIN_LENGTH} characters or more"
    if len(password) > 256:
        return "Password must be 256 characters or fewer"
    local = email.split("@")[0].lower()
    # A name of a letter or two ("al@…") would forbid ordinary words, not just the address.
    if len(local) >= 4 and local in password.lower():
        return "Password must not contain your e-mail address"
    if len(set(password)) < 5:
        return "Password must not be one character repeated"
    if password.strip().lower() in common_passwords():
        return "Password is too common: choose one that is harder to guess"
    return None
