"""Signing keys: whether a configured key is strong enough for production, and keys derived
from the secret key for one purpose each (a key reused across purposes would let a signature
made for one be replayed as another)."""

from __future__ import annotations

import hashlib
import hmac
import math
import string
from collections import Counter

MIN_KEY_BYTES = 32
# 32 random bytes written as hexadecimal, or as URL-safe base64 (secrets.token_urlsafe(32)).
MIN_HEX_CHARACTERS = 2 * MIN_KEY_BYTES
MIN_CHARACTERS = math.ceil(MIN_KEY_BYTES * 8 / 6)
# Random keys of those lengths carry well over 3.3 bits a character by this measure; a word
# repeated, or one character over and over, carries far fewer.
MIN_BITS_PER_CHARACTER = 3.0
GENERATE = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
DEVELOPMENT_KEY = "dev-only-insecure-secret-key"
# Keys published with qa-audit (the development key, the deployment guide's example):
# anyone can read them, so they protect nothing.
PUBLISHED_KEYS = frozenset(
    {
        DEVELOPMENT_KEY,
        "paste-64-hex-characters-from-your-secret-store",
        "paste-another-64-hex-characters-from-your-secret-store",
        "test-secret-key",
    }
)


def _bits_per_character(key: str) -> float:
    counts = Counter(key)
    return -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())


def key_weakness(key: str) -> str | None:
    """Why ``key`` cannot protect production data, or None when it is long and random enough."""
    if not key:
        return "it is not set"
    if key.strip().lower() in PUBLISHED_KEYS:
        return "it is an example published with qa-audit, so anyone can know it"
    hexadecimal = all(c in string.hexdigits for c in key)
    needed = MIN_HEX_CHARACTERS if hexadecimal else MIN_CHARACTERS
    if len(key) < needed:
        kind = "hexadecimal characters" if hexadecimal else "characters"
        return f"it is {len(key)} {kind} long, fewer than {needed}"
    if _bits_per_character(key) < MIN_BITS_PER_CHARACTER:
        return "it repeats too few different characters to be random"
    return None


def purpose_key(secret: str, purpose: str) -> bytes:
    """A key for one purpose, derived from ``secret`` (HMAC-SHA256 of the purpose's name)."""
    return hmac.new(secret.encode(), f"qa-audit {purpose}".encode(), hashlib.sha256).digest()
