"""Sign-in and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import ValidationError

from qa_audit.core.form_fields import password_input, submit_button, text_input


class SignInForm(FlaskForm):
    """E-mail and password."""

    email = text_input("E-mail address", "Enter your e-mail address")
    password = password_input("Password", "Enter your password")
    submit = submit_button("Sign in")


class ChangePasswordForm(FlaskForm):
    """The current password and a new one, twice."""

    current_password = password_input("Current password", "Enter your current password")
    new_password = password_input(
        "New password",
        "Enter a new password",
        description="At least 12 characters. A few unrelated words make a strong password.",
    )
    confirm_password = password_input("Confirm new password", "Enter the new password again")
    submit = submit_button("Change password")

    def validate_confirm_password(self, field: PasswordField) -> None:
        if field.data != self.new_password.data:
            raise ValidationError("The passwords do not match")
