"""Forms for setup, login and password change."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from roundtable.accounts import PASSWORD_MAX, PASSWORD_MIN

REQUIRED = _l("This field is required.")


def new_password_field(label):
    """A new-password field with the length rules spelled out."""
    return PasswordField(
        label,
        validators=[
            InputRequired(REQUIRED),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l("A password needs %(min)s to %(max)s characters.", min=PASSWORD_MIN, max=PASSWORD_MAX),
            ),
        ],
        description=_l(
            "At least %(min)s characters. A short sentence is easy to remember and hard to guess.", min=PASSWORD_MIN
        ),
        render_kw={"autocomplete": "new-password"},
    )


def confirm_field(other):
    """A field that must repeat ``other``."""
    return PasswordField(
        _l("Repeat the password"),
        validators=[
            InputRequired(REQUIRED),
            EqualTo(other, message=_l("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def username_field():
    """A username field."""
    return StringField(
        _l("Username"),
        validators=[
            InputRequired(REQUIRED),
            Length(max=40, message=_l("Please use at most %(max)s characters.", max=40)),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )


class SetupForm(FlaskForm):
    """Create the first administrator."""

    username = username_field()
    password = new_password_field(_l("Password"))
    confirm = confirm_field("password")
    submit = SubmitField(_l("Create administrator"))


class LoginForm(FlaskForm):
    """Log in to a staff account."""

    username = StringField(
        _l("Username"),
        validators=[
            InputRequired(REQUIRED),
            Length(max=80, message=_l("Please use at most %(max)s characters.", max=80)),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            InputRequired(REQUIRED),
            Length(max=PASSWORD_MAX, message=_l("Please use at most %(max)s characters.", max=PASSWORD_MAX)),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Log in"))


class PasswordForm(FlaskForm):
    """Change one's own password."""

    current = PasswordField(
        _l("Current password"), validators=[InputRequired(REQUIRED)], render_kw={"autocomplete": "current-password"}
    )
    password = new_password_field(_l("New password"))
    confirm = confirm_field("password")
    submit = SubmitField(_l("Change password"))


class LogoutForm(FlaskForm):
    """Log out (a form, so that logging out needs the CSRF token)."""

    submit = SubmitField(_l("Log out"))
