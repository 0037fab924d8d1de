"""Pages compared as the person reading them sees them.

Two answers to the same request differ in what is made fresh per request:
the CSP nonce, and the CSRF token, which is signed with the second it was
made — so two pages drawn across a second's boundary differ there alone.
"""

from __future__ import annotations

import re

_PER_REQUEST = (
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r'(name="csrf_token"[^>]*value=")[^"]*"'), r'\1"'),
    (re.compile(r'(<meta name="csrf-token" content=")[^"]*"'), r'\1"'),
)


def without_per_request_values(html: str) -> str:
    """The page with its nonce and CSRF token blanked out."""
    for pattern, blank in _PER_REQUEST:
        html = pattern.sub(blank, html)
    return html


def main_text(html: str) -> str:
    """The page's <main> element, without values made fresh per request."""
    match = re.search(r"<main.*</main>", html, re.S)
    assert match, "no <main> element"
    return without_per_request_values(match.group(0))
