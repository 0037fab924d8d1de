"""Dip-sample pages: the list, setting one up, its page with the checklist results, editing,
checklist questions, each sampled case's answers, actions, completing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from qa_audit.access_log.declarations import case_level
from qa_audit.auth import services as accounts
from qa_audit.auth.models import User
from qa_audit.auth.permissions import roles_required
from qa_audit.changelog.services import history
from qa_audit.core.errors import Forbidden
from qa_audit.core.extensions import db
from qa_audit.core.forms import form_status
from qa_audit.core.months import long_date, month_label
from qa_audit.core.transaction import attempt, button_step
from qa_audit.core.views import permitted_or_abort
from qa_audit.dip_samples import services as dip
from qa_audit.dip_samples.forms import (
    ActionForm,
    CompleteForm,
    DipSampleForm,
    QuestionForm,
    case_form,
)
from qa_audit.dip_samples.models import Answer, DipSample, DipSampleCase
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.learning_themes.services import list_themes
from qa_audit.organisation import services as organisation
from qa_audit.organisation.models import ServiceArea

bp = Blueprint("dip_samples", __name__, url_prefix="/dip-samples")


def _readable_sample(sample_id: int) -> DipSample:
    """The sample: 404 if there is none or it is not the signed-in person's to see (then the
    access log records the refusal)."""
    return permitted_or_abort(dip.get_dip_sample, sample_id, dip.may_read)


def _editable_sample(sample_id: int) -> DipSample:
    """The sample, for a step that changes it: 404 as for reading, 403 if not theirs to edit."""
    sample = _readable_sample(sample_id)
    if not dip.may_edit(current_user, sample):
        abort(403)
    return sample


@contextmanager
def _forbidden_as_403() -> Iterator[None]:
    """A service's Forbidden is the 403 page, not a message on the form."""
    try:
        yield
    except Forbidden:
        abort(403)


def _owners(sample: DipSample) -> list[User]:
    """Who may own the sample's actions: active people who may see it."""
    return [u for u in accounts.list_users(include_inactive=False) if dip.may_read(u, sample)]


def _sample_url(sample: DipSample, anchor: str | None = None) -> str:
    return url_for("dip_samples.show", sample_id=sample.id, _anchor=anchor)


def _to_sample(sample: DipSample, anchor: str | None = None) -> Response:
    return redirect(_sample_url(sample, anchor))


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
def index() -> ResponseReturnValue:
    return render_template(
        "dip_samples/index.html", samples=dip.list_dip_samples(current_user), **_page_globals()
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*dip.READERS)
def new() -> ResponseReturnValue:
    form = _sample_form()
    if request.method == "GET":
        form.lead_auditor_ids.data = [current_user.id]
    if form.validate_on_submit():
        with attempt(form) as outcome:
            sample = dip.create_dip_sample(current_user, **_chosen(form))
        if outcome.ok:
            flash(f"The dip sample '{sample.title}' has been set up", "success")
            return _to_sample(sample)
    return render_template("dip_samples/form.html", form=form, sample=None), form_status(form)


