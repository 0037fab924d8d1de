"""The warning step before one audit is allotted, reassigned or scheduled on the rota: the
QA lead reads the warnings (their own team, their own service area, a case audited in the
last 12 months) on a page of their own before anything is saved, and goes ahead or changes
their choices, as bulk allotment's preview does. The page carries the choices back as
entered, with a fingerprint of the warnings it showed: the change is made only if the
warnings that apply then are the same (otherwise they are shown again)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from flask.typing import ResponseReturnValue

from qa_audit.rota.services import warnings_digest

# What the warning page does not carry back (the buttons, the token and the fingerprint).
NOT_CARRIED = {"csrf_token", "warned", "confirm", "change"}


@dataclass(frozen=True)
class Step:
    """The words and links of one warning page."""

    title: str
    caption: str
    summary: str
    button: str
    # The choices' form again, with what was entered ("Change" posts back to it), or None
    # when going back is a link (``back``).
    change: str | None
    back: str
    back_text: str


def read_first(warnings: list[str]) -> bool:
    """Whether the warnings must be shown before the change: there are some, and they are not
    the very ones of the warning page the QA lead went ahead from."""
    return bool(warnings) and request.form.get("warned") != warnings_digest(warnings)


def changing() -> bool:
    """The QA lead pressed "Change" on the warning page: show the choices as entered."""
    return request.method == "POST" and "change" in request.form


def warning_page(step: Step, warnings: list[str]) -> ResponseReturnValue:
    carried = [(k, v) for k, v in request.form.items(multi=True) if k not in NOT_CARRIED]
    return render_template(
        "rota/check_warnings.html",
        step=step,
        warnings=warnings,
        carried=carried,
        warned=warnings_digest(warnings),
        action=request.full_path.rstrip("?"),
    )
