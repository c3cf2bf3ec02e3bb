"""WTForms classes; every label and message is translated lazily."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField

# WTForms' own "Not a valid choice." is not translated into every shipped language.
CHOICE_MESSAGE = _l("Please choose one of the options offered.")


class _TranslatedChoice:
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("invalid_choice_message", CHOICE_MESSAGE)
        super().__init__(*args, **kwargs)


class TranslatedSelectField(_TranslatedChoice, SelectField):
    """A select box whose refusal of an unknown choice is translated."""


class TranslatedRadioField(_TranslatedChoice, RadioField):
    """Radio buttons whose refusal of an unknown choice is translated."""
