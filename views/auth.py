"""Setup of the first administrator, login, logout and password change."""

import logging
import math
import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_required, login_user, logout_user

from forms.auth import LoginForm, LogoutForm, PasswordForm, SetupForm
from roundtable import accounts
from roundtable.errors import InvalidInput

from .extensions import limiter
from .helpers import attach_error, safe_next, store
from .security import StaffUser

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


def _start_session(account):
    # A fresh session at login: nothing from before the login carries over.
    session.clear()
    login_user(StaffUser(account))


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """Create the first administrator; only while no account exists."""
    if accounts.has_accounts(store()):
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            account = accounts.create_account(store(), form.username.data, form.password.data, "admin", first=True)
        except InvalidInput as error:
            if error.code == "setup_done":
                abort(404)
            attach_error(form, error)
        else:
            _start_session(account)
            flash(_("Welcome! Your administrator account is ready. Start by adding the partners on your roster."))
            return redirect(url_for("roster.partners_list"), code=303)
    return render_template("auth/setup.html", form=form), 400 if form.errors else 200


def _failed_logins():
    # One count per app (per worker process), in memory only.
    return current_app.extensions.setdefault("roundtable.failed_logins", accounts.FailedLogins())


def _login_key():
    # The account tried, from this client (the proxy-fixed address): a keyed digest.
    return accounts.throttle_key(current_app.secret_key, request.form.get("username"), request.remote_addr)


def _login_failed(response):
    return g.get("login_failed", False)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMITS"], key_func=_login_key, methods=["POST"], deduct_when=_login_failed
)
def login():
    """Log in; wrong passwords slow down only the client that types them."""
    if not accounts.has_accounts(store()):
        return redirect(url_for("auth.setup"))
    form = LoginForm()
    if form.validate_on_submit():
        account = accounts.authenticate(store(), form.username.data, form.password.data, _failed_logins())
        if account:
            return _welcome(account)
        g.login_failed = True
        form.form_errors.append(_("The username or password is not correct."))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


def _welcome(account):
    """Start the account's session, say how many logins failed since its last visit, and go on."""
    missed = _failed_logins().take(account.id)
    _start_session(account)
    if missed:
        flash(
            ngettext(
                "%(num)d failed attempt to log in to your account since your last visit.",
                "%(num)d failed attempts to log in to your account since your last visit.",
                missed,
            )
        )
    return redirect(safe_next(request.args.get("next"), url_for("main.index")), code=303)


def _throttled(error):
    """Too many wrong passwords from this client for this account: the form again, saying how long to wait."""
    reset_at = max(limit.reset_at for limit in limiter.current_limits if limit.breached)
    seconds = max(1, math.ceil(reset_at - time.time()))
    form = LoginForm()
    form.form_errors.append(
        ngettext(
            "Too many failed attempts. Please try again in %(num)d minute.",
            "Too many failed attempts. Please try again in %(num)d minutes.",
            math.ceil(seconds / 60),
        )
    )
    response = current_app.make_response((render_template("auth/login.html", form=form), 429))
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.post("/logout")
def logout():
    """Log out and forget the session."""
    if LogoutForm().validate_on_submit():
        logout_user()
        session.clear()
    return redirect(url_for("main.index"), code=303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; other sessions of the account end."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            account = accounts.change_password(store(), current_user.account.id, form.current.data, form.password.data)
        except InvalidInput as error:
            attach_error(form, error)
        else:
            _start_session(account)
            flash(_("Your password has been changed."))
            return redirect(url_for("main.index"), code=303)
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


def init_app(app):
    """Make the logout form available to every template; throttle failed logins."""
    # formdata=None: rendering any page (even the 413 page) must not parse the request body.
    app.context_processor(lambda: {"logout_form": LogoutForm(formdata=None)})
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _throttled)
