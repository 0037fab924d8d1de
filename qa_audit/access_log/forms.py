"""The access-log search form (a GET form: no CSRF token, values in the query string)."""

from __future__ import annotations

from qa_audit.core.form_fields import text_input
from qa_audit.core.forms import FilterForm


class AccessSearchForm(FilterForm):
    """Search the access log by person, record and date."""

    user = text_input("Person", description="Part of their name or e-mail address")
    record = text_input("Audit or case reference", description="For example, QA-000123 or CR12345")
    date_from = text_input("From", description="For example, 2024-04-01")
    date_to = text_input("To", description="For example, 2024-04-30")
