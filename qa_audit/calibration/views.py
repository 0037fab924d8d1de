"""Calibration pages: the QA lead's rounds, a new round, a round with its results, grading,
closing early, the reference grades, the discussion's notes, and each person's results."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.declarations import case_level
from qa_audit.access_log.hooks import note_listed, note_shown
from qa_audit.audit_tools.grades import Grade
from qa_audit.audit_tools.services import list_tools
from qa_audit.auth.models import User
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.calibration import grading, results, rounds
from qa_audit.calibration.forms import (
    CloseForm,
    DiscussionForm,
    GradingForm,
    NewRoundForm,
    ReferenceForm,
    grading_form,
)
from qa_audit.calibration.models import CalibrationRound
from qa_audit.calibration.notices import notify_invited
from qa_audit.core.clock import local_today
from qa_audit.core.errors import ConcurrentEdit
from qa_audit.core.extensions import db
from qa_audit.core.forms import form_status
from qa_audit.core.notifications import external_url
from qa_audit.core.transaction import attempt
from qa_audit.core.views import found_or_404, refuse_as_missing

bp = Blueprint("calibration", __name__, url_prefix="/calibration")
INVITED = (Role.AUDITOR, Role.MODERATOR, Role.SERVICE_MANAGER)


def _shown(calibration_round: CalibrationRound) -> None:
    """The access log's references for this page (or its refusal)."""
    audit = calibration_round.audit
    note_shown(
        "calibration_round",
        calibration_round.id,
        audit.reference if audit is not None else None,  # type: ignore[arg-type]
        calibration_round.shown_case_ref,
    )


def _round_seen(round_id: int) -> CalibrationRound:
    """The round, if the signed-in person may see it (else 404, logged as a refusal)."""
    calibration_round = found_or_404(rounds.get_round, round_id)
    _shown(calibration_round)
    if not rounds.may_see(current_user, calibration_round):
        refuse_as_missing()
    return calibration_round