def _show(
    sample: DipSample, failed: FlaskForm | None = None, **forms: FlaskForm
) -> tuple[str, int]:
    editable = dip.may_edit(current_user, sample)
    question_form = forms.get("question_form") or QuestionForm(formdata=None)
    action_form = forms.get("action_form") or ActionForm(_owners(sample), formdata=None)
    complete_form = forms.get("complete_form") or CompleteForm(formdata=None)
    complete_form.version.data = str(sample.version)
    return (
        render_template(
            "dip_samples/show.html",
            sample=sample,
            results=dip.checklist_results(sample),
            editable=editable,
            question_form=question_form,
            action_form=action_form,
            complete_form=complete_form,
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
def show(sample_id: int) -> ResponseReturnValue:
    return _show(_readable_sample(sample_id))


@bp.route("/<int:sample_id>/edit", methods=["GET", "POST"])
@case_level("dip_sample", "sample_id")
@roles_required(*dip.READERS)
def edit(sample_id: int) -> ResponseReturnValue:
    sample = _editable_sample(sample_id)
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
        with attempt(form) as outcome:
            dip.update_dip_sample(
                current_user,
                sample,
                **_chosen(form),
                strengths=form.strengths.data,
                areas_for_development=form.areas_for_development.data,
                expected_version=form.version_number(),
            )
        if outcome.ok:
            flash("The dip sample has been saved", "success")
            return _to_sample(sample)
    return render_template("dip_samples/form.html", form=form, sample=sample), form_status(form)


@bp.route("/<int:sample_id>/questions", methods=["POST"])
@case_level("dip_sample", "sample_id")
@roles_required(*dip.READERS)
def add_question(sample_id: int) -> ResponseReturnValue:
    sample = _editable_sample(sample_id)
    form = QuestionForm()
    return _posted_on_sample_page(
        sample,
        form,
        ("question_form", "text"),
        lambda: dip.add_question(current_user, sample, form.text.data),
        "The question has been added to the checklist",
        "checklist",
    )


def _posted_on_sample_page(
    sample: DipSample,
    form: FlaskForm,
    where: tuple[str, str],
    call: Callable[[], object],
    done: str,
    anchor: str,
) -> ResponseReturnValue:
    """A form of the sample's page: the service ``call`` made and ``done`` told at ``anchor``,
    or the page shown again with the form's errors. ``where``: the form's slot on the page, and
    the field a refusal goes on unless it names its own."""
    slot, field = where
    if form.validate_on_submit():
        with attempt(form, field) as outcome:
            call()
        if outcome.ok:
            flash(done, "success")
            return _to_sample(sample, anchor)
    return _show(sample, form, **{slot: form})


@bp.route("/<int:sample_id>/questions/<int:question_id>/remove", methods=["POST"])
@roles_required(*dip.READERS)
def remove_question(sample_id: int, question_id: int) -> Response:
    sample = _editable_sample(sample_id)
    question = next((q for q in sample.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return button_step(
        lambda: dip.remove_question(current_user, sample, question),
        "The question and its answers have been removed",
        _sample_url(sample, "checklist"),
    )


def _case_page(sample: DipSample, case: DipSampleCase | None) -> ResponseReturnValue:
    if not dip.may_edit(current_user, sample):
        abort(403)
    form = case_form(sample.questions)
    if request.method == "GET" and case is not None:
        form.case_ref.data = case.case_ref
        for question in sample.questions:
            form[f"q{question.id}"].data = case.answer_to(question)
    if form.validate_on_submit():
        with attempt(form, "case_ref") as outcome, _forbidden_as_403():
            dip.record_case(
                current_user,
                sample,
                case_ref=form.case_ref.data,
                answers={q.id: form[f"q{q.id}"].data for q in sample.questions},
                case=case,
            )
        if outcome.ok:
            flash(f"Case {form.case_ref.data.strip()} has been recorded", "success")
            if request.form.get("another") and len(sample.cases) < sample.sample_size:
                return redirect(url_for("dip_samples.new_case", sample_id=sample.id))
            return _to_sample(sample, "cases")
    return (
        render_template(
            "dip_samples/case.html", form=form, sample=sample, case=case, **_page_globals()
        ),
        form_status(form),
    )


@bp.route("/<int:sample_id>/cases/new", methods=["GET", "POST"])
@case_level("dip_sample", "sample_id")
@roles_required(*dip.READERS)
def new_case(sample_id: int) -> ResponseReturnValue:
    return _case_page(_readable_sample(sample_id), None)


@bp.route("/<int:sample_id>/cases/<int:case_id>", methods=["GET", "POST"])
@case_level("dip_sample_case", "case_id")
@roles_required(*dip.READERS)
def edit_case(sample_id: int, case_id: int) -> ResponseReturnValue:
    sample = _readable_sample(sample_id)
    return _case_page(sample, _case_or_404(sample, case_id))


@bp.route("/<int:sample_id>/cases/<int:case_id>/remove", methods=["POST"])
@roles_required(*dip.READERS)
def remove_case(sample_id: int, case_id: int) -> Response:
    sample = _editable_sample(sample_id)
    case = _case_or_404(sample, case_id)
    return button_step(
        lambda: dip.remove_case(current_user, sample, case),
        f"Case {case.case_ref} has been removed from the dip sample",
        _sample_url(sample, "cases"),
    )


@bp.route("/<int:sample_id>/actions", methods=["POST"])
@case_level("dip_sample", "sample_id")
@roles_required(*dip.READERS)
def add_action(sample_id: int) -> ResponseReturnValue:
    sample = _editable_sample(sample_id)
    form = ActionForm(_owners(sample))
    return _posted_on_sample_page(
        sample,
        form,
        ("action_form", "description"),
        lambda: dip.add_dip_sample_action(
            current_user,
            sample,
            description=form.description.data,
            owner_id=form.owner_id.data,
            due_on=form.due_on.data,
            practitioner_role=form.practitioner_role.data,
            practitioner_name=form.practitioner_name.data,
        ),
        "The action has been set",
        "actions",
    )


@bp.route("/<int:sample_id>/complete", methods=["POST"])
@roles_required(*dip.READERS)
def complete(sample_id: int) -> ResponseReturnValue:
    sample = _editable_sample(sample_id)
    form = CompleteForm()
    return _posted_on_sample_page(
        sample,
        form,
        ("complete_form", "not_reviewed_reason"),
        lambda: dip.complete_dip_sample(
            current_user,
            sample,
            expected_version=form.version_number(),
            not_reviewed_reason=form.not_reviewed_reason.data,
        ),
        "The dip sample is completed",
        "main-content",
    )


@bp.route("/<int:sample_id>/reopen", methods=["POST"])
@roles_required(*dip.READERS)
def reopen(sample_id: int) -> Response:
    sample = _readable_sample(sample_id)
    with attempt() as outcome, _forbidden_as_403():
        dip.reopen_dip_sample(
            current_user, sample, expected_version=request.form.get("version", type=int)
        )
    if outcome.ok:
        flash("The dip sample has been reopened", "success")
    return _to_sample(sample)
