"""Helpers of the moderation page tests: a page's text, the moderation form agreeing with
every domain, and signing a second client in."""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient

from tests import factories

KEYS = [
    "assessment",
    "plans_and_planning",
    "child_centred_practice",
    "management_oversight",
    "permanence",
]


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def text(response) -> str:  # type: ignore[no-untyped-def]
    """The page's text with tags and repeated white space removed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html(response))).split())


def agree_form(version: int, **extra: str) -> dict[str, str]:
    data = {
        "version": str(version),
        "overall_decision": "agree",
        "overall_rationale": "Evidence supports the grade",
        "complete": "y",
    }
    for key in KEYS:
        data[f"d_{key}_decision"] = "agree"
    data.update(extra)
    return data


def sign_in(client: FlaskClient, user) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/sign-in", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
