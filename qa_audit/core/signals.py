"""The events one part of the domain tells the others about (blinker, Flask's own signals).

A part that reacts to an event connects its receiver from its own ``init_app``; the part that
sends the event does not know who listens. Receivers run in the order their parts are listed
in ``qa_audit.create_app``, inside the sender's transaction (their writes commit or roll back
with it).

- ``audit_submitted`` / ``audit_returned``: sender the audit; ``actor=`` the acting user
  (None for an import). Moderation selects audits for moderation; the rota marks allocations.
- ``audit_from_allocation``: sender the acting user; ``allocation_id=``. Asked when an audit
  is started from a rota allocation (its start page, and start_audit itself): the part that
  holds the allocation returns what the start page fills in from it (a dict with
  ``allocation_id``, ``case_ref``, ``service_area_id``, ``team_id``), or raises DomainError
  (NotFound, Forbidden) when no audit may be started from it. No answer: no such allocation.
- ``home_sections``: sender the signed-in user; each receiver returns a list of
  ``(role, Section)`` for the roles it serves (qa_audit.core.home).
- ``user_deactivated``: sender the deactivated user; ``actor=`` the administrator. The API
  revokes the person's tokens (they stay revoked if the account is re-activated).
- ``request_finishing``: sender the app, ``response=``; sent as a request ends, just before
  its transaction commits (after a refused or failed request's own work was rolled back):
  the access log adds its row.
- ``case_records_anonymised``: sender the app (None outside one); ``audit_ids=`` the audits
  the retention schedule has just anonymised, sent within its transaction: committee report
  drafts drop the quotes they copied from those audits (finals keep theirs).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

audit_submitted = _signals.signal("audit-submitted")
audit_returned = _signals.signal("audit-returned")
audit_from_allocation = _signals.signal("audit-from-allocation")
case_records_anonymised = _signals.signal("case-records-anonymised")
home_sections = _signals.signal("home-sections")
request_finishing = _signals.signal("request-finishing")
user_deactivated = _signals.signal("user-deactivated")
