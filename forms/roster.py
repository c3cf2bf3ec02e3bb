"""Forms for the partner roster."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from roundtable.partners import NAME_MAX, SHORT_NAME_MAX, TYPE_LABEL_MAX

from . import TranslatedSelectField
from .auth import REQUIRED


def _too_long(n):
    return Length(max=n, message=_l("Please use at most %(max)s characters.", max=n))


class PartnerForm(FlaskForm):
    """Add or edit a partner; ``type`` choices are set by the view."""

    name = StringField(_l("Organization name"), validators=[InputRequired(REQUIRED), _too_long(NAME_MAX)])
    short_name = StringField(
        _l("Short name (optional)"),
        validators=[_too_long(SHORT_NAME_MAX)],
        description=_l("Shown where space is tight, for example on a phone."),
    )
    type = TranslatedSelectField(_l("Partner type"), validators=[InputRequired(REQUIRED)], validate_choice=False)
    active = BooleanField(
        _l("Active partner (inactive partners keep their history but are not expected to take part)"), default=True
    )
    submit = SubmitField(_l("Save partner"))


class ImportForm(FlaskForm):
    """Import partners from a CSV file."""

    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(_l("Please choose a file."))],
        description=_l(
            "UTF-8 CSV with a first row naming the columns: name, type, "
            "and optionally short_name and active (yes or no)."
        ),
    )
    submit = SubmitField(_l("Import partners"))


class PartnerTypeForm(FlaskForm):
    """Add a partner type of this partnership's own."""

    label = StringField(_l("New partner type"), validators=[InputRequired(REQUIRED), _too_long(TYPE_LABEL_MAX)])
    submit = SubmitField(_l("Add partner type"))


class ToggleForm(FlaskForm):
    """A one-button form (activate or deactivate)."""

    submit = SubmitField(_l("Change"))
