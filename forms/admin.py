"""Forms for managing staff accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from . import TranslatedRadioField
from .auth import REQUIRED, confirm_field, new_password_field, username_field


def role_choices():
    """Roles with what each may do, in the visitor's language."""
    return [
        SelectChoice("facilitator", _l("Facilitator: builds surveys, runs meetings and votes")),
        SelectChoice("leader", _l("Leader: reads results and dashboards")),
        SelectChoice("admin", _l("Administrator: manages accounts, the roster and settings")),
    ]


def role_field():
    """A role chooser."""
    return TranslatedRadioField(
        _l("Role"),
        choices=role_choices(),
        default="facilitator",
        validators=[InputRequired(REQUIRED)],
        validate_choice=True,
    )


class AccountForm(FlaskForm):
    """Create a staff account."""

    username = username_field()
    role = role_field()
    password = new_password_field(_l("Password"))
    confirm = confirm_field("password")
    submit = SubmitField(_l("Create account"))


class AccountEditForm(FlaskForm):
    """Change an account's role, or disable it."""

    role = role_field()
    active = BooleanField(_l("Account is active (if unticked, the person can no longer log in)"))
    submit = SubmitField(_l("Save changes"))
