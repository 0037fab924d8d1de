"""Moderation pages: the queue, the moderation form, adding and withdrawing by hand, the
sampling rules and decisions, reflective conversations, outcomes and agreement."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed
from qa_audit.audit_tools.grades import Grade
from qa_audit.audits.links import audit_url
from qa_audit.audits.models import Audit
from qa_audit.auth.models import User
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.core.errors import ConcurrentEdit, DomainError
from qa_audit.core.extensions import db
from qa_audit.core.forms import form_status
from qa_audit.core.notifications import external_url
from qa_audit.core.transaction import attempt, button_step
from qa_audit.core.views import found_or_404, permitted_or_abort, refuse_as_missing
from qa_audit.moderation import blind, reflective, sampling, sampling_rules, services
from qa_audit.moderation.forms import (
    REMEDIAL_ACTION_SLOTS,
    AddByHandForm,
    AssignForm,
    ModerationForm,
    ReflectiveConversationForm,
    WithdrawForm,
    moderation_form,
)
from qa_audit.moderation.models import Moderation, ModerationStatus
from qa_audit.moderation.outcome import may_see_outcome, notify_outcome
from qa_audit.moderation.quality import checklist_for
from qa_audit.moderation.sampling_forms import SamplingSettingsForm
from qa_audit.moderation.services import OVERALL

bp = Blueprint("moderation", __name__, url_prefix="/moderation")
MODERATION_ROLES = (Role.MODERATOR, Role.QA_LEAD)


def moderation_outcome(audit: Audit) -> Moderation | None:
    """The audit's moderation, for the outcome partial included on other pages."""
    return sampling.moderation_of(audit) if audit is not None else None


def moderation_grade_label(value: str | None) -> str:
    return Grade(value).label if value else ""


# Made once, not for every template rendered (each GOV.UK form widget is one).
MODERATION_HELPERS = {
    "moderation_outcome": moderation_outcome,
    "moderation_grade_label": moderation_grade_label,
}


@bp.app_context_processor
def moderation_helpers() -> dict[str, Any]:
    """``moderation_outcome(audit)`` for the outcome partial included on other pages."""
    return MODERATION_HELPERS


@bp.route("/")
@case_level("moderation")
@roles_required(*MODERATION_ROLES)
def queue() -> ResponseReturnValue:
    moderators = services.moderators()
    waiting = services.queue()
    completed = services.recently_completed()
    note_listed(m.audit.case_ref for m in (*waiting, *completed))
    assign_forms = (
        {
            m.id: AssignForm(
                moderators, prefix=f"m{m.id}", formdata=None, data={"moderator_id": m.moderator_id}
            )
            for m in waiting
        }
        if current_user.has_role(Role.QA_LEAD)
        else {}
    )
    return render_template(
        "moderation/queue.html",
        waiting=waiting,
        completed=completed,
        assign_forms=assign_forms,
        audit_url=audit_url,
    )


@bp.route("/<int:moderation_id>/take", methods=["POST"])
@roles_required(Role.MODERATOR)
def take(moderation_id: int) -> ResponseReturnValue:
    moderation = found_or_404(services.get_moderation, moderation_id)
    return button_step(
        lambda: services.take(current_user, moderation),
        f"You have taken audit {moderation.audit.reference}",
        url_for("moderation.queue"),
    )


@bp.route("/<int:moderation_id>/assign", methods=["POST"])
@roles_required(Role.QA_LEAD)
def assign(moderation_id: int) -> ResponseReturnValue:
    moderation = found_or_404(services.get_moderation, moderation_id)
    form = AssignForm(services.moderators(), prefix=f"m{moderation.id}")
    moderator = db.session.get(User, form.moderator_id.data) if form.validate_on_submit() else None
    if moderator is None:
        flash("Choose a moderator to assign the audit to", "error")
        return redirect(url_for("moderation.queue"))
    return button_step(
        lambda: services.assign(current_user, moderation, moderator),
        f"Audit {moderation.audit.reference} is assigned to {moderator.name}",
        url_for("moderation.queue"),
    )


