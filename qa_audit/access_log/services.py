"""Recording and searching the access log.

record_access is called for every view of a case-level page (by the request hook in
access_log.hooks) and for every export (by exports.record_export). It only adds the row:
the caller commits, with its own work."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import ColumnElement, String, cast, func, inspect, or_, select

from qa_audit.access_log import entities
from qa_audit.access_log.models import AccessAction, AccessLogEntry
from qa_audit.auth.models import User
from qa_audit.core.clock import LOCAL_TZ
from qa_audit.core.errors import DomainError
from qa_audit.core.extensions import db
from qa_audit.core.paging import Paging

PER_PAGE = 50
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)


@dataclass(frozen=True)
class Origin:
    """Where a request came from: the address asked for, the peer, and X-Forwarded-For."""

    path: str | None = None
    ip_address: str | None = None
    forwarded_for: str | None = None


def request_origin() -> Origin | None:
    """The current HTTP request's origin (None outside a request, e.g. a CLI export).

    Read here rather than passed in: the export services that log do not know the request,
    and an access log without the address would be of little use to an investigator."""
    if not has_request_context():
        return None
    query = request.query_string.decode("utf-8", "replace")
    path = request.path + (f"?{query}" if query else "")
    # remote_addr is the client as our own proxies (PROXY_HOPS, ProxyFix) name it; the raw
    # header is kept as a claim, its right end: the entries our proxies appended, after any
    # a client made up.
    forwarded = request.headers.get("X-Forwarded-For")
    return Origin(
        path=path[:500],
        ip_address=(request.remote_addr or "")[:64] or None,
        forwarded_for=forwarded[-200:] if forwarded else None,
    )


def _user_id(actor: User | None) -> int | None:
    if actor is None:
        return None
    # The identity, not actor.id: the request hook rolls back first, which expires the
    # signed-in person, and actor.id would read them and their roles again (make bench).
    identity = inspect(actor).identity
    return int(identity[0]) if identity else actor.id


def record_access(
    actor: User | None,
    action: AccessAction | str,
    entity_type: str,
    entity_id: str | int,
    detail: dict[str, Any] | None = None,
    *,
    reference: str | None = None,
    case_ref: str | None = None,
    origin: Origin | None = None,
) -> AccessLogEntry:
    """Add an access-log row: ``actor`` viewed, listed, exported (or was refused) records of
    ``entity_type``; ``entity_id`` is the record's id, reference, or "list"/"export".
    The reference and case reference are looked up where one record is named."""
    action = AccessAction(action)
    entity_id = str(entity_id)[:80]
    if reference is None and case_ref is None:
        reference, case_ref = entities.record_refs(entity_type, entity_id)
    detail = dict(detail or {})
    if has_request_context() and g.get("api_token_id") is not None:
        # Through the API: which of the person's tokens read it, not only whose it is.
        detail.setdefault("api_token_id", g.api_token_id)
    if "case_refs" not in detail:
        # A dip sample's page shows its sampled cases: searching by case finds it.
        refs = entities.shown_case_refs(entity_type, entity_id)
        if refs:
            detail["case_refs"] = refs
    origin = origin or request_origin() or Origin()
    entry = AccessLogEntry(
        user_id=_user_id(actor),
        action=action.value,
        entity_type=entity_type[:80],
        entity_id=entity_id,
        reference=reference,
        case_ref=case_ref,
        path=origin.path,
        ip_address=origin.ip_address,
        forwarded_for=origin.forwarded_for,
        detail=detail or None,
    )
    db.session.add(entry)
    return entry


# --- searching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessFilters:
    """The access-log search: None means "any"."""

    user: str | None = None
    record: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_dict(self) -> dict[str, str]:
        out = {
            "user": self.user or "",
            "record": self.record or "",
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in out.items() if v}


def parse_date(text: str | None, field: str, label: str) -> date | None:
    """A date written 2024-04-01 or 1/4/2024; None when blank; DomainError otherwise."""
    value = (text or "").strip()
    if not value:
        return None
    iso = _ISO_DATE.match(value)
    uk = _UK_DATE.match(value)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if uk:
            return date(int(uk.group(3)), int(uk.group(2)), int(uk.group(1)))
    except ValueError:
        pass
    raise DomainError(
        f"The {label} date must be a real date, for example 2024-04-01 or 1/4/2024", field
    )


def check_filters(
    user: str | None, record: str | None, date_from: str | None, date_to: str | None
) -> AccessFilters:
    """The search as given in the form, checked; DomainError(message, field) when wrong."""
    first = parse_date(date_from, "date_from", "from")
    last = parse_date(date_to, "date_to", "to")
    if first and last and last < first:
        raise DomainError("The 'to' date must be the same as or after the 'from' date", "date_to")
    user = " ".join((user or "").split())[:200] or None
    record = (record or "").strip()[:80] or None
    return AccessFilters(user=user, record=record, date_from=first, date_to=last)


def local_time_text(moment: datetime) -> str:
    """'1 April 2024, 14:05:09' in the council's time zone."""
    local = moment.astimezone(LOCAL_TZ)
    return f"{local.day} {local:%B %Y, %H:%M:%S}"


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ)


def _where(filters: AccessFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.user:
        pattern = f"%{_escape_like(filters.user.lower())}%"
        matches = select(User.id).where(
            or_(
                func.lower(User.name).like(pattern, escape="\\"),
                func.lower(User.email).like(pattern, escape="\\"),
            )
        )
        where.append(AccessLogEntry.user_id.in_(matches))
    if filters.record:
        wanted = filters.record.upper()
        quoted = f'%"{_escape_like(wanted)}"%'
        where.append(
            or_(
                func.upper(AccessLogEntry.reference) == wanted,
                func.upper(AccessLogEntry.case_ref) == wanted,
                # A dip sample's sampled cases (detail.case_refs) and an export's reference.
                func.upper(cast(AccessLogEntry.detail, String)).like(quoted, escape="\\"),
            )
        )
    if filters.date_from:
        where.append(AccessLogEntry.at >= _local_midnight(filters.date_from))
    if filters.date_to:
        where.append(AccessLogEntry.at < _local_midnight(filters.date_to + timedelta(days=1)))
    return where


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(filters: AccessFilters, page: int) -> tuple[list[AccessLogEntry], Paging]:
    """The entries matching ``filters``, newest first, one page at a time."""
    where = _where(filters)
    total = db.session.scalar(select(func.count(AccessLogEntry.id)).where(*where)) or 0
    paging = Paging.clamp(page, PER_PAGE, total)
    rows = list(
        db.session.scalars(
            select(AccessLogEntry)
            .where(*where)
            .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc())
            .limit(PER_PAGE)
            .offset(paging.offset)
        )
    )
    return rows, paging
