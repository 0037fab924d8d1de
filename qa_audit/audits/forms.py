"""Forms of the auditor's journey: start an audit, the audit form, return an audit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional, ValidationError

from qa_audit.actions.form_fields import practitioner_name_field, practitioner_role_field
from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.audit_tools.models import AuditTool, AuditToolDomain
from qa_audit.audits import services
from qa_audit.audits.form_fields import (
    Chosen,
    DayMonthYearField,
    Needed,
    date_required,
    long_text,
    optional_int,
)
from qa_audit.audits.models import (
    FEEDBACK_WHO_LABELS,
    Audit,
    AuditType,
    FeedbackHow,
    FeedbackTone,
)
from qa_audit.audits.services.drafting import evidence_label
from qa_audit.auth.models import User
from qa_audit.core.errors import DomainError
from qa_audit.core.form_fields import (
    checkboxes,
    radios,
    select,
    submit_button,
    text_input,
)
from qa_audit.core.forms import VersionedForm, by_name, choices, labelled
from qa_audit.learning_themes.models import LearningTheme
from qa_audit.organisation.forms import team_options, teams_of_area
from qa_audit.organisation.models import ServiceArea

NA_HINT = "Only where this domain does not apply to the child's circumstances"
# The add-an-action part, in page order (fields ``action-<name>``).
ACTION_FIELDS = [
    "description",
    "owner_id",
    "practitioner_role",
    "practitioner_name",
    "due_on",
]


class StartAuditForm(FlaskForm):
    """Start an audit: which case, where, when, and what kind."""

    case_ref = text_input(
        "Case reference",
        max_length=60,
        too_long="The case reference must be 30 characters or fewer",
        description="The child's ID in the case-management system, for example 1234567. "
        "Never the child's name.",
    )
    service_area_id = select(
        "Service area",
        coerce=optional_int,
        validators=[Chosen("Select the service area")],
        validate_choice=False,
    )
    team_id = select(
        "Team",
        coerce=optional_int,
        description="The team that holds the case",
        validators=[Chosen("Select the team")],
        validate_choice=False,
    )
    audit_date = DayMonthYearField(
        "Audit date",
        "audit date",
        description="The day you looked at the case, for example 27 3 2025",
        validators=[date_required("Enter the audit date")],
    )
    audit_type = radios(
        "Type of audit",
        default=AuditType.DEEP_DIVE.value,
        validators=[Needed("Select the type of audit")],
    )
    previous_audit_ref = text_input(
        "Earlier audit reference (closing the loop only)",
        validators=[Optional()],
        max_length=40,
        description="For example QA-000123. Leave blank to link the most recent submitted "
        "audit of this case.",
    )
    allocation_id = HiddenField()
    submit = submit_button("Start the audit")

    def __init__(self, areas: list[ServiceArea], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        self.service_area_id.choices = choices(by_name(areas), blank="Choose a service area")
        self.team_options = team_options(areas)
        self.narrow_teams(self.service_area_id.data)
        self.audit_type.choices = choices(labelled(AuditType))

    def narrow_teams(self, area_id: int | None) -> None:
        """List the chosen area's teams alone (a script narrows the list as the area is
        chosen; without it, once the form comes back or a link has chosen the area)."""
        self.team_id.choices = choices(teams_of_area(self.areas, area_id), blank="Choose a team")

    def validate_case_ref(self, field: StringField) -> None:
        try:
            field.data = services.validate_case_ref(field.data or "")
        except DomainError as error:
            raise ValidationError(error.message) from error


class ReturnForm(FlaskForm):
    """The QA lead's reason for sending an audit back to its auditor."""

    reason = long_text(
        "Why are you returning the audit?",
        services.REASON_MAX,
        "The reason must be 2,000 characters or fewer",
        validators=[Needed("Enter why the audit is being returned")],
        description="The auditor sees this reason. Say what needs to change.",
    )
    submit = submit_button("Return to auditor")


def _radios(label: str, needed: str | None = None) -> RadioField:
    """Radios whose choices are set per audit; the service checks the value chosen."""
    return radios(label, validators=[Needed(needed)] if needed else [], validate_choice=False)


def _text(
    label: str, max_len: int, description: str | None = None, *, named: str | None = None
) -> TextAreaField:
    """``named`` is how messages name the box (with its domain), so a refused box is found
    wherever the message is read."""
    return long_text(
        label,
        max_len,
        f"{named or label} must be {max_len:,} characters or fewer",
        description=description or "",
    )


