"""The QA lead's pages for importing historical audits from a CSV file or an Excel workbook:
the upload, checked as a dry run that shows what would be imported, then "Import audits"."""

from __future__ import annotations

from pathlib import PurePath

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.audit_import import pending
from qa_audit.audit_import.forms import AuditImportForm, ConfirmImportForm
from qa_audit.audit_import.services import (
    AUDIT_COLUMNS,
    MODERATION_COLUMNS,
    AuditImportError,
    ImportProblem,
    ImportResult,
    import_audits,
    preview_audits,
)
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.forms import form_status
from qa_audit.core.transaction import attempt

bp = Blueprint("audit_import", __name__)
GONE = (
    "The checked file is no longer kept (it is kept for a day, and only once imported): "
    "upload it again"
)


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


def _upload_page(
    form: AuditImportForm, problems: list[ImportProblem], hidden: int
) -> ResponseReturnValue:
    return render_template(
        "audit_import/import.html",
        form=form,
        problems=problems,
        problems_hidden=hidden,
        audit_columns=AUDIT_COLUMNS,
        moderation_columns=MODERATION_COLUMNS,
    ), form_status(form)


@bp.route("/audits/import", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def upload() -> ResponseReturnValue:
    """The upload; a good file is kept and its dry run shown, nothing imported yet."""
    form = AuditImportForm()
    problems: list[ImportProblem] = []
    problems_hidden = 0
    if form.validate_on_submit():
        file = form.file.data
        name = PurePath((file.filename or "upload.csv").replace("\\", "/")).name
        token = pending.keep(file.stream, current_user.id, PurePath(name).suffix.lower())
        kept = pending.find(token, current_user.id)
        assert kept is not None
        create_users = bool(form.create_users.data)
        with attempt(form, "file") as outcome, kept.open("rb") as stream:
            preview = preview_audits(stream, name, create_users=create_users)
        if outcome.ok:
            confirm = ConfirmImportForm(
                token=token, file_name=name, create_users="y" if create_users else ""
            )
            return render_template("audit_import/preview.html", preview=preview, form=confirm)
        pending.discard(kept)
        if isinstance(outcome.error, AuditImportError):
            problems, problems_hidden = outcome.error.problems, outcome.error.more
    return _upload_page(form, problems, problems_hidden)


@bp.route("/audits/import/confirm", methods=["POST"])
@roles_required(Role.QA_LEAD)
def confirm() -> ResponseReturnValue:
    """Import the file whose dry run the QA lead has seen."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    kept = pending.find(form.token.data or "", current_user.id)
    upload_form = AuditImportForm(formdata=None)
    if kept is None:
        upload_form.file.errors = [GONE]
        return _upload_page(upload_form, [], 0)
    with attempt(upload_form, "file") as outcome, kept.open("rb") as stream:
        result = import_audits(
            current_user,
            stream,
            form.file_name.data or kept.name,
            create_users=bool(form.create_users.data),
        )
    if outcome.ok:
        pending.discard(kept)
        flash(_imported(result), "success")
        return redirect(url_for("audit_import.upload"))
    error = outcome.error
    if isinstance(error, AuditImportError):
        return _upload_page(upload_form, error.problems, error.more)
    return _upload_page(upload_form, [], 0)