@bp.route("/<int:moderation_id>", methods=["GET", "POST"])
@case_level("moderation", "moderation_id")
@roles_required(*MODERATION_ROLES)
def moderate(moderation_id: int) -> ResponseReturnValue:
    moderation = found_or_404(services.get_moderation, moderation_id)
    if blind.is_blinded(current_user, moderation):  # the auditor's grades wait (blind.py)
        return redirect(url_for("moderation.blind_grades", moderation_id=moderation.id))
    form = moderation_form(moderation)
    if request.method == "GET":
        form.fill_from(moderation)
    other_decision: list[str] = []
    if request.method == "POST" and form.validate_on_submit():
        with attempt(form, "version") as outcome:
            _save_moderation(moderation, form)
        if outcome.ok:
            return _saved(moderation, form.completing)
        moderation = services.get_moderation(moderation_id)
        form.moderation = moderation
        if isinstance(outcome.error, ConcurrentEdit):
            form.version.data = str(moderation.version)  # the next save is from the fresh version
        if isinstance(outcome.error, ConcurrentEdit) or (
            moderation.status == ModerationStatus.COMPLETED.value
        ):
            other_decision = services.decision_summary(moderation)
    refusal = services.BLIND_FIRST if moderation.awaiting_blind_grades else None
    try:
        services.check_may_moderate(current_user, moderation)
    except DomainError as error:
        refusal = error.message
    return (
        render_template(
            "moderation/moderate.html",
            moderation=moderation,
            audit=moderation.audit,
            form=form,
            refusal=refusal,
            other_decision=other_decision,
            decisions=sampling.recent_decisions(audit=moderation.audit),
            withdraw_form=WithdrawForm(formdata=None),
            audit_url=audit_url,
            domain_title=services.domain_title,
            quality_items=checklist_for(moderation.audit),
        ),
        form_status(form),
    )


def _save_moderation(moderation: Moderation, form: ModerationForm) -> None:
    """Save the judgements; a completed moderation's e-mails wait for the commit."""
    services.save_moderation(
        current_user,
        moderation,
        form.version_number(),
        form.judgements(),
        form.judgement(OVERALL),
        complete=form.completing,
        quality=form.quality(),
    )
    if not form.completing:
        return
    notify_outcome(moderation, external_url("moderation.outcome", audit_id=moderation.audit_id))
    conversation = reflective.conversation_for(moderation)
    if conversation is not None:
        reflective.notify_due(
            conversation,
            external_url("moderation.reflective_conversation", conversation_id=conversation.id),
        )


def _saved(moderation: Moderation, completed: bool) -> ResponseReturnValue:
    if completed:
        flash(
            f"Moderation of audit {moderation.audit.reference} completed: {moderation.outcome}",
            "success",
        )
        return redirect(url_for("moderation.queue"))
    flash("Your judgements are saved. Complete the moderation when you are ready.", "success")
    return redirect(url_for("moderation.moderate", moderation_id=moderation.id))


@bp.route("/audit/<int:audit_id>")
@case_level("audit", "audit_id")
@roles_required(*MODERATION_ROLES)
def for_audit(audit_id: int) -> ResponseReturnValue:
    """The moderation of an audit, found from the audit (a page explains if there is none)."""
    audit = db.session.get(Audit, audit_id)
    if audit is None:
        abort(404)
    try:
        moderation = services.moderation_for_audit(audit)
    except DomainError as error:
        return render_template(
            "moderation/not_selected.html", audit=audit, message=error.message
        ), 404
    return redirect(url_for("moderation.moderate", moderation_id=moderation.id))


