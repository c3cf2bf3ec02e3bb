"""Friendly, translated error pages; damaged or full storage gets a clear 503."""

import logging

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from roundtable.store.api import (
    DamagedError,
    StoreError,
    StoreUnavailableError,
    WriteFailedError,
)

from .messages import N_

log = logging.getLogger(__name__)


# Each error status by its page's title and message, translated when shown.
TITLES = {
    400: (
        N_("This request could not be understood"),
        N_("Something in what was sent is not valid. Please go back and try again."),
    ),
    403: (
        N_("You do not have access to this page"),
        N_("Your account's role does not allow this. Ask an administrator if you need it."),
    ),
    404: (
        N_("Page not found"),
        N_("There is nothing at this address. Check the link, or start again from the home page."),
    ),
    405: (N_("This action is not available here"), N_("Please use the buttons and links on the page.")),
    413: (N_("What you sent is too large"), N_("Please send a smaller file or shorter text.")),
    429: (N_("Too many attempts"), N_("Please wait a few minutes before trying again.")),
    500: (N_("Something went wrong on our side"), N_("Nothing you did caused this. Please try again in a moment.")),
    503: (
        N_("Could not save, please try again"),
        N_("Nothing was saved. Please try again in a moment; if it keeps happening, tell the facilitator."),
    ),
}


def _titles(status):
    """The title and message of ``status``'s page (a 500's for any other), in the visitor's language."""
    title, message = TITLES.get(status, TITLES[500])
    return _(title), _(message)


def render_error(status, title=None, message=None):
    """Render the error page for ``status`` in the visitor's language."""
    default_title, default_message = _titles(status)
    try:
        current_user.is_authenticated  # noqa: B018 - loads the signed-in account, which the page's menus need
    except StoreError:
        # The account cannot be read from a damaged store: show the page as to a visitor.
        current_app.login_manager._update_request_context_with_user()
    return render_template(
        "errors/error.html",
        status=status,
        title=title or default_title,
        message=message or default_message,
    ), status


def _http_error(error):
    if isinstance(error, CSRFError):
        return render_error(
            400,
            _("This form has expired"),
            _(
                "For your security the form must be sent from this site within the same visit. "
                "Please go back, reload the page and try again."
            ),
        )
    return render_error(error.code if error.code in TITLES else 400)


def _damaged(error):
    log.error("refusing damaged store file %s: %s", error.path, error.reason)
    return render_error(
        503,
        _("Data could not be read"),
        _(
            "A data file is damaged, so Roundtable will not use or change it. "
            "The administrator can run the store check to find it (%(file)s).",
            file=error.file_name,
        ),
    )


def _write_failed(error):
    log.error("write failed on %s: %s", error.path, error.reason)
    return render_error(503)


def _server_error(error):
    log.exception("unexpected error")
    return render_error(500)


def init_app(app):
    """Bind the error pages to ``app``."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DamagedError, _damaged)
    app.register_error_handler(WriteFailedError, _write_failed)
    app.register_error_handler(StoreUnavailableError, _write_failed)
    app.register_error_handler(Exception, _server_error)
