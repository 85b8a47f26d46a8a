"""Sign in, sign out, registration and password recovery."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ...extensions import rate_limit
from ...forms.account import ForgotPasswordForm, LoginForm, NewPasswordForm, RegisterForm
from ...forms.base import EmptyForm
from ...models import Role, utcnow
from ...services.accounts import tokens as account_tokens
from ...services.accounts import users as accounts
from ..actions import run
from ..htmx import redirect_to, render
from .base import bp, safe_next


def _login_key() -> str:
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"login:{email}"


@bp.route("/login", methods=["GET", "POST"])
@rate_limit("10 per minute; 50 per hour", methods=["POST"])
@rate_limit("5 per minute; 30 per hour", methods=["POST"], key_func=_login_key)
def login():
    """Sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("public.home")))
    form = LoginForm()
    if form.validate_on_submit():
        user = run(lambda: accounts.authenticate(
            email=form.email.data, password=form.password.data, now=utcnow()
        )).get()
        if user is not None:
            session.clear()  # a fresh session at sign-in: no fixation
            login_user(user, remember=form.remember.data)
            flash(f"Welcome back, {user.name}.", "success")
            return redirect_to(safe_next(url_for("public.home")))
        form.password.errors.append("That e-mail and password do not match an active account.")
    status = 422 if form.errors else 200
    return render("account/login.html", form=form, status=status, next=safe_next(""))


@bp.route("/register", methods=["GET", "POST"])
@rate_limit("10 per hour", methods=["POST"])
def register():
    """Create a client or clinic-owner account: the answer is "check your inbox" whether
    or not the address already has an account (see ``account_tokens.register``)."""
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("public.home")))
    form = RegisterForm()
    if form.validate_on_submit():
        next_target = safe_next("")
        run(lambda: account_tokens.register(
            email=form.email.data,
            password=form.password.data,
            name=form.name.data,
            phone=form.phone.data,
            role=Role(form.account_type.data),
            secret=current_app.secret_key,
            link_for=lambda token: url_for("account.welcome", token=token,
                                           next=next_target or None, _external=True),
            sign_in_url=url_for("account.login", _external=True),
            reset_url=url_for("account.forgot_password", _external=True),
            sender=current_app.config["MAIL_DEFAULT_SENDER"],
            site_name=current_app.config["SITE_NAME"],
        )).get()
        return redirect_to(url_for("account.check_inbox", next=next_target or None))
    status = 422 if form.errors else 200
    return render("account/register.html", form=form, status=status, next=safe_next(""))


@bp.get("/register/check-inbox")
def check_inbox():
    """Where registration leads, whatever the address: the link is in the e-mail."""
    return render("account/check_inbox.html", next=safe_next(""),
                  outbox=current_app.config.get("DEMO_TOOLS", False))


@bp.route("/register/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):
    """The e-mailed link that finishes a registration. Opening it shows one button
    (link scanners in mail systems open links too, and must not use it up); pressing it
    signs in and carries on where the visitor was (their held time follows them: its
    cookie is in this browser)."""
    form = EmptyForm()
    secret = current_app.secret_key
    pressed = form.validate_on_submit()
    outcome = run(lambda: account_tokens.user_for_welcome(token, secret=secret, now=utcnow())
                  if pressed else account_tokens.welcome_user(token, secret=secret))
    if isinstance(outcome.error, account_tokens.TokenInvalid):
        flash(outcome.message, "error")
        return redirect(url_for("account.login", next=safe_next("") or None), code=303)
    user = outcome.get()
    if not pressed:
        return render("account/welcome.html", form=form, user=user, token=token,
                      next=safe_next(""))
    session.clear()
    login_user(user)
    flash("Your account is ready.", "success")
    start = "owner.dashboard" if user.role is Role.OWNER else "public.home"
    return redirect(safe_next(url_for(start)), code=303)


@bp.post("/logout")
@login_required
def logout():
    """Sign out: this browser's session and "keep me signed in" cookie both end.

    The account's session version is bumped, so a copy of the old session or
    remember cookie no longer loads (this signs the account out on every device).
    """
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("public.home"), code=303)
    user = current_user._get_current_object()
    run(lambda: accounts.revoke_sessions(user)).get()
    session.clear()
    logout_user()  # after clear(): it leaves the marker that deletes the remember cookie
    flash("You are signed out.", "info")
    return redirect_to(url_for("public.home"))


def _email_key() -> str:
    return f"forgot:{(request.form.get('email') or '').strip().lower()[:254]}"


@bp.route("/password/forgot", methods=["GET", "POST"])
@rate_limit("10 per hour", methods=["POST"])
@rate_limit("3 per hour", methods=["POST"], key_func=_email_key)
def forgot_password():
    """Ask for a password-reset link by e-mail."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        run(lambda: account_tokens.request_password_reset(
            email=form.email.data,
            secret=current_app.secret_key,
            link_for=lambda token: url_for("account.reset_password", token=token, _external=True),
            sender=current_app.config["MAIL_DEFAULT_SENDER"],
            site_name=current_app.config["SITE_NAME"],
        )).get()
        flash("If an account uses that address, a reset link is on its way. "
              "It works for one hour.", "info")
        return redirect_to(url_for("account.login"))
    return render("account/forgot.html", form=form, status=422 if form.errors else 200)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@rate_limit("20 per hour", methods=["POST"])
def reset_password(token: str):
    """Choose a new password from an e-mailed link."""
    try:
        user = account_tokens.user_for_reset(token, secret=current_app.secret_key)
    except account_tokens.TokenInvalid as exc:
        flash(str(exc), "error")
        return redirect(url_for("account.forgot_password"), code=303)
    form = NewPasswordForm(account_email=user.email, account_name=user.name)
    if form.validate_on_submit():
        run(lambda: account_tokens.reset_password(user, password=form.password.data)).get()
        flash("Your password is changed. Sign in with the new one.", "success")
        return redirect_to(url_for("account.login"))
    return render("account/reset.html", form=form, token=token,
                  status=422 if form.errors else 200)
