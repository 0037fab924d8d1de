"""Test data, one module per part of the domain: organisation, auth, audit_tools, audits,
audit_import, moderation, actions, rota, reports (the report tests' data sets) and access_log
(a world of case-level records for the access tests).

The builders most tests need are gathered here: ``factories.user(Role.QA_LEAD)``,
``factories.audit(overall="good")``, ``factories.service_area("locality")``."""

from __future__ import annotations

from tests.factories.audit_tools import tool
from tests.factories.audits import audit
from tests.factories.auth import PASSWORD, user
from tests.factories.organisation import service_area

__all__ = ["PASSWORD", "audit", "service_area", "tool", "user"]
