"""The QA lead's pages for the learning-theme list: add, rename, retire and restore."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.changelog.services import history
from qa_audit.core.forms import form_status
from qa_audit.core.transaction import attempt, button_step
from qa_audit.core.views import found_or_404
from qa_audit.learning_themes import services
from qa_audit.learning_themes.forms import ThemeForm

bp = Blueprint("learning_themes", __name__, url_prefix="/learning-themes")


@bp.route("", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def index() -> ResponseReturnValue:
    form = ThemeForm()
    if form.validate_on_submit():
        with attempt(form, "name") as outcome:
            theme = services.add_theme(current_user, form.name.data or "")
        if outcome.ok:
            flash(f"'{theme.name}' has been added to the learning themes", "success")
            return redirect(url_for("learning_themes.index"))
    themes = services.list_themes(include_inactive=True)
    return (
        render_template(
            "learning_themes/index.html",
            form=form,
            active=[t for t in themes if t.active],
            retired=[t for t in themes if not t.active],
        ),
        form_status(form),
    )


@bp.route("/<int:theme_id>", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def edit(theme_id: int) -> ResponseReturnValue:
    theme = found_or_404(services.get_theme, theme_id)
    form = ThemeForm()
    if request.method == "GET":
        form.name.data = theme.name
    elif form.validate_on_submit():
        with attempt(form, "name") as outcome:
            services.update_theme(current_user, theme, form.name.data or "", theme.active)
        if outcome.ok:
            flash("The learning theme has been renamed", "success")
            return redirect(url_for("learning_themes.index"))
    return (
        render_template(
            "learning_themes/edit.html", form=form, theme=theme, history=history(theme)
        ),
        form_status(form),
    )


@bp.route("/<int:theme_id>/active", methods=["POST"])
@roles_required(Role.QA_LEAD)
def set_active(theme_id: int) -> ResponseReturnValue:
    theme = found_or_404(services.get_theme, theme_id)
    active = request.form.get("active") == "1"
    return button_step(
        lambda: services.update_theme(current_user, theme, theme.name, active),
        f"'{theme.name}' has been {'restored' if active else 'retired'}",
        url_for("learning_themes.index"),
    )
