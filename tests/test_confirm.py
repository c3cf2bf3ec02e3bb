"""Confirm before anything irreversible: the first POST only asks (a confirm page), confirming does it.

Every action that cannot be taken back (closing a round, opening a proposal's
next round, ending a meeting, releasing a seat, closing a survey, deleting a
question, deactivating a partner, disabling an account) answers its first
POST with a page that says what will happen, carries the real form (with
``confirmed``) and a Cancel link back; the store is unchanged until the
confirmed POST. Actions that are easily undone do not ask.
"""

import datetime
import html
import re

import pytest

from roundtable import accounts, meetings, partners, surveys

from .conftest import confirm_form, csrf_token
from .roles import state

QUESTIONS = [
    {"kind": "agreement", "text": {"en": "We trust each other."}},
    {"kind": "short_text", "text": {"en": "One word?"}},
]


def text(response):
    """The response body as text, HTML entities resolved."""
    return html.unescape(response.get_data(as_text=True))


def _meeting(store, open_round=True):
    """A meeting with Acme attending and one proposal (its round 1 open, unless told)."""
    acme = partners.add_partner(store, "Acme Manufacturing", "business")
    meeting = meetings.create_meeting(store, {"en": "Board retreat"}, datetime.date(2026, 6, 1), attending=[acme.id])
    proposal = meetings.add_proposal(store, meeting["id"], {"en": "Adopt the vision"})
    if open_round:
        meetings.open_round(store, meeting["id"], proposal["id"])
    return meeting, proposal, acme


def _seated(app, meeting, partner):
    phone = app.test_client()
    path = f"/m/{meeting['share_token']}"
    token = csrf_token(phone, path)
    assert phone.post(path, data={"csrf_token": token, "partner": partner.id}).status_code == 303
    return store_of(app).find(meetings.SEATS, meeting_id=meeting["id"])[0]


def store_of(app):
    """The app's store."""
    return app.config["STORE"]


def meeting_end(app):
    """A meeting with a seat taken; ending it forgets the seat."""
    meeting, _proposal, acme = _meeting(store_of(app))
    _seated(app, meeting, acme)
    return (
        f"/meetings/{meeting['id']}/end",
        {},
        "End the meeting?",
        "End the meeting for everyone",
        f"/meetings/{meeting['id']}",
        lambda store: store.find(meetings.SEATS, meeting_id=meeting["id"]) == [],
    )


def round_close(app):
    """A meeting with round 1 open; closing it from the screen."""
    meeting, _proposal, _acme = _meeting(store_of(app))
    return (
        f"/meetings/{meeting['id']}/close",
        {},
        "Close round 1 of proposal 1?",
        "Close the round and show the result",
        f"/meetings/{meeting['id']}/screen",
        lambda store: meetings.get_meeting(store, meeting["id"])["proposals"][0]["rounds"][0]["status"] == "closed",
    )


def round_reopen(app):
    """A proposal whose round 1 is closed; opening round 2, amended."""
    meeting, proposal, _acme = _meeting(store_of(app))
    meetings.close_round(store_of(app), meeting["id"])
    return (
        f"/meetings/{meeting['id']}/proposals/{proposal['id']}/open",
        {"text": "Adopt the amended vision"},
        "Open round 2 of proposal 1?",
        "Open round 2 of proposal 1",
        f"/meetings/{meeting['id']}#p-{proposal['id']}",
        lambda store: (
            [(r["status"], r["text"]) for r in meetings.get_meeting(store, meeting["id"])["proposals"][0]["rounds"]]
            == [("closed", {"en": "Adopt the vision"}), ("open", {"en": "Adopt the amended vision"})]
        ),
    )


def seat_release(app):
    """Acme's seat in a meeting; releasing it."""
    meeting, _proposal, acme = _meeting(store_of(app))
    seat = _seated(app, meeting, acme)
    return (
        f"/meetings/{meeting['id']}/release",
        {"seat": seat["id"]},
        "Release the seat of Acme Manufacturing?",
        "Release the seat of Acme Manufacturing",
        f"/meetings/{meeting['id']}#seats",
        lambda store: store.find(meetings.SEATS, meeting_id=meeting["id"]) == [],
    )


def survey_close(app):
    """An open survey; closing it."""
    store = store_of(app)
    survey = surveys.set_status(
        store, surveys.create_survey(store, {"en": "Check-in"}, "en", "anonymous", questions=QUESTIONS).id, "open"
    )
    return (
        f"/surveys/{survey.id}/status/closed",
        {},
        "Close the survey?",
        "Close the survey: no more responses",
        f"/surveys/{survey.id}",
        lambda store: surveys.get_survey(store, survey.id).status == "closed",
    )


