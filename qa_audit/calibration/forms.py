"""The calibration forms: a new round, an invitee's grades, a reference grade, the
discussion's notes and closing a round early."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Optional, ValidationError

from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.audit_tools.models import AuditTool
from qa_audit.auth.models import User
from qa_audit.calibration.grading import RATIONALE_MAX, Entry, field_for
from qa_audit.calibration.models import CalibrationRound
from qa_audit.calibration.rounds import RoundDraft, grades_for
from qa_audit.core.clock import local_today
from qa_audit.core.form_fields import (
    DateRequired,
    GovDateField,
    checkboxes,
    id_or_none,
    radios,
    select,
    submit_button,
    text_area,
    text_input,
)
from qa_audit.core.forms import VersionedForm, by_name, choices, labelled

SOURCES = [("audit", "A submitted audit"), ("case", "A case to be read")]


class NewRoundForm(FlaskForm):
    """What the group grades, which domains, by when, and who is invited."""

    title = text_input(
        "Name of the round",
        "Enter a name for the round",
        max_length=200,
        too_long="The name must be 200 characters or fewer",
        description="For example, Spring calibration: child in need.",
    )
    source = radios(
        "What will the group grade?", "Select what the group will grade", choices=choices(SOURCES)
    )
    audit_reference = text_input(
        "Audit reference",
        max_length=40,
        too_long="The audit reference must be 40 characters or fewer",
        description="A submitted audit. Its evidence is shown without the auditor's grades.",
    )
    case_ref = text_input(
        "Case reference",
        max_length=30,
        too_long="The case reference must be 30 characters or fewer",
        description="The reference from the case-management system, never the child's name.",
    )
    tool_id = select("Audit tool", coerce=id_or_none, validators=[Optional()])
    instructions = text_area(
        "Instructions for the group",
        max_length=5000,
        too_long="The instructions must be 5000 characters or fewer",
        description="What to read in the case record, and anything to leave out.",
    )
    domain_keys = checkboxes(
        "Domains to grade",
        "Select at least one domain to grade",
        description="Everyone also gives an overall grade.",
    )
    deadline = GovDateField(
        "Deadline",
        description="Grades can be saved until the end of this day. For example, 27 3 2026.",
        validators=[DateRequired("Enter the deadline")],
    )
    invitee_ids = checkboxes(
        "Who is invited",
        "Select at least 2 people to invite",
        coerce=int,
        description="Auditors, moderators and service managers. Select at least 2.",
    )
    submit = submit_button("Create the round")

    def __init__(self, tools: list[AuditTool], people: list[User], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tool_id.choices = choices(((t.id, t.name) for t in tools), blank="Select a tool")
        titles: dict[str, str] = {}
        for tool in tools:
            for domain in tool.domains:
                titles.setdefault(domain.key, domain.title)
        self.domain_keys.choices = choices(titles.items())
        self.invitee_ids.choices = choices((int(i), name) for i, name in by_name(people))

    def validate_audit_reference(self, field: StringField) -> None:
        if self.source.data == "audit" and not (field.data or "").strip():
            raise ValidationError("Enter the audit reference")

    def validate_case_ref(self, field: StringField) -> None:
        if self.source.data == "case" and not (field.data or "").strip():
            raise ValidationError("Enter the case reference")

    def draft(self) -> RoundDraft:
        """The round asked for (the service checks it)."""
        audit = self.source.data == "audit"
        return RoundDraft(
            title=self.title.data or "",
            deadline=self.deadline.data,
            invitee_ids=list(self.invitee_ids.data or []),
            domain_keys=list(self.domain_keys.data or []),
            audit_reference=(self.audit_reference.data or "") if audit else "",
            case_ref="" if audit else (self.case_ref.data or ""),
            tool_id=None if audit else self.tool_id.data,
            instructions="" if audit else (self.instructions.data or ""),
            today=local_today(),
        )


class GradingForm(VersionedForm):
    """An invitee's grade and short rationale for each domain and the overall judgement."""

    version_required = True
    save = submit_button("Save and come back later")
    submit = submit_button("Submit your grades")

    keys: list[str]

    @property
    def submitting(self) -> bool:
        return bool(self.submit.data)

    def entries(self) -> dict[str, Entry]:
        found = {}
        for key in self.keys:
            value = self[field_for(key)].data
            grade = Grade(value) if value in {g.value for g in Grade} else None
            found[key] = Entry(grade, self[f"d_{key}_rationale"].data or "")
        return found

    def fill_from(self, saved: dict[str, tuple[str, str]]) -> None:
        for key, (grade, rationale) in saved.items():
            if key in self.keys:
                self[field_for(key)].data = grade
                self[f"d_{key}_rationale"].data = rationale


def grading_form(calibration_round: CalibrationRound, **kwargs: Any) -> GradingForm:
    """A GradingForm with the round's domains, then the overall judgement."""

    class Form(GradingForm):
        pass

    for key in calibration_round.keys:
        title = calibration_round.title_of(key)
        label = "Your overall grade" if key == "overall" else f"Your grade for {title}"
        setattr(
            Form,
            field_for(key),
            radios(
                label,
                choices=choices(labelled(grades_for(calibration_round, key))),
                validators=[Optional()],
            ),
        )
        setattr(
            Form,
            f"d_{key}_rationale",
            text_area(
                f"Why (optional): {title}",
                max_length=RATIONALE_MAX,
                too_long=f"The rationale must be {RATIONALE_MAX} characters or fewer",
            ),
        )
    form = Form(**kwargs)
    form.keys = calibration_round.keys
    return form


class ReferenceForm(FlaskForm):
    """The reference grade of one domain, set by the QA lead after discussion, and why."""

    domain_key = select("Domain", "Select the domain")
    grade = radios(
        "Reference grade",
        "Select the reference grade",
        choices=choices(labelled([*GRADED, Grade.NOT_APPLICABLE])),
    )
    note = text_area(
        "Why this is the reference grade",
        "Enter why this is the reference grade",
        max_length=5000,
        too_long="The note must be 5000 characters or fewer",
    )
    submit = submit_button("Save the reference grade")

    def __init__(self, calibration_round: CalibrationRound, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.domain_key.choices = choices(
            ((k, calibration_round.title_of(k)) for k in calibration_round.keys),
            blank="Select a domain",
        )


class DiscussionForm(VersionedForm):
    """The notes of the group's discussion of the results."""

    version_required = True
    notes = text_area(
        "Notes of the discussion",
        max_length=20000,
        too_long="The notes must be 20000 characters or fewer",
        description="What the group agreed, and what it means for practice and for grading.",
    )
    submit = submit_button("Save the notes")


class CloseForm(VersionedForm):
    """Close a round before its deadline."""

    version_required = True
    submit = submit_button("Close the round and show the results")
