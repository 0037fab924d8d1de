"""Pages of blind moderation and of the audit's quality: the blind grading step, the guard that
keeps an audit's pages from its blind moderator (the API refuses its record of the audit
itself, qa_audit.api.services), and the QA lead's per-auditor summary."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask, current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.declarations import case_level, case_level_of
from qa_audit.audits.links import audit_url
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.form_fields import GovDateField, submit_button
from qa_audit.core.forms import FilterForm, form_status
from qa_audit.core.transaction import attempt
from qa_audit.core.views import found_or_404
from qa_audit.moderation import blind, quality, services
from qa_audit.moderation.blind_forms import blind_grades_form
from qa_audit.moderation.models import QualityRating
from qa_audit.moderation.services import OVERALL
from qa_audit.moderation.views import bp

# Pages that lead the blind moderator to the blind step themselves.
LEADS_TO_BLIND_STEP = {"moderation.moderate", "moderation.blind_grades", "moderation.for_audit"}


@bp.route("/<int:moderation_id>/blind", methods=["GET", "POST"])
@case_level("moderation", "moderation_id")
@roles_required(Role.MODERATOR)
def blind_grades(moderation_id: int) -> ResponseReturnValue:
    moderation = found_or_404(services.get_moderation, moderation_id)
    if not moderation.blind or moderation.blind_graded_at is not None:
        return redirect(url_for("moderation.moderate", moderation_id=moderation.id))
    form = blind_grades_form(moderation)
    if request.method == "GET":
        form.version.data = str(moderation.version)
    if request.method == "POST" and form.validate_on_submit():
        with attempt(form, "version") as outcome:
            blind.save_blind_grades(
                current_user,
                moderation,
                form.version_number(),
                form.domain_grades(),
                form.grade_of(OVERALL),
                form.overall_rationale.data or "",
            )
        if outcome.ok:
            flash(
                "Your blind grades are saved. The auditor's grades are now shown beside them: "
                "confirm or change each decision.",
                "success",
            )
            return redirect(url_for("moderation.moderate", moderation_id=moderation.id))
    refusal = None
    try:
        services.check_may_moderate(current_user, moderation)
        services.check_assignee(current_user, moderation)
    except services.DomainError as error:
        refusal = error.message
    return (
        render_template(
            "moderation/blind.html",
            moderation=moderation,
            audit=moderation.audit,
            form=form,
            refusal=refusal,
            audit_url=audit_url,
            domain_title=services.domain_title,
        ),
        form_status(form),
    )


class PeriodForm(FilterForm):
    start = GovDateField("From")
    end = GovDateField("To")
    submit = submit_button("Show")

    def period(self) -> tuple[date, date]:
        today = local_today()
        start = None if self.start.errors else self.start.data
        end = None if self.end.errors else self.end.data
        return start or today - timedelta(days=365), end or today


@bp.route("/audit-quality")
@roles_required(Role.QA_LEAD)
def audit_quality() -> ResponseReturnValue:
    """Per auditor, how often each checklist item was rated Yes, Partly or No."""
    form = PeriodForm(request.args)
    form.validate()
    start, end = form.period()
    return render_template(
        "moderation/audit_quality.html",
        form=form,
        summary=quality.summary(start, end),
        ratings=list(QualityRating),
    )


def _guard_pages() -> ResponseReturnValue | None:
    """Refuse an audit's own pages to the moderator who must grade it blind first."""
    view = current_app.view_functions.get(request.endpoint or "")
    spec = case_level_of(view)
    if spec is None or spec.entity_type != "audit" or spec.arg is None:
        return None
    if request.endpoint in LEADS_TO_BLIND_STEP:
        return None
    audit_id = (request.view_args or {}).get(spec.arg)
    if not isinstance(audit_id, int) or not blind.grades_hidden_from(current_user, audit_id):
        return None
    moderation = blind.waiting_blind(audit_id)
    return render_template("moderation/grades_hidden.html", moderation=moderation), 403


def grades_hidden(moderation: Any) -> bool:
    """For templates: are this moderation's audit grades hidden from the signed-in user?"""
    return blind.is_blinded(current_user, moderation)


def quality_feedback(audit: Any) -> list[Any]:
    """For templates: the audit-quality ratings the signed-in user may read on this audit."""
    return quality.feedback_for(current_user, audit) if current_user.is_authenticated else []


def audit_grades_hidden(audit_id: int) -> bool:
    """For templates listing audits: is this audit's grade hidden from the signed-in user?
    Read once per request (the blind moderations the user is waiting on)."""
    if "blind_hidden_audits" not in g:
        g.blind_hidden_audits = blind.hidden_audit_ids(current_user)
    return audit_id in g.blind_hidden_audits


HELPERS = {
    "grades_hidden": grades_hidden,
    "quality_feedback": quality_feedback,
    "audit_grades_hidden": audit_grades_hidden,
}


def _helpers() -> dict[str, Any]:
    return HELPERS


def init_app(app: Flask) -> None:
    app.before_request(_guard_pages)
    app.context_processor(_helpers)