@bp.route("/")
@case_level("calibration_round")
@roles_required(Role.QA_LEAD)
def index() -> ResponseReturnValue:
    every_round = rounds.all_rounds()
    note_listed(r.shown_case_ref for r in every_round)
    return render_template(
        "calibration/index.html",
        rounds=every_round,
        people=results.people_taking_part(),
        today=local_today(),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def new() -> ResponseReturnValue:
    form = NewRoundForm(list_tools(), rounds.people_to_invite())
    if form.validate_on_submit():
        with attempt(form, "title") as outcome:
            created = rounds.create_round(current_user, form.draft())
        if outcome.ok:
            notify_invited(created, external_url("calibration.grade", round_id=created.id))
            flash(f"Calibration round '{created.title}' created", "success")
            return redirect(url_for("calibration.show", round_id=created.id))
    return render_template("calibration/new.html", form=form), form_status(form)


@bp.route("/<int:round_id>")
@case_level("calibration_round", "round_id")
@roles_required(*INVITED, Role.QA_LEAD)
def show(round_id: int) -> ResponseReturnValue:
    calibration_round = _round_seen(round_id)
    everyone = current_user.has_role(Role.QA_LEAD)
    today = local_today()
    is_open = calibration_round.results_open(today)
    outcome = results.round_results(calibration_round) if is_open else None
    mine = calibration_round.invitation_of(current_user.id)
    return render_template(
        "calibration/show.html",
        calibration_round=calibration_round,
        results=outcome,
        results_open=is_open,
        everyone=everyone,
        invitation=mine,
        mine=next((p for p in outcome.people if p.invitation is mine), None) if outcome else None,
        close_form=CloseForm(formdata=None, data={"version": calibration_round.version}),
        today=today,
    )


@bp.route("/<int:round_id>/grade", methods=["GET", "POST"])
@case_level("calibration_round", "round_id")
@roles_required(*INVITED)
def grade(round_id: int) -> ResponseReturnValue:
    calibration_round = found_or_404(rounds.get_round, round_id)
    _shown(calibration_round)
    invitation = calibration_round.invitation_of(current_user.id)
    if invitation is None:
        refuse_as_missing()
    form = grading_form(calibration_round)
    if request.method == "GET":
        form.version.data = str(invitation.version)
        form.fill_from({g.domain_key: (g.grade, g.rationale) for g in invitation.grades})
    elif form.validate_on_submit():
        with attempt(form, "version") as outcome:
            grading.save_grades(
                current_user,
                calibration_round,
                form.version_number(),
                form.entries(),
                submit=form.submitting,
            )
        if outcome.ok:
            return _graded(calibration_round, form)
        db.session.expire_all()  # show the round and the grading as they now stand
        if isinstance(outcome.error, ConcurrentEdit):
            fresh = calibration_round.invitation_of(current_user.id)
            form.version.data = str(fresh.version if fresh else "")
    return _grading_page(calibration_round, form)


def _graded(calibration_round: CalibrationRound, form: GradingForm) -> ResponseReturnValue:
    if form.submitting:
        flash(
            "Your grades are submitted. You will see the results when the round closes.", "success"
        )
        return redirect(url_for("calibration.show", round_id=calibration_round.id))
    flash("Your grades are saved. Submit them before the deadline.", "success")
    return redirect(url_for("calibration.grade", round_id=calibration_round.id))


def _grading_page(calibration_round: CalibrationRound, form: GradingForm) -> ResponseReturnValue:
    invitation = grading.invitation_for(current_user, calibration_round)
    refused = grading.refusal(
        invitation, calibration_round.status, calibration_round.deadline, local_today()
    )
    return (
        render_template(
            "calibration/grade.html",
            calibration_round=calibration_round,
            invitation=invitation,
            form=form,
            refusal=refused,
        ),
        form_status(form),
    )


@bp.route("/<int:round_id>/close", methods=["POST"])
@roles_required(Role.QA_LEAD)
def close(round_id: int) -> ResponseReturnValue:
    calibration_round = found_or_404(rounds.get_round, round_id)
    form = CloseForm()
    if not form.validate_on_submit():
        flash("Reload the page and try again", "error")
        return redirect(url_for("calibration.show", round_id=round_id))
    with attempt() as outcome:
        rounds.close_round(current_user, calibration_round, form.version_number())
    if outcome.ok:
        flash("The round is closed. Its results are below.", "success")
    return redirect(url_for("calibration.show", round_id=round_id))


@bp.route("/<int:round_id>/reference", methods=["GET", "POST"])
@case_level("calibration_round", "round_id")
@roles_required(Role.QA_LEAD)
def reference(round_id: int) -> ResponseReturnValue:
    calibration_round = _round_seen(round_id)
    form = ReferenceForm(calibration_round)
    if request.method == "GET" and request.args.get("domain") in calibration_round.keys:
        form.domain_key.data = request.args["domain"]
    if form.validate_on_submit():
        with attempt(form, "grade") as outcome:
            rounds.set_reference(
                current_user,
                calibration_round,
                form.domain_key.data or "",
                Grade(form.grade.data),
                form.note.data or "",
            )
        if outcome.ok:
            flash("Reference grade saved", "success")
            return redirect(url_for("calibration.show", round_id=round_id) + "#results")
    return (
        render_template(
            "calibration/reference.html",
            calibration_round=calibration_round,
            references=results.references(calibration_round),
            form=form,
        ),
        form_status(form),
    )


@bp.route("/<int:round_id>/discussion", methods=["GET", "POST"])
@case_level("calibration_round", "round_id")
@roles_required(Role.QA_LEAD)
def discussion(round_id: int) -> ResponseReturnValue:
    calibration_round = _round_seen(round_id)
    form = DiscussionForm()
    if request.method == "GET":
        form.version.data = str(calibration_round.version)
        form.notes.data = calibration_round.discussion_notes
    elif form.validate_on_submit():
        with attempt(form, "notes") as outcome:
            rounds.save_discussion(
                current_user, calibration_round, form.version_number(), form.notes.data or ""
            )
        if outcome.ok:
            flash("Notes of the discussion saved", "success")
            return redirect(url_for("calibration.show", round_id=round_id) + "#discussion")
        calibration_round = rounds.get_round(round_id)
        form.version.data = str(calibration_round.version)
    return (
        render_template(
            "calibration/discussion.html", calibration_round=calibration_round, form=form
        ),
        form_status(form),
    )


@bp.route("/mine")
@roles_required(*INVITED)
def mine() -> ResponseReturnValue:
    return render_template(
        "calibration/person.html",
        history=results.person_history(current_user),
        own=True,
        waiting=rounds.open_invitations(current_user),
    )


@bp.route("/people/<int:person_id>")
@roles_required(Role.QA_LEAD)
def person(person_id: int) -> ResponseReturnValue:
    someone = db.session.get(User, person_id)
    if someone is None:
        abort(404)
    return render_template(
        "calibration/person.html",
        history=results.person_history(someone),
        own=False,
        waiting=[],
    )