@bp.route("/add", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def add() -> ResponseReturnValue:
    form = AddByHandForm()
    if form.validate_on_submit():
        audit = db.session.scalar(
            db.select(Audit).where(Audit.reference == (form.reference.data or "").strip())
        )
        with attempt(form, "reason") as outcome:
            if audit is None:
                raise DomainError("No audit has this reference", "reference")
            moderation = sampling.select_by_hand(
                current_user, audit, form.reason.data or "", blind=form.blind.data == "yes"
            )
        if outcome.ok:
            flash(
                f"Audit {moderation.audit.reference} has been added to the moderation queue",
                "success",
            )
            return redirect(url_for("moderation.moderate", moderation_id=moderation.id))
    return render_template("moderation/add.html", form=form), form_status(form)


@bp.route("/<int:moderation_id>/withdraw", methods=["GET", "POST"])
@case_level("moderation", "moderation_id")
@roles_required(Role.QA_LEAD)
def withdraw(moderation_id: int) -> ResponseReturnValue:
    moderation = found_or_404(services.get_moderation, moderation_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        with attempt(form, "reason") as outcome:
            sampling.withdraw(current_user, moderation, form.reason.data or "")
        if outcome.ok:
            flash(
                f"Audit {moderation.audit.reference} has been withdrawn from moderation", "success"
            )
            return redirect(url_for("moderation.queue"))
    return (
        render_template("moderation/withdraw.html", form=form, moderation=moderation),
        form_status(form),
    )


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def settings() -> ResponseReturnValue:
    rules = sampling.get_settings()
    form = SamplingSettingsForm()
    if request.method == "GET":
        _fill_settings(form, rules)
    if form.validate_on_submit():
        with attempt(form, "rate_good") as outcome:
            sampling_rules.update_settings(
                current_user,
                rules,
                form.version_number(),
                rate_outstanding=(form.rate_outstanding.data or 0) / 100,
                rate_good=(form.rate_good.data or 0) / 100,
                rate_requires_improvement=(form.rate_requires_improvement.data or 0) / 100,
                inadequate_deadline_days=form.inadequate_deadline_days.data or 0,
                normal_deadline_days=form.normal_deadline_days.data or 0,
                reflective_deadline_days=form.reflective_deadline_days.data or 0,
                blind_grades={Grade(v) for v in form.blind_grades.data or []},
            )
        if outcome.ok:
            flash(
                "The sampling rules are saved. They apply to audits submitted from now on.",
                "success",
            )
            return redirect(url_for("moderation.settings"))
        if isinstance(outcome.error, ConcurrentEdit):
            rules = sampling.get_settings()
            _fill_settings(form, rules)
    return render_template("moderation/settings.html", form=form, rules=rules), form_status(form)


def _fill_settings(form: SamplingSettingsForm, rules: Any) -> None:
    form.version.data = str(rules.version)
    form.rate_outstanding.data = round(rules.rate_outstanding * 100)
    form.rate_good.data = round(rules.rate_good * 100)
    form.rate_requires_improvement.data = round(rules.rate_requires_improvement * 100)
    form.inadequate_deadline_days.data = rules.inadequate_deadline_days
    form.normal_deadline_days.data = rules.normal_deadline_days
    form.reflective_deadline_days.data = rules.reflective_deadline_days
    form.blind_grades.data = [g.value for g in sampling_rules.BLIND_FIELDS if rules.blind_for(g)]


@bp.route("/decisions")
@case_level("moderation")
@roles_required(*MODERATION_ROLES)
def decisions() -> ResponseReturnValue:
    shown = sampling.recent_decisions()
    note_listed(d.audit.case_ref for d in shown)
    return render_template("moderation/decisions.html", decisions=shown, audit_url=audit_url)


@bp.route("/agreement")
@roles_required(*MODERATION_ROLES)
def agreement() -> ResponseReturnValue:
    """The agreement page moved to /agreement; bookmarks of this address still find it."""
    by = request.args.get("by")
    return redirect(url_for("agreement.page", by=by) if by else url_for("agreement.page"))


@bp.route("/outcome/<int:audit_id>")
@case_level("audit", "audit_id")
@login_required
def outcome(audit_id: int) -> ResponseReturnValue:
    audit = db.session.get(Audit, audit_id)
    if audit is None:
        abort(404)
    if not may_see_outcome(current_user, audit):
        refuse_as_missing()
    return render_template("moderation/outcome.html", audit=audit, audit_url=audit_url)


@bp.route("/reflective-conversations")
@case_level("reflective_conversation")
@roles_required(Role.QA_LEAD, Role.MODERATOR, Role.SERVICE_MANAGER)
def reflective_conversations() -> ResponseReturnValue:
    return render_template(
        "moderation/reflective_list.html",
        conversations=reflective.list_conversations(current_user),
    )


@bp.route("/reflective-conversations/<int:conversation_id>", methods=["GET", "POST"])
@case_level("reflective_conversation", "conversation_id")
@roles_required(Role.QA_LEAD, Role.MODERATOR, Role.SERVICE_MANAGER)
def reflective_conversation(conversation_id: int) -> ResponseReturnValue:
    conversation = permitted_or_abort(
        reflective.get_conversation, conversation_id, reflective.may_see
    )
    form = ReflectiveConversationForm()
    if request.method == "GET":
        form.version.data = str(conversation.version)
    if request.method == "POST" and form.validate_on_submit():
        with attempt(form, "version") as outcome:
            reflective.record_conversation(
                current_user,
                conversation,
                form.version_number(),
                held_on=form.held_on.data,
                participants=form.participants.data or "",
                learning=form.learning.data or "",
                actions=form.remedial_actions(),
            )
        if outcome.ok:
            flash("The reflective conversation is recorded", "success")
            return redirect(
                url_for("moderation.reflective_conversation", conversation_id=conversation.id)
            )
    return (
        render_template(
            "moderation/reflective.html",
            conversation=conversation,
            form=form,
            may_record=reflective.may_record(current_user, conversation),
            slots=range(1, REMEDIAL_ACTION_SLOTS + 1),
            audit_url=audit_url,
        ),
        form_status(form),
    )
