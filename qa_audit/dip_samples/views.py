"""Dip-sample pages: the list, setting one up, its page with the checklist results, editing,
checklist questions, each sampled case's answers, actions, completing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from qa_audit.access_log.declarations import case_level
from qa_audit.auth import services as accounts
from qa_audit.auth.models import User
from qa_audit.auth.permissions import roles_required
from qa_audit.changelog.services import history
from qa_audit.core.errors import DomainError, Forbidden, NotFound
from qa_audit.core.extensions import db
from qa_audit.core.forms import apply_domain_error
from qa_audit.core.months import long_date, month_label
from qa_audit.dip_samples import services as dip
from qa_audit.dip_samples.forms import ActionForm, DipSampleForm, QuestionForm, case_form
from qa_audit.dip_samples.models import Answer, DipSample, DipSampleCase
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.learning_themes.services import list_themes
from qa_audit.organisation import services as organisation
from qa_audit.organisation.models import ServiceArea

bp = Blueprint("dip_samples", __name__, url_prefix="/dip-samples")


def _sample_or_404(sample_id: int) -> DipSample:
    try:
        return dip.get_dip_sample(sample_id)
    except NotFound:
        abort(404)


def _editable_or_403(sample: DipSample) -> None:
    if not dip.may_edit(current_user, sample):
        abort(403)


def _case_or_404(sample: DipSample, case_id: int) -> DipSampleCase:
    case = db.session.get(DipSampleCase, case_id)
    if case is None or case.dip_sample_id != sample.id:
        abort(404)
    return case


def _sample_form(sample: DipSample | None = None, **kwargs: Any) -> DipSampleForm:
    themes = list_themes()
    if sample is not None:
        themes += [t for t in sample.learning_themes if t not in themes]
    leads = dip.lead_auditor_choices()
    if sample is not None:
        leads += [u for u in sample.lead_auditors if u not in leads]
    return DipSampleForm(
        organisation.list_service_areas(),
        leads,
        themes,
        editing=sample is not None,
        selected_months=(sample.period_from, sample.period_to) if sample else (),
        **kwargs,
    )


def _chosen(form: DipSampleForm) -> dict[str, Any]:
    def rows(model: Any, ids: list[int] | None) -> list[Any]:
        return [row for i in ids or [] if (row := db.session.get(model, i)) is not None]

    return {
        "title": form.title.data,
        "service_areas": rows(ServiceArea, form.service_area_ids.data),
        "period_from": form.period_from.data,
        "period_to": form.period_to.data,
        "sample_unit": form.sample_unit.data,
        "sample_size": form.sample_size.data,
        "lead_auditors": rows(User, form.lead_auditor_ids.data),
        "learning_themes": rows(LearningTheme, form.learning_theme_ids.data),
    }


def _page_globals() -> dict[str, Any]:
    return {"month_label": month_label, "long_date": long_date}


@bp.route("")
@case_level("dip_sample")
@roles_required(*dip.READERS)
def index():  # type: ignore[no-untyped-def]
    return render_template(
        "dip_samples/index.html", samples=dip.list_dip_samples(), **_page_globals()
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*dip.READERS)
def new():  # type: ignore[no-untyped-def]
    form = _sample_form()
    if request.method == "GET":
        form.lead_auditor_ids.data = [current_user.id]
    if form.validate_on_submit():
        try:
            sample = dip.create_dip_sample(current_user, **_chosen(form))
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(f"The dip sample '{sample.title}' has been set up", "success")
            return redirect(url_for("dip_samples.show", sample_id=sample.id))
    return (
        render_template("dip_samples/form.html", form=form, sample=None),
        400 if form.errors else 200,
    )


def _show(sample: DipSample, failed: Any = None, **forms: Any) -> tuple[str, int]:
    editable = dip.may_edit(current_user, sample)
    question_form = forms.get("question_form") or QuestionForm(formdata=None)
    action_form = forms.get("action_form") or ActionForm(
        accounts.list_users(include_inactive=False), formdata=None
    )
    return (
        render_template(
            "dip_samples/show.html",
            sample=sample,
            results=dip.checklist_results(sample),
            editable=editable,
            question_form=question_form,
            action_form=action_form,
            form=failed,
            history=history(sample),
            answers=Answer,
            **_page_globals(),
        ),
        400 if failed is not None else 200,
    )


@bp.route("/<int:sample_id>")
@case_level("dip_sample", "sample_id")
@roles_required(*dip.READERS)
def show(sample_id: int):  # type: ignore[no-untyped-def]
    return _show(_sample_or_404(sample_id))


@bp.route("/<int:sample_id>/edit", methods=["GET", "POST"])
@case_level("dip_sample", "sample_id")
@roles_required(*dip.READERS)
def edit(sample_id: int):  # type: ignore[no-untyped-def]
    sample = _sample_or_404(sample_id)
    _editable_or_403(sample)
    form = _sample_form(sample)
    if request.method == "GET":
        form.title.data = sample.title
        form.service_area_ids.data = [a.id for a in sample.service_areas]
        form.period_from.data = sample.period_from
        form.period_to.data = sample.period_to
        form.sample_unit.data = sample.sample_unit
        form.sample_size.data = sample.sample_size
        form.lead_auditor_ids.data = [u.id for u in sample.lead_auditors]
        form.learning_theme_ids.data = [t.id for t in sample.learning_themes]
        form.strengths.data = sample.strengths
        form.areas_for_development.data = sample.areas_for_development
        form.version.data = str(sample.version)
    if form.validate_on_submit():
        try:
            dip.update_dip_sample(
                current_user,
                sample,
                **_chosen(form),
                strengths=form.strengths.data,
                areas_for_development=form.areas_for_development.data,
                expected_version=int(form.version.data) if form.version.data else None,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash("The dip sample has been saved", "success")
            return redirect(url_for("dip_samples.show", sample_id=sample.id))
    return (
        render_template("dip_samples/form.html", form=form, sample=sample),
        400 if form.errors else 200,
    )


@bp.route("/<int:sample_id>/questions", methods=["POST"])
@case_level("dip_sample", "sample_id")
@roles_required(*dip.READERS)
def add_question(sample_id: int):  # type: ignore[no-untyped-def]
    sample = _sample_or_404(sample_id)
    _editable_or_403(sample)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            dip.add_question(current_user, sample, form.text.data)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error, "text")
        else:
            db.session.commit()
            flash("The question has been added to the checklist", "success")
            return redirect(url_for("dip_samples.show", sample_id=sample.id, _anchor="checklist"))
    return _show(sample, form, question_form=form)


@bp.route("/<int:sample_id>/questions/<int:question_id>/remove", methods=["POST"])
@roles_required(*dip.READERS)
def remove_question(sample_id: int, question_id: int) -> Response:
    sample = _sample_or_404(sample_id)
    _editable_or_403(sample)
    question = next((q for q in sample.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    try:
        dip.remove_question(current_user, sample, question)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("The question and its answers have been removed", "success")
    return redirect(url_for("dip_samples.show", sample_id=sample.id, _anchor="checklist"))


def _case_page(sample: DipSample, case: DipSampleCase | None) -> Any:
    _editable_or_403(sample)
    form = case_form(sample.questions)
    if request.method == "GET" and case is not None:
        form.case_ref.data = case.case_ref
        for question in sample.questions:
            form[f"q{question.id}"].data = case.answer_to(question)
    if form.validate_on_submit():
        try:
            dip.record_case(
                current_user,
                sample,
                case_ref=form.case_ref.data,
                answers={q.id: form[f"q{q.id}"].data for q in sample.questions},
                case=case,
            )
        except Forbidden:
            abort(403)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error, "case_ref")
        else:
            db.session.commit()
            flash(f"Case {form.case_ref.data.strip()} has been recorded", "success")
            if request.form.get("another") and len(sample.cases) < sample.sample_size:
                return redirect(url_for("dip_samples.new_case", sample_id=sample.id))
            return redirect(url_for("dip_samples.show", sample_id=sample.id, _anchor="cases"))
    return (
        render_template(
            "dip_samples/case.html", form=form, sample=sample, case=case, **_page_globals()
        ),
        400 if form.errors else 200,
    )


@bp.route("/<int:sample_id>/cases/new", methods=["GET", "POST"])
@case_level("dip_sample", "sample_id")
@roles_required(*dip.READERS)
def new_case(sample_id: int):  # type: ignore[no-untyped-def]
    return _case_page(_sample_or_404(sample_id), None)


@bp.route("/<int:sample_id>/cases/<int:case_id>", methods=["GET", "POST"])
@case_level("dip_sample_case", "case_id")
@roles_required(*dip.READERS)
def edit_case(sample_id: int, case_id: int):  # type: ignore[no-untyped-def]
    sample = _sample_or_404(sample_id)
    return _case_page(sample, _case_or_404(sample, case_id))


@bp.route("/<int:sample_id>/cases/<int:case_id>/remove", methods=["POST"])
@roles_required(*dip.READERS)
def remove_case(sample_id: int, case_id: int) -> Response:
    sample = _sample_or_404(sample_id)
    _editable_or_403(sample)
    case = _case_or_404(sample, case_id)
    ref = case.case_ref
    try:
        dip.remove_case(current_user, sample, case)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"Case {ref} has been removed from the dip sample", "success")
    return redirect(url_for("dip_samples.show", sample_id=sample.id, _anchor="cases"))


@bp.route("/<int:sample_id>/actions", methods=["POST"])
@case_level("dip_sample", "sample_id")
@roles_required(*dip.READERS)
def add_action(sample_id: int):  # type: ignore[no-untyped-def]
    sample = _sample_or_404(sample_id)
    _editable_or_403(sample)
    form = ActionForm(accounts.list_users(include_inactive=False))
    if form.validate_on_submit():
        try:
            dip.add_dip_sample_action(
                current_user,
                sample,
                description=form.description.data,
                owner_id=form.owner_id.data,
                due_on=form.due_on.data,
            )
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error, "description")
        else:
            db.session.commit()
            flash("The action has been set", "success")
            return redirect(url_for("dip_samples.show", sample_id=sample.id, _anchor="actions"))
    return _show(sample, form, action_form=form)


@bp.route("/<int:sample_id>/complete", methods=["POST"])
@roles_required(*dip.READERS)
def complete(sample_id: int) -> Response:
    sample = _sample_or_404(sample_id)
    _editable_or_403(sample)
    try:
        dip.complete_dip_sample(
            current_user, sample, expected_version=request.form.get("version", type=int)
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("The dip sample is completed", "success")
    return redirect(url_for("dip_samples.show", sample_id=sample.id))


@bp.route("/<int:sample_id>/reopen", methods=["POST"])
@roles_required(*dip.READERS)
def reopen(sample_id: int) -> Response:
    sample = _sample_or_404(sample_id)
    try:
        dip.reopen_dip_sample(
            current_user, sample, expected_version=request.form.get("version", type=int)
        )
    except Forbidden:
        abort(403)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("The dip sample has been reopened", "success")
    return redirect(url_for("dip_samples.show", sample_id=sample.id))
