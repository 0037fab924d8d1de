"""The pages that choose what a committee report's draft features beside its narrative:
quotes from audits' feedback, images (and serving an image), and completed dip samples."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.declarations import case_level
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.committee_reports import documents, feedback, services
from qa_audit.committee_reports.forms import DipSamplesForm, ImageForm, QuoteFinderForm, texts_form
from qa_audit.committee_reports.views import (
    READERS,
    bp,
    changeable_draft,
    draft_page,
    fill_texts,
    readable_or_404,
    reads_as_viewer,
    to_report,
)
from qa_audit.core.transaction import attempt


def _posted_id(name: str) -> int:
    """A record id posted by a button; 400 when it is not one."""
    value = (request.form.get(name) or "").strip()
    if not value.isdigit() or len(value) > 9:
        abort(400)
    return int(value)


@bp.route("/<int:report_id>/quotes", methods=["GET", "POST"])
@case_level("committee_report", "report_id")
@roles_required(Role.QA_LEAD)
def quotes(report_id: int) -> ResponseReturnValue:
    report = changeable_draft(report_id)
    finder = QuoteFinderForm(formdata=request.args)
    finder.validate()
    if request.method == "POST":
        feedback_id = _posted_id("feedback_id")
        with attempt() as outcome:
            feedback.choose_quote(current_user, report, feedback_id)
        if outcome.ok:
            flash("Quote added to the report", "success")
            # Back to the same filters, to choose another.
            return redirect(request.url)
    found = feedback.candidates(report, finder.chosen("who"), finder.chosen("tone"))
    return render_template(
        "committee_reports/quotes.html", report=report, finder=finder, candidates=found
    )


@bp.route("/<int:report_id>/quotes/remove", methods=["POST"])
@roles_required(Role.QA_LEAD)
def remove_quote(report_id: int) -> ResponseReturnValue:
    report = changeable_draft(report_id)
    quote_id = _posted_id("quote_id")
    with attempt() as outcome:
        feedback.remove_quote(current_user, report, quote_id)
    if outcome.ok:
        flash("Quote removed from the report", "success")
    return to_report(report, "quotes")


@bp.route("/<int:report_id>/images", methods=["POST"])
@roles_required(Role.QA_LEAD)
def add_image(report_id: int) -> ResponseReturnValue:
    report = changeable_draft(report_id)
    image_form = ImageForm()
    if image_form.validate_on_submit():
        upload = image_form.image.data
        data = upload.read(feedback.images.MAX_BYTES + 1) if upload else b""
        with attempt(image_form, "image") as outcome:
            feedback.add_image(
                current_user,
                report,
                data,
                image_form.alt_text.data or "",
                image_form.caption.data or "",
                image_form.consent_note.data or "",
            )
        if outcome.ok:
            flash("Image added to the report", "success")
            return to_report(report, "images")
    figures = services.period_report(report)
    form = texts_form(services.principle_keys(figures), formdata=None)
    fill_texts(form, report)
    return draft_page(report, figures, form, image_form=image_form)


@bp.route("/<int:report_id>/images/remove", methods=["POST"])
@roles_required(Role.QA_LEAD)
def remove_image(report_id: int) -> ResponseReturnValue:
    report = changeable_draft(report_id)
    image_id = _posted_id("image_id")
    with attempt() as outcome:
        feedback.remove_image(current_user, report, image_id)
    if outcome.ok:
        flash("Image removed from the report", "success")
    return to_report(report, "images")


@bp.route("/<int:report_id>/images/<int:image_id>")
@case_level("committee_report_image", "image_id")
@roles_required(*READERS)
def image(report_id: int, image_id: int) -> ResponseReturnValue:
    report = readable_or_404(report_id)
    if not documents.shows_narrative(report, reads_as_viewer()):
        abort(404)
    found = next((i for i in report.images if i.id == image_id), None)
    if found is None:
        abort(404)
    return Response(
        found.content,
        mimetype=found.media_type,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )


@bp.route("/<int:report_id>/dip-samples", methods=["POST"])
@roles_required(Role.QA_LEAD)
def dip_samples(report_id: int) -> ResponseReturnValue:
    report = changeable_draft(report_id)
    samples = services.completed_dip_samples(report)
    form = DipSamplesForm(samples=[(s.id, s.title) for s in samples])
    if not form.validate_on_submit():
        flash("Select dip samples completed in the report's period")
        return to_report(report, "dip-samples")
    with attempt() as outcome:
        services.feature_dip_samples(current_user, report, form.dip_samples.data or [])
    if outcome.ok:
        flash("The featured dip samples have been saved", "success")
    return to_report(report, "dip-samples")
