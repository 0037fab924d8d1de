"""Finalising a committee report's draft, sharing a final with viewers, and the report's Word
and PDF documents."""

from __future__ import annotations

from flask import Response, abort, flash
from flask.typing import ResponseReturnValue
from flask_login import current_user

from qa_audit.access_log.exports import record_export
from qa_audit.auth.permissions import roles_required
from qa_audit.auth.roles import Role
from qa_audit.committee_reports import documents, services
from qa_audit.committee_reports.forms import FinaliseForm, SharingForm
from qa_audit.committee_reports.views import (
    READERS,
    bp,
    changeable_draft,
    readable_or_404,
    reads_as_viewer,
    to_report,
)
from qa_audit.core.transaction import attempt
from qa_audit.reports.exports import committee

DOCUMENTS = {
    "docx": (
        committee.committee_docx,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": (committee.committee_pdf, "application/pdf"),
}


@bp.route("/<int:report_id>/finalise", methods=["POST"])
@roles_required(Role.QA_LEAD)
def finalise(report_id: int) -> ResponseReturnValue:
    report = changeable_draft(report_id)
    form = FinaliseForm()
    if not form.validate_on_submit():
        abort(400)
    with attempt() as outcome:
        services.finalise(current_user, report, form.version_number())
    if outcome.ok:
        flash("The report is final: its figures and words are kept as they are now", "success")
    return to_report(report)


@bp.route("/<int:report_id>/sharing", methods=["POST"])
@roles_required(Role.QA_LEAD)
def sharing(report_id: int) -> ResponseReturnValue:
    report = readable_or_404(report_id)
    form = SharingForm()
    if not form.validate_on_submit():
        abort(400)
    with attempt() as outcome:
        services.set_shareable(
            current_user, report, form.version_number(), bool(form.shareable.data)
        )
    if outcome.ok:
        flash("Sharing with viewers has been saved", "success")
    return to_report(report)


@bp.route("/<int:report_id>/download.<fmt>")
@roles_required(*READERS)
def download(report_id: int, fmt: str) -> ResponseReturnValue:
    if fmt not in DOCUMENTS:
        abort(404)
    report = readable_or_404(report_id)
    for_viewer = reads_as_viewer()
    render, mimetype = DOCUMENTS[fmt]
    try:
        body = render(documents.figures(report, for_viewer), documents.content(report, for_viewer))
    except NotImplementedError:
        abort(404)
    record_export(
        current_user,
        "committee_report",
        file_format=fmt,
        rows=1,
        filters={"reference": f"committee report {report.id}", "status": report.status},
    )
    name = f"committee-report-{report.period_from}-to-{report.period_to}.{fmt}"
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