class AuditFormBase(VersionedForm):
    """The audit form: one section per domain of the audit's tool, the overall judgement,
    learning themes, and the add-a-conversation and add-an-action parts.

    Field names are flat (``assessment-grade``, ``feedback-said``, ``action-due_on``) so that
    the error summary links straight to each input."""

    # The form always edits a stored audit: a blank version is refused.
    version_required = True
    # Built by audit_form() in page order (the error summary lists errors in field order).
    overall_grade: RadioField
    overall_rationale: TextAreaField
    learning_themes: SelectMultipleField
    domains: list[AuditToolDomain]
    tool: AuditTool

    def __init__(
        self,
        audit: Audit,
        themes: Iterable[LearningTheme],
        owners: Iterable[User],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.audit = audit
        self.overall_grade.choices = choices(labelled(GRADED))
        self.learning_themes.choices = choices(
            (t.id, t.name if t.active else f"{t.name} (retired)") for t in themes
        )
        self["feedback-who"].choices = choices(FEEDBACK_WHO_LABELS.items())
        self["feedback-how"].choices = choices(labelled(FeedbackHow))
        self["feedback-tone"].choices = choices(labelled(FeedbackTone))
        self["action-owner_id"].choices = choices(
            by_name(owners), blank="Choose who owns the action"
        )
        for domain in self.domains:
            self[f"{domain.key}-grade"].choices = choices(labelled(domain.grade_choices))

    # --- filling from the audit, reading back ------------------------------------------------

    def fill_from(self, audit: Audit) -> None:
        """Show what is stored (on GET)."""
        self.version.data = str(audit.version)
        for row in audit.grades:
            self[f"{row.domain_key}-grade"].data = row.grade
            for name in services.EVIDENCE_FIELDS:
                self[f"{row.domain_key}-{name}"].data = getattr(row, name)
        self.overall_grade.data = audit.overall_grade
        self.overall_rationale.data = audit.overall_rationale
        self.learning_themes.data = [t.id for t in audit.learning_themes]

    def draft_data(self, section: str | None = None) -> services.DraftData:
        """The form's content for services.save_draft: one section's (all when None), leaving
        out any field whose format was refused, so that the rest is still saved."""
        shown = self.draft_field_names(section)
        kept = frozenset(
            name
            for name in self.draft_field_names()
            if name not in shown or self._fields[name].errors
        )
        data = services.DraftData(
            overall_grade=self.overall_grade.data or None,
            overall_rationale=self.overall_rationale.data or "",
            learning_theme_ids=None
            if "learning_themes" in kept
            else list(self.learning_themes.data or []),
            kept=kept,
        )
        for domain in self.domains:
            if f"{domain.key}-grade" not in shown:
                continue
            data.domains[domain.key] = services.DomainEntry(
                grade=self[f"{domain.key}-grade"].data or None,
                working_well=self[f"{domain.key}-working_well"].data or "",
                needs_improvement=self[f"{domain.key}-needs_improvement"].data or "",
                impact=self[f"{domain.key}-impact"].data or "",
            )
        return data

    # --- validation of one part at a time ----------------------------------------------------

    def draft_field_names(self, section: str | None = None) -> list[str]:
        """The draft's fields of one section of the task list (every section's when None)."""
        names = []
        for domain in self.domains:
            if section in (None, domain.key):
                names.append(f"{domain.key}-grade")
                names.extend(f"{domain.key}-{n}" for n in services.EVIDENCE_FIELDS)
        if section in (None, "overall"):
            names += ["overall_grade", "overall_rationale"]
        if section in (None, "themes"):
            names.append("learning_themes")
        return names

    def _validate_fields(self, names: list[str]) -> bool:
        if "csrf_token" in self._fields:
            names = ["csrf_token", *names]
        ok = True
        for name in names:
            # The form's own validate_<field> checks (the version's) run with the field's.
            inline = getattr(type(self), f"validate_{name}", None)
            if not self._fields[name].validate(self, [inline] if inline else []):
                ok = False
        return ok

    def validate_draft(self, section: str | None = None) -> bool:
        """Formats only (lengths, numbers): a draft may be as incomplete as the auditor likes.
        Every field is checked, so each refused one has its message."""
        return self._validate_fields(["version", *self.draft_field_names(section)])

    def draft_errors(self) -> dict[str, str]:
        """Each refused field's first message, by field name."""
        return {name: f.errors[0] for name, f in self._fields.items() if f.errors}

    def validate_feedback(self) -> bool:
        names = [
            "feedback-who",
            "feedback-how",
            "feedback-said",
            "feedback-tone",
            "feedback-consent",
        ]
        return self._validate_fields(names)

    def validate_action(self) -> bool:
        return self._validate_fields([f"action-{name}" for name in ACTION_FIELDS])

    def show_error(self, name: str | None, message: str) -> None:
        """Put a service's message on the field it names (or on the form's first field)."""
        if name == "actions":
            name = "action-description"
        field = self._fields.get(name or "") or self._fields["overall_grade"]
        field.errors = [*list(field.errors or []), message]

    # --- GOV.UK macro parameters ---------------------------------------------------------------

    def grade_params(self, domain: AuditToolDomain) -> dict:
        """Radios for one domain, each grade with its descriptor as the hint."""
        items = []
        for grade in domain.grade_choices:
            if grade is Grade.NOT_APPLICABLE:
                items.append({"hint": {"text": NA_HINT}})
            else:
                items.append({"hint": {"text": domain.descriptor(grade)}})
        return {
            "fieldset": {
                "legend": {
                    "text": f"Grade for {domain.title}",
                    "classes": "govuk-fieldset__legend--s",
                }
            },
            "hint": None,
            "items": items,
        }

    def overall_params(self) -> dict:
        return {
            "fieldset": {
                "legend": {"text": "Overall grade", "classes": "govuk-fieldset__legend--s"}
            },
            "hint": None,
            "items": [{"hint": {"text": self.tool.overall_descriptor(g)}} for g in GRADED],
        }


def audit_form(
    audit: Audit,
    themes: Iterable[LearningTheme],
    owners: Iterable[User],
    **kwargs: Any,
) -> AuditFormBase:
    """The audit form for this audit's tool version (one grade and three evidence boxes per
    domain)."""
    tool = audit.tool
    attrs: dict[str, Any] = {"domains": list(tool.domains), "tool": tool}
    for domain in tool.domains:
        attrs[f"{domain.key}-grade"] = _radios(f"Grade for {domain.title}")
        for name in services.EVIDENCE_FIELDS:
            attrs[f"{domain.key}-{name}"] = _text(
                services.EVIDENCE_LABELS[name],
                services.TEXT_MAX,
                named=evidence_label(domain.title, name),
            )
    attrs["overall_grade"] = _radios("Overall grade")
    attrs["overall_rationale"] = _text(
        "Rationale for the overall grade",
        services.TEXT_MAX,
        "Why this grade: the difference our involvement has made for the child",
    )
    attrs["learning_themes"] = checkboxes(
        "Learning themes",
        coerce=int,
        description="Select all that apply",
        validate_choice=False,
    )
    attrs["feedback-who"] = _radios("Who did you speak to?", "Select who you spoke to")
    attrs["feedback-how"] = _radios("How did you speak to them?", "Select how you spoke to them")
    attrs["feedback-said"] = long_text(
        "What they said",
        services.SAID_MAX,
        "What they said must be 5,000 characters or fewer",
        validators=[Needed("Enter what they said")],
        description="A quote in their words, or a summary",
    )
    attrs["feedback-tone"] = _radios(
        "Was the feedback positive or constructive?",
        "Select whether the feedback was positive or constructive",
    )
    attrs["feedback-consent"] = BooleanField(
        "They agreed to be quoted anonymously", widget=GovCheckboxInput()
    )
    attrs["action-description"] = long_text(
        "What needs to happen",
        2000,
        "The action must be 2,000 characters or fewer",
        validators=[Needed("Enter what needs to be done")],
    )
    attrs["action-owner_id"] = select(
        "Who owns the action",
        coerce=optional_int,
        validators=[Chosen("Select who owns the action")],
        validate_choice=False,
    )
    attrs["action-practitioner_role"] = practitioner_role_field()
    attrs["action-practitioner_name"] = practitioner_name_field()
    attrs["action-due_on"] = DayMonthYearField(
        "Due date",
        "due date",
        description="For example 27 3 2025",
        validators=[date_required("Enter the date the action is due")],
    )
    form_class = type(f"AuditForm_{tool.key.replace('-', '_')}", (AuditFormBase,), attrs)
    return form_class(audit, themes, owners, **kwargs)
