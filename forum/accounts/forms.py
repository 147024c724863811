"""Account forms."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from wtforms.validators import DataRequired, InputRequired, ValidationError

from forum.accounts.passwords import MAX_LENGTH, problem_with
from forum.web.forms import BaseForm, MaxLength, SecretField, TextField


def email_address(form, field):
    value = field.data or ""
    if len(value) > 254:
        raise ValidationError("Email address must be 254 characters or fewer")
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(
            "Enter an email address in the correct format, like name@example.com"
        ) from exc


def display_name_rules(form, field):
    if not any(ch.isalnum() for ch in field.data or ""):
        raise ValidationError("Enter a name that has at least one letter or number")


def new_password_rules(form, field):
    account = getattr(form, "account", None)
    if account is not None:
        email, name = account.email, account.display_name
    else:
        email, name = form.email.data or "", form.display_name.data or ""
    problem = problem_with(field.data or "", email=email, display_name=name)
    if problem:
        raise ValidationError(problem)


def secret_ok(form, field):
    if field.data == "\x00invalid":
        raise ValidationError("Password must not contain control characters")
    if len(field.data or "") > MAX_LENGTH:
        raise ValidationError(f"Password must be {MAX_LENGTH} characters or fewer")


class RegisterForm(BaseForm):
    display_name = TextField(
        "Your name",
        description="Shown to others in the areas you join. You can use a first name only.",
        validators=[
            DataRequired("Enter your name"),
            MaxLength(80, "Your name"),
            display_name_rules,
        ],
    )
    email = TextField(
        "Email address",
        description="We will send you a link to confirm it.",
        validators=[DataRequired("Enter your email address"), email_address],
    )
    password = SecretField(
        "Create a password",
        description="At least 12 characters. Three random words together work well.",
        validators=[InputRequired("Create a password"), secret_ok, new_password_rules],
    )


class SignInForm(BaseForm):
    email = TextField(
        "Email address", validators=[DataRequired("Enter your email address"), email_address]
    )
    password = SecretField("Password", validators=[InputRequired("Enter your password"), secret_ok])


class ForgotPasswordForm(BaseForm):
    email = TextField(
        "Email address", validators=[DataRequired("Enter your email address"), email_address]
    )


class _ForAccount(BaseForm):
    """A new-password form for an existing account, whose email and name the password must
    not contain."""

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account


class ResetPasswordForm(_ForAccount):
    password = SecretField(
        "New password",
        description="At least 12 characters. Three random words together work well.",
        validators=[InputRequired("Create a new password"), secret_ok, new_password_rules],
    )


class ChangePasswordForm(_ForAccount):
    current_password = SecretField(
        "Current password", validators=[InputRequired("Enter your current password"), secret_ok]
    )
    password = SecretField(
        "New password",
        description="At least 12 characters. Changing it signs you out on every device.",
        validators=[InputRequired("Create a new password"), secret_ok, new_password_rules],
    )

    def validate_password(self, field):
        if field.data and field.data == self.current_password.data:
            raise ValidationError("Your new password must be different from your current one")


class ProfileForm(BaseForm):
    display_name = TextField(
        "Your name",
        validators=[
            DataRequired("Enter your name"),
            MaxLength(80, "Your name"),
            display_name_rules,
        ],
    )


class ChangeEmailForm(BaseForm):
    email = TextField(
        "New email address",
        validators=[DataRequired("Enter your new email address"), email_address],
    )
    password = SecretField(
        "Your password",
        description="To keep your account safe we need your password to change your email.",
        validators=[InputRequired("Enter your password"), secret_ok],
    )
