"""The request hook that logs every view of a case-level page.

Each view that shows case-level records declares what it shows (``@case_level``, from
access_log.declarations); after any response of one of them that shows the page (200, or
400/409 when a form is shown again) or refuses it (403) an access-log row is written and
committed; so it is after a 404 for a record the person may not see (core.views
refuse_as_missing), which is a refusal though it answers as if there were no such record.
Exports are logged by the export services themselves (exports.record_export), in the
export's own transaction.
tests/functional/test_access_log.py checks that every response whose body shows a case
reference left an access-log row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response, current_app, g, request
from flask_login import current_user

from qa_audit.access_log import entities, services
from qa_audit.access_log.declarations import CaseLevel, case_level_of
from qa_audit.access_log.models import AccessAction, AccessLogEntry
from qa_audit.core.views import refused_as_missing

# Statuses of a response that shows the page: the page itself, or its form shown again.
SHOWN = frozenset({200, 400, 409})
# The API's refusals, every one of them recorded (a token tried, a record asked for).
API_PREFIX = "/api/v1/"
API_REFUSALS = frozenset({401, 403, 404})
# A list's row keeps this many of the case references the page showed.
LISTED_CASE_REFS_KEPT = 200


def _actor() -> Any:
    api_user = g.get("api_user")
    if api_user is not None:
        return api_user
    return current_user if current_user.is_authenticated else None


def note_shown(entity_type: str, entity_id: int | str, reference: str, case_ref: str) -> None:
    """For a view with the record in hand: its audit and case references, so that the
    access-log row needs no statement to look them up. Used only if the record is the one
    the address names."""
    g.access_log_refs = (entity_type, str(entity_id), reference, case_ref)


def note_listed(case_refs: Iterable[str | None]) -> None:
    """For a list page: the case references of the rows it shows, kept in the row's detail
    (at most LISTED_CASE_REFS_KEPT of them, and how many rows there were)."""
    g.access_log_listed = list(case_refs)


def _listed() -> dict[str, Any]:
    refs = g.pop("access_log_listed", None)
    if refs is None:
        return {}
    shown = list(dict.fromkeys(ref for ref in refs if ref))
    detail: dict[str, Any] = {"rows": len(refs), "case_refs": shown[:LISTED_CASE_REFS_KEPT]}
    if len(shown) > LISTED_CASE_REFS_KEPT:
        detail["case_refs_not_kept"] = len(shown) - LISTED_CASE_REFS_KEPT
    return detail


def _logged_api_refusal(spec: CaseLevel | None, status: int) -> bool:
    """Record a refusal of the API (no or a bad token, a forbidden or missing record),
    whatever the endpoint: True when it was one."""
    if status not in API_REFUSALS or not request.path.startswith(API_PREFIX):
        return False
    arg = (request.view_args or {}).get(spec.arg) if spec and spec.arg else None
    services.record_access(
        _actor(),
        AccessAction.REFUSED,
        spec.entity_type if spec else "api_request",
        str(arg) if arg is not None else "list",
        {"status": status, "path": request.path[:200]},
    )
    return True


def log_case_level_access(app: Any, response: Response) -> None:
    """As a case-level page's request ends: record who saw what (or was refused it).

    The row goes in the request's own transaction (for a refused or failed request, which
    keeps nothing else, it is all that transaction holds), committed after the page is built
    and before it is sent. Fails closed: if the row cannot be written the error propagates
    and the person gets the error page, not the records. On SQLite a page is built without
    the write lock; the row's INSERT takes it (core/db.py), so only that row waits for a
    writer, never the page's reading."""
    if request.endpoint is None or request.method not in ("GET", "POST"):
        return
    spec = case_level_of(current_app.view_functions.get(request.endpoint))
    if _logged_api_refusal(spec, response.status_code):
        return
    if spec is None:
        return
    if (
        request.method != "GET"
        and current_app.config.get("WTF_CSRF_ENABLED", True)
        and not g.get("csrf_valid", False)
    ):
        return  # refused for want of a CSRF token: the view never ran
    status = response.status_code
    if status == 403 or (status == 404 and refused_as_missing()):
        action = AccessAction.REFUSED
    elif status in SHOWN:
        action = None
    else:
        return
    actor = _actor()
    if actor is None:
        return
    if spec.arg is None:
        entity_id = "list"
        action = action or AccessAction.LISTED
        filters = {k: v for k, v in request.args.items() if v}
        detail: dict[str, Any] = {"filters": filters} if filters else {}
        detail.update(_listed())
    else:
        entity_id = str((request.view_args or {}).get(spec.arg, ""))
        action = action or AccessAction.VIEWED
        detail = {}
    reference = case_ref = None
    noted = g.pop("access_log_refs", None)
    if noted is not None and noted[:2] == (spec.entity_type, entity_id):
        reference, case_ref = noted[2], noted[3]
    if action is AccessAction.REFUSED or request.method != "GET":
        detail["status"] = status
    if request.method != "GET":
        detail["method"] = request.method
    services.record_access(
        actor, action, spec.entity_type, entity_id, detail, reference=reference, case_ref=case_ref
    )


def describe(entry: AccessLogEntry) -> str:
    """A sentence for the search page: 'Viewed audit QA-000123', 'Listed audits' …"""
    one, many = entities.labels(entry.entity_type)
    detail = entry.detail or {}
    if entry.action == AccessAction.LISTED.value:
        return f"Listed {many}"
    if entry.action == AccessAction.EXPORTED.value:
        what = many if entry.entity_id == "export" else f"{one} {entry.reference or ''}".strip()
        extra = []
        if detail.get("format"):
            extra.append(str(detail["format"]).upper())
        if detail.get("rows") is not None:
            rows = detail["rows"]
            extra.append(f"{rows} row{'' if rows == 1 else 's'}")
        return f"Exported {what}" + (f" ({', '.join(extra)})" if extra else "")
    if entry.action == AccessAction.REFUSED.value and entry.entity_id == "list":
        return f"Refused {many}"
    name = entry.reference or (f"number {entry.entity_id}" if entry.entity_id else "")
    verb = "Refused" if entry.action == AccessAction.REFUSED.value else "Viewed"
    return f"{verb} {one} {name}".strip()
