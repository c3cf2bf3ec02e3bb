"""Forms for meetings and proposals."""

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from roundtable import meetings
from roundtable.languages import LANGUAGES
from views import formats

from . import TranslatedRadioField, TranslatedSelectField
from .auth import REQUIRED
from .surveys import WholeNumberField, phase_choices


def _too_long(n):
    return Length(max=n, message=_l("Please use at most %(max)s characters.", max=n))


def method_labels():
    """Voting methods in the visitor's language."""
    return {
        "stance": _l("Simple stance: agree, abstain, disagree, block"),
        "gradients": _l("Gradients of agreement (8 points, from endorsement to veto)"),
        "fist_to_five": _l("Fist to five (0 = block … 5 = champion)"),
        "consent": _l("Consent: consent, concern, objection"),
    }


def rule_labels():
    """Decision rules in the visitor's language."""
    return {
        "consensus": _l("Consensus: no block, and at least the threshold supportive"),
        "unanimous": _l("Unanimous consent: no block and no opposition"),
        "consent": _l("Consent: passes when no objection stands"),
        "supermajority": _l("Consensus, with a supermajority fallback after some rounds"),
    }


def quorum_labels():
    """Quorum kinds in the visitor's language."""
    return {
        "all_partners": _l("Every attending partner has voted"),
        "all_types": _l("Every partner type present has voted"),
        "number": _l("At least a number of voices"),
    }


def weighting_labels():
    """Weightings in the visitor's language."""
    return {
        "partner": _l("Per partner: each organization has one equal voice, however many people it sent"),
        "person": _l("Per person: each ballot counts one"),
    }


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DayField(Field):
    """A day typed the visitor's way (23/11/2026 in Spanish) or as ISO.

    A text box, since Chromium's date box shows its own locale's order
    (mm/dd/yyyy) whatever the page's language.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        # Worked out per request: the example follows the visitor's language.
        super().__init__(label, validators, description=LazyString(formats.date_hint), **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return formats.date_input(self.data) if self.data else ""

    def process_formdata(self, valuelist):
        """Parse the day; left empty, it is the required check's to say so (once)."""
        text = " ".join(valuelist).strip() if valuelist else ""
        if not text:
            self.data = None
            return
        try:
            self.data = formats.parse_day(text)
        except ValueError as error:
            self.data = None
            raise ValueError(_l("Please give a valid date.")) from error


class MeetingForm(FlaskForm):
    """A new meeting."""

    title = StringField(_l("Title"), validators=[InputRequired(REQUIRED), _too_long(meetings.TITLE_MAX)])
    notes = TextAreaField(
        _l("Agenda notes"),
        validators=[_too_long(meetings.NOTES_MAX)],
        description=_l("Optional: what you read out before the proposals. Phones and the projector show it."),
    )
    day = DayField(
        _l("Date"),
        validators=[InputRequired(_l("Please give a valid date."))],
        render_kw={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"},
    )
    default_language = TranslatedSelectField(
        _l("Language of the proposals' texts"), choices=[SelectChoice(c, n) for c, n in LANGUAGES.items()]
    )
    phase = TranslatedSelectField(_l("Partnership phase"), choices=phase_choices(), validators=[Optional()])
    attending = MultiCheckboxField(_l("Attending partners"), validate_choice=False)
    submit = SubmitField(_l("Create meeting"))


class ProposalForm(FlaskForm):
    """A proposal on the agenda, with how it is decided."""

    text = TextAreaField(_l("Proposal"), validators=[InputRequired(REQUIRED), _too_long(meetings.PROPOSAL_MAX)])
    method = TranslatedRadioField(
        _l("Voting method"), choices=[SelectChoice(k, v) for k, v in method_labels().items()], default="stance"
    )
    rule = TranslatedRadioField(
        _l("Decision rule"), choices=[SelectChoice(k, v) for k, v in rule_labels().items()], default="consensus"
    )
    threshold = StringField(
        _l("Supportive share needed"),
        default="3/4",
        validators=[_too_long(12)],
        description=_l("A fraction or a decimal, such as 3/4 or 0.75."),
    )
    fallback_after = WholeNumberField(_l("Supermajority fallback from round"), default=3)
    fallback_threshold = StringField(
        _l("Supermajority needed in the fallback"), default="2/3", validators=[_too_long(12)]
    )
    quorum = TranslatedRadioField(
        _l("Quorum"), choices=[SelectChoice(k, v) for k, v in quorum_labels().items()], default="all_partners"
    )
    quorum_number = WholeNumberField(_l("Number of voices (for a number quorum)"), default=0)
    weighting = TranslatedRadioField(
        _l("Weighting"), choices=[SelectChoice(k, v) for k, v in weighting_labels().items()], default="partner"
    )
    live_results = BooleanField(
        _l("Show how votes are spread while the round is open"),
        description=_l(
            "Off unless you choose it: the spread then shows once enough partners have voted, "
            "and the room sees it move with each vote. It always shows when the round closes."
        ),
    )
    submit = SubmitField(_l("Add proposal"))


class AmendForm(FlaskForm):
    """Open the next round, optionally with amended text (other languages: ``text_<code>``, ``later_<code>``)."""

    text = TextAreaField(
        _l("Amended text (leave empty to vote again on the same text)"), validators=[_too_long(meetings.PROPOSAL_MAX)]
    )
    submit = SubmitField(_l("Open a new round"))


class TranslateForm(FlaskForm):
    """Give the current round its text in a language it lacks."""

    language = HiddenField()
    text = TextAreaField(validators=[_too_long(meetings.PROPOSAL_MAX)])


class DecisionForm(FlaskForm):
    """Record the final decision on a proposal."""

    decision = TranslatedRadioField(
        _l("Decision"),
        choices=[
            SelectChoice("adopted", _l("Adopted")),
            SelectChoice("not_adopted", _l("Not adopted")),
            SelectChoice("deferred", _l("Deferred")),
        ],
        validators=[InputRequired(REQUIRED)],
    )
    rationale = TextAreaField(_l("Rationale"), validators=[_too_long(meetings.RATIONALE_MAX)])
    submit = SubmitField(_l("Record the decision"))
