"""Security for every response and route: headers, CSRF, logins and roles."""

import functools
import logging

from flask import abort, request
from flask_login import AnonymousUserMixin, current_user, login_required
from werkzeug.middleware.proxy_fix import ProxyFix

from roundtable import accounts

from .extensions import csrf, login_manager
from .helpers import store

# No inline script or style anywhere: every script and stylesheet is a file we serve.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # blob: lets plotly.js render a chart to an image for the PNG and SVG downloads.
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Links carry survey and meeting tokens: never leak them to other sites.
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class StaffUser:
    """The logged-in staff member, as Flask-Login sees them."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, account):
        self.account = account

    @property
    def is_active(self):
        """Disabled accounts cannot log in."""
        return self.account.active

    def get_id(self):
        """A session id that stops working when the password changes or the account is disabled."""
        return accounts.session_id(self.account)

    def can(self, permission):
        """Whether this member's role grants ``permission``."""
        return self.account.can(permission)

    @property
    def role(self):
        """The account's role."""
        return self.account.role

    @property
    def username(self):
        """The account's username."""
        return self.account.username


class Visitor(AnonymousUserMixin):
    """Anyone not logged in: a participant or a passer-by."""

    role = None

    def can(self, permission):
        """Visitors hold no staff permission."""
        return False


def permission_required(permission):
    """Allow the view only to logged-in staff whose role grants ``permission``."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _load_user(session_id):
    account = accounts.load_session_account(store(), session_id)
    return StaffUser(account) if account else None


def _add_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.path.startswith(("/static/", "/assets/")):
        # Pages may show what a partner wrote: keep them out of shared caches
        # and the back button of a shared device.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


# The only form that takes a file: the roster's CSV import.
FILE_FIELDS = {"file"}


def _forms_only():
    # Refuse what no Roundtable form sends, before anything reads it as a form:
    # Flask-WTF would read a JSON body as form data (and fail on JSON that is not
    # an object), a malformed multipart part has no name, and a file where a form
    # expects text would reach validators that expect text.
    if request.method != "POST":
        return
    if request.mimetype == "application/x-www-form-urlencoded":
        # Werkzeug bounds a multipart form's parts (MAX_FORM_PARTS), not a url-encoded
        # form's fields: count them in the raw body (read once, kept for the parser)
        # before any parsing, so that a flood costs no more than reading it.
        if request.get_data(cache=True).count(b"&") >= request.max_form_parts:
            abort(413)
    if request.is_json or None in request.form or None in request.files or set(request.files) - FILE_FIELDS:
        abort(400)


class _NoRequestLines(logging.Filter):
    """Drop the development server's request lines: they carry visitors' addresses."""

    def filter(self, record):
        return " - - [" not in str(record.msg)


def init_app(app):
    """Bind CSRF protection, logins, headers and log hygiene to ``app``."""
    # Pages send no Referer (Referrer-Policy: no-referrer), so Flask-WTF's check of
    # the Referer on HTTPS would refuse every form; the CSRF token still guards them.
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)
    app.before_request(_forms_only)
    csrf.init_app(app)
    _init_logins(app)
    app.after_request(_add_headers)
    proxies = int(app.config.get("PROXY_FIX", 0) or 0)
    if proxies:
        # Behind a reverse proxy that terminates HTTPS: trust its scheme and host
        # headers, and its client address, which only throttles failed logins
        # (held in memory as a keyed digest, never stored or logged).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    logging.getLogger("werkzeug").addFilter(_NoRequestLines())


def _init_logins(app):
    """Staff log in through Flask-Login: visitors are ``Visitor``s, members ``StaffUser``s."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.anonymous_user = Visitor
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
