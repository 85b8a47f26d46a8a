"""Account settings: name and phone, password, e-mail address, sessions."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ...extensions import rate_limit
from ...forms.account import ChangeEmailForm, ChangePasswordForm, ProfileForm
from ...forms.base import EmptyForm
from ...services.accounts import tokens as account_tokens
from ...services.accounts import users as accounts
from ...services.common.errors import Conflict
from ..actions import run
from ..htmx import redirect_to, render
from .base import bp


def _page(status: int = 200, **forms):
    forms.setdefault("profile_form", ProfileForm(obj=current_user))
    forms.setdefault("password_form", ChangePasswordForm(
        account_email=current_user.email, account_name=current_user.name))
    forms.setdefault("email_form", ChangeEmailForm())
    forms.setdefault("sessions_form", EmptyForm())
    return render("account/settings.html", status=status, **forms)


def _validate_with_password(form) -> bool:
    """Validate a form whose ``current`` field must be the user's password."""
    valid = form.validate_on_submit()
    if valid and not accounts.check_password(current_user, form.current.data):
        form.current.errors.append("That is not your current password.")
        valid = False
    return valid


@bp.get("/account/settings")
@login_required
def settings():
    """The settings page."""
    return _page()


@bp.post("/account/settings/profile")
@login_required
def save_profile():
    """Change name and phone."""
    form = ProfileForm()
    if not form.validate_on_submit():
        return _page(422, profile_form=form)
    run(lambda: accounts.save_details(current_user, name=form.name.data,
                                      phone=form.phone.data)).get()
    flash("Your details are saved.", "success")
    return redirect_to(url_for("account.settings"))


@bp.post("/account/settings/password")
@login_required
@rate_limit("10 per hour")
def change_password():
    """Change the password; every other session is signed out."""
    form = ChangePasswordForm(account_email=current_user.email, account_name=current_user.name)
    if not _validate_with_password(form):
        return _page(422, password_form=form)
    user = current_user._get_current_object()
    run(lambda: account_tokens.reset_password(user, password=form.password.data)).get()
    login_user(user)  # this browser stays signed in with the new session version
    flash("Your password is changed. Other devices have been signed out.", "success")
    return redirect_to(url_for("account.settings"))


@bp.post("/account/settings/email")
@login_required
@rate_limit("5 per hour")
def change_email():
    """Ask to change the e-mail address; it changes when the new one is confirmed."""
    form = ChangeEmailForm()
    if _validate_with_password(form):
        outcome = run(lambda: account_tokens.request_email_change(
            current_user, new_email=form.new_email.data, secret=current_app.secret_key,
            link_for=lambda t: url_for("account.confirm_email", token=t, _external=True),
            sender=current_app.config["MAIL_DEFAULT_SENDER"],
            site_name=current_app.config["SITE_NAME"],
        ))
        if isinstance(outcome.error, Conflict):  # the address has an account already
            form.new_email.errors.append(outcome.message)
        else:
            outcome.get()
            flash("Check the new address: we sent it a link to confirm the change.", "info")
            return redirect_to(url_for("account.settings"))
    return _page(422, email_form=form)


@bp.get("/account/email/confirm/<token>")
def confirm_email(token: str):
    """Apply an e-mail change from the link sent to the new address."""
    outcome = run(lambda: account_tokens.confirm_email_change(token, secret=current_app.secret_key))
    if isinstance(outcome.error, account_tokens.TokenInvalid):
        flash(outcome.message, "error")
    else:
        outcome.get()
        flash("Your e-mail address is changed.", "success")
    target = "account.settings" if current_user.is_authenticated else "account.login"
    return redirect(url_for(target), code=303)


@bp.post("/account/sessions/revoke")
@login_required
def revoke_sessions():
    """Sign out on every device, this one included."""
    if EmptyForm().validate_on_submit():
        user = current_user._get_current_object()
        run(lambda: accounts.revoke_sessions(user)).get()
        logout_user()
        flash("You are signed out on every device.", "info")
    return redirect_to(url_for("account.login"))
