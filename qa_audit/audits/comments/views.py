"""Practitioner comments on an audit: see them, record one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from qa_audit.access_log.declarations import case_level
from qa_audit.audits.comments import services as comments
from qa_audit.audits.comments.forms import COMMENT_PREFIX, CommentForm
from qa_audit.audits.links import audit_url
from qa_audit.audits.page_access import viewable_audit_or_abort
from qa_audit.core.errors import Forbidden
from qa_audit.core.transaction import attempt

bp = Blueprint("practitioner_comments", __name__)


@bp.app_template_global()
def new_comment_form() -> CommentForm:
    return CommentForm(formdata=None, prefix=COMMENT_PREFIX)


bp.add_app_template_global(comments.may_comment, "may_comment")
bp.add_app_template_global(comments.CommentAuthor, "CommentAuthor")


@bp.route("/audits/<int:audit_id>/comments")
@case_level("audit", "audit_id")
@login_required
def page(audit_id: int) -> ResponseReturnValue:
    return render_template("audits/comments_page.html", audit=viewable_audit_or_abort(audit_id))


@bp.route("/audits/<int:audit_id>/comments", methods=["POST"])
@case_level("audit", "audit_id")
@login_required
def add(audit_id: int) -> ResponseReturnValue:
    audit = viewable_audit_or_abort(audit_id, may=comments.may_comment)
    form = CommentForm(prefix=COMMENT_PREFIX)
    if form.validate_on_submit():
        with attempt(form, "comment") as outcome:
            comments.add_comment(
                current_user, audit, form.author_role.data or "", form.comment.data or ""
            )
        if outcome.ok:
            flash("The comment has been added to the audit", "success")
            return redirect(audit_url(audit.id) + "#practitioner-comments")
        if isinstance(outcome.error, Forbidden):
            abort(403)
    return (
        render_template("audits/comments_page.html", audit=audit, form=form, comment_form=form),
        400,
    )
