"""Moderation forms: the moderation itself (built for the audit's domains), assigning, adding
and withdrawing by hand, the sampling rules, and recording a reflective conversation."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField
from wtforms.validators import InputRequired, Optional

from qa_audit.actions.form_fields import practitioner_name_field, practitioner_role_field
from qa_audit.audit_tools.grades import GRADED, Grade
from qa_audit.auth.models import User
from qa_audit.core.errors import DomainError
from qa_audit.core.form_fields import (
    radios,
    select,
    submit_button,
    text_area,
    text_input,
)
from qa_audit.core.forms import VersionedForm, apply_domain_error, by_name, choices, labelled
from qa_audit.moderation.blind_forms import add_quality_fields, fill_quality, quality_answers
from qa_audit.moderation.models import Moderation
from qa_audit.moderation.quality import QualityAnswer, checklist_for
from qa_audit.moderation.reflective import RemedialAction
from qa_audit.moderation.services import (
    OVERALL,
    Judgement,
    domain_title,
    resolve_judgement,
)

DECISIONS = [("agree", "Agree"), ("regrade", "Regrade")]
REMEDIAL_ACTION_SLOTS = 3
BAD_DATE = "Enter a real date, for example 27 3 2024"


class GovDateField(DateField):
    """A day / month / year date; anything but three parts (a crafted post) counts as blank."""

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        raw: list[str] | None = getattr(self, "raw_data", None)
        if raw is not None and len(raw) != 3:
            self.raw_data = None
            self.process_errors: list[str] = []


def _whole_number(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class ModerationForm(VersionedForm):
    """The moderator's Agree or Regrade for each domain and the overall grade."""

    version_required = True
    save = submit_button("Save and come back later")
    complete = submit_button("Complete moderation")

    moderation: Moderation
    domain_keys: list[str]

    def field(self, key: str, part: str) -> Any:
        return self[f"{self.prefix_for(key)}_{part}"]

    @staticmethod
    def prefix_for(key: str) -> str:
        return OVERALL if key == OVERALL else f"d_{key}"

    def judgement(self, key: str) -> Judgement:
        decision = self.field(key, "decision").data
        grade = self.field(key, "grade").data
        return Judgement(
            agree=None if decision not in ("agree", "regrade") else decision == "agree",
            grade=Grade(grade) if grade in {g.value for g in Grade} else None,
            rationale=self.field(key, "rationale").data or "",
        )

    def judgements(self) -> dict[str, Judgement]:
        return {key: self.judgement(key) for key in self.domain_keys}

    def quality(self) -> dict[str, QualityAnswer]:
        """The audit-quality checklist's ratings (qa_audit.moderation.quality)."""
        return quality_answers(self, self.moderation)

    @property
    def completing(self) -> bool:
        return bool(self.complete.data)

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then every judgement checked by the service's own rule (all at once)."""
        ok = super().validate(extra_validators)
        audit = self.moderation.audit
        moderation = self.moderation
        for row in audit.grades:
            allowed = row.tool_domain.grade_choices if row.tool_domain else list(GRADED)
            blind = moderation.blind_grade_for(row.domain_key)
            ok = (
                self._check(row.domain_key, row.grade_enum, domain_title(row), allowed, blind)
                and ok
            )
        ok = (
            self._check(
                OVERALL, audit.overall, "the overall grade", list(GRADED), moderation.blind_overall
            )
            and ok
        )
        if self.completing and not (self.overall_rationale.data or "").strip():
            self.overall_rationale.errors = [
                *self.overall_rationale.errors,
                "Give your rationale for the overall grade",
            ]
            ok = False
        return ok

    def _check(
        self,
        key: str,
        original: Grade | None,
        title: str,
        allowed: list[Grade],
        blind: Grade | None = None,
    ) -> bool:
        try:
            resolve_judgement(
                self.judgement(key),
                original,
                title,
                self.prefix_for(key),
                allowed,
                self.completing,
                blind,
            )
        except DomainError as error:
            apply_domain_error(self, error, f"{self.prefix_for(key)}_decision")
            return False
        return True

    def fill_from(self, moderation: Moderation) -> None:
        """Show what has been saved so far (for a moderation in progress)."""
        self.version.data = str(moderation.version)
        for row in moderation.audit.grades:
            saved = moderation.grade_for(row.domain_key)
            if saved is not None:
                self._fill(row.domain_key, row.grade, saved.grade, saved.rationale)
        if moderation.overall_grade is not None:
            self._fill(
                OVERALL,
                moderation.audit.overall_grade,
                moderation.overall_grade,
                moderation.overall_rationale,
            )
        else:
            self.overall_rationale.data = moderation.overall_rationale
        fill_quality(self, moderation)

    def _fill(self, key: str, original: str | None, moderated: str, rationale: str) -> None:
        agreed = moderated == original
        self.field(key, "decision").data = "agree" if agreed else "regrade"
        self.field(key, "grade").data = None if agreed else moderated
        self.field(key, "rationale").data = rationale