def question_delete(app):
    """A draft survey with two questions; deleting the second."""
    store = store_of(app)
    survey = surveys.create_survey(store, {"en": "Check-in"}, "en", "anonymous", questions=QUESTIONS)
    second = survey.questions[1].id
    return (
        f"/surveys/{survey.id}/questions/{second}/delete",
        {},
        "Delete question 2?",
        "Delete question 2",
        f"/surveys/{survey.id}#q-{second}",
        lambda store: [q.id for q in surveys.get_survey(store, survey.id).questions] == [survey.questions[0].id],
    )


def partner_deactivate(app):
    """An active partner; deactivating it."""
    acme = partners.add_partner(store_of(app), "Acme Manufacturing", "business")
    return (
        f"/partners/{acme.id}/active",
        {},
        "Deactivate Acme Manufacturing?",
        "Deactivate Acme Manufacturing",
        "/partners/",
        lambda store: partners.get_partner(store, acme.id).active is False,
    )


def account_disable(app):
    """A facilitator's account; disabling it (the box left unticked)."""
    maria = accounts.create_account(store_of(app), "maria", "a fine password", "facilitator")
    return (
        f"/admin/accounts/{maria.id}",
        {"role": "facilitator"},
        "Disable the account of maria?",
        "Disable the account of maria",
        f"/admin/accounts/{maria.id}",
        lambda store: accounts.get_account(store, maria.id).active is False,
    )


ACTIONS = [
    meeting_end,
    round_close,
    round_reopen,
    seat_release,
    survey_close,
    question_delete,
    partner_deactivate,
    account_disable,
]


@pytest.mark.parametrize("action", ACTIONS, ids=[a.__name__ for a in ACTIONS])
def test_an_irreversible_action_asks_first_and_changes_nothing_until_confirmed(app, client, staff, action):
    staff.login()
    path, data, title, button, back, done = action(app)
    before = state(store_of(app))
    asked = staff.post(path, data)
    page = text(asked)
    assert asked.status_code == 200, page[-1500:]
    assert state(store_of(app)) == before
    assert f"<h1>{title}</h1>" in page
    assert f">{button}</button>" in page
    assert f'<a href="{back}">Cancel</a>' in html.unescape(page)
    form = confirm_form(asked)
    assert form is not None and form[0] == path and form[1]["confirmed"] == "1"
    assert {k: v for k, v in form[1].items() if k not in ("csrf_token", "confirmed")} == data
    assert client.get(back.split("#")[0]).status_code == 200  # Cancel leads back, and changes nothing
    assert state(store_of(app)) == before
    # The confirm page's form, without its token, is refused like any other.
    assert client.post(path, data={**form[1], "csrf_token": ""}).status_code == 400
    assert state(store_of(app)) == before
    assert not done(store_of(app))
    response = client.post(form[0], data=form[1])
    assert response.status_code == 303, text(response)[-1500:]
    assert done(store_of(app))


def test_actions_easily_undone_do_not_ask(app, client, staff):
    staff.login()
    store = store_of(app)
    meeting, proposal, _acme = _meeting(store, open_round=False)
    response = staff.post(f"/meetings/{meeting['id']}/proposals/{proposal['id']}/open", {"text": ""})
    assert response.status_code == 303  # a first round: nothing is lost by opening it
    survey = surveys.create_survey(store, {"en": "Check-in"}, "en", "anonymous", questions=QUESTIONS)
    assert staff.post(f"/surveys/{survey.id}/status/open").status_code == 303
    gone = partners.add_partner(store, "Closed Shop", "business", active=False)
    assert staff.post(f"/partners/{gone.id}/active").status_code == 303
    assert partners.get_partner(store, gone.id).active is True
    maria = accounts.create_account(store, "maria", "a fine password", "facilitator")
    assert staff.post(f"/admin/accounts/{maria.id}", {"role": "leader", "active": "y"}).status_code == 303


def test_the_page_buttons_carry_what_the_dialog_says(app, client, staff):
    """With JavaScript, the form itself tells static/js/confirm.js the heading, the consequence and the button."""
    staff.login()
    meeting, _proposal, acme = _meeting(store_of(app))
    page = text(client.get(f"/meetings/{meeting['id']}"))
    assert 'data-confirm-title="End the meeting?"' in page
    assert 'data-confirm-button="End the meeting for everyone"' in page
    assert 'data-confirm-cancel="Cancel"' in page
    assert re.search(r'src="/static/js/confirm\.[0-9a-f]{12}\.js"', page)
    screen = text(client.get(f"/meetings/{meeting['id']}/screen"))
    assert 'data-confirm-button="Close the round and show the result"' in screen
