"""The committee report's blueprint and its main pages: the list of drafts and finals, starting
a report, a draft's page (the narrative, saved by its form or by autosave) and a final's page.

What a draft features beside its narrative is chosen in featured_views; finalising, sharing
and the Word and PDF documents are in final_views. Both add their routes to this blueprint, so
every endpoint keeps the name `committee_reports.<view>`."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.declarations import case_level
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.changelog import services as changelog
from qa_audit.committee_reports import documents, feedback, services
from qa_audit.committee_reports.changes import changes_since
from qa_audit.committee_reports.forms import (
    DipSamplesForm,
    FinaliseForm,
    ImageForm,
    SharingForm,
    StartReportForm,
    TextsForm,
    TrendForm,
    texts_form,
)
from qa_audit.committee_reports.models import CommitteeReport
from qa_audit.committee_reports.text import blocks
from qa_audit.core.clock import local_now
from qa_audit.core.errors import ConcurrentEdit, DomainError, NotFound
from qa_audit.core.forms import form_status
from qa_audit.core.months import long_date, month_label
from qa_audit.core.transaction import attempt
from qa_audit.reports import cache
from qa_audit.reports.exports import figure, pct

bp = Blueprint("committee_reports", __name__, url_prefix="/committee-reports")

READERS = (Role.QA_LEAD, Role.VIEWER)
# A start form's fields for the names the filters' DomainError uses.
START_FIELDS = {"from": "from_month", "to": "to_month"}


@bp.context_processor
def page_helpers() -> dict[str, Any]:
    return {
        "blocks": blocks,
        "pct": pct,
        "figure": figure,
        "who_label": feedback.who_label,
        "month_label": month_label,
        "long_date": long_date,
    }


def reads_as_viewer() -> bool:
    """Whether the reader sees the report as a viewer does (aggregates, and only what is shared)."""
    return not current_user.has_role(Role.QA_LEAD)


def readable_or_404(report_id: int) -> CommitteeReport:
    """The report if the reader may see it; 404 for one they may not, as for one missing."""
    try:
        return services.readable_report(current_user, report_id)
    except NotFound:
        abort(404)


def changeable_draft(report_id: int) -> CommitteeReport:
    """A draft the QA lead may change; a final answers 409 (it is frozen)."""
    if not current_user.has_role(Role.QA_LEAD):
        abort(403)
    report = readable_or_404(report_id)
    if report.is_final:
        abort(409, description=services.FINAL_MESSAGE)
    return report


def trend_starts() -> list[tuple[str, str]]:
    """Where a direction of travel may start, as the report page offers."""
    return cache.filter_options(current_user)["trend_starts"]


def to_report(report: CommitteeReport, anchor: str | None = None) -> ResponseReturnValue:
    """Back to the report's page, at the section just changed."""
    return redirect(url_for("committee_reports.show", report_id=report.id, _anchor=anchor))


@bp.route("")
@roles_required(*READERS)
def index() -> ResponseReturnValue:
    return render_template(
        "committee_reports/index.html", reports=services.list_reports(current_user)
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.QA_LEAD)
def new() -> ResponseReturnValue:
    options = cache.filter_options(current_user)
    form = StartReportForm(areas=options["areas"], trend_starts=options["trend_starts"])
    if form.validate_on_submit():
        with attempt(form, "from_month") as outcome:
            report = _start(form)
        if outcome.ok:
            flash("Report started", "success")
            return to_report(report)
    return render_template("committee_reports/new.html", form=form), form_status(form)


def _start(form: StartReportForm) -> CommitteeReport:
    try:
        return services.start_report(
            current_user,
            form.title.data or "",
            form.from_month.data or "",
            form.to_month.data or "",
            form.service_area.data or None,
            form.trend_from.data or None,
        )
    except DomainError as error:
        raise DomainError(
            error.message, START_FIELDS.get(error.field or "", error.field)
        ) from error


