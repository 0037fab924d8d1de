"""Sign-in throttling: failed attempts are counted by client address and by the e-mail
address typed, each against tiers whose delays grow (minutes, then an hour, then a day).

There is never a lock one client can impose on an account: an address's own tiers are
reached before an account's at every step, so only attempts from many addresses slow an
account, and then for a while, not until someone unlocks it. While either key is over its
limit every attempt is refused, the right password too (otherwise the limit would only help
a guesser), with one message whether or not the address belongs to anyone. Counts are kept
in Flask-Limiter's storage (QA_AUDIT_RATELIMIT_STORAGE_URI): memory by default, which is
per process; several workers need a shared store such as redis://."""

from __future__ import annotations

import hashlib

from flask import request
from flask_limiter import Limiter
from limits import RateLimitItem, parse_many

SIGN_IN_THROTTLED = (
    "You have tried to sign in too many times. Wait a few minutes, then try again. "
    "If it keeps happening, ask an administrator"
)
# Every account tier is above the address tier of the same window.
ADDRESS_TIERS = parse_many("10 per 5 minutes; 20 per hour; 50 per day")
ACCOUNT_TIERS = parse_many("20 per 5 minutes; 40 per hour; 100 per day")


def client_address() -> str:
    return request.remote_addr or "unknown"


limiter = Limiter(key_func=client_address, strategy="moving-window")


def _keys(email: str) -> list[tuple[RateLimitItem, str, str]]:
    # Addresses typed are kept as hashes: the store holds no personal data.
    account = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return [(tier, "sign-in-address", client_address()) for tier in ADDRESS_TIERS] + [
        (tier, "sign-in-account", account) for tier in ACCOUNT_TIERS
    ]


def is_throttled(email: str) -> bool:
    """Whether a sign-in as ``email`` from this client must wait."""
    return not all(limiter.limiter.test(tier, *key) for tier, *key in _keys(email))


def count_failure(email: str) -> None:
    for tier, *key in _keys(email):
        limiter.limiter.hit(tier, *key)


def clear_account(email: str) -> None:
    """After a successful sign-in the account's count starts again (the address's does not:
    one good account must not let an address go on guessing at others)."""
    for tier, *key in _keys(email):
        if key[0] == "sign-in-account":
            limiter.limiter.clear(tier, *key)
