"""Choosing each visitor's language, and what templates need to know about it."""

from flask import current_app, request
from flask_babel import get_locale

from roundtable.languages import LANGUAGES, html_lang, negotiate, supported, text_direction

from .extensions import babel
from .labels import role_label

LANGUAGE_COOKIE = "lang"


def select_language():
    """The picker's remembered choice, else the browser's preference, else the default."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen and supported(chosen):
        return chosen
    accepted = [tag for tag, _quality in request.accept_languages]
    return negotiate(accepted) or current_app.config["DEFAULT_LOCALE"]


def current_language():
    """The code of the language this request is served in."""
    return str(get_locale())


def _template_context():
    code = current_language()
    return {
        "languages": LANGUAGES,
        "current_language": code,
        "html_lang": html_lang(code),
        "text_direction": text_direction(code),
        "role_label": role_label,
    }


def init_app(app):
    """Bind Flask-Babel with Roundtable's language choice."""
    babel.init_app(app, locale_selector=select_language)
    app.context_processor(_template_context)
