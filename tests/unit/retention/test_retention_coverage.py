"""Every column that can hold words somebody typed is either cleared by the retention schedule
or named here with the reason it is kept, so a new box of free text cannot be forgotten."""

from __future__ import annotations

from sqlalchemy import String, Text

from qa_audit.core.extensions import db as _db
from qa_audit.retention import parts

# Long text columns the schedule leaves alone, and why.
KEPT = {
    # Reference data and accounts: no child's case in them.
    ("audit_tool", "name"): "reference data",
    ("audit_tool", "description"): "reference data",
    ("audit_tool", "overall_title"): "reference data",
    ("audit_tool_domain", "title"): "reference data",
    ("learning_theme", "name"): "reference data",
    ("service_area", "name"): "reference data",
    ("team", "name"): "reference data",
    ("dip_sample_question", "text"): "a checklist question, written before any case",
    ("audit_quality_rating", "item_text"): "the checklist's wording",
    ("dip_sample", "title"): "a theme's title, kept for the report (docs/retention.md)",
    ("calibration_round", "title"): "a round's title, kept for the results over rounds",
    ("allocation", "exemption_approved_by"): "a member of staff",
    ("user_account", "email"): "a member of staff",
    ("user_account", "name"): "a member of staff",
    ("user_account", "password_hash"): "a member of staff",
    ("single_sign_on_group_role", "group_id"): "an identity provider's group",
    ("single_sign_on_link", "issuer"): "a member of staff's sign-in",
    ("single_sign_on_link", "subject"): "a member of staff's sign-in",
    ("scim_identity", "external_id"): "a member of staff's sign-in",
    ("sign_in_session", "user_agent"): "a member of staff's browser",
    ("import_batch", "file_name"): "a spreadsheet's name, kept to trace an import",
    # The logs have their own retention (docs/retention.md, "What it does not reach").
    ("access_log", "path"): "the access log",
    ("access_log", "forwarded_for"): "the access log",
    # A final committee report is a committee paper with its own retention schedule; a draft
    # drops the quotes of an anonymised audit (docs/retention.md, "Committee reports").
    ("committee_report", "title"): "committee papers",
    ("committee_report", "introduction"): "committee papers",
    ("committee_report", "feedback_narrative"): "committee papers",
    ("committee_report_principle", "what_we_know"): "committee papers",
    ("committee_report_principle", "impact"): "committee papers",
    ("committee_report_quote", "said"): "committee papers",
    ("committee_report_image", "alt_text"): "committee papers",
    ("committee_report_image", "caption"): "committee papers",
    ("committee_report_image", "consent_note"): "committee papers",
}

ALL_PARTS = (
    *parts.AUDIT_PARTS,
    *parts.ALLOCATION_PARTS,
    *parts.DIP_SAMPLE_PARTS,
    *parts.CALIBRATION_ROUND_PARTS,
)


def long_text_columns() -> set[tuple[str, str]]:
    """Columns of unbounded text, or bounded at 200 characters or more."""
    found = set()
    for table in _db.metadata.sorted_tables:
        for column in table.columns:
            kind = column.type
            if type(kind) is Text or (isinstance(kind, String) and (kind.length or 0) >= 200):
                found.add((table.name, column.name))
    return found


def test_every_long_text_column_is_cleared_or_kept_for_a_reason(app) -> None:  # type: ignore[no-untyped-def]
    cleared = {(part.table.name, name) for part in ALL_PARTS for name in part.columns}
    with app.app_context():
        forgotten = long_text_columns() - cleared - set(KEPT)
    assert forgotten == set()


def test_nothing_is_both_cleared_and_kept(app) -> None:  # type: ignore[no-untyped-def]
    cleared = {(part.table.name, name) for part in ALL_PARTS for name in part.columns}
    assert cleared & set(KEPT) == set()
    with app.app_context():
        assert set(KEPT) <= long_text_columns()
