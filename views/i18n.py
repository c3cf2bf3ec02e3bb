"""Choosing each visitor's language, and what templates need to know about it."""

import dataclasses

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import current_app, request
from flask_babel import Babel, get_locale
from markupsafe import Markup, escape

from forms import surveys as survey_labels
from roundtable.languages import (
    LANGUAGES,
    html_lang,
    negotiate,
    supported,
    text_direction,
)
from roundtable.texts import text_for, text_in

from .labels import outcome_label, role_label

LANGUAGE_COOKIE = "lang"
# Pages a participant opens from a link or a code: their query string is never carried on (an old ``?invite=``).
PARTICIPANT_BLUEPRINTS = ("respond", "vote")


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


@dataclasses.dataclass(frozen=True)
class Localized:
    """A text in the best language available, and which language that is."""

    text: str
    lang: str
    behind: bool = False  # not in the reader's language: shown with "Not yet translated"

    @property
    def html_lang(self):
        """The language as an HTML ``lang`` value."""
        return html_lang(self.lang)

    @property
    def dir(self):
        """The language's writing direction, for an HTML ``dir`` value."""
        return text_direction(self.lang)


def localized(texts, fallback="en"):
    """``texts`` (language -> text) in the visitor's language, else ``fallback``'s."""
    text, code = text_in(texts or {}, current_language(), fallback)
    return Localized(text, code)


def for_reader(texts, default):
    """``texts`` for this visitor: in their language, else the default language's, marked ``behind``."""
    text, behind = text_for(texts, current_language(), default)
    return Localized(text, default if behind else current_language(), behind)


def bdi(text):
    """``text`` someone typed (a name, a title, an answer), isolated from the page's direction: ``<bdi>``.

    A Latin name on an Arabic page keeps its own order, and does not drag the
    punctuation around it to the wrong side (``Edit Acme Ltd.`` in Arabic).
    Inside ``_()`` too: the sentence stays escaped, the name arrives as markup.
    """
    return Markup("<bdi>%s</bdi>") % escape(text)


def return_address():
    """Where the language picker sends the visitor back to: this page, without the query on participant pages."""
    if request.method != "GET":
        return "/"
    if request.blueprint in PARTICIPANT_BLUEPRINTS:
        return request.path
    return request.full_path


def _template_context():
    code = current_language()
    return {
        "language_next": return_address(),
        "languages": LANGUAGES,
        "current_language": code,
        "html_lang": html_lang(code),
        "text_direction": text_direction(code),
        "role_label": role_label,
        # plotly.js writes numbers with these (decimal, then thousands) separators.
        "number_separators": get_decimal_symbol(get_locale()) + get_group_symbol(get_locale()),
        "outcome_label": outcome_label,
        "localized": localized,
        "for_reader": for_reader,
        "survey_labels": survey_labels,
    }


def init_app(app):
    """Bind Flask-Babel with Roundtable's language choice."""
    # A Babel of its own: Flask-Babel caches catalogs on it, and two apps in one
    # process (tests) may read different translation directories.
    Babel(app, locale_selector=select_language)
    app.context_processor(_template_context)
    app.jinja_env.filters["bdi"] = bdi
