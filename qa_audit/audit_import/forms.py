"""The upload form for the import of historical audits, and the form that imports a file
after its dry run."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput
from wtforms import BooleanField, HiddenField
from wtforms.validators import InputRequired

from qa_audit.core.form_fields import submit_button


class AuditImportForm(FlaskForm):
    """A CSV file or Excel workbook of audits, and whether to create accounts for unknown
    e-mail addresses."""

    file = FileField(
        "Upload a CSV file or an Excel workbook",
        widget=GovFileInput(),
        validators=[
            FileRequired("Select a CSV file or an Excel workbook of audits"),
            FileAllowed(
                ["csv", "xlsx"],
                "The selected file must be a CSV file (.csv) or an Excel workbook (.xlsx)",
            ),
        ],
        description="One audit per row, with a header row: a CSV file (UTF-8; in Excel, use "
        "Save As and choose 'CSV UTF-8 (Comma delimited)') or an Excel workbook (.xlsx, its "
        "first sheet). Nothing is imported until you have checked what would be.",
    )
    create_users = BooleanField(
        "Create accounts for auditor and moderator e-mail addresses that are not known yet",
        widget=GovCheckboxInput(),
        description="The new accounts cannot sign in until an administrator activates them.",
    )
    submit = submit_button("Check the file")


class ConfirmImportForm(FlaskForm):
    """Import the file whose dry run was shown."""

    token = HiddenField(validators=[InputRequired()])
    file_name = HiddenField()
    create_users = HiddenField()
    submit = submit_button("Import audits")
