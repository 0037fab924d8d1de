"""The upload form for the CSV import of historical audits."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput
from wtforms import BooleanField

from qa_audit.core.form_fields import submit_button


class AuditImportForm(FlaskForm):
    """A CSV file of audits, and whether to create accounts for unknown e-mail addresses."""

    file = FileField(
        "Upload a CSV file",
        widget=GovFileInput(),
        validators=[
            FileRequired("Select a CSV file of audits"),
            FileAllowed(["csv"], "The selected file must be a CSV file (.csv)"),
        ],
        description="UTF-8, one audit per row, with a header row. In Excel, use Save As "
        "and choose 'CSV UTF-8 (Comma delimited)'.",
    )
    create_users = BooleanField(
        "Create accounts for auditor and moderator e-mail addresses that are not known yet",
        widget=GovCheckboxInput(),
        description="The new accounts cannot sign in until an administrator activates them.",
    )
    submit = submit_button("Import audits")
