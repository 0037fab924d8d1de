"""The access-log search form (a GET form: no CSRF token, values in the query string)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import StringField


class AccessSearchForm(FlaskForm):
    """Search the access log by person, record and date."""

    class Meta:
        csrf = False

    user = StringField(
        "Person", widget=GovTextInput(), description="Part of their name or e-mail address"
    )
    record = StringField(
        "Audit or case reference",
        widget=GovTextInput(),
        description="For example, QA-000123 or CR12345",
    )
    date_from = StringField("From", widget=GovTextInput(), description="For example, 2024-04-01")
    date_to = StringField("To", widget=GovTextInput(), description="For example, 2024-04-30")

    @property
    def active(self) -> bool:
        return any((f.data or "").strip() for f in self)
