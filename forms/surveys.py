"""Forms for building surveys; texts are edited one language at a time."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from roundtable import surveys
from roundtable.languages import LANGUAGES

from . import TranslatedRadioField, TranslatedSelectField
from .auth import REQUIRED


def _too_long(n):
    return Length(max=n, message=_l("Please use at most %(max)s characters.", max=n))


def phase_choices():
    """The six partnership phases, and none."""
    return [SelectChoice("", _l("No phase"))] + [SelectChoice(key, label) for key, label in phase_labels().items()]


def phase_labels():
    """The partnership phases in the visitor's language."""
    return {
        "preparation": _l("Preparation"),
        "planning": _l("Planning"),
        "prospecting": _l("Prospecting"),
        "developing": _l("Developing"),
        "stewarding": _l("Stewarding"),
        "renewing": _l("Renewing"),
    }


def attribution_labels():
    """What each attribution mode keeps, as participants are told."""
    return {
        "anonymous": _l("Fully anonymous: responses carry nothing about who answered"),
        "partner_type": _l("By partner type: each response says which type of partner it speaks for"),
        "partner": _l("By partner: each respondent picks their organization from the roster"),
    }


def kind_labels():
    """Question kinds in the visitor's language."""
    return {
        "agreement": _l("Agreement scale (strongly disagree … strongly agree)"),
        "rating5": _l("Rating from 1 to 5"),
        "rating10": _l("Rating from 0 to 10"),
        "yes_no": _l("Yes or no"),
        "single": _l("One choice"),
        "multiple": _l("Several choices"),
        "short_text": _l("Short text"),
        "long_text": _l("Long text"),
    }


class SurveyForm(FlaskForm):
    """A survey's settings and its texts in one language."""

    title = StringField(_l("Title"), validators=[_too_long(surveys.TITLE_MAX)])
    intro = TextAreaField(_l("Introduction (shown before the questions)"), validators=[_too_long(surveys.INTRO_MAX)])
    closing = TextAreaField(_l("Closing message (shown after submitting)"), validators=[_too_long(surveys.INTRO_MAX)])
    default_language = TranslatedSelectField(
        _l("Default language"),
        choices=[SelectChoice(c, n) for c, n in LANGUAGES.items()],
        description=_l("Participants read this language when the survey is not written in theirs."),
    )
    attribution = TranslatedRadioField(
        _l("What responses say about who answered"),
        choices=[SelectChoice(k, v) for k, v in attribution_labels().items()],
        default="anonymous",
        validators=[InputRequired(REQUIRED)],
    )
    phase = TranslatedSelectField(_l("Partnership phase"), choices=phase_choices(), validators=[Optional()])
    invitations_only = BooleanField(_l("Only people with a one-time invitation code may answer"))
    submit = SubmitField(_l("Save survey"))


class QuestionForm(FlaskForm):
    """A question, its texts in one language."""

    kind = TranslatedSelectField(_l("Kind of question"), choices=[SelectChoice(k, v) for k, v in kind_labels().items()])
    text = TextAreaField(_l("Question"), validators=[_too_long(surveys.QUESTION_MAX)])
    help = TextAreaField(_l("Help text (optional)"), validators=[_too_long(surveys.HELP_MAX)])
    choices = TextAreaField(
        _l("Choices, one per line (for “one choice” and “several choices”)"),
        validators=[_too_long(surveys.MAX_CHOICES * (surveys.CHOICE_MAX + 1))],
    )
    required = BooleanField(_l("An answer is required"))
    submit = SubmitField(_l("Save question"))


class RewordForm(QuestionForm):
    """An answered question's wording in one language; its kind, choices and required flag stay as they are."""

    kind = None
    required = None
    choices = TextAreaField(
        _l("Choices, one per line (for “one choice” and “several choices”)"),
        description=_l("Correct the labels only: one line per choice, in the same order."),
        validators=[_too_long(surveys.MAX_CHOICES * (surveys.CHOICE_MAX + 1))],
    )


class WholeNumberField(IntegerField):
    """An integer field whose parse error is translated like every other message."""

    def process_formdata(self, valuelist):
        """Parse the number, or record a translated error."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Please give a whole number.")) from None


class InvitationsForm(FlaskForm):
    """Generate single-use invitation codes."""

    count = WholeNumberField(
        _l("How many codes"),
        default=10,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                min=1,
                max=surveys.MAX_INVITATIONS,
                message=_l("Please give a number from %(min)s to %(max)s.", min=1, max=surveys.MAX_INVITATIONS),
            ),
        ],
    )
    partner = TranslatedSelectField(_l("For partner (optional)"), validate_choice=False)
    submit = SubmitField(_l("Generate codes"))


class ActionForm(FlaskForm):
    """A one-button action (open, close, move, duplicate, delete)."""


def agreement_labels():
    """The five points of the agreement scale."""
    return {
        1: _l("Strongly disagree"),
        2: _l("Disagree"),
        3: _l("Neither agree nor disagree"),
        4: _l("Agree"),
        5: _l("Strongly agree"),
    }


def yes_no_labels():
    """Yes and no."""
    return {"yes": _l("Yes"), "no": _l("No")}
