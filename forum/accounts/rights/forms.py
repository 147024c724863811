"""The form that confirms an account's deletion."""

from __future__ import annotations

from wtforms.validators import InputRequired

from forum.accounts.forms import secret_ok
from forum.web.forms import BaseForm, SecretField


class DeleteAccountForm(BaseForm):
    password = SecretField(
        "Your password",
        description="So we know it is you, and not someone using a device you left signed in.",
        validators=[InputRequired("Enter your password to delete your account"), secret_ok],
    )
