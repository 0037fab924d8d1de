"""Helpers of the rota page tests: dates as posted, a page's text, the change log of an
allocation, and an audit waiting for its closing-the-loop audit."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

from sqlalchemy import select

from qa_audit.audits.models import Audit
from qa_audit.changelog.models import ChangeLogEntry
from qa_audit.core.extensions import db as _db
from tests import factories
from tests.factories.actions import action as make_action


def date_parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def text(response: Any) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def warning_texts(response: Any) -> list[str]:
    """The warning texts, without the hidden "Warning" read to screen-reader users first."""
    return [
        " ".join(unescape(re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", w)).split())
        for w in re.findall(
            r'<strong class="govuk-warning-text__text">(.*?)</strong>',
            response.get_data(as_text=True),
            re.S,
        )
    ]


def error_links(response: Any) -> dict[str, str]:
    """The error summary's links: href -> message."""
    summary = response.get_data(as_text=True).split('govuk-error-summary__list"', 1)[-1]
    summary = summary.split("</ul>", 1)[0]
    return {
        href: " ".join(unescape(words).split())
        for href, words in re.findall(r'<a href="([^"]+)">(.*?)</a>', summary, re.S)
    }


def hidden_fields(response: Any) -> dict[str, list[str]]:
    """What a warning page carries back, as it would be posted."""
    data: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.get_data(as_text=True)
    ):
        data.setdefault(name, []).append(unescape(value))
    return data


def log_of(allocation_id: int, action: str) -> list[ChangeLogEntry]:
    return list(
        _db.session.scalars(
            select(ChangeLogEntry)
            .where(
                ChangeLogEntry.entity_type == "allocation",
                ChangeLogEntry.entity_id == str(allocation_id),
                ChangeLogEntry.action == action,
            )
            .order_by(ChangeLogEntry.id)
        )
    )


def loop_to_close(case_ref: str = "CR800001") -> Audit:
    """A submitted audit (Locality, its first team) whose one action is done."""
    audit = factories.audit(reference="QA-LOOP-1", case_ref=case_ref)
    make_action(owner=audit.auditor, audit_id=audit.id, done=True)
    _db.session.commit()
    return audit
