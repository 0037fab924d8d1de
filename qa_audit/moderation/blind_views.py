"""Pages of blind moderation and of the audit's quality: the blind grading step, the guard that
keeps an audit's pages from anyone kept blind from its grades (blind_rules: its blind
moderator, a person grading it in a calibration round; the API refuses its record of the audit
itself, qa_audit.api.services), and the QA lead's per-auditor summary."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from qa_audit.access_log import entities
from qa_audit.access_log.declarations import case_level, case_level_of
from qa_audit.audits.links import audit_url
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.clock import local_today
from qa_audit.core.extensions import db
from qa_audit.core.form_fields import GovDateField, submit_button
from qa_audit.core.forms import FilterForm, form_status
from qa_audit.core.transaction import attempt
from qa_audit.core.views import found_or_404
from qa_audit.moderation import blind, blind_rules, quality, services
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


def _moderation_hidden(user: Any, audit_id: int) -> blind_rules.Hidden | None:
    """Blind moderation's rule for one audit (blind.py): its page leads to the blind step."""
    if not blind.grades_hidden_from(user, audit_id):
        return None
    moderation = blind.waiting_blind(audit_id)
    return blind_rules.Hidden(
        title="This audit is being moderated blind",
        explanation="Its grades are shown to you once you have saved your own blind grades.",
        message=blind.HIDDEN_MESSAGE,
        link_text="Grade the audit blind",
        link=("moderation.blind_grades", {"moderation_id": moderation.id if moderation else 0}),
    )


MODERATED_BLIND = blind_rules.BlindRule(
    name="blind_moderation",
    hidden_ids=blind.hidden_audit_ids,
    hidden_from=_moderation_hidden,
    hint="Moderated blind",
    lets_through=frozenset(LEADS_TO_BLIND_STEP),
)


def _one_record_page() -> tuple[str, int] | None:
    """The kind of record and its id, for a case-level page of one record."""
    spec = case_level_of(current_app.view_functions.get(request.endpoint or ""))
    if spec is None or spec.arg is None:
        return None
    value = (request.view_args or {}).get(spec.arg)
    return (spec.entity_type, value) if isinstance(value, int) else None


def _audit_of(entity_type: str, record_id: int) -> int | None:
    """The audit a page of one record shows: an audit's page, or a page of a record that
    belongs to one audit (a moderation, a reflective conversation: access_log.entities)."""
    if entity_type == "audit":
        return record_id
    kind = entities.entity(entity_type)
    if kind is None or kind.audit is None or kind.key is None:
        return None
    audit_id = db.session.scalar(select(kind.audit).where(kind.key == record_id))
    return int(audit_id) if audit_id is not None else None


def _guard_pages() -> ResponseReturnValue | None:
    """Refuse an audit's own pages (and those of its moderation) to anyone kept blind from its
    grades (blind_rules): the moderator who grades it blind first, a person invited to a
    calibration round on it who has not yet submitted their grades. The refusal is written to
    the access log like any other (access_log.hooks)."""
    page = _one_record_page()
    if page is None or not current_user.is_authenticated:
        return None
    hidden_ids = blind_rules.hidden_audit_ids(current_user)
    audit_id = _audit_of(*page) if hidden_ids else None
    if audit_id is None or audit_id not in hidden_ids:
        return None
    hidden = blind_rules.why_hidden(current_user, audit_id, request.endpoint)
    if hidden is None:
        return None
    return render_template("moderation/grades_hidden.html", hidden=hidden), 403


def grades_hidden(moderation: Any) -> bool:
    """For templates: are this moderation's audit grades hidden from the signed-in user?"""
    return blind.is_blinded(current_user, moderation) or audit_grades_hidden(moderation.audit_id)


def why_grades_hidden(moderation: Any) -> str:
    """For the queue: why this moderation's audit grades are hidden ("" when they are not)."""
    if blind.is_blinded(current_user, moderation):
        return MODERATED_BLIND.hint
    return blind_rules.hidden_audits(current_user).get(moderation.audit_id, "")


def quality_feedback(audit: Any) -> list[Any]:
    """For templates: the audit-quality ratings the signed-in user may read on this audit."""
    return quality.feedback_for(current_user, audit) if current_user.is_authenticated else []


def audit_grades_hidden(audit_id: int) -> bool:
    """For templates listing audits: is this audit's grade hidden from the signed-in user?
    Read once per request (blind_rules.hidden_audits)."""
    return audit_id in blind_rules.hidden_audits(current_user)


def grades_hidden_because(audit_id: int) -> str:
    """For templates listing audits: why the audit's grade is hidden ("Moderated blind")."""
    return blind_rules.hidden_audits(current_user).get(audit_id, "")


HELPERS = {
    "grades_hidden": grades_hidden,
    "quality_feedback": quality_feedback,
    "audit_grades_hidden": audit_grades_hidden,
    "grades_hidden_because": grades_hidden_because,
    "why_grades_hidden": why_grades_hidden,
}


def _helpers() -> dict[str, Any]:
    return HELPERS


def init_app(app: Flask) -> None:
    blind_rules.register_rule(MODERATED_BLIND)
    app.before_request(_guard_pages)
    app.context_processor(_helpers)
