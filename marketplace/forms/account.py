"""Sign-in and registration forms."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField, TelField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, ValidationError

from ..services.accounts.users import password_problems
from .base import BaseForm


class LoginForm(BaseForm):
    email = EmailField("E-mail", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=256)])
    remember = BooleanField("Keep me signed in on this device")


class RegisterForm(BaseForm):
    name = StringField(
        "Your name",
        validators=[InputRequired(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        "E-mail",
        validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    phone = TelField(
        "Phone (optional)",
        validators=[Optional(), Length(max=32)],
        render_kw={"autocomplete": "tel"},
        description="Clinics use it only to reach you about a booking.",
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired(), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
        description=("At least 10 characters, and hard to guess: a few unrelated words "
                     "are easy to remember."),
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[InputRequired(), EqualTo("password", message="The two passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )
    account_type = RadioField(
        "I am",
        choices=[("client", "Looking for treatment"), ("owner", "Running a clinic")],
        default="client",
        validators=[InputRequired()],
    )

    def validate_password(self, field):
        problems = password_problems(field.data or "", email=self.email.data or "",
                                     name=self.name.data or "")
        if problems:
            raise ValidationError(" ".join(problems))


class ForgotPasswordForm(BaseForm):
    email = EmailField("E-mail", validators=[InputRequired(), Length(max=254)],
                       render_kw={"autocomplete": "email"})


class NewPasswordForm(BaseForm):
    """Choose a new password (reset link, or settings with the current one)."""

    password = PasswordField("New password", validators=[InputRequired(), Length(max=256)],
                             render_kw={"autocomplete": "new-password"},
                             description="At least 10 characters.")
    confirm = PasswordField(
        "Repeat the new password",
        validators=[InputRequired(), EqualTo("password", message="The two passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, account_email: str = "", account_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email
        self.account_name = account_name

    def validate_password(self, field):
        problems = password_problems(field.data or "", email=self.account_email,
                                     name=self.account_name)
        if problems:
            raise ValidationError(" ".join(problems))


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField("Current password", validators=[InputRequired(), Length(max=256)],
                            render_kw={"autocomplete": "current-password"})


class ChangeEmailForm(BaseForm):
    new_email = EmailField(
        "New e-mail address",
        validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    current = PasswordField("Current password", validators=[InputRequired(), Length(max=256)],
                            render_kw={"autocomplete": "current-password"})


class ProfileForm(BaseForm):
    name = StringField("Your name", validators=[InputRequired(), Length(max=120)],
                       render_kw={"autocomplete": "name"})
    phone = TelField("Phone (optional)", validators=[Optional(), Length(max=32)],
                     render_kw={"autocomplete": "tel"})
