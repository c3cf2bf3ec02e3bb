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

log = logging.getLogger(__name__)


def _titles():
    return {
        400: (_("This request could not be understood"),
              _("Something in what was sent is not valid. Please go back and try again.")),
        403: (_("You do not have access to this page"),
              _("Your account's role does not allow this. Ask an administrator if you need it.")),
        404: (_("Page not found"),
              _("There is nothing at this address. Check the link, or start again from the home page.")),
        405: (_("This action is not available here"),
              _("Please use the buttons and links on the page.")),
        413: (_("What you sent is too large"),
              _("Please send a smaller file or shorter text.")),
        429: (_("Too many attempts"),
              _("Please wait a few minutes before trying again.")),
        500: (_("Something went wrong on our side"),
              _("Nothing you did caused this. Please try again in a moment.")),
        503: (_("Could not save, please try again"),
              _("Nothing was saved. Please try again in a moment; if it keeps happening, tell the facilitator.")),
    }


def render_error(status, title=None, message=None):
    """Render the error page for ``status`` in the visitor's language."""
    default_title, default_message = _titles().get(status, _titles()[500])
    try:
        current_user.is_authenticated  # noqa: B018 - loads the signed-in account, which the page's menus need
    except StoreError:
        # The account cannot be read from a damaged store: show the page as to a visitor.
        current_app.login_manager._update_request_context_with_user()
    return render_template(
        "errors/error.html", status=status,
        title=title or default_title, message=message or default_message,
    ), status


def _http_error(error):
    if isinstance(error, CSRFError):
        return render_error(400, _("This form has expired"),
                            _("For your security the form must be sent from this site within the same visit. "
                              "Please go back, reload the page and try again."))
    return render_error(error.code if error.code in _titles() else 400)


def _damaged(error):
    log.error("refusing damaged store file %s: %s", error.path, error.reason)
    return render_error(
        503, _("Data could not be read"),
        _("A data file is damaged, so Roundtable will not use or change it. "
          "The administrator can run the store check to find it (%(file)s).", file=error.file_name),
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
