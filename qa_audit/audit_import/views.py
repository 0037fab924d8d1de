"""The QA lead's page for importing historical audits from a CSV file."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.audit_import.forms import AuditImportForm
from qa_audit.audit_import.services import (
    AUDIT_COLUMNS,
    MODERATION_COLUMNS,
    AuditImportError,
    ImportProblem,
    ImportResult,
    import_audits,
)
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.forms import form_status
from qa_audit.core.transaction import attempt

bp = Blueprint("audit_import", __name__)


def _imported(result: ImportResult) -> str:
    message = (
        f"Imported {result.audits:,} {'audit' if result.audits == 1 else 'audits'} "
        f"({result.moderations:,} with moderation) "
        f"from {result.file}"
    )
    if result.users_created:
        n = len(result.users_created)
        message += (
            f". Created {n} {'account' if n == 1 else 'accounts'} that cannot sign in "
            f"until an administrator activates {'it' if n == 1 else 'them'}"
        )
    return message


@bp.route("/audits/import", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def upload() -> ResponseReturnValue:
    form = AuditImportForm()
    problems: list[ImportProblem] = []
    problems_hidden = 0
    if form.validate_on_submit():
        file = form.file.data
        with attempt(form, "file") as outcome:
            result = import_audits(
                current_user,
                file.stream,
                file.filename or "upload.csv",
                create_users=bool(form.create_users.data),
            )
        if outcome.ok:
            flash(_imported(result), "success")
            return redirect(url_for("audit_import.upload"))
        if isinstance(outcome.error, AuditImportError):
            problems, problems_hidden = outcome.error.problems, outcome.error.more
    return render_template(
        "audit_import/import.html",
        form=form,
        problems=problems,
        problems_hidden=problems_hidden,
        audit_columns=AUDIT_COLUMNS,
        moderation_columns=MODERATION_COLUMNS,
    ), form_status(form)