def _add_judgement(
    form: type[ModerationForm],
    prefix: str,
    labels: tuple[str, str, str],
    grades: list[Grade],
    hint: str,
    max_length: int,
) -> None:
    """The Agree / Regrade radios, the new grade and the rationale of one judgement, labelled
    ``labels`` (in that order)."""
    decision, grade, rationale = labels
    optional = [Optional()]
    setattr(
        form,
        f"{prefix}_decision",
        radios(decision, choices=choices(DECISIONS), validators=optional),
    )
    setattr(
        form,
        f"{prefix}_grade",
        radios(grade, choices=choices(labelled(grades)), validators=optional),
    )
    setattr(
        form, f"{prefix}_rationale", text_area(rationale, max_length=max_length, description=hint)
    )


def moderation_form(moderation: Moderation, **kwargs: Any) -> ModerationForm:
    """A ModerationForm with Agree / Regrade, new grade and rationale for each domain."""
    audit = moderation.audit

    class Form(ModerationForm):
        pass

    keys = []
    for row in audit.grades:
        title = domain_title(row)
        allowed = row.tool_domain.grade_choices if row.tool_domain else list(GRADED)
        keys.append(row.domain_key)
        _add_judgement(
            Form,
            f"d_{row.domain_key}",
            (f"Your judgement of {title}", f"New grade for {title}", f"Rationale for {title}"),
            allowed,
            "Required when you regrade.",
            5000,
        )
    _add_judgement(
        Form,
        OVERALL,
        (
            "Your judgement of the overall grade",
            "New overall grade",
            "Your rationale for the overall grade",
        ),
        list(GRADED),
        "Required: the auditor will read it.",
        10000,
    )
    add_quality_fields(Form, checklist_for(audit))
    form = Form(**kwargs)
    form.moderation = moderation
    form.domain_keys = keys
    return form


class AssignForm(FlaskForm):
    """The QA lead gives a moderation to a moderator."""

    moderator_id = select(
        "Assign to", coerce=_whole_number, validators=[InputRequired("Choose a moderator")]
    )
    submit = submit_button("Assign")

    def __init__(self, moderators: list[User], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.moderator_id.choices = choices(by_name(moderators), blank="Choose a moderator")


class AddByHandForm(FlaskForm):
    """The QA lead adds any submitted audit to the moderation queue."""

    reference = text_input("Audit reference", "Enter the audit reference", max_length=40)
    reason = text_area(
        "Why this audit should be moderated",
        "Give the reason for adding this audit",
        max_length=2000,
    )
    blind = radios(
        "Moderate this audit blind?",
        choices=choices([("no", "No"), ("yes", "Yes")]),
        default="no",
        description="Blind: the moderator grades the audit before its grades are shown to them.",
        validators=[Optional()],
    )
    submit = submit_button("Add to the moderation queue")


class WithdrawForm(FlaskForm):
    """The QA lead takes an audit out of the moderation queue."""

    reason = text_area(
        "Why this audit is withdrawn from moderation",
        "Give the reason for withdrawing this audit",
        max_length=2000,
    )
    submit = submit_button("Withdraw from moderation")


class ReflectiveConversationForm(VersionedForm):
    """The service manager records a reflective conversation and its remedial actions."""

    version_required = True
    held_on = GovDateField(
        "Date held",
        widget=GovDateInput(),
        format="%d %m %Y",
        description="For example, 27 3 2024",
        validators=[InputRequired("Enter the date the conversation was held")],
    )
    participants = text_area(
        "Who took part",
        "Say who took part",
        max_length=2000,
        description="Names and roles: for example the auditor, the team manager, the social "
        "worker.",
    )
    learning = text_area("Learning", "Record the learning from the conversation", max_length=10000)
    submit = submit_button("Record the conversation")

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks; a date typed in part, or not a real date, is an error, not ignored."""
        ok = super().validate(extra_validators)
        slots = range(1, REMEDIAL_ACTION_SLOTS + 1)
        for name in ["held_on", *(f"action_{n}_due_on" for n in slots)]:
            field = self[name]
            typed = any((part or "").strip() for part in (field.raw_data or []))
            if typed and field.data is None:
                field.errors = [BAD_DATE]
                ok = False
        return ok

    def remedial_actions(self) -> list[RemedialAction]:
        return [
            RemedialAction(
                description=self[f"action_{n}_description"].data or "",
                due_on=self[f"action_{n}_due_on"].data,
                practitioner_role=self[f"action_{n}_practitioner_role"].data,
                practitioner_name=self[f"action_{n}_practitioner_name"].data,
            )
            for n in range(1, REMEDIAL_ACTION_SLOTS + 1)
        ]


for _n in range(1, REMEDIAL_ACTION_SLOTS + 1):
    setattr(
        ReflectiveConversationForm,
        f"action_{_n}_description",
        text_area(
            f"Remedial action {_n}",
            max_length=2000,
            description="Optional. You will own it; it joins the action list.",
        ),
    )
    setattr(
        ReflectiveConversationForm,
        f"action_{_n}_practitioner_role",
        practitioner_role_field(f"remedial action {_n}"),
    )
    setattr(
        ReflectiveConversationForm,
        f"action_{_n}_practitioner_name",
        practitioner_name_field(f"remedial action {_n}"),
    )
    setattr(
        ReflectiveConversationForm,
        f"action_{_n}_due_on",
        GovDateField(
            f"Remedial action {_n}: due date",
            widget=GovDateInput(),
            format="%d %m %Y",
            validators=[Optional()],
        ),
    )
