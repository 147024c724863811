"""Forms for the second step of signing in, setting up an app, and confirming it is you."""

from __future__ import annotations

from wtforms.validators import DataRequired, ValidationError

from forum.accounts.forms import secret_ok
from forum.accounts.security import totp
from forum.web.forms import BaseForm, SecretField, TextField

ENTER_CODE = "Enter the 6-digit code from your authenticator app"


def six_digits(form, field):
    code = totp.normalise_code(field.data or "")
    if not code:
        return
    if len(code) != totp.DIGITS or not (code.isascii() and code.isdigit()):
        raise ValidationError("The code must be 6 digits, like 123456")
    field.data = code


def recovery_shape(form, field):
    if field.data and totp.normalise_recovery_code(field.data) is None:
        raise ValidationError("A recovery code is 12 letters and numbers, like abcd-2345-efgh")


class CodeForm(BaseForm):
    code = TextField(
        ENTER_CODE,
        description="It changes every 30 seconds.",
        validators=[DataRequired(ENTER_CODE), six_digits],
    )


class RecoveryCodeForm(BaseForm):
    code = TextField(
        "Enter one of your recovery codes",
        description="You were given 10 codes when you set up your authenticator app. "
        "Each one works once.",
        validators=[DataRequired("Enter one of your recovery codes"), recovery_shape],
    )


class ReauthenticateForm(BaseForm):
    """A password, or a code when the person has an app (either is enough)."""

    code = TextField(ENTER_CODE, validators=[six_digits])
    password = SecretField("Your password", validators=[secret_ok])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not (self.code.data or self.password.data):
            field = self.code if getattr(self, "with_code", False) else self.password
            field.errors = [
                "Enter the 6-digit code from your authenticator app, or your password"
                if field is self.code
                else "Enter your password"
            ]
            return False
        return True
