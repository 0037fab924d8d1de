"""The e-mail inviting each person to a new calibration round (sent once the round is
committed, when SMTP is configured). It names the round and its deadline, never the case."""

from __future__ import annotations

from qa_audit.calibration.models import CalibrationRound
from qa_audit.core.months import long_date
from qa_audit.core.notifications import send_after_commit


def invitation_email(calibration_round: CalibrationRound, link: str) -> tuple[str, str]:
    subject = f"Calibration round to grade by {long_date(calibration_round.deadline)}"
    body = (
        f"You are invited to the calibration round '{calibration_round.title}'.\n\n"
        "Grade the case on your own: nobody sees your grades, and you do not see anyone "
        "else's, until the results open after the deadline. You can save and come back "
        f"until the end of {long_date(calibration_round.deadline)}; once you submit, your "
        "grades are final.\n\n"
        f"Grade it here: {link}\n"
    )
    return subject, body


def notify_invited(calibration_round: CalibrationRound, link: str) -> None:
    """E-mail everyone invited, once the round is committed."""
    subject, body = invitation_email(calibration_round, link)
    for invitation in calibration_round.invitations:
        send_after_commit([invitation.person.email], subject, body)