@bp.route("/<int:report_id>", methods=["GET", "POST"])
@case_level("committee_report", "report_id")
@roles_required(*READERS)
def show(report_id: int) -> ResponseReturnValue:
    if request.method == "POST":
        report = changeable_draft(report_id)
    else:
        report = readable_or_404(report_id)
        if report.is_final:
            return _final_page(report)
    figures = services.period_report(report)
    form = texts_form(services.principle_keys(figures), obj=None)
    stale = False
    if form.validate_on_submit():
        with attempt(form, "introduction") as outcome:
            services.save_texts(current_user, report, form.version_number(), form.texts())
        if outcome.ok:
            flash("The report has been saved", "success")
            return to_report(report)
        stale = isinstance(outcome.error, ConcurrentEdit)
    elif request.method == "GET":
        fill_texts(form, report)
    return draft_page(report, figures, form, stale=stale)


def fill_texts(form: TextsForm, report: CommitteeReport) -> None:
    for key, value in services.texts_of(report).items():
        name = key.replace(":", "-")
        if name in form._fields:
            form[name].data = value
    form.version.data = str(report.version)


def draft_page(
    report: CommitteeReport,
    figures: dict[str, Any],
    form: TextsForm,
    *,
    stale: bool = False,
    image_form: ImageForm | None = None,
    trend_form: TrendForm | None = None,
) -> ResponseReturnValue:
    samples = services.completed_dip_samples(report)
    dip_form = DipSamplesForm(samples=[(s.id, s.title) for s in samples])
    if request.method == "GET" or image_form is not None:
        dip_form.dip_samples.data = [f.dip_sample_id for f in report.dip_samples]
    finalise_form = FinaliseForm()
    finalise_form.version.data = str(report.version)
    if trend_form is None:
        trend_form = TrendForm(
            formdata=None, data={"trend_from": report.trend_from or ""}, trend_starts=trend_starts()
        )
    trend_form.version.data = str(report.version)
    status = form_status(image_form or (trend_form if trend_form.errors else form))
    return render_template(
        "committee_reports/draft.html",
        report=report,
        figures=figures,
        form=form,
        stale=stale,
        image_form=image_form or ImageForm(formdata=None),
        dip_form=dip_form,
        finalise_form=finalise_form,
        trend_form=trend_form,
        history=changelog.history(report),
    ), status


def _final_page(report: CommitteeReport) -> ResponseReturnValue:
    for_viewer = reads_as_viewer()
    figures = documents.figures(report, for_viewer)
    since = []
    sharing_form = None
    if not for_viewer and report.snapshot is not None:
        since = changes_since(report.snapshot["report"], services.fresh_report(report))
        sharing_form = SharingForm(formdata=None)
        sharing_form.shareable.data = report.shareable_with_viewers
        sharing_form.version.data = str(report.version)
    return render_template(
        "committee_reports/final.html",
        report=report,
        figures=figures,
        content=documents.content(report, for_viewer),
        shows_narrative=documents.shows_narrative(report, for_viewer),
        since=since,
        sharing_form=sharing_form,
        history=changelog.history(report) if not for_viewer else [],
    )


@bp.route("/<int:report_id>/autosave", methods=["POST"])
@roles_required(Role.QA_LEAD)
def autosave(report_id: int) -> ResponseReturnValue:
    """The narrative's background save (static/audit-autosave.js): JSON whatever happens."""
    try:
        report = services.readable_report(current_user, report_id)
    except NotFound:
        return jsonify(error="not_found", message="This report does not exist"), 404
    if report.is_final:
        return jsonify(error="locked", message=services.FINAL_MESSAGE + ". Reload the page."), 409
    form = texts_form(services.principle_keys(services.period_report(report)))
    if not form.validate():
        errors = {name: f.errors[0] for name, f in form._fields.items() if f.errors}
        return jsonify(error="invalid", message=next(iter(errors.values())), errors=errors), 400
    with attempt(form) as saved:
        changed = services.save_texts(current_user, report, form.version_number(), form.texts())
    if isinstance(saved.error, ConcurrentEdit):
        return jsonify(
            error="stale",
            message=f"{saved.error.message} Anything you typed since your last save is still on "
            "this page: copy it, then reload the page.",
        ), 409
    if saved.error is not None:
        return jsonify(error="invalid", message=saved.error.message), 400
    now = local_now()
    return jsonify(
        version=report.version,
        saved_at=now.isoformat(timespec="seconds"),
        saved_at_text=now.strftime("%H:%M"),
        changed=changed,
    )
