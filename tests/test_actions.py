"""views/actions.py: a staff action runs only on a valid form, and says what happened in the visitor's words."""

import pytest
from flask import get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired

from roundtable.errors import InvalidInput
from views.actions import act
from views.helpers import attach_error
from views.messages import message_for


class NameForm(FlaskForm):
    class Meta:
        """No CSRF token: these tests call the helper, not a route."""

        csrf = False

    name = StringField(validators=[InputRequired()])


@pytest.fixture
def posted(app):
    """Enter a POST request with ``data`` as its form: ``posted(data)``."""

    def enter(data):
        context = app.test_request_context("/", method="POST", data=data)
        context.push()
        entered.append(context)

    entered = []
    yield enter
    for context in reversed(entered):
        context.pop()


def test_a_valid_form_runs_the_action_and_flashes_its_success(posted):
    posted({"name": "Acme"})
    assert act(NameForm(), lambda form: form.name.data.upper(), "Done.") == "ACME"
    assert get_flashed_messages() == ["Done."]


def test_a_refusal_is_flashed_in_the_visitors_words(posted):
    posted({"name": "Acme"})

    def refuse(_form):
        raise InvalidInput("round_closed")

    assert act(NameForm(), refuse, "Done.") is None
    assert get_flashed_messages() == [message_for(InvalidInput("round_closed"))]


def test_a_refusal_can_go_on_the_form_shown_again(posted):
    posted({"name": "Acme"})
    form = NameForm()

    def refuse(_form):
        raise InvalidInput("too_long", "name", max=3)

    assert act(form, refuse, "Done.", attach_error) is None
    assert form.name.errors and get_flashed_messages() == []


@pytest.mark.parametrize("invalid, flashed", [(None, []), (lambda form: "Name it.", ["Name it."])])
def test_an_invalid_form_runs_nothing_and_flashes_what_it_is_told(posted, invalid, flashed):
    ran = []
    posted({"name": ""})
    assert act(NameForm(), ran.append, "Done.", invalid=invalid) is None
    assert ran == [] and get_flashed_messages() == flashed
