"""Who is kept blind from which audits' grades, whatever the reason: the one question every
guard asks.

Blind moderation (blind.py) keeps a moderator from an audit's grades until they have saved
their own blind grades; a calibration round on a submitted audit keeps each person invited
from that audit's grades until they have submitted theirs (qa_audit.calibration.blindness,
above this part in the layers, so it registers its rule here from its own init_app). The
audit's pages (blind_views), the All audits list, the API and the evidence explorer ask this
module, not each rule, so that no page can hide the grades for one reason and show them for
another."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import g, has_request_context


@dataclass(frozen=True)
class Hidden:
    """Why one audit's grades are hidden from someone, and where they grade it themselves.

    ``link`` is an endpoint and its arguments (made into an address by the page)."""

    title: str
    explanation: str
    message: str
    link_text: str
    link: tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class BlindRule:
    """One reason for keeping people blind.

    ``hidden_ids(user)``: the audits whose grades are hidden from ``user`` now;
    ``hidden_from(user, audit_id)``: why one audit's are, or None; ``hint``: what a list says
    under "Hidden until you have graded it"; ``lets_through``: endpoints of an audit's pages
    that lead the person to the grading step themselves, so they are not refused."""

    name: str
    hidden_ids: Callable[[Any], set[int]]
    hidden_from: Callable[[Any, int], Hidden | None]
    hint: str
    lets_through: frozenset[str] = field(default_factory=frozenset)


# Registered at start-up by the parts that keep people blind; the same rule registered again
# (a second app in one process) replaces itself.
_rules: dict[str, BlindRule] = {}


def register_rule(rule: BlindRule) -> None:
    _rules[rule.name] = rule


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def hidden_audits(user: Any) -> dict[int, str]:
    """The audits whose grades are hidden from ``user`` now, each with the list's hint (the
    first rule's). Usually empty. Read once per request when there is one."""
    if not _signed_in(user):
        return {}
    cache_key = ("hidden_audits", getattr(user, "id", None))
    cached = g.get("blind_rules_hidden") if has_request_context() else None
    if cached is not None and cached[0] == cache_key:
        return dict(cached[1])
    found: dict[int, str] = {}
    for rule in _rules.values():
        for audit_id in rule.hidden_ids(user):
            found.setdefault(audit_id, rule.hint)
    if has_request_context():
        g.blind_rules_hidden = (cache_key, found)
    return dict(found)


def hidden_audit_ids(user: Any) -> set[int]:
    """The audits whose grades are hidden from ``user`` now (usually none)."""
    return set(hidden_audits(user))


def why_hidden(user: Any, audit_id: int, endpoint: str | None = None) -> Hidden | None:
    """Why this audit's grades are hidden from ``user`` on the page ``endpoint`` (None: any
    page, e.g. the API), or None when they are not."""
    if not _signed_in(user):
        return None
    for rule in _rules.values():
        if endpoint is not None and endpoint in rule.lets_through:
            continue
        hidden = rule.hidden_from(user, audit_id)
        if hidden is not None:
            return hidden
    return None
